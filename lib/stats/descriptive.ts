/**
 * Descriptive statistics on typed arrays with numpy/scipy conventions. NaN handling is explicit:
 * these functions propagate NaN (numpy `mean`/`std`); the `nan*` variants skip it (numpy `nanmean`…).
 */
import { Matrix, type MatrixLike, toMatrix } from "./matrix.js";

/** Arithmetic mean (NaN if empty or any NaN). */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] as number;
  return s / n;
}

/** Variance with `ddof` (default 1, sample); two-pass, NaN if n ≤ ddof. */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const n = x.length;
  if (n - ddof <= 0) return Number.NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    s += d * d;
  }
  return s / (n - ddof);
}

/** Standard deviation with `ddof` (default 1). */
export function stdDev(x: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(x, ddof));
}

/** Non-NaN values as a new array. */
export function dropNaN(x: ArrayLike<number>): Float64Array {
  let c = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) c++;
  const out = new Float64Array(c);
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  return out;
}

/** Mean ignoring NaN (numpy.nanmean; NaN when nothing is left). */
export function nanMean(x: ArrayLike<number>): number {
  return mean(dropNaN(x));
}

/** Standard deviation ignoring NaN (numpy.nanstd with ddof, default 1). */
export function nanStd(x: ArrayLike<number>, ddof = 1): number {
  return stdDev(dropNaN(x), ddof);
}

/**
 * Quantile with linear interpolation between order statistics (numpy `quantile` default,
 * R type 7): h = (n − 1)·q. NaN if the input is empty or holds NaN.
 */
export function quantile(x: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const n = x.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(x as ArrayLike<number>);
  for (let i = 0; i < n; i++) if (Number.isNaN(s[i] as number)) return Number.NaN;
  s.sort();
  return quantileSorted(s, q);
}

/** Quantile of already sorted data (type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number, b = sorted[hi] as number;
  const g = h - lo;
  // numpy's _lerp: a + (b − a)·g, switched to b − (b − a)·(1 − g) for g ≥ ½ (exact at the ends)
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/**
 * Sample skewness. `bias = true` (default) is scipy.stats.skew's default g1 = m3/m2^{3/2};
 * `bias = false` is the adjusted G1 (as pandas `skew`).
 */
export function skewness(x: ArrayLike<number>, bias = true): number {
  const n = x.length;
  if (n < 1) return Number.NaN;
  const m = mean(x);
  let m2 = 0, m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  const g1 = m2 === 0 ? Number.NaN : m3 / m2 ** 1.5;
  if (bias) return g1;
  if (n < 3) return Number.NaN;
  return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
}

/**
 * Kurtosis. `excess = true` (default) subtracts 3 (Fisher); `bias = true` (default) is
 * scipy.stats.kurtosis's default; `bias = false` is the adjusted G2 (pandas `kurt`).
 */
export function kurtosis(x: ArrayLike<number>, excess = true, bias = true): number {
  const n = x.length;
  if (n < 1) return Number.NaN;
  const m = mean(x);
  let m2 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - m;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= n;
  m4 /= n;
  if (m2 === 0) return Number.NaN;
  let g2 = m4 / (m2 * m2);
  if (!bias) {
    if (n < 4) return Number.NaN;
    g2 = ((n + 1) * (g2 - 3) + 6) * ((n - 1) / ((n - 2) * (n - 3))) + 3;
  }
  return excess ? g2 - 3 : g2;
}

/** Sample covariance of two equal-length series (ddof default 1). */
export function covariance(x: ArrayLike<number>, y: ArrayLike<number>, ddof = 1): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`covariance: lengths differ (${n} and ${y.length})`);
  if (n - ddof <= 0) return Number.NaN;
  const mx = mean(x), my = mean(y);
  let s = 0;
  for (let i = 0; i < n; i++) s += ((x[i] as number) - mx) * ((y[i] as number) - my);
  return s / (n - ddof);
}

/** Pearson correlation of two equal-length series. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`correlation: lengths differ (${n} and ${y.length})`);
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx, dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Covariance matrix of the columns of a data matrix (rows = observations), numpy `cov(rowvar=False)`
 * with ddof (default 1). NaN anywhere → throws (drop rows first).
 */
export function covMatrix(data: MatrixLike, ddof = 1): Matrix {
  const x = toMatrix(data, "covMatrix");
  const { rows: n, cols: p } = x;
  if (n - ddof <= 0) throw new RangeError(`covMatrix: ${n} observations are not enough for ddof ${ddof}`);
  const centred = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = x.column(j);
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i] as number;
    const m = s / n;
    if (Number.isNaN(m)) throw new RangeError(`covMatrix: column ${j} contains NaN; drop or fill missing rows first`);
    for (let i = 0; i < n; i++) centred[j * n + i] = (c[i] as number) - m;
  }
  const out = new Matrix(p, p);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    for (let b = a; b < p; b++) {
      const cb = b * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += (centred[ca + i] as number) * (centred[cb + i] as number);
      s /= n - ddof;
      out.data[b * p + a] = s;
      out.data[a * p + b] = s;
    }
  }
  return out;
}

/** Correlation matrix of the columns (numpy `corrcoef(rowvar=False)`); constant columns give NaN. */
export function corrMatrix(data: MatrixLike): Matrix {
  const c = covMatrix(data, 1);
  const p = c.rows;
  const d = new Float64Array(p);
  for (let i = 0; i < p; i++) d[i] = Math.sqrt(c.data[i * p + i] as number);
  const out = new Matrix(p, p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) {
    let v = (c.data[j * p + i] as number) / ((d[i] as number) * (d[j] as number));
    if (v > 1) v = 1;
    else if (v < -1) v = -1;
    out.data[j * p + i] = v;
  }
  return out;
}
