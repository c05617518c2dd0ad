/**
 * Dense kernels on row-major `Float64Array`s for the hot loops of lib/signals, lib/portfolio and
 * lib/risk (per-date regressions, the QP's KKT systems, Monte Carlo scenario factors): the ONE
 * Cholesky factorisation of statarb and the triangular solves and LU solve built beside it.
 * lib/stats' `cholesky(Matrix)` (column-major, throwing) runs the same kernel, so every caller gets
 * the same bits. Hand-written because these run inside per-date loops where the allocation and call
 * overhead of a general matrix library dominate.
 *
 * Storage: an n×n matrix is `a[i * n + j]` = A(i, j). The factor L (A = L·Lᵀ) overwrites the lower
 * triangle of `a`; only the lower triangle of `a` is read, the strict upper triangle is left as it was.
 */

/** Options of {@link choleskyInPlace}. */
export interface CholeskyOptions {
  /**
   * A pivot (the diagonal before its square root) must exceed this to count as positive (default 0).
   * A conditioning guard such as OLS' normal equations uses a small positive floor.
   */
  minPivot?: number;
  /**
   * Positive SEMIdefinite input (default `false`): a pivot ≤ `minPivot` gives a zero column of L
   * instead of a failure, so a singular covariance still yields a factor with L·Lᵀ = A (Monte Carlo
   * scenarios of collinear assets).
   */
  semidefinite?: boolean;
}

/**
 * The kernel: factors `a` in place (lower triangle, row-major). Returns −1 on success, or the index
 * j of the first pivot that is not positive, with that pivot's value left in `a[j * n + j]`.
 */
function factor(a: Float64Array, n: number, minPivot: number, semidefinite: boolean): number {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) {
      const v = a[rj + k]!;
      d -= v * v;
    }
    if (!(d > minPivot)) {
      if (!semidefinite) {
        a[rj + j] = d;
        return j;
      }
      a[rj + j] = 0;
      for (let i = j + 1; i < n; i++) a[i * n + j] = 0;
      continue;
    }
    const l = Math.sqrt(d);
    a[rj + j] = l;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s / l;
    }
  }
  return -1;
}

/**
 * Cholesky factor in place: on success the lower triangle of `a` holds L with A = L·Lᵀ and the
 * result is `true`; `false` when A is not positive definite (a pivot ≤ `minPivot`; `a` is then
 * partly overwritten). With `semidefinite: true` it never fails (see {@link CholeskyOptions}).
 */
export function choleskyInPlace(a: Float64Array, n: number, options: CholeskyOptions = {}): boolean {
  return factor(a, n, options.minPivot ?? 0, options.semidefinite ?? false) < 0;
}

/**
 * Like {@link choleskyInPlace} but throws a RangeError naming the failing pivot (`where` prefixes
 * the message).
 */
export function choleskyInPlaceOrThrow(a: Float64Array, n: number, where = "cholesky"): void {
  const j = factor(a, n, 0, false);
  if (j >= 0) throw new RangeError(`${where}: matrix is not positive definite (pivot ${j} is ${a[j * n + j]}); check for collinear or constant columns`);
}

/** Lower factor L (a new row-major array, upper triangle zero) of a positive SEMIdefinite A: zero pivots give zero columns. */
export function choleskySemidefinite(a: Float64Array, n: number): Float64Array {
  const l = Float64Array.from(a);
  factor(l, n, 0, true);
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return l;
}

/** Solves L·Lᵀ·x = b in place in `b`, given the factor from {@link choleskyInPlace} (lower triangle of `l`). */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * b[k]!;
    b[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}

/** Solves A·x = b for symmetric positive definite A (neither argument is changed); throws when A is not positive definite. */
export function solveSPD(a: Float64Array, n: number, b: Float64Array): Float64Array {
  const l = Float64Array.from(a);
  if (factor(l, n, 0, false) >= 0) throw new RangeError("matrix is not positive definite (collinear inputs?)");
  const x = Float64Array.from(b);
  choleskySolveInPlace(l, n, x);
  return x;
}

/**
 * Solves A·x = b for a general square A by Gaussian elimination with partial pivoting (neither
 * argument is changed); `null` when a pivot's magnitude is below 1e-300 (A singular to working
 * precision). For many right-hand sides with the same A use lib/stats' `luDecompose`.
 */
export function solveDense(a: Float64Array, n: number, b: Float64Array): Float64Array | null {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    const p = pivotRow(m, n, c);
    if (p < 0) return null;
    if (p !== c) swapRows(m, x, n, c, p);
    eliminateBelow(m, x, n, c);
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= m[ri + k]! * x[k]!;
    x[i] = s / m[ri + i]!;
  }
  return x;
}

/** Row of the largest |m(r, c)| for r ≥ c (first on ties), or −1 when it is below 1e-300. */
function pivotRow(m: Float64Array, n: number, c: number): number {
  let p = c;
  let best = Math.abs(m[c * n + c]!);
  for (let r = c + 1; r < n; r++) {
    const v = Math.abs(m[r * n + c]!);
    if (v > best) (best = v), (p = r);
  }
  return best < 1e-300 ? -1 : p;
}

function swapRows(m: Float64Array, x: Float64Array, n: number, c: number, p: number): void {
  for (let k = 0; k < n; k++) {
    const t = m[c * n + k]!;
    m[c * n + k] = m[p * n + k]!;
    m[p * n + k] = t;
  }
  const t = x[c]!;
  x[c] = x[p]!;
  x[p] = t;
}

function eliminateBelow(m: Float64Array, x: Float64Array, n: number, c: number): void {
  const rc = c * n;
  const piv = m[rc + c]!;
  for (let r = c + 1; r < n; r++) {
    const rr = r * n;
    const f = m[rr + c]! / piv;
    if (f === 0) continue;
    for (let k = c; k < n; k++) m[rr + k] = m[rr + k]! - f * m[rc + k]!;
    x[r] = x[r]! - f * x[c]!;
  }
}
