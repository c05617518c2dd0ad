/**
 * Descriptive statistics on typed arrays with numpy/scipy conventions. NaN handling is explicit:
 * these functions propagate NaN (numpy `mean`/`std`); the `nan*` variants skip it (numpy `nanmean`…).
 */
import { checkKeys } from "../data/index.js";
import { Matrix, type MatrixLike, toMatrix } from "./matrix.js";
import { nativeSmallestCandidates } from "./native-linalg.js";

/** Arithmetic mean (NaN if empty or any NaN). */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s / n;
}

/** Variance with `ddof` (default 1, sample); two-pass, NaN if n ≤ ddof. */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const n = x.length;
  if (n - ddof <= 0) return Number.NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
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
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!)) c++;
  const out = new Float64Array(c);
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
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
 * How a quantile falls between order statistics, with numpy's method names (`numpy.quantile(x, q,
 * method=…)`). With h = (n − 1)·q and the sorted values x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎:
 * - "linear" (default; numpy's default, R type 7): x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), in numpy's
 *   `_lerp` form (exact at both ends);
 * - "lower": x₍⌊h⌋₎; "higher": x₍⌈h⌉₎;
 * - "nearest": x₍round(h)₎ with ties to the even index (numpy's `around`);
 * - "midpoint": the mean of x₍⌊h⌋₎ and x₍⌈h⌉₎.
 */
export type QuantileMethod = "linear" | "lower" | "higher" | "nearest" | "midpoint";
const QUANTILE_METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "nearest", "midpoint"];

/** Options of {@link quantile}. */
export interface QuantileOptions {
  /** Interpolation between order statistics (default "linear", numpy's default / R type 7). */
  method?: QuantileMethod;
}

/** The order statistics a quantile reads (lo ≤ hi, hi ≤ lo + 1) and the weight g of the upper one. */
interface QuantilePosition {
  lo: number;
  hi: number;
  g: number;
}

function quantilePosition(n: number, q: number, method: QuantileMethod): QuantilePosition {
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const g = h - lo;
  switch (method) {
    case "linear":
      return { lo, hi, g };
    case "lower":
      return { lo, hi: lo, g: 0 };
    case "higher":
      return g > 0 ? { lo: hi, hi, g: 0 } : { lo, hi: lo, g: 0 };
    case "nearest": {
      const k = g > 0.5 || (g === 0.5 && lo % 2 === 1) ? hi : lo;
      return { lo: k, hi: k, g: 0 };
    }
    default:
      return g > 0 ? { lo, hi, g: 0.5 } : { lo, hi: lo, g: 0 };
  }
}

/**
 * numpy's `_lerp`: a + (b − a)·g, switched to b − (b − a)·(1 − g) for g ≥ ½ (exact at the ends) — the
 * "linear" quantile from its two order statistics a ≤ b and the weight g of b.
 */
export function quantileLerp(a: number, b: number, g: number): number {
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

function checkQuantileArgs(where: string, q: number, method: unknown): QuantileMethod {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`${where}: q must be in [0, 1], got ${q}`);
  if (method === undefined) return "linear";
  if (!QUANTILE_METHODS.includes(method as QuantileMethod)) {
    throw new RangeError(`${where}: method must be one of ${QUANTILE_METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`);
  }
  return method as QuantileMethod;
}

/**
 * Quantile of unsorted data (numpy `quantile`; see {@link QuantileMethod}). NaN if the input is empty
 * or holds NaN. Runs in expected O(n) by selection (the input is copied, never reordered): no sort.
 */
export function quantile(x: ArrayLike<number>, q: number, options: QuantileOptions = {}): number {
  const method = checkQuantileArgs("quantile", q, checkKeys("quantile", options, ["method"]).get("method"));
  const n = x.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(x);
  for (let i = 0; i < n; i++) if (Number.isNaN(s[i]!)) return Number.NaN;
  return selectQuantile(s, q, method);
}

/**
 * Quantile of NaN-free data by selection, REORDERING `x` in place (no copy, expected O(n)): afterwards
 * the lower order statistic the quantile reads (x₍k₎ with k = ⌊(n − 1)q⌋ for "linear", "lower" and
 * "midpoint") sits at index k, every value left of it ≤ it and every value right of it ≥ it, and
 * when the quantile interpolates, the next order statistic x₍k+1₎ sits at k + 1.
 * `method` as {@link QuantileMethod} (default "linear").
 */
export function quantileInPlace(x: Float64Array, q: number, method: QuantileMethod = "linear"): number {
  checkQuantileArgs("quantileInPlace", q, method);
  if (x.length === 0) return Number.NaN;
  return selectQuantile(x, q, method);
}

function selectQuantile(s: Float64Array, q: number, method: QuantileMethod): number {
  const n = s.length;
  const { lo, hi, g } = quantilePosition(n, q, method);
  selectInPlace(s, lo);
  const a = s[lo]!;
  if (hi === lo) return method === "linear" ? quantileLerp(a, a, g) : a;
  // after the selection every value right of lo is ≥ a: the next order statistic is their minimum,
  // which is moved to index hi (so callers find both order statistics in place)
  let b = s[hi]!;
  let at = hi;
  for (let i = hi + 1; i < n; i++) if (s[i]! < b) (b = s[i]!), (at = i);
  if (at !== hi) swap(s, hi, at);
  return interpolate(a, b, g, method);
}

/** The quantile from its two order statistics: "linear" always interpolates (as numpy), the others only at g > 0. */
function interpolate(a: number, b: number, g: number, method: QuantileMethod): number {
  return method === "linear" || g !== 0 ? quantileLerp(a, b, g) : a;
}

/** Quantile of already sorted (ascending, NaN-free) data; `method` as {@link QuantileMethod} (default "linear"). */
export function quantileSorted(sorted: ArrayLike<number>, q: number, method: QuantileMethod = "linear"): number {
  checkQuantileArgs("quantileSorted", q, method);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const { lo, hi, g } = quantilePosition(n, q, method);
  return interpolate(sorted[lo]!, sorted[hi]!, g, method);
}

const intrinsicLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, "length")!.get as (this: ArrayBufferView) => number;

/**
 * A typed array's element count as the engine holds it — %TypedArray%.prototype.length itself, so an
 * own `length` property or getter on the instance never runs (0 for a detached or out-of-bounds
 * view; a TypeError for anything that is no typed array, a Proxy included). It is the length
 * native/linalg's kernels read (the same value while no JavaScript runs in between), so a caller
 * that plans with it and then calls a kernel sees one length of x, not two.
 */
export function typedLength(x: ArrayBufferView): number {
  return intrinsicLength.call(x);
}

/**
 * The smallest values of NaN-free `x` (not changed), for tail statistics that need only the lowest
 * `count` order statistics: a new array, in no particular order, holding EVERY value of x at or
 * below some threshold T and at least `count` values — so its own order statistics 0 … count − 1 are
 * exactly x's. T is an order statistic of a strided sample of about 5√n values, chosen a few binomial
 * standard deviations above count/n, so the result holds ≈ count + O(√count·√(n/√n)) values; one pass
 * over x, no copy of it. Falls back to a full copy when the tail is not small (count > n/4, n < 256)
 * or when the sample misjudged T (never a wrong answer, only a slower one).
 */
export function smallestValues(x: Float64Array, count: number): Float64Array {
  const n = typedLength(x);
  const plan = candidatePlan(n, count);
  if (!plan) return x.slice();
  const { stride, m, r, cap } = plan;
  // the same pass in C++ when the addon is built (the same values in the same order, in about a
  // third of the time on 100,000 values); null leaves the cases it does not decide to the pass below
  const native = nativeSmallestCandidates(x, count, stride, r, cap);
  if (native) return native;
  const sample = new Float64Array(m);
  for (let i = 0, j = 0; j < m; i += stride, j++) sample[j] = x[i]!;
  selectInPlace(sample, r);
  const t = sample[r]!;
  const out = new Float64Array(cap);
  let c = 0;
  for (let i = 0; i < n; ) {
    // a stretch that cannot overflow `out` even if every value is kept: no capacity test inside
    const end = Math.min(n, i + cap - c);
    if (end === i) return x.slice();
    for (; i < end; i++) {
      const v = x[i]!;
      if (v <= t) out[c++] = v;
    }
  }
  return c >= count ? out.subarray(0, c) : x.slice();
}

/**
 * {@link smallestValues} for `x` of unknown content, when the native addon's pass decides it: the
 * same array smallestValues returns, having checked in that same pass that every value of x is
 * finite; null when x holds a NaN or ±Infinity, when the addon is not built or when the pass does not
 * decide (the caller then checks x itself and calls smallestValues). Saves a caller's own
 * finiteness pass over x.
 */
export function smallestValuesIfFinite(x: Float64Array, count: number): Float64Array | null {
  const plan = candidatePlan(typedLength(x), count);
  return plan ? nativeSmallestCandidates(x, count, plan.stride, plan.r, plan.cap, true) : null;
}

/** smallestValues' sample stride, sample size m, threshold rank r and capacity; null: copy all of x. */
function candidatePlan(n: number, count: number): { stride: number; m: number; r: number; cap: number } | null {
  if (n < 256 || count > n / 4) return null;
  const stride = Math.max(1, Math.floor(n / Math.min(n, Math.ceil(5 * Math.sqrt(n)))));
  const m = Math.ceil(n / stride);
  const pm = (count / n) * m;
  const r = Math.ceil(pm + 3 * Math.sqrt(pm) + 4);
  if (r >= m - 1) return null;
  return { stride, m, r, cap: Math.min(n, Math.ceil((2 * n * (r + 1)) / m) + 64) };
}

/**
 * Partial sort by selection (Floyd & Rivest 1975, "Algorithm 489", the variant of d3-array's
 * `quickselect`): rearranges a[left..right] so that a[k] holds the value it would hold if that range
 * were sorted, everything left of k is ≤ a[k] and everything right of it ≥ a[k]. Expected O(n).
 * NaN-free input only.
 */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      // sample a small range around the expected position of k and recurse on it first
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      selectInPlace(a, k, newLeft, newRight);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
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
    const d = x[i]! - m;
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
    const d = x[i]! - m;
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

/**
 * The rows where every column is finite, as new columns (R's `complete.cases`); the input is not
 * changed. A covariance of assets with gaps is taken over these rows.
 */
export function completeCases(columns: readonly Float64Array[]): Float64Array[] {
  const T = columns[0]?.length ?? 0;
  const keep: number[] = [];
  for (let t = 0; t < T; t++) {
    let ok = true;
    for (let j = 0; j < columns.length && ok; j++) ok = Number.isFinite(columns[j]![t]!);
    if (ok) keep.push(t);
  }
  if (keep.length === T) return columns.map((c) => c.slice());
  return columns.map((c) => Float64Array.from(keep, (t) => c[t]!));
}

/** Sample covariance of two equal-length series (ddof default 1). */
export function covariance(x: ArrayLike<number>, y: ArrayLike<number>, ddof = 1): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`covariance: lengths differ (${n} and ${y.length})`);
  if (n - ddof <= 0) return Number.NaN;
  const mx = mean(x), my = mean(y);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - mx) * (y[i]! - my);
  return s / (n - ddof);
}

/** Pearson correlation of two equal-length series. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`correlation: lengths differ (${n} and ${y.length})`);
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx, dy = y[i]! - my;
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
    for (let i = 0; i < n; i++) s += c[i]!;
    const m = s / n;
    if (Number.isNaN(m)) throw new RangeError(`covMatrix: column ${j} contains NaN; drop or fill missing rows first`);
    for (let i = 0; i < n; i++) centred[j * n + i] = c[i]! - m;
  }
  const out = new Matrix(p, p);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    for (let b = a; b < p; b++) {
      const cb = b * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += centred[ca + i]! * centred[cb + i]!;
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
  for (let i = 0; i < p; i++) d[i] = Math.sqrt(c.data[i * p + i]!);
  const out = new Matrix(p, p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) {
    let v = c.data[j * p + i]! / (d[i]! * d[j]!);
    if (v > 1) v = 1;
    else if (v < -1) v = -1;
    out.data[j * p + i] = v;
  }
  return out;
}
