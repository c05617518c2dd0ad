/**
 * The tick store's tables and the column batches that go into them.
 *
 * Physical tables keep symbols, venues and sale conditions as small integer codes (a dictionary in
 * `labels`), so ingest copies fixed-width typed arrays only; the views `trades` and `quotes` show them
 * as text, and are what `%%sql` and users query:
 *
 * - `trades(ts TIMESTAMP_NS, sym, price DOUBLE, size INTEGER, side TINYINT, venue, cond)`:
 *   side is +1 buyer-initiated, −1 seller-initiated, 0 unknown; venue/cond NULL when absent.
 * - `quotes(ts TIMESTAMP_NS, sym, bid DOUBLE, ask DOUBLE, bid_size INTEGER, ask_size INTEGER, venue)`:
 *   a one-sided quote has NaN on its missing side.
 * - both views carry `seq` (BIGINT), the arrival order in the store: it breaks ties between ticks of
 *   one timestamp (the as-of join takes the last quote to arrive, as pandas and kdb+ do).
 *
 * Timestamps are nanoseconds since 1970-01-01 UTC (`BigInt64Array` in TypeScript: a float64 cannot
 * hold them exactly).
 */
import { describeValue } from "../data/index.js";

/** A text column: one string per row, or dictionary codes into `dictionary` (what a feed handler has). */
export type LabelColumn = readonly string[] | { readonly codes: Uint32Array | Uint16Array | Uint8Array; readonly dictionary: readonly string[] };

/** Trades as columns, all of one length. */
export interface TradeBatch {
  /** Nanoseconds since 1970-01-01 UTC. */
  ts: BigInt64Array;
  sym: LabelColumn;
  /** Trade price, finite and > 0. */
  price: Float64Array;
  /** Shares, integers ≥ 0. */
  size: Int32Array | Float64Array;
  /** +1 buyer-initiated, −1 seller-initiated, 0 unknown (default all 0). */
  side?: Int8Array;
  /** Trading venue / market center (default none). */
  venue?: LabelColumn;
  /** Sale condition (default none). */
  cond?: LabelColumn;
}

/** Quotes (top of book) as columns, all of one length. */
export interface QuoteBatch {
  ts: BigInt64Array;
  sym: LabelColumn;
  /** Best bid; NaN for no bid. */
  bid: Float64Array;
  /** Best ask; NaN for no ask. */
  ask: Float64Array;
  bidSize: Int32Array | Float64Array;
  askSize: Int32Array | Float64Array;
  venue?: LabelColumn;
}

export type LabelKind = "sym" | "venue" | "cond";

export const SCHEMA_SQL = [
  "CREATE TABLE IF NOT EXISTS labels (kind VARCHAR NOT NULL, id UINTEGER NOT NULL, label VARCHAR NOT NULL, PRIMARY KEY (kind, id))",
  "CREATE TABLE IF NOT EXISTS trades_raw (ts TIMESTAMP_NS NOT NULL, sid UINTEGER NOT NULL, price DOUBLE NOT NULL, size INTEGER NOT NULL, side TINYINT NOT NULL, venue UINTEGER NOT NULL, cond UINTEGER NOT NULL)",
  "CREATE TABLE IF NOT EXISTS quotes_raw (ts TIMESTAMP_NS NOT NULL, sid UINTEGER NOT NULL, bid DOUBLE NOT NULL, ask DOUBLE NOT NULL, bid_size INTEGER NOT NULL, ask_size INTEGER NOT NULL, venue UINTEGER NOT NULL)",
  `CREATE OR REPLACE VIEW trades AS SELECT t.ts, s.label AS sym, t.price, t.size, t.side, v.label AS venue, c.label AS cond, t.rowid AS seq
     FROM trades_raw t JOIN (SELECT id, label FROM labels WHERE kind = 'sym') s ON s.id = t.sid
     LEFT JOIN (SELECT id, label FROM labels WHERE kind = 'venue') v ON v.id = t.venue
     LEFT JOIN (SELECT id, label FROM labels WHERE kind = 'cond') c ON c.id = t.cond`,
  `CREATE OR REPLACE VIEW quotes AS SELECT q.ts, s.label AS sym, q.bid, q.ask, q.bid_size, q.ask_size, v.label AS venue, q.rowid AS seq
     FROM quotes_raw q JOIN (SELECT id, label FROM labels WHERE kind = 'sym') s ON s.id = q.sid
     LEFT JOIN (SELECT id, label FROM labels WHERE kind = 'venue') v ON v.id = q.venue`,
];

/** Number of rows of a label column. */
export function labelLength(c: LabelColumn): number {
  return Array.isArray(c) ? c.length : (c as { codes: ArrayLike<number> }).codes.length;
}

function isLabelColumn(v: unknown): v is LabelColumn {
  if (Array.isArray(v)) return true;
  if (typeof v !== "object" || v === null) return false;
  const o = v as { codes?: unknown; dictionary?: unknown };
  return (o.codes instanceof Uint32Array || o.codes instanceof Uint16Array || o.codes instanceof Uint8Array) && Array.isArray(o.dictionary);
}

function need<T>(where: string, name: string, v: unknown, ok: (v: unknown) => v is T, allowed: string): T {
  if (!ok(v)) throw new TypeError(`${where}: ${name} must be ${allowed}, got ${describeValue(v)}`);
  return v;
}

const isBigInts = (v: unknown): v is BigInt64Array => v instanceof BigInt64Array;
const isF64 = (v: unknown): v is Float64Array => v instanceof Float64Array;
const isSizes = (v: unknown): v is Int32Array | Float64Array => v instanceof Int32Array || v instanceof Float64Array;
const isI8 = (v: unknown): v is Int8Array => v instanceof Int8Array;

function sameLength(where: string, n: number, cols: Record<string, { length: number } | undefined>): void {
  for (const [name, c] of Object.entries(cols)) {
    if (c !== undefined && c.length !== n) throw new RangeError(`${where}: column ${name} has ${c.length} rows but ts has ${n}`);
  }
}

function checkSizes(where: string, name: string, a: Int32Array | Float64Array): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (!(v >= 0 && v <= 2147483647 && Number.isInteger(v))) throw new RangeError(`${where}: ${name}[${i}] must be an integer share count in [0, 2^31), got ${v}`);
  }
}

function checkLabels(where: string, name: string, c: LabelColumn): void {
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) if (typeof c[i] !== "string" || (c[i] as string).length === 0) throw new TypeError(`${where}: ${name}[${i}] must be a non-empty string, got ${describeValue(c[i])}`);
    return;
  }
  const { codes, dictionary } = c as { codes: ArrayLike<number>; dictionary: readonly string[] };
  for (let i = 0; i < codes.length; i++) if ((codes[i] as number) >= dictionary.length) throw new RangeError(`${where}: ${name}.codes[${i}] = ${codes[i]} is outside its dictionary of ${dictionary.length} labels`);
  dictionary.forEach((s, i) => {
    if (typeof s !== "string" || s.length === 0) throw new TypeError(`${where}: ${name}.dictionary[${i}] must be a non-empty string, got ${describeValue(s)}`);
  });
}

/** Checks a trade batch (types, lengths, finite positive prices, integer sizes, side in {−1, 0, 1}); returns its length. */
export function checkTradeBatch(where: string, b: unknown): number {
  if (typeof b !== "object" || b === null) throw new TypeError(`${where}: trades must be an object of columns, got ${describeValue(b)}`);
  const t = b as Partial<TradeBatch>;
  const ts = need(where, "ts", t.ts, isBigInts, "a BigInt64Array of nanoseconds since 1970");
  const sym = need(where, "sym", t.sym, isLabelColumn, "a string[] or { codes, dictionary }");
  const price = need(where, "price", t.price, isF64, "a Float64Array");
  const size = need(where, "size", t.size, isSizes, "an Int32Array or Float64Array");
  const n = ts.length;
  if (t.side !== undefined) need(where, "side", t.side, isI8, "an Int8Array of −1/0/+1");
  if (t.venue !== undefined) need(where, "venue", t.venue, isLabelColumn, "a string[] or { codes, dictionary }");
  if (t.cond !== undefined) need(where, "cond", t.cond, isLabelColumn, "a string[] or { codes, dictionary }");
  sameLength(where, n, { sym: { length: labelLength(sym) }, price, size, side: t.side, venue: t.venue && { length: labelLength(t.venue) }, cond: t.cond && { length: labelLength(t.cond) } });
  for (let i = 0; i < n; i++) {
    const p = price[i] as number;
    if (!(p > 0 && p < Infinity)) throw new RangeError(`${where}: price[${i}] must be a finite number > 0, got ${p}`);
  }
  checkSizes(where, "size", size);
  if (t.side) for (let i = 0; i < n; i++) if (Math.abs(t.side[i] as number) > 1) throw new RangeError(`${where}: side[${i}] must be −1, 0 or +1, got ${t.side[i]}`);
  checkLabels(where, "sym", sym);
  if (t.venue) checkLabels(where, "venue", t.venue);
  if (t.cond) checkLabels(where, "cond", t.cond);
  return n;
}

/** Checks a quote batch (bid/ask finite or NaN, not both NaN, integer sizes); returns its length. */
export function checkQuoteBatch(where: string, b: unknown): number {
  if (typeof b !== "object" || b === null) throw new TypeError(`${where}: quotes must be an object of columns, got ${describeValue(b)}`);
  const q = b as Partial<QuoteBatch>;
  const ts = need(where, "ts", q.ts, isBigInts, "a BigInt64Array of nanoseconds since 1970");
  const sym = need(where, "sym", q.sym, isLabelColumn, "a string[] or { codes, dictionary }");
  const bid = need(where, "bid", q.bid, isF64, "a Float64Array");
  const ask = need(where, "ask", q.ask, isF64, "a Float64Array");
  const bidSize = need(where, "bidSize", q.bidSize, isSizes, "an Int32Array or Float64Array");
  const askSize = need(where, "askSize", q.askSize, isSizes, "an Int32Array or Float64Array");
  if (q.venue !== undefined) need(where, "venue", q.venue, isLabelColumn, "a string[] or { codes, dictionary }");
  const n = ts.length;
  sameLength(where, n, { sym: { length: labelLength(sym) }, bid, ask, bidSize, askSize, venue: q.venue && { length: labelLength(q.venue) } });
  for (let i = 0; i < n; i++) {
    const a = bid[i] as number;
    const c = ask[i] as number;
    if (a === Infinity || a === -Infinity || c === Infinity || c === -Infinity || (a !== a && c !== c)) {
      throw new RangeError(`${where}: quote ${i} must have a finite bid or ask (NaN marks a missing side), got bid ${a}, ask ${c}`);
    }
  }
  checkSizes(where, "bidSize", bidSize);
  checkSizes(where, "askSize", askSize);
  checkLabels(where, "sym", sym);
  if (q.venue) checkLabels(where, "venue", q.venue);
  return n;
}
