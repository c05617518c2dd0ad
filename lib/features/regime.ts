/**
 * Volatility-regime label: short-window realised vol over long-window realised vol of the same
 * series. Labels 0 = calm (ratio < low), 1 = normal, 2 = stressed (ratio > high); NaN until the long
 * window is full. Ratio of two trailing windows keeps it O(n) and free of look-ahead.
 */
import { opt, Panel, readOptions, type ResolvedOptions } from "../data/index.js";
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

const REGIME_OPTIONS = {
  shortWindow: opt.positiveInteger(21),
  longWindow: opt.positiveInteger(252),
  low: opt.numberIn(0.8, 0, Number.MAX_VALUE),
  high: opt.numberIn(1.25, 0, Number.MAX_VALUE),
} satisfies Record<keyof VolatilityRegimeOptions, opt.OptionRule<unknown>>;

function regimeOptions(options: VolatilityRegimeOptions | undefined): ResolvedOptions<typeof REGIME_OPTIONS> {
  const o = readOptions("volatilityRegime", options, REGIME_OPTIONS);
  if (o.shortWindow >= o.longWindow) throw new RangeError(`volatilityRegime: shortWindow (${o.shortWindow}) must be shorter than longWindow (${o.longWindow})`);
  opt.finiteIn("volatilityRegime", "high", o.high, o.high, o.low, Number.MAX_VALUE);
  return o;
}

export function volatilityRegimeSeries(returns: Float64Array, options: VolatilityRegimeOptions = {}): Float64Array {
  const { shortWindow: s, longWindow: l, low: lo, high: hi } = regimeOptions(options);
  const a = trailingMeanStd(returns, s, 1).std;
  const b = trailingMeanStd(returns, l, 1).std;
  const out = new Float64Array(returns.length);
  for (let i = 0; i < returns.length; i++) {
    const r = a[i]! / b[i]!;
    out[i] = Number.isFinite(r) ? (r < lo ? 0 : r > hi ? 2 : 1) : Number.NaN;
  }
  return out;
}

/** Regime of each asset's own returns. */
export function volatilityRegime(returns: Panel, options: VolatilityRegimeOptions = {}): Panel {
  const o = regimeOptions(options);
  return returns.mapColumns((c) => volatilityRegimeSeries(c, o));
}

/** Regime of the equal-weight market (mean of the available returns each day), one column "market". */
export function marketVolatilityRegime(returns: Panel, options: VolatilityRegimeOptions = {}): Panel {
  const o = regimeOptions(options);
  const m = new Float64Array(returns.nDates);
  for (let i = 0; i < returns.nDates; i++) {
    let s = 0;
    let k = 0;
    for (const c of returns.columns) {
      const v = c[i]!;
      if (!Number.isNaN(v)) (s += v), k++;
    }
    m[i] = k > 0 ? s / k : Number.NaN;
  }
  return new Panel(returns.dates, ["market"], [volatilityRegimeSeries(m, o)], { validate: false });
}
