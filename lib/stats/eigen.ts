/**
 * The symmetric eigen-decomposition of statarb (`eigh`; every caller in lib/ goes through it):
 * Householder reduction to tridiagonal form, then the
 * implicit QL algorithm with Wilkinson-type shifts on the tridiagonal matrix, accumulating the
 * rotations into the eigenvectors. Pure TypeScript on column-major typed arrays, O(n³); the native
 * path (`native/linalg`, when built: LAPACK's dsyevd algorithm from Debian's OpenBLAS when the build found it, its tridiagonal divide and conquer in the addon,
 * else Eigen's tridiagonalisation + QL) is used for n ≥ 32 and gives the same result up to rounding. Hand-written because no npm package does this on typed arrays near LAPACK speed.
 *
 * Results: eigenvalues ASCENDING (numpy.linalg.eigh order), eigenvectors as columns, each column's
 * sign fixed so that its entry of largest magnitude is positive (first such entry on ties), which
 * makes results deterministic across backends.
 */
import { checkKeys } from "../data/index.js";
import { Matrix } from "./matrix.js";
import { nativeEigh } from "./native-linalg.js";

const EPS = 2.220446049250313e-16;

/** Result of {@link eigh}. */
export interface EighResult {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Eigenvectors as columns (column-major n×n), column j belongs to values[j]. */
  readonly vectors: Matrix;
}

/** Options of {@link eigh}. */
export interface EighOptions {
  /** "auto" (default): native (LAPACK/Eigen) when built and n ≥ 32, else TypeScript; "ts" or "native" force one. */
  backend?: "auto" | "ts" | "native";
}

/** Symmetric eigen-decomposition. Only the lower triangle of `a` is read. */
export function eigh(a: Matrix, options: EighOptions = {}): EighResult {
  const o = Object.fromEntries(checkKeys("eigh", options, ["backend"])) as EighOptions;
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`eigh: matrix must be square, got ${a.rows}×${a.cols}`);
  const backend = o.backend ?? "auto";
  if (backend !== "auto" && backend !== "ts" && backend !== "native") {
    throw new RangeError(`eigh: backend must be "auto", "ts" or "native", got ${String(backend)}`);
  }
  const data = a.data;
  const native = backend === "native" || (backend === "auto" && n >= 32);
  // the addon checks every value itself (the same RangeError), saving a pass over n² values here
  let r = native ? nativeEigh(data, n, true) : null;
  if (!r && !allFinite(data)) throw new RangeError("eigh: matrix contains NaN or infinite values");
  if (native) {
    r ??= nativeEigh(data, n);
    if (r?.final) return Object.freeze({ values: r.values, vectors: new Matrix(n, n, r.vectors) });
    if (r) return finish(r.values, r.vectors, n);
    if (backend === "native") throw new Error("eigh: the native linalg addon is not built (run `npm run build -w native`), use backend \"ts\"");
  }
  const { values, vectors } = eighTs(a.data, n);
  return finish(values, vectors, n);
}

/**
 * x·0 is 0 for every finite x and NaN for NaN or ±Infinity: one branch-free pass. Its own function,
 * so the loop is not compiled on-stack inside eigh (which then deoptimised at every call).
 */
function allFinite(data: Float64Array): boolean {
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i]! * 0;
  return probe === 0;
}

function finish(values: Float64Array, vectors: Float64Array, n: number): EighResult {
  if (isAscending(values)) return fixSignsInPlace(values, vectors, n);
  // ascending order (QL leaves them unordered), then the sign convention
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const v = new Float64Array(n * n);
  const d = new Float64Array(n);
  for (let jj = 0; jj < n; jj++) {
    const j = order[jj]!;
    d[jj] = values[j]!;
    const src = j * n, dst = jj * n;
    let big = 0, sgn = 1;
    for (let i = 0; i < n; i++) {
      const x = vectors[src + i]!;
      const ax = Math.abs(x);
      if (ax > big * (1 + 1e-12)) (big = ax), (sgn = x < 0 ? -1 : 1);
    }
    for (let i = 0; i < n; i++) v[dst + i] = sgn * vectors[src + i]!;
  }
  return Object.freeze({ values: d, vectors: new Matrix(n, n, v) });
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! <= values[i]!)) return false;
  return true;
}

/** The sign convention of {@link finish}, applied in place when the values already ascend (LAPACK's order). */
function fixSignsInPlace(values: Float64Array, vectors: Float64Array, n: number): EighResult {
  for (let j = 0; j < n; j++) {
    const src = j * n;
    let big = 0, sgn = 1;
    for (let i = 0; i < n; i++) {
      const x = vectors[src + i]!;
      const ax = Math.abs(x);
      if (ax > big * (1 + 1e-12)) (big = ax), (sgn = x < 0 ? -1 : 1);
    }
    if (sgn < 0) for (let i = 0; i < n; i++) vectors[src + i] = -vectors[src + i]!;
  }
  return Object.freeze({ values, vectors: new Matrix(n, n, vectors) });
}

/** TypeScript path: returns unsorted values and column-major vectors. */
export function eighTs(input: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = input.slice();
  // symmetrise from the lower triangle
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) a[i * n + j] = a[j * n + i]!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const z = tridiagonalize(a, n, d, e);
  tridiagonalQL(d, e, z, n);
  return { values: d, vectors: z };
}

/**
 * Householder tridiagonalisation of symmetric `a` (full storage, overwritten). Fills d (diagonal)
 * and e (e[k] = T[k+1,k], e[n−1] = 0) and returns Q (column-major) with A = Q·T·Qᵀ.
 */
function tridiagonalize(a: Float64Array, n: number, d: Float64Array, e: Float64Array): Float64Array {
  const vs = new Float64Array(n * n); // Householder vector of step k in column k, rows k+1..n−1
  const betas = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const ck = k * n;
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(a[ck + i]!));
    if (scale === 0) {
      e[k] = 0;
      betas[k] = 0;
      continue;
    }
    let ss = 0;
    for (let i = k + 1; i < n; i++) {
      const x = a[ck + i]! / scale;
      vs[ck + i] = x;
      ss += x * x;
    }
    const x0 = vs[ck + k + 1]!;
    const norm = Math.sqrt(ss);
    const alpha = x0 > 0 ? -norm : norm;
    vs[ck + k + 1] = x0 - alpha;
    const vtv = ss - x0 * x0 + (x0 - alpha) * (x0 - alpha);
    if (vtv === 0) {
      e[k] = a[ck + k + 1]!;
      betas[k] = 0;
      continue;
    }
    const beta = 2 / vtv;
    betas[k] = beta;
    e[k] = alpha * scale;
    // p = β A22 v, over columns of A22 (contiguous)
    for (let i = k + 1; i < n; i++) p[i] = 0;
    for (let j = k + 1; j < n; j++) {
      const vj = vs[ck + j]!;
      if (vj === 0) continue;
      const cj = j * n;
      for (let i = k + 1; i < n; i++) p[i] = p[i]! + a[cj + i]! * vj;
    }
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      p[i] = beta * p[i]!;
      pv += p[i]! * vs[ck + i]!;
    }
    const kk = 0.5 * beta * pv;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - kk * vs[ck + i]!; // w
    // A22 −= v wᵀ + w vᵀ
    for (let j = k + 1; j < n; j++) {
      const cj = j * n;
      const vj = vs[ck + j]!, wj = p[j]!;
      for (let i = k + 1; i < n; i++) a[cj + i] = a[cj + i]! - vs[ck + i]! * wj - p[i]! * vj;
    }
  }
  for (let k = 0; k < n; k++) d[k] = a[k * n + k]!;
  if (n >= 2) e[n - 2] = a[(n - 2) * n + n - 1]!;
  if (n >= 1) e[n - 1] = 0;
  // Q = H0 H1 … H(n−3), accumulated backwards
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 3; k >= 0; k--) {
    const beta = betas[k]!;
    if (beta === 0) continue;
    const ck = k * n;
    for (let j = k + 1; j < n; j++) {
      const cj = j * n;
      let s = 0;
      for (let i = k + 1; i < n; i++) s += vs[ck + i]! * q[cj + i]!;
      s *= beta;
      if (s === 0) continue;
      for (let i = k + 1; i < n; i++) q[cj + i] = q[cj + i]! - s * vs[ck + i]!;
    }
  }
  return q;
}

/** √(a² + b²) without Math.hypot's per-call cost; rescales only when a square could over/underflow. */
function pythag(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  const big = x > y ? x : y;
  if (big === 0) return 0;
  if (big > 1e150 || big < 1e-150) {
    const u = x / big, v = y / big;
    return big * Math.sqrt(u * u + v * v);
  }
  return Math.sqrt(x * x + y * y);
}

/** Implicit QL on the tridiagonal (d, e); rotations are applied to the columns of z. */
function tridiagonalQL(d: Float64Array, e: Float64Array, z: Float64Array, n: number): void {
  // an off-diagonal below ε·‖T‖ is zero to working precision (a backward-stable split); without this
  // absolute test, clusters of (near-)zero eigenvalues of rank-deficient matrices never deflate
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const tiny = EPS * norm;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        const em = Math.abs(e[m]!);
        if (em <= EPS * dd || em <= tiny) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new Error("eigh: QL iteration did not converge");
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = pythag(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        let f = s * e[i]!;
        const b = c * e[i]!;
        r = pythag(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        const ci = i * n, ci1 = (i + 1) * n;
        for (let k = 0; k < n; k++) {
          f = z[ci1 + k]!;
          const zi = z[ci + k]!;
          z[ci1 + k] = s * zi + c * f;
          z[ci + k] = c * zi - s * f;
        }
      }
      if (deflated) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
