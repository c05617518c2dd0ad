/**
 * What the backtester refuses, so that no metric is ever computed over bad numbers (DESIGN.md,
 * failure behaviour: "a result computed over NaN or a bankrupt book is an error, never a metric"):
 * - prices that are not NaN (missing) and not finite and > 0, and volumes that are not NaN and not
 *   finite and ≥ 0 (`checkMarketData`, when the backtester is built); ±Infinity in scores
 *   (`checkScorePanel` when a run starts, and each prediction of an alpha model);
 * - weights from a construction function or a risk manager that are not one finite number (or NaN,
 *   "no position") per asset (`checkWeights`, on each rebalance day);
 * - a book whose equity is zero or below (`bankruptcyAt`): an error naming the date, the equity and
 *   the asset that lost most that day, unless the run's policy is `onBankruptcy: "stop"`, which ends
 *   the run at that close and flags the result.
 */
import { fromEpochDay, opt, type Panel } from "../data/index.js";
import { at, atInt, columnAt } from "./typed.js";

/** Where a run stopped bankrupt (`onBankruptcy: "stop"`). */
export interface Bankruptcy {
  /** The close (epoch day) at which equity was first ≤ 0; the result's last date. */
  readonly date: number;
  /** Equity at that close (≤ 0). */
  readonly equity: number;
  /** The asset with the largest loss that day. */
  readonly asset: string;
  /** That asset's profit and loss that day (currency, < 0). */
  readonly assetPnl: number;
}

/** Refuses prices ≤ 0 or ±Infinity and volumes < 0 or ±Infinity; NaN is the one marker for missing. */
export function checkMarketData(where: string, close: Panel, volume: Panel | undefined): void {
  const bad = firstBad(close, 0, false);
  if (bad !== undefined) {
    throw new RangeError(
      `${where}: option data has price ${bad.value} for ${bad.asset} on ${bad.date}; prices must be finite and > 0 — ` +
        "NaN is the marker of a missing price (the position is then carried at its last price): write NaN there, or drop the asset",
    );
  }
  if (volume === undefined) return;
  const badV = firstBad(volume, 0, true);
  if (badV !== undefined) {
    throw new RangeError(`${where}: option volume has ${badV.value} shares for ${badV.asset} on ${badV.date}; volumes must be finite and ≥ 0 (NaN marks a missing volume)`);
  }
}

/** Refuses ±Infinity in a scores panel (NaN marks a missing score). */
export function checkScorePanel(where: string, scores: Panel): void {
  const bad = firstBad(scores, -Infinity, false);
  if (bad !== undefined) throw new RangeError(`${where}: option scores has ${bad.value} for ${bad.asset} on ${bad.date}; scores must be finite (NaN marks a missing score)`);
}

/** The first cell (by date, then asset) that is not NaN and not in (lo, +Infinity) — [lo, +Infinity) when `closed`. */
function firstBad(panel: Panel, lo: number, closed: boolean): { value: number; asset: string; date: string } | undefined {
  let row = Infinity;
  let col = -1;
  for (let j = 0; j < panel.nAssets; j++) {
    const c = columnAt(panel.columns, j);
    const end = Math.min(c.length, row);
    for (let i = 0; i < end; i++) {
      const v = at(c, i);
      if (!(v < Infinity && (v > lo || (closed && v === lo))) && v === v) {
        row = i;
        col = j;
        break;
      }
    }
  }
  if (col < 0) return undefined;
  return { value: at(columnAt(panel.columns, col), row), asset: panel.assets[col] as string, date: fromEpochDay(atInt(panel.dates, row)) };
}

/**
 * Checks the weights `who` returned on `date`: a Float64Array of one weight per asset, each finite
 * or NaN (no position). Returns them.
 */
export function checkWeights(where: string, who: string, w: unknown, date: number, assets: readonly string[]): Float64Array {
  const n = assets.length;
  if (!(w instanceof Float64Array) || w.length !== n) {
    const len = (w as { length?: unknown } | null | undefined)?.length;
    throw new TypeError(
      `${where}: ${who} returned ${opt.describeValue(w)}${typeof len === "number" && !ArrayBuffer.isView(w) && !Array.isArray(w) ? ` of length ${len}` : ""} on ${fromEpochDay(date)}; ` +
        `it must return a Float64Array of ${n} weights, one per asset in the data's order (${preview(assets)})`,
    );
  }
  for (let j = 0; j < n; j++) {
    const v = at(w, j);
    if (v === Infinity || v === -Infinity) {
      throw new RangeError(`${where}: ${who} returned weight ${v} for ${assets[j]} on ${fromEpochDay(date)}; weights must be finite (NaN means no position)`);
    }
  }
  return w;
}

function preview(assets: readonly string[]): string {
  return assets.length <= 6 ? assets.join(", ") : `${assets.slice(0, 5).join(", ")}, … ${assets[assets.length - 1]}`;
}

/**
 * The book's equity is ≤ 0 (or NaN) at row `i` (day `k`): describes it. `held` holds the shares held
 * into the day (the close of day k − 1; undefined on the first day: none); `cash` is the cash now.
 * NaN equity is always an error (a bug upstream, never a policy).
 */
export function bankruptcyAt(close: Panel, held: Float64Array | undefined, cash: number, i: number, k: number, equity: number): Bankruptcy {
  const n = close.nAssets;
  let worst = -1;
  let worstPnl = 0;
  for (let j = 0; j < n; j++) {
    const q = k > 0 && held !== undefined ? at(held, j) : 0;
    if (q === 0) continue;
    const col = columnAt(close.columns, j);
    const pnl = q * (lastPriceUpTo(col, i) - lastPriceUpTo(col, i - 1));
    if (Number.isNaN(pnl) || Number.isNaN(equity)) {
      throw new RangeError(`runBacktest: equity is NaN on ${fromEpochDay(atInt(close.dates, i))} (position ${q} in ${close.assets[j]}); this is a bug — please report it with the data`);
    }
    if (worst < 0 || pnl < worstPnl) {
      worst = j;
      worstPnl = pnl;
    }
  }
  if (Number.isNaN(equity)) throw new RangeError(`runBacktest: equity is NaN on ${fromEpochDay(atInt(close.dates, i))} (cash ${cash}); this is a bug — please report it with the data`);
  return Object.freeze({ date: atInt(close.dates, i), equity, asset: worst < 0 ? "(none)" : (close.assets[worst] as string), assetPnl: worstPnl });
}

/** The error a bankrupt book raises under the default policy `onBankruptcy: "error"`. */
export function bankruptcyError(b: Bankruptcy, previousEquity: number): RangeError {
  return new RangeError(
    `runBacktest: the book is bankrupt on ${fromEpochDay(b.date)}: equity ${b.equity.toPrecision(6)} ≤ 0 (${previousEquity.toPrecision(6)} the close before; ` +
      `the largest loss that day: ${b.asset}, ${b.assetPnl.toPrecision(6)}). Metrics over a bankrupt book mean nothing, so none are computed. ` +
      'Lower the gross exposure (portfolio: { gross }), add a RiskManager with a drawdown stop, or pass onBankruptcy: "stop" to StatArbBacktester ' +
      "to end the run at that close with the result flagged (result.bankruptcy)",
  );
}

/** The last price > 0 of a column at or before row `i` (NaN when none). */
function lastPriceUpTo(col: Float64Array, i: number): number {
  for (let t = i; t >= 0; t--) {
    const p = at(col, t);
    if (p > 0) return p;
  }
  return Number.NaN;
}
