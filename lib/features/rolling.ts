/**
 * O(n) trailing rolling windows with pandas `Series.rolling(window, min_periods)` semantics:
 * the value at t uses observations t − window + 1 … t; NaN observations are skipped and the result
 * is NaN while fewer than `minPeriods` (default: `window`) non-NaN observations are in the window —
 * so by default a window holding any NaN yields NaN, exactly like pandas.
 *
 * Numerics: sums are kept relative to a shift K (a recent observation) and recomputed from scratch
 * every `window` steps (amortised O(1) per step), so prices with a large level and a small variance
 * do not lose digits to cancellation; a window whose observations are all equal has variance exactly
 * 0 (pandas does the same). Min/max use a monotonic deque. Pairwise statistics (cov, corr, beta)
 * use the observations where BOTH series are non-NaN (pandas `rolling().cov(other)`).
 *
 * Every function takes a series (Float64Array | number[]) and returns a Float64Array of the same
 * length, or takes a Panel and returns a Panel (same dates/assets, applied per column).
 * Every function is an aggregate of lib/features' one rolling-window engine (`internal/window.ts`)
 * slid over the series. Hand-written: pandas-exact windows on typed arrays, without per-element objects.
 */
import { opt, Panel, readOptions } from "../data/index.js";
import { type MomentStat, monotoneDeque, type PairStat, pairMoments, shiftedMoments, slide } from "./internal/window.js";

/** Options shared by the rolling functions. */
export interface RollingOptions {
  /** Minimum non-NaN observations for a value (default: the window length, pandas' default). */
  minPeriods?: number;
  /** Delta degrees of freedom of variances/covariances (default 1, pandas' default). */
  ddof?: number;
}

type Series = Float64Array | readonly number[];

function asF64(x: Series, where: string, name = "x"): Float64Array {
  if (x instanceof Float64Array) return x;
  if (!Array.isArray(x)) throw new TypeError(`${where}: ${name} must be a Float64Array, number[] or Panel`);
  return Float64Array.from(x);
}

function checkWindow(where: string, window: number, n: number, options: RollingOptions): { w: number; minp: number; ddof: number } {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`${where}: window must be a positive integer, got ${window}`);
  const o = readOptions(where, options, { minPeriods: opt.integer(window, { min: 0, max: window }), ddof: opt.integer(1, { min: 0 }) });
  void n;
  return { w: window, minp: o.minPeriods, ddof: o.ddof };
}

function rollingMoments(x: Float64Array, window: number, minp: number, ddof: number, stat: MomentStat): Float64Array {
  return slide(x.length, window, shiftedMoments(x, window, minp, ddof, stat));
}

function overPanel(x: Series | Panel, where: string, f: (c: Float64Array) => Float64Array): Float64Array | Panel {
  if (x instanceof Panel) return x.mapColumns((c) => f(c));
  return f(asF64(x, where));
}

/** Rolling sum (pandas `rolling(w).sum()`). */
export function rollingSum(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingSum(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingSum(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingSum", (c) => {
    const { w, minp, ddof } = checkWindow("rollingSum", window, c.length, options);
    return rollingMoments(c, w, minp, ddof, "sum");
  });
}

/** Rolling mean (pandas `rolling(w).mean()`). */
export function rollingMean(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingMean(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingMean(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingMean", (c) => {
    const { w, minp, ddof } = checkWindow("rollingMean", window, c.length, options);
    return rollingMoments(c, w, minp, ddof, "mean");
  });
}

/** Rolling variance, ddof 1 by default (pandas `rolling(w).var()`). */
export function rollingVar(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingVar(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingVar(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingVar", (c) => {
    const { w, minp, ddof } = checkWindow("rollingVar", window, c.length, options);
    return rollingMoments(c, w, minp, ddof, "var");
  });
}

/** Rolling standard deviation, ddof 1 by default (pandas `rolling(w).std()`). */
export function rollingStd(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingStd(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingStd(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingStd", (c) => {
    const { w, minp, ddof } = checkWindow("rollingStd", window, c.length, options);
    return rollingMoments(c, w, minp, ddof, "std");
  });
}

/**
 * Rolling z-score (x_t − mean_t)/std_t over the trailing window INCLUDING x_t, as
 * `(s - s.rolling(w).mean()) / s.rolling(w).std()` in pandas; NaN where the std is 0 or undefined.
 */
export function rollingZ(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingZ(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingZ(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingZ", (c) => {
    const { w, minp, ddof } = checkWindow("rollingZ", window, c.length, options);
    return rollingMoments(c, w, minp, ddof, "z");
  });
}

function pairKernel(xIn: Series, yIn: Series, window: number, options: RollingOptions, stat: PairStat, where: string): Float64Array {
  const x = asF64(xIn, where, "x");
  const y = asF64(yIn, where, "y");
  const n = x.length;
  if (y.length !== n) throw new RangeError(`${where}: series lengths differ (${n} and ${y.length})`);
  const { w, minp, ddof } = checkWindow(where, window, n, options);
  return slide(n, w, pairMoments(x, y, w, minp, ddof, stat));
}

/** Rolling covariance of x and y over pairwise-complete observations (pandas `x.rolling(w).cov(y)`). */
export function rollingCov(x: Series, y: Series, window: number, options: RollingOptions = {}): Float64Array {
  return pairKernel(x, y, window, options, "cov", "rollingCov");
}

/** Rolling Pearson correlation (pandas `x.rolling(w).corr(y)`); NaN when either side is constant. */
export function rollingCorr(x: Series, y: Series, window: number, options: RollingOptions = {}): Float64Array {
  return pairKernel(x, y, window, options, "corr", "rollingCorr");
}

/** Rolling OLS slope of y on x: cov(x, y)/var(x) (pandas `y.rolling(w).cov(x) / x.rolling(w).var()` on complete pairs). */
export function rollingBeta(y: Series, x: Series, window: number, options: RollingOptions = {}): Float64Array {
  return pairKernel(x, y, window, options, "beta", "rollingBeta");
}

function extreme(xIn: Series, window: number, options: RollingOptions, where: string, isMax: boolean): Float64Array {
  const x = asF64(xIn, where);
  const { w, minp } = checkWindow(where, window, x.length, options);
  return slide(x.length, w, monotoneDeque(x, minp, isMax));
}

/** Rolling minimum by a monotonic deque, O(n) (pandas `rolling(w).min()`). */
export function rollingMin(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingMin(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingMin(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingMin", (c) => extreme(c, window, options, "rollingMin", false));
}

/** Rolling maximum by a monotonic deque, O(n) (pandas `rolling(w).max()`). */
export function rollingMax(x: Series, window: number, options?: RollingOptions): Float64Array;
export function rollingMax(x: Panel, window: number, options?: RollingOptions): Panel;
export function rollingMax(x: Series | Panel, window: number, options: RollingOptions = {}): Float64Array | Panel {
  return overPanel(x, "rollingMax", (c) => extreme(c, window, options, "rollingMax", true));
}
