/**
 * As-of join of trades to the prevailing quote: for each trade, the latest quote of the same symbol at
 * or before the trade's timestamp (pandas `merge_asof(trades, quotes, on="time", by="ticker")`
 * semantics, kdb+'s `aj`), computed by DuckDB's ASOF JOIN. A trade with no quote before it, or whose
 * quote is older than `tolerance`, keeps NULL/NaN quote fields. Among quotes of one timestamp the last to
 * arrive (highest `seq`) prevails.
 */
import { type Data, Dictionary, Int32, makeData, makeVector, Table, TimestampNanosecond, Utf8, vectorFromArray, type Vector } from "apache-arrow";
import { checkKeys, describeValue } from "../data/index.js";
import { FILTER_KEYS, filterSql, type TickFilter } from "./filters.js";
import type { TickStore } from "./store.js";
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
 * 0 at the mid or without a quote: the quote rule of Lee & Ready, 1991). DuckDB selects and orders the
 * two tables; the join itself is one linear merge over them (both are in time order), as pandas'
 * merge_asof does, rather than DuckDB's sort-based ASOF JOIN.
 */
export async function asofJoin(store: TickStore, options?: AsofJoinOptions): Promise<Table> {
  const where = "asofJoin";
  const o = checkKeys(where, options, [...FILTER_KEYS, "tolerance", "allowExactMatches"]);
  const exact = o.get("allowExactMatches") ?? true;
  if (typeof exact !== "boolean") throw new TypeError(`${where}: allowExactMatches must be true or false, got ${describeValue(exact)}`);
  const tol = o.get("tolerance") === undefined ? Infinity : Number(parseSpan(where, "tolerance", o.get("tolerance")));
  const tp: (string | bigint)[] = [];
  const qp: (string | bigint)[] = [];
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") };
  const dict = store.symbolDictionary();
  const tc = filterSql(where, "t", f, tp, dict);
  const qc = filterSql(where, "q", { symbols: f.symbols, end: f.end }, qp, dict); // quotes before start still prevail
  // the raw tables (integer symbol codes) when the store has them, else the views
  const [trades, quotes, sym, seq] = dict ? ["trades_raw", "quotes_raw", "sid", "rowid"] : ["trades", "quotes", "sym", "seq"];
  const t = await store.query(`SELECT ts, ${sym} AS sym, price, size, side, ${seq} AS seq FROM ${trades} t WHERE ${tc} ORDER BY ts, ${seq}`, tp);
  const q = await store.query(`SELECT ts, ${sym} AS sym, bid, ask, bid_size, ask_size FROM ${quotes} q WHERE ${qc} ORDER BY ts, ${seq}`, qp);
  return joinColumns(t, q, exact, tol, dict);
}

/** Symbol codes of a (dictionary-encoded) string column in a shared code space. */
function codes(v: Vector | null, space: Map<string, number>, raw: boolean): Int32Array {
  const n = v?.length ?? 0;
  if (raw) return Int32Array.from(v?.toArray() as Uint32Array);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = v?.get(i) as string;
    let k = space.get(s);
    if (k === undefined) space.set(s, (k = space.size));
    out[i] = k;
  }
  return out;
}

/** ts as (high, low) 32-bit halves, for exact comparisons without BigInt arithmetic. */
function halves(ts: BigInt64Array): { hi: Int32Array; lo: Uint32Array } {
  return { hi: new Int32Array(ts.buffer, ts.byteOffset, ts.length * 2), lo: new Uint32Array(ts.buffer, ts.byteOffset, ts.length * 2) };
}

function joinColumns(t: Table, q: Table, exact: boolean, tol: number, dict: readonly string[] | undefined): Table {
  const space = new Map<string, number>();
  if (dict) dict.forEach((s, i) => space.set(s, i));
  const ts = t.getChild("ts")?.toArray() as BigInt64Array;
  const qts = (q.getChild("ts")?.toArray() as BigInt64Array | undefined) ?? new BigInt64Array(0);
  const ts2 = halves(ts);
  const qs2 = halves(qts);
  const tsym = codes(t.getChild("sym"), space, dict !== undefined);
  const qsym = codes(q.getChild("sym"), space, dict !== undefined);
  const n = ts.length;
  const m = qts.length;
  const last = new Int32Array(space.size).fill(-1);
  const pick = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const hi = ts2.hi[2 * i + 1] as number;
    const lo = ts2.lo[2 * i] as number;
    for (; k < m; k++) {
      const qh = qs2.hi[2 * k + 1] as number;
      const ql = qs2.lo[2 * k] as number;
      const before = qh < hi || (qh === hi && (exact ? ql <= lo : ql < lo));
      if (!before) break;
      last[qsym[k] as number] = k;
    }
    const j = last[tsym[i] as number] as number;
    pick[i] = j >= 0 && ((hi - (qs2.hi[2 * j + 1] as number)) * 4294967296 + (lo - (qs2.lo[2 * j] as number))) <= tol ? j : -1;
  }
  return assemble(t, q, pick, dict ? symbolVector(tsym, dict) : (t.getChild("sym") as Vector));
}

/** Codes into `dict` as a dictionary-encoded string vector. */
function symbolVector(codes: Int32Array, dict: readonly string[]): Vector {
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: codes.length, data: codes, dictionary: vectorFromArray([...dict], new Utf8()) } as never) as Data);
}

function assemble(t: Table, q: Table, pick: Int32Array, sym: Vector): Table {
  const n = pick.length;
  const col = (tb: Table, name: string) => (tb.getChild(name)?.toArray() as ArrayLike<number | bigint> | undefined) ?? [];
  const take = (name: string) => {
    const src = col(q, name);
    return Float64Array.from(pick, (j) => (j < 0 ? Number.NaN : Number(src[j])));
  };
  const bid = take("bid");
  const ask = take("ask");
  const qts = col(q, "ts") as BigInt64Array;
  const price = col(t, "price") as Float64Array;
  const missing = pick.some((j) => j < 0);
  const quoteTs = missing ? Float64Array.from(pick, (j) => (j < 0 ? Number.NaN : Number(qts[j]))) : BigInt64Array.from(pick, (j) => qts[j] as bigint);
  const mid = bid.map((b, i) => (b + (ask[i] as number)) / 2);
  const sign = Int8Array.from(mid, (x, i) => ((price[i] as number) > x ? 1 : (price[i] as number) < x ? -1 : 0));
  const f64 = (a: Float64Array) => makeVector(a);
  return new Table({
    ts: t.getChild("ts") as Vector, sym, price: t.getChild("price") as Vector, size: t.getChild("size") as Vector,
    side: t.getChild("side") as Vector, seq: t.getChild("seq") as Vector,
    quote_ts: quoteTs instanceof BigInt64Array ? makeVector(makeData({ type: new TimestampNanosecond(), length: n, data: quoteTs } as never) as Data) : f64(quoteTs),
    bid: f64(bid), ask: f64(ask), bid_size: f64(take("bid_size")), ask_size: f64(take("ask_size")),
    mid: f64(mid), spread: f64(ask.map((a, i) => a - (bid[i] as number))), sign: makeVector(sign),
  });
}
