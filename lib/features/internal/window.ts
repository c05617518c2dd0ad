/**
 * The rolling-window engine of lib/features: every trailing-window statistic (rolling.ts, zscore.ts,
 * volatility.ts, volume.ts, regime.ts) is one of the aggregates below slid over a series by
 * {@link slide}. An aggregate is an `{ init, add, remove, value }` object (the habit of Arquero's
 * `src/op/aggregate-functions.js`): observation i enters with `add(i)`, the oldest leaves with
 * `remove(i − window)`, and `value(i)` reads the window ending at i — so each statistic is O(1) per
 * step and O(n) per series, with no per-window rescans.
 *
 * Numerics (unchanged from the kernels these replace, so results are bit-identical):
 * - {@link welford}: Welford's running mean / sum of squared deviations with add/remove updates
 *   (no cancellation of raw sums); a window holding any NaN yields NaN.
 * - {@link shiftedMoments} and {@link pairMoments}: sums kept relative to a shift K (a recent
 *   observation) and rebuilt from the window every `window` steps (amortised O(1)), pandas
 *   `rolling()` semantics (NaN skipped, `minPeriods`), a run of equal values has variance exactly 0.
 * - {@link monotoneDeque}: rolling min/max by a monotonic deque of indices.
 */

/** A trailing-window aggregate over one series (its state lives in the object; `init` clears it). */
export interface WindowAggregate {
  /** Empties the window. */
  init(): void;
  /** Observation i enters the window (called for i = 0, 1, 2, … in order). */
  add(i: number): void;
  /** Observation i, the oldest in the window, leaves it. */
  remove(i: number): void;
  /** The statistic of the window ending at observation i. */
  value(i: number): number;
}

/**
 * Slides a trailing window of `window` observations over indices 0…n−1: at step i observation i is
 * added, observation i − window (when it exists) removed, and `out[i] = value(i)`.
 */
export function slide(n: number, window: number, agg: WindowAggregate): Float64Array {
  const out = new Float64Array(n);
  agg.init();
  for (let i = 0; i < n; i++) {
    agg.add(i);
    if (i >= window) agg.remove(i - window);
    out[i] = agg.value(i);
  }
  return out;
}

/** Statistics of {@link welford}: the mean, the standard deviation, or the z-score (x_i − mean)/std. */
export type WelfordStat = "mean" | "std" | "z";

/**
 * Welford mean / std / z-score of a full window (NaN until `window` observations and while any NaN is
 * in the window), std with `ddof`.
 */
export function welford(x: Float64Array, window: number, ddof: number, stat: WelfordStat): WindowAggregate & { readonly stat: (i: number, which: WelfordStat) => number } {
  let count = 0;
  let m = 0;
  let m2 = 0;
  let nan = 0;
  return {
    init() {
      count = 0;
      m = 0;
      m2 = 0;
      nan = 0;
    },
    add(i) {
      const v = x[i]!;
      if (Number.isNaN(v)) nan++;
      else {
        count++;
        const d = v - m;
        m += d / count;
        m2 += d * (v - m);
      }
    },
    remove(i) {
      const old = x[i]!;
      if (Number.isNaN(old)) nan--;
      else {
        count--;
        if (count === 0) (m = 0), (m2 = 0);
        else {
          const d = old - m;
          m -= d / count;
          m2 -= d * (old - m);
        }
      }
    },
    value(i) {
      return this.stat(i, stat);
    },
    /** Any of the statistics of the current window (for callers that read more than one per step). */
    stat(i, which) {
      if (!(i >= window - 1 && nan === 0 && count === window)) return Number.NaN;
      if (which === "mean") return m;
      const sd = count - ddof > 0 ? Math.sqrt(Math.max(m2, 0) / (count - ddof)) : Number.NaN;
      return which === "std" ? sd : (x[i]! - m) / sd;
    },
  };
}

/** Trailing-window mean and standard deviation (ddof) in one Welford pass: NaN until the window is full and while it holds a NaN. */
export function trailingMeanStd(x: Float64Array, window: number, ddof = 1): { mean: Float64Array; std: Float64Array } {
  const n = x.length;
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  const agg = welford(x, window, ddof, "mean");
  agg.init();
  for (let i = 0; i < n; i++) {
    agg.add(i);
    if (i >= window) agg.remove(i - window);
    mean[i] = agg.stat(i, "mean");
    std[i] = agg.stat(i, "std");
  }
  return { mean, std };
}

/** Statistics of {@link shiftedMoments}. */
export type MomentStat = "sum" | "mean" | "var" | "std" | "z";

/** Shifted first and second moments of the non-NaN values in the window, around K. */
interface ShiftedSums {
  k: number;
  count: number;
  s1: number;
  s2: number;
}

/** Rebuilds the sums from x[lo..hi], with K the most recent non-NaN value (NaN when there is none). */
function rebuildShifted(x: Float64Array, lo: number, hi: number, m: ShiftedSums): void {
  m.count = 0;
  m.s1 = 0;
  m.s2 = 0;
  m.k = Number.NaN;
  for (let i = hi; i >= lo; i--) {
    const v = x[i]!;
    if (v === v) {
      m.k = v;
      break;
    }
  }
  if (m.k !== m.k) return;
  for (let i = lo; i <= hi; i++) {
    const v = x[i]!;
    if (v !== v) continue;
    const d = v - m.k;
    m.count++;
    m.s1 += d;
    m.s2 += d * d;
  }
}

/** The statistic from the sums; `v` is the newest observation, `allSame` whether the window is one run of it. */
function shiftedStat(m: ShiftedSums, v: number, allSame: boolean, ddof: number, stat: MomentStat): number {
  const c = m.count;
  if (stat === "sum") return allSame ? v * c : m.k * c + m.s1;
  const meanV = allSame ? v : m.k + m.s1 / c;
  if (stat === "mean") return meanV;
  let varV: number;
  if (c - ddof <= 0) varV = Number.NaN;
  else if (allSame) varV = 0;
  else {
    varV = (m.s2 - (m.s1 * m.s1) / c) / (c - ddof);
    if (varV < 0) varV = 0;
  }
  if (stat === "var") return varV;
  if (stat === "std") return Math.sqrt(varV);
  const sd = Math.sqrt(varV);
  return v === v && sd > 0 ? (v - meanV) / sd : Number.NaN;
}

/**
 * pandas-style rolling sum / mean / var / std / z-score (`rolling(window, min_periods)`): NaN skipped,
 * NaN while fewer than `minp` observations; sums relative to a shift K, rebuilt every `window` steps.
 */
export function shiftedMoments(x: Float64Array, window: number, minp: number, ddof: number, stat: MomentStat): WindowAggregate {
  const m: ShiftedSums = { k: Number.NaN, count: 0, s1: 0, s2: 0 };
  let run = 0; // length of the run of equal consecutive non-NaN values ending at i (NaN breaks it)
  let since = window; // steps since the last rebuild
  let rebuilt = false; // the last add rebuilt the sums from the window, which already excludes the leaving value
  return {
    init() {
      m.k = Number.NaN;
      m.count = m.s1 = m.s2 = run = 0;
      since = window;
    },
    add(i) {
      const v = x[i]!;
      run = v === v && i > 0 && x[i - 1] === v ? run + 1 : v === v ? 1 : 0;
      rebuilt = since >= window || m.k !== m.k;
      if (rebuilt) {
        rebuildShifted(x, Math.max(0, i - window + 1), i, m);
        since = 0;
        return;
      }
      since++;
      if (v === v) {
        const d = v - m.k;
        m.count++;
        m.s1 += d;
        m.s2 += d * d;
      }
    },
    remove(i) {
      const old = x[i]!;
      if (rebuilt || old !== old) return;
      const d = old - m.k;
      m.count--;
      m.s1 -= d;
      m.s2 -= d * d;
    },
    value(i) {
      const c = m.count;
      if (c < minp || c === 0) return Number.NaN;
      return shiftedStat(m, x[i]!, Math.min(run, window) >= c, ddof, stat);
    },
  };
}

/** Statistics of {@link pairMoments}: covariance, correlation, or the OLS slope of y on x. */
export type PairStat = "cov" | "corr" | "beta";

/**
 * pandas-style rolling covariance / correlation / beta over the observations where BOTH series are
 * non-NaN (`x.rolling(w).cov(y)`), sums relative to a shift (K_x, K_y) rebuilt every `window` steps.
 */
export function pairMoments(x: Float64Array, y: Float64Array, window: number, minp: number, ddof: number, stat: PairStat): WindowAggregate {
  let kx = Number.NaN, ky = Number.NaN;
  let c = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  let since = window;
  let rebuilt = false;
  const both = (i: number): boolean => {
    const a = x[i]!, b = y[i]!;
    return a === a && b === b;
  };
  const accumulate = (i: number, sign: 1 | -1): void => {
    const dx = x[i]! - kx, dy = y[i]! - ky;
    if (sign > 0) {
      c++;
      sx += dx;
      sy += dy;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    } else {
      c--;
      sx -= dx;
      sy -= dy;
      sxx -= dx * dx;
      syy -= dy * dy;
      sxy -= dx * dy;
    }
  };
  const rebuild = (lo: number, hi: number): void => {
    c = sx = sy = sxx = syy = sxy = 0;
    kx = ky = Number.NaN;
    for (let t = hi; t >= lo; t--) {
      if (both(t)) {
        kx = x[t]!;
        ky = y[t]!;
        break;
      }
    }
    if (kx === kx) for (let t = lo; t <= hi; t++) if (both(t)) accumulate(t, 1);
  };
  return {
    init() {
      kx = ky = Number.NaN;
      c = sx = sy = sxx = syy = sxy = 0;
      since = window;
    },
    add(i) {
      rebuilt = since >= window || kx !== kx;
      if (rebuilt) {
        rebuild(Math.max(0, i - window + 1), i);
        since = 0;
        return;
      }
      since++;
      if (both(i)) accumulate(i, 1);
    },
    remove(i) {
      if (!rebuilt && both(i)) accumulate(i, -1);
    },
    value() {
      if (c < minp || c === 0) return Number.NaN;
      const cxy = sxy - (sx * sy) / c;
      if (stat === "cov") return c - ddof > 0 ? cxy / (c - ddof) : Number.NaN;
      let cxx = sxx - (sx * sx) / c;
      if (cxx < 0) cxx = 0;
      if (stat === "beta") return cxx > 0 ? cxy / cxx : Number.NaN;
      let cyy = syy - (sy * sy) / c;
      if (cyy < 0) cyy = 0;
      const den = Math.sqrt(cxx * cyy);
      return den > 0 && c > 1 ? Math.max(-1, Math.min(1, cxy / den)) : Number.NaN;
    },
  };
}

/** Rolling minimum (`isMax` false) or maximum of the non-NaN observations by a monotonic deque; NaN below `minp` observations. */
export function monotoneDeque(x: Float64Array, minp: number, isMax: boolean): WindowAggregate {
  const dq = new Int32Array(x.length); // indices, values monotone (decreasing for max)
  let head = 0, tail = 0, count = 0;
  return {
    init() {
      head = tail = count = 0;
    },
    add(i) {
      const v = x[i]!;
      if (v !== v) return;
      count++;
      while (tail > head) {
        const last = x[dq[tail - 1]!]!;
        if (isMax ? last <= v : last >= v) tail--;
        else break;
      }
      dq[tail++] = i;
    },
    remove(i) {
      if (x[i] === x[i]) count--;
      while (tail > head && dq[head]! <= i) head++;
    },
    value() {
      return count >= minp && count > 0 && tail > head ? x[dq[head]!]! : Number.NaN;
    },
  };
}

/** Exponentially weighted mean with α (pandas `ewm(alpha, adjust=False)`), NaN-carrying: restarts after a NaN. */
export function ewmAdjustFalse(x: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  let s = Number.NaN;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) {
      s = Number.NaN;
      continue;
    }
    s = Number.isNaN(s) ? v : alpha * v + (1 - alpha) * s;
    out[i] = s;
  }
  return out;
}
