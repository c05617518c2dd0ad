/**
 * Small numerical helpers private to lib/risk and lib/backtest (not exported from the index).
 * Hand-written because they sit in per-day hot loops over typed arrays, where a general
 * matrix library would allocate objects.
 */

/** Quantile with linear interpolation (numpy default, R type 7) of the first `n` values of a sorted array. */
export function quantileSorted(sorted: Float64Array, q: number, n = sorted.length): number {
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return Number.NaN;
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  let x: number;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** Sample mean and standard deviation (ddof = 1) of finite values. */
export function meanStd(x: ArrayLike<number>): { mean: number; std: number; n: number } {
  let n = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  const mean = n > 0 ? s / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN, n };
}

/** Sample skewness and excess kurtosis (population moments, as PerformanceAnalytics' "modified" VaR uses). */
export function skewKurt(x: ArrayLike<number>): { skew: number; exKurt: number } {
  const { mean, n } = meanStd(x);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isFinite(v)) continue;
    const d = v - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { skew: m3 / m2 ** 1.5, exKurt: m4 / (m2 * m2) - 3 };
}

/** Cornish-Fisher adjusted quantile z_cf for the normal quantile z (PerformanceAnalytics "modified"). */
export function cornishFisherZ(z: number, skew: number, exKurt: number): number {
  return z + ((z * z - 1) * skew) / 6 + ((z ** 3 - 3 * z) * exKurt) / 24 - ((2 * z ** 3 - 5 * z) * skew * skew) / 36;
}

/** Seeded PRNG (mulberry32 → uniform in [0,1)); one generator per call site, no global state. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box-Muller). */
export function normalSource(uniform: () => number): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = Number.NaN;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** Sample covariance matrix (ddof = 1, row-major n × n) of columns over rows where all are finite. */
export function covarianceMatrix(columns: readonly Float64Array[]): { cov: Float64Array; means: Float64Array; rows: number } {
  const n = columns.length;
  const T = columns[0]?.length ?? 0;
  const keep: number[] = [];
  for (let t = 0; t < T; t++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) ok = Number.isFinite((columns[j] as Float64Array)[t] as number);
    if (ok) keep.push(t);
  }
  const m = keep.length;
  const means = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const c = columns[j] as Float64Array;
    let s = 0;
    for (const t of keep) s += c[t] as number;
    means[j] = s / m;
  }
  const cov = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ca = columns[a] as Float64Array;
    for (let b = a; b < n; b++) {
      const cb = columns[b] as Float64Array;
      let s = 0;
      for (const t of keep) s += ((ca[t] as number) - (means[a] as number)) * ((cb[t] as number) - (means[b] as number));
      const v = s / (m - 1);
      cov[a * n + b] = v;
      cov[b * n + a] = v;
    }
  }
  return { cov, means, rows: m };
}

/** Lower Cholesky factor of a symmetric PSD matrix (row-major); tiny negative pivots are floored at 0. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * n + k] as number) * (L[j * n + k] as number);
      if (i === j) L[i * n + i] = Math.sqrt(Math.max(s, 0));
      else {
        const d = L[j * n + j] as number;
        L[i * n + j] = d > 0 ? s / d : 0;
      }
    }
  }
  return L;
}
