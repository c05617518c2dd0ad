/**
 * Volatility-regime label: short-window realised vol over long-window realised vol of the same
 * series. Labels 0 = calm (ratio < low), 1 = normal, 2 = stressed (ratio > high); NaN until the long
 * window is full. Ratio of two trailing windows keeps it O(n) and free of look-ahead.
 */
import { opt, Panel } from "../data/index.js";
import { trailingMeanStd } from "./internal/window.js";

/** Options of {@link volatilityRegime}. */
export interface VolatilityRegimeOptions {
  /** Short window (default 21). */
  shortWindow?: number;
  /** Long window (default 252). */
  longWindow?: number;
  /** Ratio below which the regime is calm (default 0.8). */
  low?: number;
  /** Ratio above which the regime is stressed (default 1.25). */
  high?: number;
}

export function volatilityRegimeSeries(returns: Float64Array, options: VolatilityRegimeOptions = {}): Float64Array {
  const s = opt.positiveInt("volatilityRegime", "shortWindow", options.shortWindow, 21);
  const l = opt.positiveInt("volatilityRegime", "longWindow", options.longWindow, 252);
  if (s >= l) throw new RangeError(`volatilityRegime: shortWindow (${s}) must be shorter than longWindow (${l})`);
  const lo = opt.finiteIn("volatilityRegime", "low", options.low, 0.8, 0, Number.MAX_VALUE);
  const hi = opt.finiteIn("volatilityRegime", "high", options.high, 1.25, lo, Number.MAX_VALUE);
  const a = trailingMeanStd(returns, s, 1).std;
  const b = trailingMeanStd(returns, l, 1).std;
  const out = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) {
    const r = (a[i] as number) / (b[i] as number);
    out[i] = Number.isFinite(r) ? (r < lo ? 0 : r > hi ? 2 : 1) : Number.NaN;
  }
  return out;
}

/** Regime of each asset's own returns. */
export function volatilityRegime(returns: Panel, options: VolatilityRegimeOptions = {}): Panel {
  return returns.mapColumns((c) => volatilityRegimeSeries(c, options));
}

/** Regime of the equal-weight market (mean of the available returns each day), one column "market". */
export function marketVolatilityRegime(returns: Panel, options: VolatilityRegimeOptions = {}): Panel {
  const m = new Float64Array(returns.nDates);
  for (let i = 0; i < returns.nDates; i++) {
    let s = 0;
    let k = 0;
    for (const c of returns.columns) {
      const v = c[i] as number;
      if (!Number.isNaN(v)) (s += v), k++;
    }
    m[i] = k > 0 ? s / k : Number.NaN;
  }
  return new Panel(returns.dates, ["market"], [volatilityRegimeSeries(m, options)], { validate: false });
}
