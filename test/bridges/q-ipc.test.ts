/**
 * The kdb+ IPC codec: byte for byte against KX's serialization examples, against the independent
 * encoder/decoder of node-q (npm, devDependency) on 1,200 random values, q-produced compressed
 * messages, the handshake and message flow against a local TCP peer, and conversions to TS.
 */
import { createServer, type Socket } from "node:net";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/backtest/market.js";
import {
  atom,
  compress,
  decodeMessage,
  decompress,
  dict,
  encodeMessage,
  fromQ,
  GENERIC_NULL,
  keyedTable,
  lambda,
  list,
  QConnection,
  type QObject,
  table,
  toQ,
  vector,
} from "../../bridges/q/ipc/index.js";
import { Panel } from "../../lib/data/index.js";

const require = createRequire(import.meta.url);
const nodeq = require("node-q/lib/c.js") as { serialize(x: unknown): Buffer; deserialize(b: Buffer): unknown };
const typed = require("node-q/lib/typed.js") as Record<string, (v: unknown) => unknown>;
const Long = require("long") as { fromString(s: string): unknown };

const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString("hex")}`;
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/^0x/, ""), "hex"));
const i32 = (...v: number[]) => vector(6, Int32Array.from(v));

// Every vector below is quoted from KX, "Serialization examples", code.kx.com/q/kb/serialization/
// (the page's `-8!` outputs; ints there are 4-byte `i` ints).
const KX_EXAMPLES: { name: string; q: string; value: QObject; bytes: string }[] = [
  { name: "integer of value 1", q: "-8!1i", value: atom(6, 1), bytes: "0x010000000d000000fa01000000" },
  { name: "integer vector", q: "-8!enlist 1i", value: i32(1), bytes: "0x010000001200000006000100000001000000" },
  { name: "byte vector", q: "-8!`byte$til 5", value: vector(4, Uint8Array.of(0, 1, 2, 3, 4)), bytes: "0x01000000130000000400050000000001020304" },
  { name: "general list", q: "-8!`byte$enlist til 5", value: list([vector(4, Uint8Array.of(0, 1, 2, 3, 4))]), bytes: "0x01000000190000000000010000000400050000000001020304" },
  { name: "dictionary with atom values", q: "-8!`a`b!2 3i", value: dict(vector(11, ["a", "b"]), i32(2, 3)), bytes: "0x0100000021000000630b0002000000610062000600020000000200000003000000" },
  { name: "sorted dictionary", q: "-8!`s#`a`b!2 3i", value: dict(vector(11, ["a", "b"], 1), i32(2, 3), true), bytes: "0x01000000210000007f0b0102000000610062000600020000000200000003000000" },
  {
    name: "dictionary with vector values",
    q: "-8!`a`b!enlist each 2 3i",
    value: dict(vector(11, ["a", "b"]), list([i32(2), i32(3)])),
    bytes: "0x010000002d000000630b0002000000610062000000020000000600010000000200000006000100000003000000",
  },
  { name: "table", q: "-8!([]a:enlist 2i;b:enlist 3i)", value: table(["a", "b"], [i32(2), i32(3)]), bytes: "0x010000002f0000006200630b0002000000610062000000020000000600010000000200000006000100000003000000" },
  {
    name: "sorted table",
    q: "-8!`s#([]a:enlist 2i;b:enlist 3i)",
    value: table(["a", "b"], [vector(6, Int32Array.of(2), 3), i32(3)], 1),
    bytes: "0x010000002f0000006201630b0002000000610062000000020000000603010000000200000006000100000003000000",
  },
  {
    name: "keyed table",
    q: "-8!([a:enlist 2i]b:enlist 3i)",
    value: keyedTable(table(["a"], [i32(2)]), table(["b"], [i32(3)])),
    bytes: "0x010000003f000000636200630b00010000006100000001000000060001000000020000006200630b0001000000620000000100000006000100000003000000",
  },
  {
    name: "sorted keyed table",
    q: "-8!`s#([a:enlist 2i]b:enlist 3i)",
    value: keyedTable(table(["a"], [i32(2)], 1), table(["b"], [i32(3)]), true),
    bytes: "0x010000003f0000007f6201630b00010000006100000001000000060001000000020000006200630b0001000000620000000100000006000100000003000000",
  },
  { name: "function", q: "-8!{x+y}", value: lambda("{x+y}"), bytes: "0x010000001500000064000a00050000007b782b797d" },
  { name: "function in a non-root context", q: "q.d)-8!test", value: lambda("{x+y}", "d"), bytes: "0x01000000160000006464000a00050000007b782b797d" },
];

describe("KX serialization examples, byte for byte", () => {
  it.each(KX_EXAMPLES)("$name ($q)", ({ value, bytes: b }) => {
    expect(hex(encodeMessage(value))).toBe(b);
    const back = decodeMessage(bytes(b));
    expect(back.msgType).toBe(0);
    expect(hex(encodeMessage(back.value))).toBe(b);
  });

  it("decodes the KX examples to friendly values", () => {
    expect(fromQ(decodeMessage(bytes(KX_EXAMPLES[4]!.bytes)).value)).toEqual({ a: 2, b: 3 });
    expect(fromQ(decodeMessage(bytes(KX_EXAMPLES[9]!.bytes)).value)).toEqual({ a: Int32Array.of(2), b: Int32Array.of(3) });
  });
});

// ---- random values against node-q ----------------------------------------------------------

// the random values' uniforms: mulberry32 from bench/backtest/market.ts (its one home, as in
// test/backtest/market.ts), the very generator this file kept a copy of — the same values
const Q_EPOCH_MS = 10957 * 86_400_000;
const TYPES = ["boolean", "guid", "byte", "short", "int", "long", "real", "float", "char", "symbol", "timestamp", "month", "date", "datetime", "timespan", "minute", "second", "time"] as const;
type T = (typeof TYPES)[number];
const CODE: Record<T, number> = { boolean: 1, guid: 2, byte: 4, short: 5, int: 6, long: 7, real: 8, float: 9, char: 10, symbol: 11, timestamp: 12, month: 13, date: 14, datetime: 15, timespan: 16, minute: 17, second: 18, time: 19 };

/** One random element: node-q's JS input and the q value (atom `value` form) it must become. */
function randomElement(t: T, u: () => number): { js: unknown; q: boolean | number | bigint | string } {
  const int = (lo: number, hi: number) => lo + Math.floor(u() * (hi - lo + 1));
  switch (t) {
    case "boolean": {
      const b = u() < 0.5;
      return { js: b, q: b };
    }
    case "guid": {
      const h = Array.from({ length: 16 }, () => int(0, 255).toString(16).padStart(2, "0")).join("");
      const g = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      return { js: g, q: g };
    }
    case "byte": {
      const v = int(0, 127);
      return { js: v, q: v };
    }
    case "short": {
      const v = int(-32000, 32000);
      return { js: v, q: v };
    }
    case "int": {
      const v = int(-2_000_000_000, 2_000_000_000);
      return { js: v, q: v };
    }
    case "long": {
      const v = BigInt(int(-(2 ** 30), 2 ** 30)) * BigInt(int(1, 2 ** 22)) + BigInt(int(0, 1000));
      return { js: Long.fromString(v.toString()), q: v };
    }
    case "real": {
      const v = Math.fround((u() - 0.5) * 1e6);
      return { js: v, q: v };
    }
    case "float": {
      const v = (u() - 0.5) * 10 ** int(-5, 8);
      return { js: v, q: v };
    }
    case "char": {
      const c = String.fromCharCode(int(33, 126));
      return { js: c, q: c };
    }
    case "symbol": {
      const s = Array.from({ length: int(1, 8) }, () => String.fromCharCode(int(97, 122))).join("");
      return { js: s, q: s };
    }
    case "timestamp": {
      const ms = Q_EPOCH_MS + int(-5e8, 5e8) * 1000 + int(0, 999);
      return { js: new Date(ms), q: BigInt(ms - Q_EPOCH_MS) * 1_000_000n };
    }
    case "month": {
      const m = int(-300, 600);
      const y = 2000 + Math.floor(m / 12);
      return { js: new Date(Date.UTC(y, ((m % 12) + 12) % 12, 1)), q: m };
    }
    case "date": {
      const d = int(-10000, 20000);
      return { js: new Date((d + 10957) * 86_400_000), q: d };
    }
    case "datetime": {
      const ms = Q_EPOCH_MS + int(-5e8, 5e8) * 1000 + int(0, 999);
      return { js: new Date(ms), q: ms / 86_400_000 - 10957 };
    }
    case "timespan":
    case "minute":
    case "second":
    case "time": {
      const ms = int(0, 86_399_999);
      const d = new Date(ms);
      const q = t === "timespan" ? BigInt(ms) * 1_000_000n : t === "minute" ? Math.floor(ms / 60_000) : t === "second" ? Math.floor(ms / 1000) : ms;
      return { js: d, q };
    }
  }
}

function vectorOf(t: T, qs: (boolean | number | bigint | string)[]): QObject {
  const c = CODE[t];
  switch (t) {
    case "boolean":
      return vector(1, Uint8Array.from(qs as boolean[], (b) => (b ? 1 : 0)));
    case "guid": {
      const out = new Uint8Array(16 * qs.length);
      qs.forEach((g, i) => out.set(Buffer.from((g as string).replace(/-/g, ""), "hex"), 16 * i));
      return vector(2, out);
    }
    case "byte":
      return vector(4, Uint8Array.from(qs as number[]));
    case "short":
      return vector(5, Int16Array.from(qs as number[]));
    case "long":
    case "timestamp":
    case "timespan":
      return vector(c as 7, BigInt64Array.from(qs as bigint[]));
    case "real":
      return vector(8, Float32Array.from(qs as number[]));
    case "float":
    case "datetime":
      return vector(c as 9, Float64Array.from(qs as number[]));
    case "char":
      return vector(10, (qs as string[]).join(""));
    case "symbol":
      return vector(11, qs as string[]);
    default:
      return vector(c as 6, Int32Array.from(qs as number[]));
  }
}

function randomPair(u: () => number, depth = 0): { js: unknown; q: QObject } {
  const roll = u();
  const t = TYPES[Math.floor(u() * TYPES.length)] as T;
  if (roll < 0.45) {
    const e = randomElement(t, u);
    return { js: typed[t]!(e.js), q: atom(CODE[t] as 1, e.q) };
  }
  if (roll < 0.85 || depth > 1) {
    const n = 1 + Math.floor(u() * 12);
    const es = Array.from({ length: n }, () => randomElement(t, u));
    return { js: typed[`${t}s`]!(es.map((e) => e.js)), q: vectorOf(t, es.map((e) => e.q)) };
  }
  if (roll < 0.93) {
    const n = 2 + Math.floor(u() * 4);
    const items = Array.from({ length: n }, () => randomPair(u, depth + 1));
    return { js: typed.mixedlist!(items.map((i) => i.js)), q: list(items.map((i) => i.q)) };
  }
  const keys = Array.from({ length: 2 + Math.floor(u() * 3) }, (_, i) => `k${i}`);
  const vals = keys.map(() => randomPair(u, depth + 1));
  const obj: Record<string, unknown> = {};
  keys.forEach((k, i) => {
    obj[k] = vals[i]!.js;
  });
  // node-q sends a dictionary's values as a typed vector when they are atoms of one type
  const first = vals[0]!.q;
  const sameAtoms = first.kind === "atom" && vals.every((v) => v.q.kind === "atom" && v.q.type === first.type);
  const t0 = TYPES.find((x) => first.kind === "atom" && CODE[x] === first.type) as T;
  const values = sameAtoms ? vectorOf(t0, vals.map((v) => (v.q as { value: boolean | number | bigint | string }).value)) : list(vals.map((v) => v.q));
  return { js: typed.dict!(obj), q: dict(vector(11, keys), values) };
}

/** node-q's reading of a message, made comparable (Long → string, Buffer → hex, Date → ms). */
function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.getTime();
  if (typeof v === "object" && v !== null && "low" in v && "high" in v) return String(v);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe("against node-q, an independent encoder and decoder (1,200 random values)", () => {
  it("our bytes equal node-q's bytes, and each side decodes the other's", () => {
    const u = rng(20260101);
    let checked = 0;
    for (let k = 0; k < 1200; k++) {
      const { js, q } = randomPair(u);
      const theirs = new Uint8Array(nodeq.serialize(js));
      const ours = encodeMessage(q);
      if (hex(ours) !== hex(theirs)) throw new Error(`value ${k}: ours ${hex(ours)} vs node-q ${hex(theirs)} for ${JSON.stringify(q, (_, x) => (typeof x === "bigint" ? `${x}n` : x))}`);
      // our decoder reads node-q's bytes back to the same q object (re-encoding proves equality)
      expect(hex(encodeMessage(decodeMessage(theirs).value))).toBe(hex(theirs));
      // node-q's decoder reads our bytes as it reads its own
      expect(plain(nodeq.deserialize(Buffer.from(ours)))).toEqual(plain(nodeq.deserialize(Buffer.from(theirs))));
      checked++;
    }
    expect(checked).toBe(1200);
  });
});

// ---- compression ----------------------------------------------------------------------------

// q-produced compressed messages (`-18!` of 10000#01b and of a 1000-item dictionary), quoted from
// node-q's test/compress.js (node-q 2.7.0), which took them from q.
const Q_COMPRESSED_BOOLEANS =
  "01000100680000001e270000000100102700000101ff00ff00ff00ff00ff00ff00ff00ff00ffff00ff00ff00ff00ff00ff00ff00ff00ffff00ff00ff00ff00ff00ff00ff00ff00ffff00ff00ff00ff00ff00ff00ff00ff00ff7f00ff00ff00ff00ff00ff00ff00e6";
const Q_COMPRESSED_SYMBOLS = "010001002d000000de070000800b00e80300006161ffaa6161ff6161ff6161ff6161ff2a6161ff6161ff6161bf";
const Q_COMPRESSED_INTS =
  "0100010054000000ae0f0000800600e8030000010000be0001ff00ff000001ff00000001ffef00ff000001ff00000001ff00ff0000fb01ff00000001ff00ff000001ff0000be0001ff00ff000001ff0000000172";

describe("compression", () => {
  it("decompresses messages compressed by q", () => {
    const b = decodeMessage(bytes(Q_COMPRESSED_BOOLEANS));
    expect(b.compressed).toBe(true);
    expect(b.value.kind === "vector" && b.value.type === 1 && (b.value.values as Uint8Array).length).toBe(10000);
    expect(plain(fromQ(b.value))).toEqual(plain(nodeq.deserialize(Buffer.from(bytes(Q_COMPRESSED_BOOLEANS)))));
    const s = decodeMessage(bytes(Q_COMPRESSED_SYMBOLS)).value;
    expect(s.kind === "vector" && (s.values as string[]).length).toBe(1000);
    expect(fromQ(s)).toEqual(nodeq.deserialize(Buffer.from(bytes(Q_COMPRESSED_SYMBOLS))));
    const i = decodeMessage(bytes(Q_COMPRESSED_INTS)).value;
    expect(Array.from(fromQ(i) as Int32Array)).toEqual(nodeq.deserialize(Buffer.from(bytes(Q_COMPRESSED_INTS))));
  });

  it("compresses so that node-q's decompressor (KX's algorithm) reads it back exactly", () => {
    const u = rng(7);
    const cases: QObject[] = [
      vector(9, Float64Array.from({ length: 20_000 }, (_, i) => Math.round(100 * Math.sin(i / 50)) / 4)),
      vector(11, Array.from({ length: 5000 }, () => ["AAPL", "MSFT", "IBM", "GOOG"][Math.floor(u() * 4)] as string)),
      table(["sym", "px"], [vector(11, Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? "a" : "bb"))), vector(9, Float64Array.from({ length: 3000 }, (_, i) => i % 17))]),
      vector(6, Int32Array.from({ length: 8000 }, (_, i) => i)),
    ];
    for (const c of cases) {
      const msg = encodeMessage(c, 2);
      const z = compress(msg, 1);
      expect(z).toBeDefined();
      expect((z as Uint8Array).length).toBeLessThan(msg.length);
      expect(hex(decompress(z as Uint8Array))).toBe(hex(msg));
      expect(plain(nodeq.deserialize(Buffer.from(z as Uint8Array)))).toEqual(plain(nodeq.deserialize(Buffer.from(msg))));
    }
    expect(compress(encodeMessage(vector(9, Float64Array.from({ length: 500 }, () => u()))))).toBeUndefined();
    const repetitive = encodeMessage(vector(6, new Int32Array(10_000).fill(3)));
    expect((compress(repetitive) as Uint8Array).length).toBeLessThan(repetitive.length / 2);
  });
});

// ---- conversions ----------------------------------------------------------------------------

describe("TS ↔ q conversions", () => {
  it("a Panel travels as a table with a q date column and comes back", () => {
    const p = Panel.fromColumns(["2024-01-02", "2024-01-03", "2024-01-04"], { AAPL: [1, 2, 3], MSFT: [4, Number.NaN, 6] });
    const q = toQ(p);
    expect(q.kind).toBe("table");
    const back = fromQ(decodeMessage(encodeMessage(q)).value) as Panel;
    expect(back.assets).toEqual(["AAPL", "MSFT"]);
    expect(back.dates).toEqual(p.dates);
    expect(back.toMatrix()).toEqual(p.toMatrix());
    const t = q as QObject & { kind: "table" };
    expect((t.data[0] as { values: Int32Array }).values[0]).toBe(8767); // 2024.01.02 is day 8767 of q's epoch
  });

  it("maps atoms, nulls and temporal types", () => {
    expect(fromQ(atom(7, -9223372036854775808n))).toBeNaN();
    expect(fromQ(atom(14, 0))).toBe("2000-01-01");
    expect(fromQ(atom(13, 13))).toBe("2001-02");
    expect((fromQ(atom(12, 86_400_000_000_000n)) as Date).toISOString()).toBe("2000-01-02T00:00:00.000Z");
    expect(fromQ(GENERIC_NULL)).toBeNull();
    expect(() => fromQ({ kind: "error", message: "type" })).toThrow("'type");
    expect(toQ({ a: 1, b: "x" })).toEqual(dict(vector(11, ["a", "b"]), list([atom(9, 1), vector(10, "x")])));
  });
});

// ---- the connection against a local TCP peer ------------------------------------------------

describe("QConnection protocol", () => {
  it("handshakes with capability 3, sends sync messages, reads responses, errors, async and compressed messages", async () => {
    const seen: Buffer[] = [];
    const server = createServer((sock: Socket) => {
      let hand = true;
      sock.on("data", (d: Buffer) => {
        seen.push(d);
        if (hand) {
          hand = false;
          sock.write(Buffer.from([3]));
          return;
        }
        const m = decodeMessage(new Uint8Array(d));
        const expr = m.value.kind === "vector" ? (m.value.values as string) : "";
        if (expr === "boom") sock.write(encodeMessage({ kind: "error", message: "boom" }, 2));
        else if (expr === "big") {
          sock.write(encodeMessage(list([vector(11, ["upd"]), vector(9, Float64Array.of(1, 2))]), 0));
          sock.write(compress(encodeMessage(vector(6, new Int32Array(5000).fill(7)), 2)) as Uint8Array);
        } else sock.write(encodeMessage(atom(7, 42n), 2));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const c = await QConnection.open({ host: "127.0.0.1", port, user: "me", password: "pw" });
      expect(hex(seen[0] as Buffer)).toBe(hex(Buffer.from("me:pw\x03\x00", "latin1")));
      expect(c.capability).toBe(3);
      const asyncs: QObject[] = [];
      c.onAsync = (v) => asyncs.push(v);
      expect(await c.sync(vector(10, "1+1"))).toEqual(atom(7, 42n));
      expect((seen[1] as Buffer)[1]).toBe(1); // sync message type
      await expect(c.sync(vector(10, "boom"))).resolves.toEqual({ kind: "error", message: "boom" });
      const big = await c.sync(vector(10, "big"));
      expect(big.kind === "vector" && (big.values as Int32Array).length).toBe(5000);
      expect(asyncs).toHaveLength(1);
      c.close();
    } finally {
      server.close();
    }
  });

  it("a refused connection says where it tried", async () => {
    await expect(QConnection.open({ host: "127.0.0.1", port: 1, connectTimeoutMs: 2000 })).rejects.toThrow(/cannot connect to kdb\+ at 127\.0\.0\.1:1/);
  });
});

describe("q cells", () => {
  it("split into statements like a q script: continuation lines, comments, a lone backslash", async () => {
    const { qStatements } = await import("../../bridges/q/session.js");
    expect(qStatements("a:1\n/ a comment\nf:{[x]\n  x+a}\n\nf 2\n\\\nignored")).toEqual(["a:1", "f:{[x]\n  x+a}", "f 2"]);
  });
});

describe("tables, keyed tables and errors through node-q's decoder", () => {
  it("node-q reads our tables and keyed tables as rows, and our errors as errors", () => {
    const t = table(["sym", "px", "n"], [vector(11, ["a", "b"]), vector(9, Float64Array.of(1.5, 2.5)), vector(7, BigInt64Array.of(3n, 4n))]);
    expect(nodeq.deserialize(Buffer.from(encodeMessage(t)))).toEqual([
      { sym: "a", px: 1.5, n: 3 },
      { sym: "b", px: 2.5, n: 4 },
    ]);
    const kt = keyedTable(table(["sym"], [vector(11, ["a", "b"])]), table(["px"], [vector(9, Float64Array.of(1.5, 2.5))]));
    const back = decodeMessage(encodeMessage(kt)).value;
    expect(hex(encodeMessage(back))).toBe(hex(encodeMessage(kt)));
    expect(fromQ(back)).toEqual({ sym: ["a", "b"], px: Float64Array.of(1.5, 2.5) });
    expect(() => nodeq.deserialize(Buffer.from(encodeMessage({ kind: "error", message: "length" })))).toThrow(/length/);
  });
});
