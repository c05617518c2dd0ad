/**
 * As-of join of trades to the prevailing quote: for each trade, the latest quote of the same symbol at
 * or before the trade's timestamp (pandas `merge_asof(trades, quotes, on="time", by="ticker")`
 * semantics, kdb+'s `aj`), computed by DuckDB's ASOF JOIN. A trade with no quote before it, or whose
 * quote is older than `tolerance`, keeps NULL/NaN quote fields. Among quotes of one timestamp the last to
 * arrive (highest `seq`) prevails.
 */
import type { Table } from "apache-arrow";
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
 * 0 at the mid or without a quote: the quote rule of Lee & Ready, 1991).
 */
export async function asofJoin(store: TickStore, options?: AsofJoinOptions): Promise<Table> {
  const where = "asofJoin";
  const o = checkKeys(where, options, [...FILTER_KEYS, "tolerance", "allowExactMatches"]);
  const exact = o.get("allowExactMatches") ?? true;
  if (typeof exact !== "boolean") throw new TypeError(`${where}: allowExactMatches must be true or false, got ${describeValue(exact)}`);
  const tol = o.get("tolerance") === undefined ? undefined : parseSpan(where, "tolerance", o.get("tolerance"));
  const params: (string | bigint)[] = [];
  const cond = filterSql(where, "t", { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") }, params);
  let fresh = "TRUE";
  if (tol !== undefined) {
    params.push(tol);
    fresh = `epoch_ns(ts) - epoch_ns(q_ts) <= $${params.length}::BIGINT`;
  }
  const sql = `
    WITH j AS (
      SELECT t.ts, t.sym, t.price, t.size, t.side, t.seq, q0.ts AS q_ts, q0.bid AS q_bid, q0.ask AS q_ask, q0.bid_size AS q_bs, q0.ask_size AS q_as
      FROM (SELECT * FROM trades t WHERE ${cond}) t
      ASOF LEFT JOIN (
        SELECT sym, ts, arg_max(bid, seq) AS bid, arg_max(ask, seq) AS ask, arg_max(bid_size, seq) AS bid_size, arg_max(ask_size, seq) AS ask_size
        FROM quotes GROUP BY sym, ts
      ) q0 ON t.sym = q0.sym AND t.ts ${exact ? ">=" : ">"} q0.ts
    ), k AS (
      SELECT ts, sym, price, size, side, seq,
             CASE WHEN ${fresh} THEN q_ts END AS quote_ts,
             CASE WHEN ${fresh} THEN q_bid END AS bid,
             CASE WHEN ${fresh} THEN q_ask END AS ask,
             CASE WHEN ${fresh} THEN q_bs END AS bid_size,
             CASE WHEN ${fresh} THEN q_as END AS ask_size
      FROM j
    )
    SELECT *, (bid + ask) / 2 AS mid, ask - bid AS spread,
           CAST(CASE WHEN price > (bid + ask) / 2 THEN 1 WHEN price < (bid + ask) / 2 THEN -1 ELSE 0 END AS TINYINT) AS sign
    FROM k ORDER BY ts, seq`;
  return store.query(sql, params);
}
