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
 * Hand-written: pandas-exact windows on typed arrays, without per-element objects.
 */
import { Panel } from "../data/index.js";

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
  const minp = options.minPeriods ?? window;
  if (!Number.isInteger(minp) || minp < 0 || minp > window) throw new RangeError(`${where}: minPeriods must be an integer in [0, window = ${window}], got ${options.minPeriods}`);
  const ddof = options.ddof ?? 1;
  if (!Number.isInteger(ddof) || ddof < 0) throw new RangeError(`${where}: ddof must be a non-negative integer, got ${options.ddof}`);
  void n;
  return { w: window, minp, ddof };
}

/** Shifted first and second moments of the non-NaN values of x in [lo, hi] around K. */
interface Moments {
  k: number;
  count: number;
  s1: number;
  s2: number;
}

function recompute(x: Float64Array, lo: number, hi: number, m: Moments): void {
  m.count = 0;
  m.s1 = 0;
  m.s2 = 0;
  m.k = Number.NaN;
  for (let i = hi; i >= lo; i--) {
    const v = x[i] as number;
    if (v === v) {
      m.k = v;
      break;
    }
  }
  if (m.k !== m.k) return;
  for (let i = lo; i <= hi; i++) {
    const v = x[i] as number;
    if (v !== v) continue;
    const d = v - m.k;
    m.count++;
    m.s1 += d;
    m.s2 += d * d;
  }
}

type Stat = "sum" | "mean" | "var" | "std" | "z";

/** Shared kernel of sum / mean / var / std / z-score. */
function rollingMoments(x: Float64Array, window: number, minp: number, ddof: number, stat: Stat): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const m: Moments = { k: Number.NaN, count: 0, s1: 0, s2: 0 };
  let run = 0; // length of the run of equal consecutive non-NaN values ending at i (NaN breaks it)
  let since = window; // steps since the last recompute
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    const lo = i - window + 1;
    run = v === v && i > 0 && x[i - 1] === v ? run + 1 : v === v ? 1 : 0;
    if (since >= window || m.k !== m.k) {
      recompute(x, Math.max(0, lo), i, m);
      since = 0;
    } else {
      since++;
      if (v === v) {
        const d = v - m.k;
        m.count++;
        m.s1 += d;
        m.s2 += d * d;
      }
      if (lo - 1 >= 0) {
        const old = x[lo - 1] as number;
        if (old === old) {
          const d = old - m.k;
          m.count--;
          m.s1 -= d;
          m.s2 -= d * d;
        }
      }
    }
    const c = m.count;
    if (c < minp || c === 0) {
      out[i] = Number.NaN;
      continue;
    }
    const allSame = Math.min(run, window) >= c;
    const meanV = allSame ? v : m.k + m.s1 / c;
    if (stat === "sum") {
      out[i] = allSame ? v * c : m.k * c + m.s1;
      continue;
    }
    if (stat === "mean") {
      out[i] = meanV;
      continue;
    }
    let varV: number;
    if (c - ddof <= 0) varV = Number.NaN;
    else if (allSame) varV = 0;
    else {
      varV = (m.s2 - (m.s1 * m.s1) / c) / (c - ddof);
      if (varV < 0) varV = 0;
    }
    if (stat === "var") out[i] = varV;
    else if (stat === "std") out[i] = Math.sqrt(varV);
    else {
      const sd = Math.sqrt(varV);
      out[i] = v === v && sd > 0 ? (v - meanV) / sd : Number.NaN;
    }
  }
  return out;
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

type PairStat = "cov" | "corr" | "beta";

function pairKernel(xIn: Series, yIn: Series, window: number, options: RollingOptions, stat: PairStat, where: string): Float64Array {
  const x = asF64(xIn, where, "x");
  const y = asF64(yIn, where, "y");
  const n = x.length;
  if (y.length !== n) throw new RangeError(`${where}: series lengths differ (${n} and ${y.length})`);
  const { w, minp, ddof } = checkWindow(where, window, n, options);
  const out = new Float64Array(n);
  let kx = Number.NaN, ky = Number.NaN;
  let c = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  let since = w;
  const both = (i: number) => {
    const a = x[i] as number, b = y[i] as number;
    return a === a && b === b;
  };
  for (let i = 0; i < n; i++) {
    const lo = i - w + 1;
    if (since >= w || kx !== kx) {
      c = sx = sy = sxx = syy = sxy = 0;
      kx = ky = Number.NaN;
      for (let t = i; t >= Math.max(0, lo); t--) if (both(t)) {
        kx = x[t] as number;
        ky = y[t] as number;
        break;
      }
      if (kx === kx) for (let t = Math.max(0, lo); t <= i; t++) if (both(t)) {
        const dx = (x[t] as number) - kx, dy = (y[t] as number) - ky;
        c++;
        sx += dx;
        sy += dy;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      since = 0;
    } else {
      since++;
      if (both(i)) {
        const dx = (x[i] as number) - kx, dy = (y[i] as number) - ky;
        c++;
        sx += dx;
        sy += dy;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
      }
      if (lo - 1 >= 0 && both(lo - 1)) {
        const dx = (x[lo - 1] as number) - kx, dy = (y[lo - 1] as number) - ky;
        c--;
        sx -= dx;
        sy -= dy;
        sxx -= dx * dx;
        syy -= dy * dy;
        sxy -= dx * dy;
      }
    }
    if (c < minp || c === 0) {
      out[i] = Number.NaN;
      continue;
    }
    const cxy = sxy - (sx * sy) / c;
    if (stat === "cov") {
      out[i] = c - ddof > 0 ? cxy / (c - ddof) : Number.NaN;
      continue;
    }
    let cxx = sxx - (sx * sx) / c;
    if (cxx < 0) cxx = 0;
    if (stat === "beta") {
      out[i] = cxx > 0 ? cxy / cxx : Number.NaN;
      continue;
    }
    let cyy = syy - (sy * sy) / c;
    if (cyy < 0) cyy = 0;
    const den = Math.sqrt(cxx * cyy);
    out[i] = den > 0 && c > 1 ? Math.max(-1, Math.min(1, cxy / den)) : Number.NaN;
  }
  return out;
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
  const n = x.length;
  const { w, minp } = checkWindow(where, window, n, options);
  const out = new Float64Array(n);
  const dq = new Int32Array(n); // indices, values monotone (decreasing for max)
  let head = 0, tail = 0, count = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (v === v) {
      count++;
      while (tail > head) {
        const last = x[dq[tail - 1] as number] as number;
        if (isMax ? last <= v : last >= v) tail--;
        else break;
      }
      dq[tail++] = i;
    }
    const drop = i - w;
    if (drop >= 0 && x[drop] === x[drop]) count--;
    while (tail > head && (dq[head] as number) <= drop) head++;
    out[i] = count >= minp && count > 0 && tail > head ? (x[dq[head] as number] as number) : Number.NaN;
  }
  return out;
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
