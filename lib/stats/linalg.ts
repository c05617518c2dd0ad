/**
 * Dense linear algebra on column-major {@link Matrix}: Cholesky, LU solve/inverse, Householder QR
 * least squares. Hand-written because lib/stats needs them on typed arrays inside hot loops
 * (ADF autolag fits dozens of regressions) without a BLAS; symmetric eigen is in `eigen.ts`.
 */
import { choleskyInPlaceOrThrow } from "./dense.js";
import { Matrix } from "./matrix.js";

const EPS = 2.220446049250313e-16;

/**
 * Lower-triangular L with A = L·Lᵀ (column-major). Only the lower triangle of `a` is read. Throws a
 * RangeError when A is not symmetric positive definite (a non-positive pivot), naming the pivot.
 * Runs the one Cholesky kernel of lib/stats (`dense.ts`) on a row-major copy.
 */
export function cholesky(a: Matrix): Matrix {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`cholesky: matrix must be square, got ${a.rows}×${a.cols}`);
  const ad = a.data;
  // row-major copy whose lower triangle is a's lower triangle (column-major (i, j) is ad[j·n + i])
  const w = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) w[i * n + j] = ad[j * n + i]!;
  choleskyInPlaceOrThrow(w, n, "cholesky");
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) l[j * n + i] = w[i * n + j]!;
  return new Matrix(n, n, l);
}

/** Solves L·x = b (L lower triangular, column-major), in place on a copy of b. */
export function solveLower(l: Matrix, b: ArrayLike<number>): Float64Array {
  const n = l.rows;
  const x = Float64Array.from(b);
  for (let j = 0; j < n; j++) {
    const xj = x[j]! / l.data[j * n + j]!;
    x[j] = xj;
    const cj = j * n;
    for (let i = j + 1; i < n; i++) x[i] = x[i]! - l.data[cj + i]! * xj;
  }
  return x;
}

/** Solves Lᵀ·x = b (L lower triangular), i.e. an upper solve with L's columns as rows. */
export function solveLowerTransposed(l: Matrix, b: ArrayLike<number>): Float64Array {
  const n = l.rows;
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    const ci = i * n;
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l.data[ci + k]! * x[k]!;
    x[i] = s / l.data[ci + i]!;
  }
  return x;
}

/** Solves A·x = b for symmetric positive definite A through its Cholesky factor. */
export function choleskySolveSPD(a: Matrix, b: ArrayLike<number>): Float64Array {
  const l = cholesky(a);
  return solveLowerTransposed(l, solveLower(l, b));
}

/** LU factorisation with partial pivoting (LAPACK getrf semantics); throws on an exactly singular pivot. */
export interface LUDecomposition {
  readonly n: number;
  /** Combined L (unit lower, below the diagonal) and U, column-major. */
  readonly lu: Float64Array;
  /** Row i of PA is row piv[i] of A. */
  readonly piv: Int32Array;
  /** +1 or −1, the permutation's sign. */
  readonly sign: number;
}

export function luDecompose(a: Matrix): LUDecomposition {
  const n = a.rows;
  if (a.cols !== n) throw new RangeError(`luDecompose: matrix must be square, got ${a.rows}×${a.cols}`);
  const lu = a.data.slice();
  const piv = new Int32Array(n);
  for (let i = 0; i < n; i++) piv[i] = i;
  let sign = 1;
  let scale = 0;
  for (let i = 0; i < lu.length; i++) scale = Math.max(scale, Math.abs(lu[i]!));
  for (let k = 0; k < n; k++) {
    const ck = k * n;
    let p = k;
    let big = Math.abs(lu[ck + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[ck + i]!);
      if (v > big) (big = v), (p = i);
    }
    if (!(big > n * EPS * scale)) throw new RangeError(`solve: matrix is singular (pivot ${k} ≈ 0); remove collinear rows/columns`);
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[j * n + k]!;
        lu[j * n + k] = lu[j * n + p]!;
        lu[j * n + p] = t;
      }
      const t = piv[k]!;
      piv[k] = piv[p]!;
      piv[p] = t;
      sign = -sign;
    }
    const d = lu[ck + k]!;
    for (let i = k + 1; i < n; i++) lu[ck + i] = lu[ck + i]! / d;
    for (let j = k + 1; j < n; j++) {
      const cj = j * n;
      const u = lu[cj + k]!;
      if (u === 0) continue;
      for (let i = k + 1; i < n; i++) lu[cj + i] = lu[cj + i]! - lu[ck + i]! * u;
    }
  }
  return Object.freeze({ n, lu, piv, sign });
}

function luSolveVector(f: LUDecomposition, b: ArrayLike<number>): Float64Array {
  const { n, lu, piv } = f;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = b[piv[i]!]!;
  for (let j = 0; j < n; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    for (let i = j + 1; i < n; i++) x[i] = x[i]! - lu[j * n + i]! * xj;
  }
  for (let j = n - 1; j >= 0; j--) {
    const xj = x[j]! / lu[j * n + j]!;
    x[j] = xj;
    for (let i = 0; i < j; i++) x[i] = x[i]! - lu[j * n + i]! * xj;
  }
  return x;
}

/** Solves A·x = b (b a vector → vector; b a Matrix → Matrix of solutions, column by column). */
export function solve(a: Matrix, b: ArrayLike<number>): Float64Array;
export function solve(a: Matrix, b: Matrix): Matrix;
export function solve(a: Matrix, b: ArrayLike<number> | Matrix): Float64Array | Matrix {
  const f = luDecompose(a);
  if (b instanceof Matrix) {
    if (b.rows !== a.rows) throw new RangeError(`solve: A is ${a.rows}×${a.cols} but B has ${b.rows} rows`);
    const out = new Matrix(b.rows, b.cols);
    for (let j = 0; j < b.cols; j++) out.data.set(luSolveVector(f, b.column(j)), j * b.rows);
    return out;
  }
  if (b.length !== a.rows) throw new RangeError(`solve: A is ${a.rows}×${a.cols} but b has ${b.length} values`);
  return luSolveVector(f, b);
}

/** Inverse of a square non-singular matrix (LU with partial pivoting, like numpy.linalg.inv). */
export function inverse(a: Matrix): Matrix {
  return solve(a, Matrix.identity(a.rows));
}

/** Determinant through LU. */
export function determinant(a: Matrix): number {
  let f: LUDecomposition;
  try {
    f = luDecompose(a);
  } catch {
    return 0;
  }
  let d = f.sign;
  for (let i = 0; i < f.n; i++) d *= f.lu[i * f.n + i]!;
  return d;
}

/** Householder QR of an n×p matrix (n ≥ p), compact form. */
export interface QRDecomposition {
  readonly rows: number;
  readonly cols: number;
  /** Householder vectors on and below the diagonal, R strictly above it (column-major). */
  readonly qr: Float64Array;
  /** R's diagonal. */
  readonly rdiag: Float64Array;
  /** Euclidean norm of each original column (for the rank test). */
  readonly colNorms: Float64Array;
}

export function qrDecompose(a: Matrix): QRDecomposition {
  const n = a.rows, p = a.cols;
  if (n < p) throw new RangeError(`qrDecompose: need at least as many rows as columns, got ${n}×${p}`);
  const qr = a.data.slice();
  const rdiag = new Float64Array(p);
  const colNorms = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    const ck = k * n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += qr[ck + i]! ** 2;
    colNorms[k] = Math.sqrt(ss);
  }
  for (let k = 0; k < p; k++) {
    const ck = k * n;
    // column norm with scaling (no overflow/underflow), without Math.hypot's per-call cost
    let big = 0;
    for (let i = k; i < n; i++) big = Math.max(big, Math.abs(qr[ck + i]!));
    let nrm = 0;
    if (big > 0) {
      let ss = 0;
      for (let i = k; i < n; i++) {
        const v = qr[ck + i]! / big;
        ss += v * v;
      }
      nrm = big * Math.sqrt(ss);
    }
    if (nrm !== 0) {
      if (qr[ck + k]! < 0) nrm = -nrm;
      for (let i = k; i < n; i++) qr[ck + i] = qr[ck + i]! / nrm;
      qr[ck + k] = qr[ck + k]! + 1;
      const vkk = qr[ck + k]!;
      for (let j = k + 1; j < p; j++) {
        const cj = j * n;
        let s = 0;
        for (let i = k; i < n; i++) s += qr[ck + i]! * qr[cj + i]!;
        s = -s / vkk;
        for (let i = k; i < n; i++) qr[cj + i] = qr[cj + i]! + s * qr[ck + i]!;
      }
    }
    rdiag[k] = -nrm;
  }
  return Object.freeze({ rows: n, cols: p, qr, rdiag, colNorms });
}

/** Whether the QR factor is rank deficient (a column is, to rounding, a combination of earlier ones). */
export function qrIsRankDeficient(f: QRDecomposition): number {
  const tol = Math.max(f.rows, f.cols) * EPS * 16;
  for (let k = 0; k < f.cols; k++) {
    const r = Math.abs(f.rdiag[k]!);
    if (!(r > tol * f.colNorms[k]!) || f.colNorms[k]! === 0) return k;
  }
  return -1;
}

/** Qᵀ·y (first `rows` entries; entries ≥ cols are the residual rotation). */
export function qrApplyQt(f: QRDecomposition, y: ArrayLike<number>): Float64Array {
  const { rows: n, cols: p, qr } = f;
  const out = Float64Array.from(y);
  for (let k = 0; k < p; k++) {
    const ck = k * n;
    const vkk = qr[ck + k]!;
    if (vkk === 0) continue;
    let s = 0;
    for (let i = k; i < n; i++) s += qr[ck + i]! * out[i]!;
    s = -s / vkk;
    for (let i = k; i < n; i++) out[i] = out[i]! + s * qr[ck + i]!;
  }
  return out;
}

/** Solves R·x = (Qᵀy)[0..p). */
export function qrSolveR(f: QRDecomposition, qty: ArrayLike<number>): Float64Array {
  const { rows: n, cols: p, qr, rdiag } = f;
  const x = new Float64Array(p);
  for (let k = 0; k < p; k++) x[k] = qty[k]!;
  for (let k = p - 1; k >= 0; k--) {
    x[k] = x[k]! / rdiag[k]!;
    const xk = x[k]!;
    const ck = k * n;
    for (let i = 0; i < k; i++) x[i] = x[i]! - xk * qr[ck + i]!;
  }
  return x;
}

/** (RᵀR)⁻¹ = (XᵀX)⁻¹ from the QR factor, as a p×p matrix. */
export function qrInverseGram(f: QRDecomposition): Matrix {
  const { rows: n, cols: p, qr, rdiag } = f;
  // Rinv: upper triangular, column-major p×p
  const rinv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    rinv[j * p + j] = 1 / rdiag[j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += qr[k * n + i]! * rinv[j * p + k]!;
      rinv[j * p + i] = -s / rdiag[i]!;
    }
  }
  const out = new Matrix(p, p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i <= j; i++) {
      let s = 0;
      for (let k = j; k < p; k++) s += rinv[k * p + i]! * rinv[k * p + j]!;
      out.data[j * p + i] = s;
      out.data[i * p + j] = s;
    }
  }
  return out;
}

/** Residuals y − X·b of the least-squares fit, reusing a QR factor (many right-hand sides). */
export function qrResiduals(f: QRDecomposition, y: ArrayLike<number>): Float64Array {
  const { rows: n, cols: p, qr } = f;
  const z = qrApplyQt(f, y);
  for (let k = 0; k < p; k++) z[k] = 0;
  // apply Q = H0 H1 … H(p−1) to [0; z_rest]
  for (let k = p - 1; k >= 0; k--) {
    const ck = k * n;
    const vkk = qr[ck + k]!;
    if (vkk === 0) continue;
    let s = 0;
    for (let i = k; i < n; i++) s += qr[ck + i]! * z[i]!;
    s = -s / vkk;
    for (let i = k; i < n; i++) z[i] = z[i]! + s * qr[ck + i]!;
  }
  return z;
}

/** Least-squares solution of X·b ≈ y by Householder QR; throws on a rank-deficient X. */
export function lstsq(x: Matrix, y: ArrayLike<number>): Float64Array {
  if (y.length !== x.rows) throw new RangeError(`lstsq: X has ${x.rows} rows but y has ${y.length} values`);
  const f = qrDecompose(x);
  const bad = qrIsRankDeficient(f);
  if (bad >= 0) throw new RangeError(`lstsq: design matrix is singular (column ${bad} is collinear with earlier columns or constant zero)`);
  return qrSolveR(f, qrApplyQt(f, y));
}
