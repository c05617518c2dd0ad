/**
 * Trailing-window mean and standard deviation in O(n) with add/remove updates (Welford form, so no
 * catastrophic cancellation of raw sums). A window holding any NaN yields NaN. Private to the
 * feature builders; lib/features/rolling.ts is the general public rolling toolkit.
 */
export function trailingMeanStd(x: Float64Array, window: number, ddof = 1): { mean: Float64Array; std: Float64Array } {
  const n = x.length;
  const mean = new Float64Array(n).fill(Number.NaN);
  const std = new Float64Array(n).fill(Number.NaN);
  let count = 0;
  let m = 0;
  let m2 = 0;
  let nan = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) nan++;
    else {
      count++;
      const d = v - m;
      m += d / count;
      m2 += d * (v - m);
    }
    if (i >= window) {
      const old = x[i - window] as number;
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
    }
    if (i >= window - 1 && nan === 0 && count === window) {
      mean[i] = m;
      std[i] = count - ddof > 0 ? Math.sqrt(Math.max(m2, 0) / (count - ddof)) : Number.NaN;
    }
  }
  return { mean, std };
}

/** Exponentially weighted mean with α (pandas `ewm(alpha, adjust=False)`), NaN-carrying: restarts after a NaN. */
export function ewmAdjustFalse(x: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(x.length).fill(Number.NaN);
  let s = Number.NaN;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isNaN(v)) {
      s = Number.NaN;
      continue;
    }
    s = Number.isNaN(s) ? v : alpha * v + (1 - alpha) * s;
    out[i] = s;
  }
  return out;
}
