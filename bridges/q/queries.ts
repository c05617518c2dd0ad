/**
 * Typed wrappers of bridges/q/schema.q and queries.q: build the trade and quote tables from typed
 * arrays, VWAP by symbol and bar, and the as-of join of trades to quotes, in a `QSession`.
 */
import { fromQ } from "./ipc/convert.js";
import { atom, list, type QObject, table, vector } from "./ipc/types.js";
import type { QSession } from "./session.js";

const Q_EPOCH_NS = 10957n * 86_400_000_000_000n;

/** Trades as columns; `time` in nanoseconds since 1970 (BigInt64Array) or as Dates. */
export interface TradeColumns {
  time: BigInt64Array | readonly Date[];
  sym: readonly string[];
  price: Float64Array;
  size: BigInt64Array | Float64Array;
  /** "B" or "S" per trade. */
  side: string;
}

/** Quotes as columns. */
export interface QuoteColumns {
  time: BigInt64Array | readonly Date[];
  sym: readonly string[];
  bid: Float64Array;
  ask: Float64Array;
  bsize: BigInt64Array | Float64Array;
  asize: BigInt64Array | Float64Array;
}

function qTimes(t: BigInt64Array | readonly Date[]): QObject {
  const out = new BigInt64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const v = t[i] as bigint | Date;
    out[i] = (v instanceof Date ? BigInt(v.getTime()) * 1_000_000n : v) - Q_EPOCH_NS;
  }
  return vector(12, out);
}
const qLongs = (a: BigInt64Array | Float64Array): QObject => vector(7, a instanceof BigInt64Array ? a : BigInt64Array.from(a, (v) => BigInt(Math.round(v))));

/** The trade table as a q object (schema.q's column types). */
export function tradeTable(t: TradeColumns): QObject {
  const n = t.price.length;
  if (t.sym.length !== n || t.time.length !== n || t.size.length !== n || t.side.length !== n) throw new RangeError(`tradeTable: columns have different lengths (price has ${n})`);
  return table(["time", "sym", "price", "size", "side"], [qTimes(t.time), vector(11, [...t.sym]), vector(9, t.price), qLongs(t.size), vector(10, t.side)]);
}

/** The quote table as a q object. */
export function quoteTable(q: QuoteColumns): QObject {
  const n = q.bid.length;
  if (q.sym.length !== n || q.time.length !== n || q.ask.length !== n) throw new RangeError(`quoteTable: columns have different lengths (bid has ${n})`);
  return table(["time", "sym", "bid", "ask", "bsize", "asize"], [qTimes(q.time), vector(11, [...q.sym]), vector(9, q.bid), vector(9, q.ask), qLongs(q.bsize), qLongs(q.asize)]);
}

/** Replaces the session's `trade` and `quote` tables. */
export async function loadTicks(s: QSession, trades: TradeColumns, quotes: QuoteColumns): Promise<void> {
  await s.put("trade", tradeTable(trades));
  await s.put("quote", quoteTable(quotes));
}

/** VWAP by symbol and bar (`.statarb.vwap`), as an object of columns (sym, bar, vwap, volume, trades). */
export async function qVwap(s: QSession, barMinutes: number): Promise<Record<string, unknown>> {
  if (!Number.isInteger(barMinutes) || barMinutes < 1) throw new RangeError(`qVwap: barMinutes must be a positive integer, got ${barMinutes}`);
  const r = await s.query(list([atom(11, ".statarb.vwap"), atom(11, "trade"), atom(7, BigInt(barMinutes))]));
  return fromQ(unkey(r)) as Record<string, unknown>;
}

/** Trades as-of joined to quotes (`.statarb.asof`), with mid, spread and slippage. */
export async function qAsofJoin(s: QSession): Promise<Record<string, unknown>> {
  const r = await s.query(vector(10, ".statarb.asof[trade;quote]"));
  return fromQ(r) as Record<string, unknown>;
}

function unkey(x: QObject): QObject {
  if (x.kind === "dict" && x.keys.kind === "table" && x.values.kind === "table") return table([...x.keys.columns, ...x.values.columns], [...x.keys.data, ...x.values.data]);
  return x;
}
