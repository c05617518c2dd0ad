/**
 * Trades and quotes held in memory as typed-array columns (`TickColumns`), time-ordered, with symbol
 * codes in one dictionary shared by both tables: what the as-of join works on. `loadTickColumns` reads
 * them from a store once (DuckDB's vectors copied column by column, no row objects), so several joins
 * (other tolerances, other options) reuse one read; `tickColumns` takes the batches a feed handler or
 * the simulated market already has (the same shapes `ingestTrades`/`ingestQuotes` take).
 */
import type { Table } from "apache-arrow";
import { checkKeys, describeValue } from "../data/index.js";
import { FILTER_KEYS, filterSql, type TickFilter } from "./filters.js";
import { firstDisorder } from "./order.js";
import type { LabelColumn, QuoteBatch, TradeBatch } from "./schema.js";
import type { TickStore } from "./store.js";

/** Trade columns, all of one length, in (ts, arrival) order; `sym` indexes {@link TickColumns.symbols}. */
export interface TradeColumns {
  readonly ts: BigInt64Array;
  readonly sym: Int32Array;
  readonly price: Float64Array;
  readonly size: Int32Array | Float64Array;
  readonly side: Int8Array;
  /** Arrival order: the store's row id, or the row index of the batch given. */
  readonly seq: BigInt64Array;
}

/** Quote columns, all of one length, in (ts, arrival) order. */
export interface QuoteColumns {
  readonly ts: BigInt64Array;
  readonly sym: Int32Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly bidSize: Int32Array | Float64Array;
  readonly askSize: Int32Array | Float64Array;
  readonly seq: BigInt64Array;
}

/** Trades and quotes in memory (see the module doc). */
export interface TickColumns {
  readonly symbols: readonly string[];
  readonly trades: TradeColumns;
  readonly quotes: QuoteColumns;
}

const COLUMNS = Symbol.for("statarb.tickColumns");

/** True for what {@link loadTickColumns} or {@link tickColumns} made. */
export function isTickColumns(v: unknown): v is TickColumns {
  return typeof v === "object" && v !== null && (v as { [COLUMNS]?: boolean })[COLUMNS] === true;
}

function mark(c: { symbols: readonly string[]; trades: TradeColumns; quotes: QuoteColumns }): TickColumns {
  return Object.freeze(Object.defineProperty(c, COLUMNS, { value: true }));
}

/** BigInt64Array [0, 1, …, n − 1] written as 32-bit halves (no BigInt per row). */
function rowNumbers(n: number): BigInt64Array {
  const out = new BigInt64Array(n);
  const w = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) w[2 * i] = i;
  return out;
}

/** Codes of two label columns in one dictionary (the shared dictionary is reused when both have it). */
function sharedCodes(a: LabelColumn, b: LabelColumn): { symbols: string[]; a: Int32Array; b: Int32Array } {
  const symbols: string[] = [];
  const index = new Map<string, number>();
  const idOf = (s: string) => {
    let k = index.get(s);
    if (k === undefined) index.set(s, (k = symbols.length)), symbols.push(s);
    return k;
  };
  const encode = (c: LabelColumn, name: string): Int32Array => {
    if (Array.isArray(c)) return Int32Array.from(c as string[], idOf);
    const { codes, dictionary } = c as { codes: Uint32Array | Uint16Array | Uint8Array; dictionary: readonly string[] };
    const map = Int32Array.from(dictionary, idOf);
    const n = codes.length;
    const same = codes instanceof Uint32Array && map.every((k, i) => k === i);
    const out = same ? new Int32Array(codes.buffer, codes.byteOffset, n) : new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = codes[i] as number;
      if (k >= map.length) throw new RangeError(`tickColumns: ${name}.sym.codes[${i}] = ${k} is outside its dictionary of ${map.length} labels`);
      if (!same) out[i] = map[k] as number;
    }
    return out;
  };
  return { a: encode(a, "trades"), b: encode(b, "quotes"), symbols };
}

/**
 * Trades and quotes already in memory (the batch shapes of `ingestTrades`/`ingestQuotes`, e.g.
 * `simulateMarket(…).trades`) as {@link TickColumns}; the arrays are shared, not copied. Each table
 * must be sorted by ts (as pandas' merge_asof requires); equal timestamps keep their order.
 */
export function tickColumns(trades: TradeBatch, quotes: QuoteBatch): TickColumns {
  const where = "tickColumns";
  const t = need(where, "trades", trades, ["ts", "sym", "price", "size"]) as TradeBatch;
  const q = need(where, "quotes", quotes, ["ts", "sym", "bid", "ask", "bidSize", "askSize"]) as QuoteBatch;
  const codes = sharedCodes(t.sym, q.sym);
  return mark({
    symbols: codes.symbols,
    trades: { ts: t.ts, sym: codes.a, price: t.price, size: t.size, side: t.side ?? new Int8Array(t.ts.length), seq: rowNumbers(t.ts.length) },
    quotes: { ts: q.ts, sym: codes.b, bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize, seq: rowNumbers(q.ts.length) },
  });
}

const KINDS: Record<string, (v: unknown) => boolean> = {
  ts: (v) => v instanceof BigInt64Array,
  sym: (v) => Array.isArray(v) || (typeof v === "object" && v !== null && ArrayBuffer.isView((v as { codes?: unknown }).codes) && Array.isArray((v as { dictionary?: unknown }).dictionary)),
  price: (v) => v instanceof Float64Array,
  bid: (v) => v instanceof Float64Array,
  ask: (v) => v instanceof Float64Array,
  size: (v) => v instanceof Int32Array || v instanceof Float64Array,
  bidSize: (v) => v instanceof Int32Array || v instanceof Float64Array,
  askSize: (v) => v instanceof Int32Array || v instanceof Float64Array,
};

/** Checks the column types and lengths of a batch and that its ts is sorted (RangeError naming the row). */
function need(where: string, name: string, b: unknown, cols: readonly string[]): unknown {
  if (typeof b !== "object" || b === null) throw new TypeError(`${where}: ${name} must be an object of columns, got ${describeValue(b)}`);
  const o = b as Record<string, unknown>;
  for (const c of cols) if (!(KINDS[c] as (v: unknown) => boolean)(o[c])) throw new TypeError(`${where}: ${name}.${c} must be a column of the ${name === "trades" ? "TradeBatch" : "QuoteBatch"} type, got ${describeValue(o[c])}`);
  if (name === "trades" && o.side !== undefined && !(o.side instanceof Int8Array)) throw new TypeError(`${where}: trades.side must be an Int8Array, got ${describeValue(o.side)}`);
  const ts = o.ts as BigInt64Array;
  for (const c of cols) {
    const v = o[c] as { length: number; codes?: { length: number } };
    const len = c === "sym" && !Array.isArray(v) ? (v.codes as { length: number }).length : v.length;
    if (len !== ts.length) throw new RangeError(`${where}: ${name}.${c} has ${len} rows but ${name}.ts has ${ts.length}`);
  }
  const bad = firstDisorder(ts);
  if (bad >= 0) throw new RangeError(`${where}: ${name}.ts must be sorted (as merge_asof requires), but row ${bad} (${ts[bad]}) is before row ${bad - 1} (${ts[bad - 1]})`);
  return b;
}

/**
 * Reads the store's trades and quotes (optionally filtered: quotes before `start` are kept, they still
 * prevail at the first trades) into memory once. The raw tables are read in storage order — ticks
 * usually arrive in time order, and DuckDB keeps insertion order without an ORDER BY — and checked in
 * one pass; DuckDB sorts them when the check fails. A Parquet store is read through its views, sorted.
 */
export async function loadTickColumns(store: TickStore, filter?: TickFilter): Promise<TickColumns> {
  const where = "loadTickColumns";
  const o = checkKeys(where, filter, FILTER_KEYS);
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") };
  const dict = store.symbolDictionary();
  const tp: (string | bigint)[] = [];
  const qp: (string | bigint)[] = [];
  const tc = filterSql(where, "t", f, tp, dict);
  const qc = filterSql(where, "q", { symbols: f.symbols, end: f.end }, qp, dict);
  const [trades, quotes, sym, seq] = dict ? ["trades_raw", "quotes_raw", "sid::INTEGER", "rowid"] : ["trades", "quotes", "sym", "seq"];
  const t = await timeOrdered(store, `SELECT ts, ${sym} AS sym, price, size, side, ${seq} AS seq FROM ${trades} t WHERE ${tc}`, tp, seq, dict !== undefined);
  const q = await timeOrdered(store, `SELECT ts, ${sym} AS sym, bid, ask, bid_size, ask_size, ${seq} AS seq FROM ${quotes} q WHERE ${qc}`, qp, seq, dict !== undefined);
  const col = <T>(tb: Table, name: string, empty: () => T): T => (tb.getChild(name)?.toArray() as T | undefined) ?? empty();
  const i64 = () => new BigInt64Array(0);
  const f64 = () => new Float64Array(0);
  const i32 = () => new Int32Array(0);
  let symbols: readonly string[];
  let tsym: Int32Array;
  let qsym: Int32Array;
  if (dict) {
    symbols = dict;
    tsym = col(t, "sym", i32);
    qsym = col(q, "sym", i32);
  } else {
    const c = sharedCodes(col<string[]>(t, "sym", () => []), col<string[]>(q, "sym", () => []));
    [symbols, tsym, qsym] = [c.symbols, c.a, c.b];
  }
  return mark({
    symbols,
    trades: { ts: col(t, "ts", i64), sym: tsym, price: col(t, "price", f64), size: col(t, "size", i32), side: col(t, "side", () => new Int8Array(0)), seq: col(t, "seq", i64) },
    quotes: { ts: col(q, "ts", i64), sym: qsym, bid: col(q, "bid", f64), ask: col(q, "ask", f64), bidSize: col(q, "bid_size", i32), askSize: col(q, "ask_size", i32), seq: col(q, "seq", i64) },
  });
}

/**
 * The rows of `sql` in (ts, seq) order: the raw tables in storage order when that is time order (one
 * check: ts never falls, seq always rises), else sorted by DuckDB; the views are always sorted.
 */
async function timeOrdered(store: TickStore, sql: string, params: (string | bigint)[], seq: string, raw: boolean): Promise<Table> {
  if (raw) {
    const t = await store.query(sql, params);
    const ts = t.getChild("ts")?.toArray() as BigInt64Array | undefined;
    const s = t.getChild("seq")?.toArray() as BigInt64Array | undefined;
    if (ts !== undefined && s !== undefined && firstDisorder(ts) < 0 && rising(s)) return t;
  }
  return store.query(`${sql} ORDER BY ts, ${seq}`, params);
}

/** True when seq strictly rises (row ids: non-negative, compared on 32-bit halves). */
function rising(seq: BigInt64Array): boolean {
  const hi = new Int32Array(seq.buffer, seq.byteOffset, seq.length * 2);
  const lo = new Uint32Array(seq.buffer, seq.byteOffset, seq.length * 2);
  for (let i = 1, n = seq.length; i < n; i++) {
    const h0 = hi[2 * i - 1] as number, h1 = hi[2 * i + 1] as number;
    if (h1 < h0 || (h1 === h0 && (lo[2 * i] as number) <= (lo[2 * i - 2] as number))) return false;
  }
  return true;
}
