/**
 * Trades and quotes held in memory as typed-array columns (`TickColumns`), time-ordered, with symbol
 * codes in one dictionary shared by both tables: what the as-of join works on. `loadTickColumns` reads
 * them from a store once (DuckDB's vectors copied column by column, no row objects), so several joins
 * (other tolerances, other options) reuse one read; `tickColumns` takes the batches a feed handler or
 * the simulated market already has (the same shapes `ingestTrades`/`ingestQuotes` take).
 */
import type { Table } from "apache-arrow";
import { checkKeys, describeValue } from "../data/index.js";
import { readNotNullColumns } from "./duck.js";
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
 * must be sorted by ts (as pandas' merge_asof requires); equal timestamps keep their order. Prices
 * follow the store's rules (a trade's price finite and > 0; a quote's bid and ask finite, or NaN for
 * a missing side, never both): a join over a NaN price would be a result computed over NaN.
 */
export function tickColumns(trades: TradeBatch, quotes: QuoteBatch): TickColumns {
  const where = "tickColumns";
  const t = need(where, "trades", trades, ["ts", "sym", "price", "size", "side"]) as unknown as TradeBatch;
  const q = need(where, "quotes", quotes, ["ts", "sym", "bid", "ask", "bidSize", "askSize"]) as unknown as QuoteBatch;
  checkPrices(where, t.price, q.bid, q.ask);
  const codes = sharedCodes(t.sym, q.sym);
  return mark({
    symbols: codes.symbols,
    trades: { ts: t.ts, sym: codes.a, price: t.price, size: t.size, side: t.side ?? new Int8Array(t.ts.length), seq: rowNumbers(t.ts.length) },
    quotes: { ts: q.ts, sym: codes.b, bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize, seq: rowNumbers(q.ts.length) },
  });
}

/** A typed array of exactly this class (a Proxy of one is not: ArrayBuffer.isView sees through it). */
const isA = (v: unknown, c: { prototype: unknown }) => ArrayBuffer.isView(v) && v instanceof (c as typeof Float64Array);

const KINDS: Record<string, (v: unknown) => boolean> = {
  ts: (v) => isA(v, BigInt64Array),
  sym: (v) => Array.isArray(v) || (typeof v === "object" && v !== null && ArrayBuffer.isView((v as { codes?: unknown }).codes) && Array.isArray((v as { dictionary?: unknown }).dictionary)),
  price: (v) => isA(v, Float64Array),
  bid: (v) => isA(v, Float64Array),
  ask: (v) => isA(v, Float64Array),
  size: (v) => isA(v, Int32Array) || isA(v, Float64Array),
  bidSize: (v) => isA(v, Int32Array) || isA(v, Float64Array),
  askSize: (v) => isA(v, Int32Array) || isA(v, Float64Array),
  side: (v) => v === undefined || isA(v, Int8Array),
};

/**
 * The columns `cols` of a batch, each property read ONCE (a getter that would answer differently later
 * is not asked again), checked for type, length and sorted ts (RangeError naming the row).
 */
function need(where: string, name: string, b: unknown, cols: readonly string[]): Record<string, unknown> {
  if (typeof b !== "object" || b === null) throw new TypeError(`${where}: ${name} must be an object of columns, got ${describeValue(b)}`);
  const o: Record<string, unknown> = {};
  for (const c of cols) o[c] = (b as Record<string, unknown>)[c];
  for (const c of cols) {
    if (!(KINDS[c] as (v: unknown) => boolean)(o[c])) {
      throw new TypeError(c === "side" ? `${where}: trades.side must be an Int8Array, got ${describeValue(o[c])}` : `${where}: ${name}.${c} must be a column of the ${name === "trades" ? "TradeBatch" : "QuoteBatch"} type, got ${describeValue(o[c])}`);
    }
  }
  const ts = o.ts as BigInt64Array;
  for (const c of cols) {
    const v = o[c] as { length: number; codes?: { length: number } } | undefined;
    if (v === undefined) continue;
    const len = c === "sym" && !Array.isArray(v) ? (v.codes as { length: number }).length : v.length;
    if (len !== ts.length) throw new RangeError(`${where}: ${name}.${c} has ${len} rows but ${name}.ts has ${ts.length}`);
  }
  const bad = firstDisorder(ts);
  if (bad >= 0) throw new RangeError(`${where}: ${name}.ts must be sorted (as merge_asof requires), but row ${bad} (${ts[bad]}) is before row ${bad - 1} (${ts[bad - 1]})`);
  return o;
}

/** The store's price rules (schema.ts' checkTradeBatch/checkQuoteBatch), naming the table and row. */
function checkPrices(where: string, price: Float64Array, bid: Float64Array, ask: Float64Array): void {
  for (let i = 0, n = price.length; i < n; i++) {
    const p = price[i] as number;
    if (!(p > 0 && p < Infinity)) throw new RangeError(`${where}: trades.price[${i}] must be a finite number > 0, got ${p}`);
  }
  for (let i = 0, n = bid.length; i < n; i++) {
    const a = bid[i] as number, c = ask[i] as number;
    if (a === Infinity || a === -Infinity || c === Infinity || c === -Infinity || (a !== a && c !== c)) {
      throw new RangeError(`${where}: quotes row ${i} must have a finite bid or ask (NaN marks a missing side), got bid ${a}, ask ${c}`);
    }
  }
}

/**
 * Reads the store's trades and quotes (optionally filtered: quotes before `start` are kept, they still
 * prevail at the first trades) into memory once. The raw tables are read in storage order — ticks
 * usually arrive in time order, and DuckDB keeps insertion order without an ORDER BY — straight into
 * typed arrays (`readNotNullColumns`), and checked in one pass (ts never falls, row ids rise); DuckDB
 * sorts them when the check fails. A Parquet store is read through its views, sorted, and its values
 * checked as `tickColumns` checks them (a Parquet file was not written through the store's checks).
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
  if (dict === undefined) return viewColumns(store, tc, tp, qc, qp);
  // sid is UINTEGER: its codes (dictionary ids, < 2^31) are read as Int32 in place
  const i32 = (u: unknown) => new Int32Array((u as Uint32Array).buffer, (u as Uint32Array).byteOffset, (u as Uint32Array).length);
  const [ts, tsid, price, size, side, tseq] = await storageOrder(store, `SELECT ts, sid, price, size, side, rowid FROM trades_raw t WHERE ${tc}`, tp);
  const [qts, qsid, bid, ask, bidSize, askSize, qseq] = await storageOrder(store, `SELECT ts, sid, bid, ask, bid_size, ask_size, rowid FROM quotes_raw q WHERE ${qc}`, qp);
  return mark({
    symbols: dict,
    trades: { ts: ts as BigInt64Array, sym: i32(tsid), price: price as Float64Array, size: size as Int32Array, side: side as Int8Array, seq: tseq as BigInt64Array },
    quotes: { ts: qts as BigInt64Array, sym: i32(qsid), bid: bid as Float64Array, ask: ask as Float64Array, bidSize: bidSize as Int32Array, askSize: askSize as Int32Array, seq: qseq as BigInt64Array },
  });
}

/**
 * The columns of `sql` (a raw table's, ts first and rowid last) in (ts, rowid) order: in storage order
 * when that is time order (checked: ts never falls, rowid always rises), else sorted by DuckDB.
 */
async function storageOrder(store: TickStore, sql: string, params: (string | bigint)[]): Promise<ReturnType<typeof readNotNullColumns>["columns"]> {
  const read = readNotNullColumns(await store.materialize(sql, params), undefined, true);
  if (read.ordered === true) return read.columns;
  return readNotNullColumns(await store.materialize(`${sql} ORDER BY ts, rowid`, params)).columns;
}

/** A Parquet store's columns through its views, sorted by DuckDB; NULLs and bad prices refused. */
async function viewColumns(store: TickStore, tc: string, tp: (string | bigint)[], qc: string, qp: (string | bigint)[]): Promise<TickColumns> {
  const where = "loadTickColumns";
  const t = await store.query(`SELECT ts, sym, price, size, side, seq FROM trades t WHERE ${tc} ORDER BY ts, seq`, tp);
  const q = await store.query(`SELECT ts, sym, bid, ask, bid_size, ask_size, seq FROM quotes q WHERE ${qc} ORDER BY ts, seq`, qp);
  const col = <T>(tb: Table, table: string, name: string, kind: { new (n: number): T } | undefined): T => {
    const v = tb.getChild(name);
    const a = (v?.toArray() ?? (kind ? new kind(0) : [])) as T;
    if ((v?.nullCount ?? 0) > 0 || (kind !== undefined && !(a instanceof kind))) throw new RangeError(`${where}: ${table}.${name} of the Parquet store has NULLs (or is not of its type); every tick needs it`);
    return a;
  };
  const sizes = (tb: Table, table: string, name: string) => (tb.getChild(name)?.toArray() instanceof Float64Array ? col(tb, table, name, Float64Array) : col(tb, table, name, Int32Array));
  const price = col(t, "trades", "price", Float64Array), bid = col(q, "quotes", "bid", Float64Array), ask = col(q, "quotes", "ask", Float64Array);
  checkPrices(where, price, bid, ask);
  const c = sharedCodes(col<string[]>(t, "trades", "sym", undefined), col<string[]>(q, "quotes", "sym", undefined));
  return mark({
    symbols: c.symbols,
    trades: { ts: col(t, "trades", "ts", BigInt64Array), sym: c.a, price, size: sizes(t, "trades", "size"), side: col(t, "trades", "side", Int8Array), seq: col(t, "trades", "seq", BigInt64Array) },
    quotes: { ts: col(q, "quotes", "ts", BigInt64Array), sym: c.b, bid, ask, bidSize: sizes(q, "quotes", "bid_size"), askSize: sizes(q, "quotes", "ask_size"), seq: col(q, "quotes", "seq", BigInt64Array) },
  });
}
