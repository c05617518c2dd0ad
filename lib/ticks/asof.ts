/**
 * As-of join of trades to the prevailing quote: for each trade, the latest quote of the same symbol at
 * or before the trade's timestamp (pandas `merge_asof(trades, quotes, on="ts", by="sym")` semantics —
 * direction "backward", `tolerance`, `allow_exact_matches` — kdb+'s `aj`). A trade with no quote before
 * it, or whose quote is older than `tolerance`, keeps NULL/NaN quote fields. Among quotes of one
 * timestamp the last to arrive (highest `seq`) prevails.
 *
 * The join runs on typed-array columns in memory (`TickColumns`: both tables time-ordered, symbol codes
 * in one dictionary): one pass over trades and quotes together, remembering the last quote seen per
 * symbol (pandas' `asof_join_backward_on_X_by_Y` does the same), gathering the picked quote's columns
 * — no object per row. The pass is native/linalg/asof.cc when the addon is built (same numbers, bit
 * for bit; why native: its header), else {@link asofRows} + a gather here (no BigInt arithmetic:
 * timestamps compared as 32-bit halves). Given a store, it reads the columns once (`loadTickColumns`)
 * and joins them; give it the columns to join the same ticks again without reading the store.
 */
import { type Data, Dictionary, Int32, makeData, makeVector, Table, TimestampNanosecond, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { checkKeys, describeValue } from "../data/index.js";
import { type AsofJoinKernel, nativeAsofJoin, outputBuffer } from "../stats/index.js";
import { isTickColumns, loadTickColumns, type QuoteColumns, type TickColumns, type TradeColumns } from "./columns.js";
import { FILTER_KEYS, type TickFilter } from "./filters.js";
import { TickStore } from "./store.js";
import { parseSpan } from "./time.js";

/** Options of {@link asofJoin}. */
export interface AsofJoinOptions extends TickFilter {
  /** Oldest quote still used, as a span ("2s", "500ms", ns) (default: any age). */
  tolerance?: string | number | bigint;
  /** Match a quote with the trade's exact timestamp (default true, as pandas' allow_exact_matches). */
  allowExactMatches?: boolean;
}

/**
 * Trades with their prevailing quote, in arrival order (ts, seq): columns ts, sym, price, size, side, seq,
 * quote_ts, bid, ask, bid_size, ask_size, mid, spread, and `sign` (+1 above the mid, −1 below,
 * 0 at the mid or without a quote: the quote rule of Lee & Ready, 1991). `source` is a store (read once,
 * filtered by `symbols`/`start`/`end`) or columns from `loadTickColumns`/`tickColumns` (the filter
 * options are for stores only).
 */
export async function asofJoin(source: TickStore | TickColumns, options?: AsofJoinOptions): Promise<Table> {
  const where = "asofJoin";
  const o = checkKeys(where, options, [...FILTER_KEYS, "tolerance", "allowExactMatches"]);
  const exact = o.get("allowExactMatches") ?? true;
  if (typeof exact !== "boolean") throw new TypeError(`${where}: allowExactMatches must be true or false, got ${describeValue(exact)}`);
  const tol = o.get("tolerance") === undefined ? Infinity : Number(parseSpan(where, "tolerance", o.get("tolerance")));
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") } as TickFilter;
  if (isTickColumns(source)) {
    if (f.symbols !== undefined || f.start !== undefined || f.end !== undefined) throw new TypeError(`${where}: symbols, start and end filter a store; columns in memory are joined whole (select them before)`);
    return joinColumns(source, exact, tol);
  }
  if (!(source instanceof TickStore)) throw new TypeError(`${where}: source must be a TickStore or TickColumns (loadTickColumns / tickColumns), got ${describeValue(source)}`);
  return joinColumns(await loadTickColumns(source, f), exact, tol);
}

/** ts as (high, low) 32-bit halves, for exact comparisons without BigInt arithmetic. */
function halves(ts: BigInt64Array): { hi: Int32Array; lo: Uint32Array } {
  return { hi: new Int32Array(ts.buffer, ts.byteOffset, ts.length * 2), lo: new Uint32Array(ts.buffer, ts.byteOffset, ts.length * 2) };
}

/**
 * For each trade, the row of its prevailing quote or −1: quotes at or before the trade (strictly before
 * without exact matches) are passed in time order, each remembered as its symbol's last; a quote older
 * than `tol` ns does not count.
 */
export function asofRows(trades: Pick<TradeColumns, "ts" | "sym">, quotes: Pick<QuoteColumns, "ts" | "sym">, nSymbols: number, exact: boolean, tol: number): Int32Array {
  const t = halves(trades.ts);
  const q = halves(quotes.ts);
  const thi = t.hi, tlo = t.lo, qhi = q.hi, qlo = q.lo;
  const tsym = trades.sym;
  const qsym = quotes.sym;
  const n = trades.ts.length;
  const m = quotes.ts.length;
  const last = new Int32Array(nSymbols).fill(-1);
  const pick = new Int32Array(n);
  const limited = tol !== Infinity;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const hi = thi[2 * i + 1] as number;
    const lo = tlo[2 * i] as number;
    for (; k < m; k++) {
      const qh = qhi[2 * k + 1] as number;
      if (qh > hi) break;
      if (qh === hi) {
        const ql = qlo[2 * k] as number;
        if (exact ? ql > lo : ql >= lo) break;
      }
      last[qsym[k] as number] = k;
    }
    const j = last[tsym[i] as number] as number;
    pick[i] = j >= 0 && limited && (hi - (qhi[2 * j + 1] as number)) * 4294967296 + (lo - (qlo[2 * j] as number)) > tol ? -1 : j;
  }
  return pick;
}

const kernel: { f?: AsofJoinKernel | null } = {};

/**
 * The join of columns in memory: the native pass when built (`native` undefined), else — or with
 * `native: null`, which tests use to compare the two — asofRows and gather here.
 */
export function joinColumns(c: TickColumns, exact: boolean, tol: number, native: AsofJoinKernel | null = (kernel.f ??= nativeAsofJoin())): Table {
  checkLengths(c);
  const t = c.trades, q = c.quotes;
  const sym = symbolVector(t.sym, c.symbols);
  if (native === null) {
    const pick = asofRows(t, q, c.symbols.length, exact, tol);
    return assemble(t, gather(t, q, pick), pick, sym);
  }
  const n = t.ts.length;
  // every value is written by the kernel: one buffer (huge pages when the addon can), no zero-filling
  const mem = outputBuffer(61 * n);
  const out = new Float64Array(mem, 0, 6 * n);
  const quoteTs = new BigInt64Array(mem, 48 * n, n);
  const pick = new Int32Array(mem, 56 * n, n);
  const sign = new Int8Array(mem, 60 * n, n);
  const missing = native(t.ts, t.sym, t.price, q.ts, q.sym, q.bid, q.ask, q.bidSize, q.askSize, c.symbols.length, exact, tol, pick, quoteTs, out, sign);
  const col = (k: number) => out.subarray(k * n, (k + 1) * n);
  return assemble(t, { bid: col(0), ask: col(1), bidSize: col(2), askSize: col(3), mid: col(4), spread: col(5), sign, quoteTs, missing: missing > 0 }, pick, sym);
}

/**
 * Every column of each table still holds its table's rows (a buffer transferred away after the
 * columns were made reads as empty): RangeError naming the column otherwise.
 */
function checkLengths(c: TickColumns): void {
  for (const [name, cols] of [["trades", c.trades], ["quotes", c.quotes]] as const) {
    const n = cols.ts.length;
    for (const [k, v] of Object.entries(cols)) {
      if ((v as ArrayLike<unknown>).length !== n) throw new RangeError(`asofJoin: ${name}.${k} has ${(v as ArrayLike<unknown>).length} rows but ${name}.ts has ${n} (was a buffer transferred or detached?)`);
    }
  }
}

/** Codes into `dict` as a dictionary-encoded string vector. */
function symbolVector(codes: Int32Array, dict: readonly string[]): Vector {
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: codes.length, data: codes, dictionary: vectorFromArray([...dict], new Utf8()) } as never) as Data);
}

const timestamps = (data: BigInt64Array): Vector => makeVector(makeData({ type: new TimestampNanosecond(), length: data.length, data } as never) as Data);

/** Columns gathered for the output table. */
interface Gathered {
  bid: Float64Array;
  ask: Float64Array;
  bidSize: Float64Array;
  askSize: Float64Array;
  mid: Float64Array;
  spread: Float64Array;
  sign: Int8Array;
  quoteTs: BigInt64Array;
  missing: boolean;
}

/**
 * The picked quotes' columns for each trade (NaN without one), mid, spread and the quote-rule sign — a
 * loop of its own (so the optimised loop is not thrown away by the table-building code after it).
 */
function gather(t: TradeColumns, q: QuoteColumns, pick: Int32Array): Gathered {
  const n = pick.length;
  const qb = q.bid, qa = q.ask, price = t.price;
  const qbs: ArrayLike<number> = q.bidSize, qas: ArrayLike<number> = q.askSize;
  const bid = new Float64Array(n), ask = new Float64Array(n), bidSize = new Float64Array(n), askSize = new Float64Array(n);
  const mid = new Float64Array(n), spread = new Float64Array(n), sign = new Int8Array(n);
  const quoteTs = new BigInt64Array(n);
  const qw = new Int32Array(q.ts.buffer, q.ts.byteOffset, q.ts.length * 2), tw = new Int32Array(quoteTs.buffer, quoteTs.byteOffset, 2 * n); // copied as 32-bit halves (no BigInt per row)
  let missing = false;
  for (let i = 0; i < n; i++) {
    const j = pick[i] as number;
    if (j < 0) {
      missing = true;
      bid[i] = ask[i] = bidSize[i] = askSize[i] = mid[i] = spread[i] = Number.NaN;
      continue;
    }
    const b = qb[j] as number, a = qa[j] as number, m = (b + a) / 2, p = price[i] as number;
    bid[i] = b;
    ask[i] = a;
    bidSize[i] = qbs[j] as number;
    askSize[i] = qas[j] as number;
    mid[i] = m;
    spread[i] = a - b;
    sign[i] = p > m ? 1 : p < m ? -1 : 0;
    tw[2 * i] = qw[2 * j] as number;
    tw[2 * i + 1] = qw[2 * j + 1] as number;
  }
  return { bid, ask, bidSize, askSize, mid, spread, sign, quoteTs, missing };
}

/** The output table: the trades' columns as they are, the picked quotes' columns gathered, mid, spread and sign. */
function assemble(t: TradeColumns, g: Gathered, pick: Int32Array, sym: Vector): Table {
  const f64 = (a: Float64Array) => makeVector(a);
  return new Table({
    ts: timestamps(t.ts), sym, price: makeVector(t.price), size: makeVector(t.size), side: makeVector(t.side), seq: makeVector(t.seq),
    quote_ts: g.missing ? f64(quoteTimesOrNaN(g.quoteTs, pick)) : timestamps(g.quoteTs),
    bid: f64(g.bid), ask: f64(g.ask), bid_size: f64(g.bidSize), ask_size: f64(g.askSize), mid: f64(g.mid), spread: f64(g.spread), sign: makeVector(g.sign),
  });
}

/** Quote times as float64 ns (NaN without a quote): high half × 2^32 + low half rounds once, as Number(bigint) does. */
function quoteTimesOrNaN(quoteTs: BigInt64Array, pick: Int32Array): Float64Array {
  const hi = new Int32Array(quoteTs.buffer, quoteTs.byteOffset, 2 * quoteTs.length); // (a view into the join's one output buffer)
  const lo = new Uint32Array(quoteTs.buffer, quoteTs.byteOffset, 2 * quoteTs.length);
  const out = new Float64Array(pick.length);
  for (let i = 0; i < pick.length; i++) out[i] = (pick[i] as number) < 0 ? Number.NaN : (hi[2 * i + 1] as number) * 4294967296 + (lo[2 * i] as number);
  return out;
}
