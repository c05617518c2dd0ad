/**
 * The store's trades and quotes in the column layout of the q bridge's kdb+tick schema (bridges/q:
 * `trade:([] time; sym; price; size; side)`, `quote:([] time; sym; bid; ask; bsize; asize)`), so
 * `loadTicks(qSession, …)` of statarb/bridges loads the same tables into q. lib/ never imports the
 * bridges; the shapes match theirs structurally (`TradeColumns`, `QuoteColumns`).
 */
import type { Table } from "apache-arrow";
import { checkKeys } from "../data/index.js";
import { FILTER_KEYS, filterSql, type TickFilter } from "./filters.js";
import type { TickStore } from "./store.js";

/** Trades as the q bridge takes them: `side` one char per trade ("B", "S", or " " unknown). */
export interface QTradeColumns {
  time: BigInt64Array;
  sym: string[];
  price: Float64Array;
  size: BigInt64Array;
  side: string;
}

/** Quotes as the q bridge takes them. */
export interface QQuoteColumns {
  time: BigInt64Array;
  sym: string[];
  bid: Float64Array;
  ask: Float64Array;
  bsize: BigInt64Array;
  asize: BigInt64Array;
}

const col = <T>(t: Table, name: string): T => t.getChild(name)?.toArray() as T;

/** The store's ticks (optionally filtered) as q bridge columns, each table in arrival order by time. */
export async function qTickColumns(store: TickStore, filter?: TickFilter): Promise<{ trades: QTradeColumns; quotes: QQuoteColumns }> {
  const o = checkKeys("qTickColumns", filter, FILTER_KEYS);
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") };
  const tp: (string | bigint)[] = [];
  const qp: (string | bigint)[] = [];
  const t = await store.query(`SELECT ts, sym, price, size::BIGINT AS size, side FROM trades t WHERE ${filterSql("qTickColumns", "t", f, tp)} ORDER BY ts, seq`, tp);
  const q = await store.query(`SELECT ts, sym, bid, ask, bid_size::BIGINT AS bsize, ask_size::BIGINT AS asize FROM quotes q WHERE ${filterSql("qTickColumns", "q", f, qp)} ORDER BY ts, seq`, qp);
  const side = col<Int8Array>(t, "side");
  return {
    trades: { time: col(t, "ts"), sym: [...col<string[]>(t, "sym")], price: col(t, "price"), size: col(t, "size"), side: Array.from(side ?? [], (s) => (s > 0 ? "B" : s < 0 ? "S" : " ")).join("") },
    quotes: { time: col(q, "ts"), sym: [...col<string[]>(q, "sym")], bid: col(q, "bid"), ask: col(q, "ask"), bsize: col(q, "bsize"), asize: col(q, "asize") },
  };
}
