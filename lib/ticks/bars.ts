/**
 * Bars at any interval from the store: per symbol and bucket [start, start + interval) (buckets aligned
 * to 1970-01-01 UTC, as pandas' `resample(origin="epoch")`): open/high/low/close of trade prices (ties
 * of one timestamp broken by arrival order),
 * volume, VWAP = Σ price·size / Σ size, trade count; and from the quotes in the same bucket the
 * event-weighted mean, min and max of the spread (ask − bid), the mean relative spread in basis points
 * of the mid, the last mid, and the quote count. A bucket appears when it has a trade or a quote.
 */
import { type Table } from "apache-arrow";
import { checkKeys, Panel } from "../data/index.js";
import { FILTER_KEYS, filterSql, type TickFilter } from "./filters.js";
import type { TickStore } from "./store.js";
import { parseSpan } from "./time.js";

/** Options of {@link bars}. */
export interface BarOptions extends TickFilter {
  /** Bar length: "1s", "5min", "1h", "1d", or nanoseconds (required). */
  interval: string | number | bigint;
}

/** Bars as an Arrow Table: ts (bucket start), sym, open, high, low, close, volume, vwap, trades, spread_mean, spread_min, spread_max, spread_bps, mid_close, quotes. */
export async function bars(store: TickStore, options: BarOptions): Promise<Table> {
  const where = "bars";
  const o = checkKeys(where, options, [...FILTER_KEYS, "interval"]);
  if (o.get("interval") === undefined) throw new TypeError(`${where}: interval is required, e.g. { interval: "1min" }`);
  const step = parseSpan(where, "interval", o.get("interval"));
  const params: (string | bigint)[] = [step];
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") };
  const tc = filterSql(where, "t", f, params);
  const qc = filterSql(where, "q", f, params);
  const bucket = (a: string) => `(epoch_ns(${a}.ts) // $1::BIGINT) * $1::BIGINT`;
  const sql = `
    WITH tb AS (
      SELECT ${bucket("t")} AS b, t.sym,
             arg_min(t.price, {'t': t.ts, 's': t.seq}) AS open, max(t.price) AS high, min(t.price) AS low, arg_max(t.price, {'t': t.ts, 's': t.seq}) AS close,
             sum(t.size)::DOUBLE AS volume, sum(t.price * t.size) / nullif(sum(t.size), 0) AS vwap, count(*)::INTEGER AS trades
      FROM trades t WHERE ${tc} GROUP BY ALL
    ), qb AS (
      SELECT ${bucket("q")} AS b, q.sym,
             avg(q.ask - q.bid) AS spread_mean, min(q.ask - q.bid) AS spread_min, max(q.ask - q.bid) AS spread_max,
             avg(1e4 * (q.ask - q.bid) / ((q.ask + q.bid) / 2)) AS spread_bps, arg_max((q.ask + q.bid) / 2, {'t': q.ts, 's': q.seq}) AS mid_close,
             count(*)::INTEGER AS quotes
      FROM quotes q WHERE ${qc} AND isfinite(q.bid) AND isfinite(q.ask) GROUP BY ALL
    )
    SELECT make_timestamp_ns(coalesce(tb.b, qb.b)) AS ts, coalesce(tb.sym, qb.sym) AS sym,
           open, high, low, close, coalesce(volume, 0) AS volume, vwap, coalesce(trades, 0)::INTEGER AS trades,
           spread_mean, spread_min, spread_max, spread_bps, mid_close, coalesce(quotes, 0)::INTEGER AS quotes
    FROM tb FULL OUTER JOIN qb ON tb.b = qb.b AND tb.sym = qb.sym
    ORDER BY ts, sym`;
  return store.query(sql, params);
}

const DAY_NS = 86_400_000_000_000n;

/**
 * One field of daily bars (interval "1d") as a Panel: dates × symbols, NaN where a symbol has no bar.
 * Panels hold trading days, so intraday bars stay Arrow tables (their `ts` is nanoseconds).
 */
export function barsToPanel(table: Table, field: string): Panel {
  const ts = table.getChild("ts")?.toArray() as BigInt64Array | undefined;
  const sym = table.getChild("sym")?.toArray() as string[] | undefined;
  const col = table.getChild(field);
  if (!ts || !sym) throw new TypeError("barsToPanel: table must have the ts and sym columns of bars()");
  if (!col) throw new RangeError(`barsToPanel: no column ${JSON.stringify(field)}; columns: ${table.schema.fields.map((x) => x.name).join(", ")}`);
  const values = Float64Array.from(col.toArray() as ArrayLike<number>, Number);
  const days = new Set<number>();
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] as bigint;
    if (t % DAY_NS !== 0n) throw new RangeError(`barsToPanel: bar ${i} starts at ${t} ns, not at midnight UTC: Panels hold days, so pass bars of interval "1d" (intraday bars stay Arrow tables)`);
    days.add(Number(t / DAY_NS));
  }
  const dates = Int32Array.from([...days].sort((a, b) => a - b));
  const assets = [...new Set(sym)].sort();
  const row = new Map<number, number>(Array.from(dates, (d, i) => [d, i]));
  const cols = assets.map(() => new Float64Array(dates.length).fill(Number.NaN));
  const colOf = new Map(assets.map((a, j) => [a, j]));
  for (let i = 0; i < ts.length; i++) {
    (cols[colOf.get(sym[i] as string) as number] as Float64Array)[row.get(Number((ts[i] as bigint) / DAY_NS)) as number] = values[i] as number;
  }
  return new Panel(dates, assets, cols);
}
