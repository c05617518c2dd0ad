/**
 * A live tick source on Kafka (kafkajs, a pure-JavaScript client: `@confluentinc/kafka-javascript`'s
 * install script downloads its prebuilt librdkafka from GitHub, which this project may not use). It
 * consumes a topic in a consumer group and yields `TickBatch`es to `runStrategy` like the store does.
 *
 * Messages are JSON objects, one tick each:
 *   {"type":"trade","ts":"1704205800000000000","sym":"AAPL","price":185.2,"size":100,"side":1}
 *   {"type":"quote","ts":"1704205800000000000","sym":"AAPL","bid":185.19,"ask":185.21,"bidSize":300,"askSize":200}
 * `ts` is nanoseconds since 1970 (a decimal string, or an integer); `side` is +1/−1/0 or "B"/"S".
 * A message that is not such an object is counted in `stats.malformed` (with a sample of reasons) and
 * skipped: it never stops the pipeline. Offsets are committed only after the runner has processed the
 * batch that held them (the runner asks for the next batch), so a consumer restarted in the same group
 * resumes after the last processed tick: nothing lost, nothing counted twice.
 */
import type { Consumer, EachBatchPayload } from "kafkajs";
import { kafkaJs } from "./lazy-deps.js";
import { opt, readOptions } from "../data/index.js";
import { DAY_NS, emptyBatch, QUOTE, type TickBatch } from "./source.js";

/** Options of {@link kafkaSource}. */
export interface KafkaSourceOptions {
  /** Broker list (default: $KAFKA_BROKERS, comma-separated). */
  brokers?: readonly string[];
  /** Topic to consume (required). */
  topic: string;
  /** Consumer group (default "statarb-ticks"). */
  groupId?: string;
  /** Read from the earliest offset when the group has none committed (default true). */
  fromBeginning?: boolean;
  /** Client id (default "statarb"). */
  clientId?: string;
}

/** What a Kafka source has seen. */
export interface KafkaSourceStats {
  messages: number;
  ticks: number;
  malformed: number;
  /** Up to 20 recent malformed messages: partition, offset and why. */
  malformedSamples: { partition: number; offset: string; reason: string }[];
  /** Next offset to read per partition, as committed. */
  committed: Record<number, string>;
}

/** A tick source on a Kafka topic (see the module doc); `stop()` ends it after the batch in hand. */
export interface KafkaTickSource extends AsyncIterable<TickBatch> {
  readonly stats: KafkaSourceStats;
  stop(): Promise<void>;
}

type Parsed = { kind: number; ts: bigint; sym: string; a: number; b: number; c: number; d: number; side: number };

function num(o: Record<string, unknown>, k: string, required: boolean): number {
  const v = o[k];
  if (v === undefined && !required) return Number.NaN;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${k} must be a finite number`);
  return v;
}

/** Parses one message value into a tick, or throws the reason it is malformed. */
export function parseTickMessage(value: Buffer | string | null): Parsed {
  if (value === null) throw new Error("empty message");
  let o: unknown;
  try {
    o = JSON.parse(typeof value === "string" ? value : value.toString("utf8"));
  } catch {
    throw new Error("not JSON");
  }
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error("not a JSON object");
  const r = o as Record<string, unknown>;
  if (typeof r.sym !== "string" || r.sym === "") throw new Error("sym must be a non-empty string");
  const ts = typeof r.ts === "string" && /^\d{1,19}$/.test(r.ts) ? BigInt(r.ts) : typeof r.ts === "number" && Number.isSafeInteger(r.ts) && r.ts >= 0 ? BigInt(r.ts) : undefined;
  if (ts === undefined) throw new Error("ts must be nanoseconds since 1970 (a decimal string or a safe integer)");
  if (r.type === "trade") {
    const price = num(r, "price", true);
    const size = num(r, "size", true);
    if (!(price > 0) || !(size >= 0)) throw new Error("trade needs price > 0 and size ≥ 0");
    const side = r.side === "B" || r.side === 1 ? 1 : r.side === "S" || r.side === -1 ? -1 : r.side === undefined || r.side === 0 ? 0 : Number.NaN;
    if (side !== side) throw new Error("side must be 1, -1, 0, \"B\" or \"S\"");
    return { kind: 0, ts, sym: r.sym, a: price, b: size, c: 0, d: 0, side };
  }
  if (r.type === "quote") {
    const bid = num(r, "bid", false);
    const ask = num(r, "ask", false);
    if (bid !== bid && ask !== ask) throw new Error("quote needs a bid or an ask");
    return { kind: QUOTE, ts, sym: r.sym, a: bid, b: ask, c: Number(r.bidSize ?? 0) || 0, d: Number(r.askSize ?? 0) || 0, side: 0 };
  }
  throw new Error(`type must be "trade" or "quote", got ${JSON.stringify(r.type)}`);
}

/** The JSON message of one tick (for producers and tests). */
export function tickMessage(t: { type: "trade" | "quote"; ts: bigint; sym: string; price?: number; size?: number; side?: number; bid?: number; ask?: number; bidSize?: number; askSize?: number }): string {
  const { ts, ...rest } = t;
  return JSON.stringify({ ...rest, ts: ts.toString() });
}

interface Pending {
  batch: TickBatch;
  /** Releases the Kafka batch: commit its offsets (processed) or not (never handed over, or abandoned). */
  done: (processed: boolean) => void;
}

/** Decodes a Kafka batch into a tick batch, counting malformed messages. */
function decode(p: EachBatchPayload, stats: KafkaSourceStats, state: { base: bigint | undefined; symbols: string[]; index: Map<string, number> }): TickBatch {
  const ticks: Parsed[] = [];
  for (const m of p.batch.messages) {
    stats.messages++;
    try {
      ticks.push(parseTickMessage(m.value));
    } catch (err) {
      stats.malformed++;
      stats.malformedSamples.push({ partition: p.batch.partition, offset: m.offset, reason: (err as Error).message });
      if (stats.malformedSamples.length > 20) stats.malformedSamples.shift();
    }
  }
  if (ticks.length > 0) state.base ??= ((ticks[0] as Parsed).ts / DAY_NS) * DAY_NS;
  const b = emptyBatch(ticks.length, state.base ?? 0n, state.symbols);
  ticks.forEach((x, i) => {
    let s = state.index.get(x.sym);
    if (s === undefined) {
      s = state.symbols.length;
      state.symbols.push(x.sym);
      state.index.set(x.sym, s);
    }
    b.t[i] = Number(x.ts - (state.base as bigint));
    b.kind[i] = x.kind;
    b.sym[i] = s;
    if (x.kind === QUOTE) (b.bid[i] = x.a), (b.ask[i] = x.b), (b.bidSize[i] = x.c), (b.askSize[i] = x.d), (b.price[i] = Number.NaN);
    else (b.price[i] = x.a), (b.size[i] = x.b), (b.side[i] = x.side), (b.bid[i] = Number.NaN), (b.ask[i] = Number.NaN);
  });
  stats.ticks += ticks.length;
  return b;
}

/** A tick source on a Kafka topic (see the module doc). Connects when iterated. */
export function kafkaSource(options: KafkaSourceOptions): KafkaTickSource {
  const o = readOptions("kafkaSource", options, {
    brokers: opt.custom<readonly string[]>("a non-empty array of host:port strings (or set KAFKA_BROKERS)", () => (process.env.KAFKA_BROKERS ?? "").split(",").map((s) => s.trim()).filter(Boolean), (v): v is readonly string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && /^[^\s:]+:\d+$/.test(s))),
    topic: opt.string("", { nonEmpty: true }),
    groupId: opt.string("statarb-ticks", { nonEmpty: true }),
    fromBeginning: opt.boolean(true),
    clientId: opt.string("statarb", { nonEmpty: true }),
  });
  if (o.topic === "") throw new TypeError("kafkaSource: topic is required");
  if (o.brokers.length === 0) throw new TypeError("kafkaSource: no brokers: pass { brokers } or set KAFKA_BROKERS=host:port[,host:port]");
  const stats: KafkaSourceStats = { messages: 0, ticks: 0, malformed: 0, malformedSamples: [], committed: {} };
  const queue: Pending[] = [];
  const state = { base: undefined as bigint | undefined, symbols: [] as string[], index: new Map<string, number>() };
  let wake: (() => void) | undefined;
  let inHand: Pending | undefined;
  let stopped = false;
  let consumer: Consumer | undefined;
  let closed: Promise<void> | undefined;
  let iteration: Promise<void> | undefined;
  const kick = () => {
    wake?.();
    wake = undefined;
  };
  const eachBatch = async (p: EachBatchPayload) => {
    if (stopped || p.batch.messages.length === 0) return;
    const batch = decode(p, stats, state);
    const processed = await new Promise<boolean>((done) => {
      queue.push({ batch, done });
      kick();
    });
    if (!processed) return; // not committed: a restarted consumer reads it again
    p.resolveOffset(p.batch.lastOffset()); // only processed offsets are resolved, so only they are committed
    await p.commitOffsetsIfNecessary();
    stats.committed[p.batch.partition] = (BigInt(p.batch.lastOffset()) + 1n).toString();
  };
  const shutdown = () =>
    (closed ??= (async () => {
      stopped = true;
      inHand?.done(false);
      inHand = undefined;
      for (const q of queue.splice(0)) q.done(false);
      kick();
      await consumer?.disconnect(); // waits for a batch being committed
    })());
  return {
    stats,
    async stop() {
      stopped = true;
      kick();
      await (iteration ?? shutdown());
    },
    async *[Symbol.asyncIterator]() {
      let finished!: () => void;
      iteration = new Promise<void>((r) => (finished = r));
      try {
        const { Kafka, logLevel } = kafkaJs(); // loaded here, on first use: not by `import "statarb"`
        const kafka = new Kafka({ clientId: o.clientId, brokers: [...o.brokers], logLevel: logLevel.NOTHING });
        consumer = kafka.consumer({ groupId: o.groupId });
        await consumer.connect();
        await consumer.subscribe({ topic: o.topic, fromBeginning: o.fromBeginning });
        await consumer.run({ autoCommit: true, autoCommitThreshold: 1, eachBatchAutoResolve: false, eachBatch });
        while (!stopped) {
          const item = queue.shift();
          if (item === undefined) {
            await new Promise<void>((r) => (wake = r));
            continue;
          }
          inHand = item;
          if (item.batch.n > 0) yield item.batch;
          inHand = undefined;
          item.done(true); // the runner asked for more: the batch is processed, its offsets may be committed
        }
      } finally {
        await shutdown();
        finished();
      }
    },
  };
}

/** A Kafka source when KAFKA_BROKERS is set, else undefined (so a notebook can choose its feed). */
export function kafkaSourceFromEnv(topic: string, options: Omit<KafkaSourceOptions, "topic" | "brokers"> = {}): KafkaTickSource | undefined {
  return process.env.KAFKA_BROKERS ? kafkaSource({ ...options, topic }) : undefined;
}
