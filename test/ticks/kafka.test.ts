/**
 * The Kafka tick source against a real broker (Apache Kafka in KRaft mode, started here from the Maven
 * Central jars): ticks flow through runStrategy like stored ones; malformed messages are counted and
 * skipped; a consumer stopped and restarted in the same group resumes from its committed offset — every
 * tick seen exactly once across the two runs.
 */
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaSource, parseTickMessage, runStrategy, tickMessage, type TickStrategy } from "../../lib/ticks/index.js";
import { isEngineBuilt } from "../../native/ts/index.js";
import { brokerUnavailable, startBroker, type Broker } from "./kafka-broker.js";

const T0 = 1_704_205_800_000_000_000n;
const reason = brokerUnavailable() ?? (isEngineBuilt() ? undefined : "the native engine addon is not built");

describe("Kafka tick messages", () => {
  it("parse, and say why a message is malformed", () => {
    expect(parseTickMessage(tickMessage({ type: "trade", ts: T0, sym: "A", price: 10, size: 5, side: -1 }))).toMatchObject({ kind: 0, ts: T0, sym: "A", a: 10, b: 5, side: -1 });
    expect(() => parseTickMessage("{")).toThrow("not JSON");
    expect(() => parseTickMessage('{"type":"trade","ts":"1","sym":"A","price":-1,"size":1}')).toThrow(/price > 0/);
    expect(() => parseTickMessage('{"type":"bar","ts":"1","sym":"A"}')).toThrow(/type must be "trade" or "quote"/);
    expect(() => parseTickMessage('{"type":"quote","ts":1.5,"sym":"A","bid":1}')).toThrow(/ts must be nanoseconds/);
    expect(() => parseTickMessage(null)).toThrow("empty message");
    expect(() => kafkaSource({ topic: "t", brokers: [] })).toThrow(/brokers must be a non-empty array/);
    expect(() => kafkaSource({ topic: "t", brokers: ["localhost:9092"], groupID: "x" } as never)).toThrow(/unknown option "groupID" \(did you mean "groupId"\?\)/);
  });
});

describe.skipIf(reason !== undefined)(`Kafka source on a real KRaft broker${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let broker: Broker | undefined;
  let startError = "";
  beforeAll(async () => {
    try {
      broker = await startBroker();
    } catch (err) {
      startError = (err as Error).message;
    }
  }, 150_000);
  afterAll(async () => broker?.stop(), 30_000);

  const produce = async (topic: string, from: number, n: number, junk: string[]) => {
    const kafka = new Kafka({ clientId: "statarb-test", brokers: broker!.brokers, logLevel: logLevel.NOTHING });
    const p = kafka.producer();
    await p.connect();
    const messages = [];
    for (let i = from; i < from + n; i++) {
      const ts = T0 + BigInt(i) * 1000n;
      messages.push({ value: i % 2 ? tickMessage({ type: "trade", ts, sym: "KA", price: 10.01, size: 100, side: 1 }) : tickMessage({ type: "quote", ts, sym: "KA", bid: 10, ask: 10.02, bidSize: 500, askSize: 500 }) });
      if (i - from === Math.floor(n / 2)) for (const j of junk) messages.push({ value: j });
    }
    await p.send({ topic, messages });
    await p.disconnect();
  };

  /** Consumes until `want` ticks arrived, then stops; returns the ticks' times. */
  const consume = async (topic: string, want: number) => {
    const src = kafkaSource({ brokers: broker!.brokers, topic, groupId: "statarb-resume" });
    const seen: number[] = [];
    const s: TickStrategy = {
      onTick(t) {
        seen.push(t.t);
        if (seen.length >= want) void src.stop();
      },
    };
    const stats = await runStrategy(src, s);
    return { seen, stats, source: src.stats };
  };

  it("counts malformed messages, never crashes, and resumes from the committed offset", async (ctx) => {
    if (!broker) {
      console.warn(`Kafka test skipped: ${startError}`);
      ctx.skip();
    }
    const topic = "statarb-ticks-resume";
    await produce(topic, 0, 400, ["not json", '{"type":"trade","sym":"KA"}', '{"type":"quote","ts":"1","sym":"","bid":1}']);
    const first = await consume(topic, 400);
    // the broker holds the group's offset after the 400 ticks and 3 malformed messages
    const admin = new Kafka({ clientId: "statarb-test", brokers: broker!.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: "statarb-resume", topics: [topic] });
    await admin.disconnect();
    expect(offsets[0]?.partitions[0]?.offset).toBe("403");
    expect(first.source.committed).toEqual({ 0: "403" });
    expect(first.seen.length).toBe(400);
    expect(first.source.malformed).toBe(3);
    expect(first.source.malformedSamples.map((m) => m.reason)).toEqual(["not JSON", "ts must be nanoseconds since 1970 (a decimal string or a safe integer)", "sym must be a non-empty string"]);
    expect(first.stats.trades).toBe(200);
    await produce(topic, 400, 300, ["[]"]);
    const second = await consume(topic, 300);
    expect(second.seen.length).toBe(300);
    expect(second.source.malformed).toBe(1);
    const all = [...first.seen, ...second.seen];
    expect(new Set(all).size).toBe(700); // no tick twice
    expect(Math.min(...second.seen)).toBeGreaterThan(Math.max(...first.seen)); // nothing re-read, nothing skipped
  }, 120_000);
});
