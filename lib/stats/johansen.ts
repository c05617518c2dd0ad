/**
 * Johansen cointegration rank test, statsmodels `coint_johansen(endog, det_order, k_ar_diff)`.
 *
 * H0 of the trace test at row r: cointegration rank ≤ r (against rank > r); of the maximum-eigenvalue
 * test: rank = r (against r + 1). Steps as statsmodels: detrend the levels with a polynomial of order
 * `detOrder` in linspace(−1, 1) (−1: none), difference, regress the differences and the lagged levels
 * on `kArDiff` lagged differences (both demeaned when detOrder ≥ 0), then solve the generalised
 * symmetric eigenproblem S_k0·S_00⁻¹·S_0k·v = λ·S_kk·v (here via Cholesky of S_kk and `eigh`, so the
 * eigenvectors are S_kk-normalised: vᵀS_kk v = 1, statsmodels' normalisation).
 *
 * Critical values [90 %, 95 %, 99 %] from MacKinnon, Haug & Michelis (1999), J. Applied Econometrics
 * 14(5), as tabulated by J.P. LeSage's `c_sja`/`c_sjt` (n ≤ 12, detOrder −1/0/1; NaN otherwise).
 * Johansen, S. (1991), Econometrica 59(6).
 *
 * Eigenvector signs: statsmodels flips the whole matrix so that its [0,0] entry is positive and keeps
 * LAPACK's arbitrary signs for the other columns; here EVERY column's first non-zero entry is made
 * positive, so column 0 equals statsmodels' and the others equal it up to sign.
 */
import { opt, Panel, readOptions } from "../data/index.js";
import { cholesky, inverse, qrDecompose, qrResiduals, solveLower } from "./linalg.js";
import { eigh } from "./eigen.js";
import { JOHANSEN_MAX_EIG, JOHANSEN_TRACE } from "./johansen-tables.js";
import { dot, gram, Matrix, type MatrixLike, toMatrix } from "./matrix.js";
import { nativeGram } from "./native-linalg.js";
import { withJohansenSummary } from "./summary.js";
import type { JohansenResult } from "./results.js";

export type { JohansenResult } from "./results.js";

/** Options of {@link johansen}. */
export interface JohansenOptions {
  /** −1 no deterministic terms, 0 constant (default), 1 linear trend. */
  detOrder?: number;
  /** Lagged differences in the VECM (default 1). */
  kArDiff?: number;
}


/**
 * S_00, S_k0, S_kk (divided by t) of the residuals of dx and lx regressed on z:
 * S_ab = G_ab − G_az·G_zz⁻¹·G_zb with G the Gram matrix of the columns.
 */
function residualMoments(cols: readonly Float64Array[], n: number, t: number): { skk: Matrix; sk0: Matrix; s00: Matrix } {
  const q = cols.length - 2 * n;
  const m = cols.length;
  // the columns are consecutive views of one buffer (vecmColumns): BLAS dsyrk when the addon is built
  const c0 = cols[0] as Float64Array;
  const g = nativeGram(new Float64Array(c0.buffer, c0.byteOffset, m * t), t, m) ?? gram(cols, t);
  const block = (r0: number, c0: number): Float64Array => {
    const out = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[j * n + i] = g[(c0 + j) * m + r0 + i]!;
    return out;
  };
  const s00 = block(0, 0), sk0 = block(n, 0), skk = block(n, n);
  if (q > 0) {
    // Cholesky of G_zz, then W = L⁻¹·G_z[ab] for the 2n columns dx, lx
    const gzz = new Matrix(q, q);
    for (let j = 0; j < q; j++) for (let i = 0; i < q; i++) gzz.data[j * q + i] = g[(2 * n + j) * m + 2 * n + i]!;
    let l: Matrix;
    try {
      l = cholesky(gzz);
    } catch {
      throw new RangeError("johansen: the lagged differences are collinear; use fewer lags (kArDiff) or check for duplicated series");
    }
    const w: Float64Array[] = [];
    for (let c = 0; c < 2 * n; c++) {
      const rhs = new Float64Array(q);
      for (let i = 0; i < q; i++) rhs[i] = g[c * m + 2 * n + i]!;
      w.push(solveLower(l, rhs));
    }
    const sub = (out: Float64Array, r0: number, c0: number) => {
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[j * n + i] = out[j * n + i]! - dot(w[r0 + i]!, 0, w[c0 + j]!, 0, q);
    };
    sub(s00, 0, 0);
    sub(sk0, n, 0);
    sub(skk, n, n);
  }
  const wrap = (a: Float64Array) => new Matrix(n, n, a.map((v) => v / t));
  return { skk: wrap(skk), sk0: wrap(sk0), s00: wrap(s00) };
}

/** Residuals of the columns of y after OLS on the columns of z; one QR for all columns. */
function residualize(y: Matrix, z: Matrix): Matrix {
  const f = qrDecompose(z);
  const out = new Matrix(y.rows, y.cols);
  for (let j = 0; j < y.cols; j++) out.data.set(qrResiduals(f, y.column(j)), j * y.rows);
  return out;
}

/** Residuals on a polynomial of `order` in linspace(−1, 1, n) (statsmodels' `detrend`); order −1: unchanged. */
function detrend(y: Matrix, order: number): Matrix {
  if (order < 0 || y.cols === 0) return y;
  const n = y.rows;
  if (order === 0) {
    // demeaning (the constant-only regression), exactly
    const out = new Matrix(n, y.cols);
    for (let j = 0; j < y.cols; j++) {
      const c = y.column(j);
      let s = 0;
      for (let i = 0; i < n; i++) s += c[i]!;
      const m = s / n;
      const o = out.column(j);
      for (let i = 0; i < n; i++) o[i] = c[i]! - m;
    }
    return out;
  }
  const v = new Matrix(n, order + 1);
  for (let k = 0; k <= order; k++) {
    for (let i = 0; i < n; i++) {
      const t = n === 1 ? -1 : -1 + (2 * i) / (n - 1);
      v.data[k * n + i] = t ** k;
    }
  }
  return residualize(y, v);
}


export function johansen(data: MatrixLike, options: JohansenOptions = {}): JohansenResult {
  const { detOrder, kArDiff } = readOptions("johansen", options, { detOrder: opt.integer(0, { min: -1 }), kArDiff: opt.integer(1, { min: 0 }) });
  const x0 = toMatrix(data, "johansen");
  const names = data instanceof Panel ? [...data.assets] : Array.from({ length: x0.cols }, (_, j) => `x${j}`);
  const { rows: nobs, cols: neqs } = x0;
  if (neqs < 1) throw new RangeError("johansen: no series");
  if (!allFinite(x0.data)) throw new RangeError("johansen: data contains NaN or infinite values; drop missing rows first");
  const t = nobs - 1 - kArDiff;
  if (t <= neqs * (kArDiff + 1) + 1) throw new RangeError(`johansen: ${nobs} observations are too few for ${neqs} series and kArDiff ${kArDiff}`);
  // detOrder 0: demeaning the levels changes neither the differences nor the (re-demeaned) lagged
  // levels, so it is skipped; detOrder 1 removes the linear trend first
  const endog = detOrder >= 1 ? detrend(x0, detOrder) : x0;
  const cols = vecmColumns(endog, kArDiff, t, detOrder > -1);
  // Residual moment matrices S_ab = R_aᵀR_b/t of the regressions on the lags, from one Gram matrix
  // of [Δx, x_{−1}, lags] by a Schur complement (the numbers of residualising every column, far fewer flops)
  const { skk, sk0, s00 } = residualMoments(cols, neqs, t);
  const { eigenvalues, vectors } = reducedRankEigen(skk, sk0, s00);
  const { trace, maxEig, traceCrit, maxEigCrit } = testStatistics(eigenvalues, t, detOrder);
  return Object.freeze(withJohansenSummary({ trace, maxEig, eigenvalues, eigenvectors: vectors, traceCrit, maxEigCrit, nobs: t, detOrder, kArDiff, names: Object.freeze(names) }));
}

/**
 * The VECM columns, t rows each: Δx_t (rows k..nobs−2 of the differences), x_{t−1} (rows 1..t of the
 * levels: statsmodels' endog[:nobs-k][1:]) and Δx_{t−L}, L = 1..k; each demeaned when `center`
 * (statsmodels' f = 0: demean Δx, x_{−1} and the lags).
 */
function vecmColumns(endog: Matrix, kArDiff: number, t: number, center: boolean): Float64Array[] {
  const n = endog.cols;
  const buf = new Float64Array(t * n * (2 + kArDiff)); // one allocation: column c is buf[c·t, (c + 1)·t)
  const cols = Array.from({ length: n * (2 + kArDiff) }, (_, c) => buf.subarray(c * t, (c + 1) * t));
  for (let j = 0; j < n; j++) {
    const c = endog.column(j);
    differencesInto(cols[j] as Float64Array, c, kArDiff, t);
    (cols[n + j] as Float64Array).set(c.subarray(1, 1 + t));
    for (let lag = 1; lag <= kArDiff; lag++) differencesInto(cols[(1 + lag) * n + j] as Float64Array, c, kArDiff - lag, t);
  }
  if (center) for (let c = 0; c < cols.length; c++) demeanInPlace(cols[c] as Float64Array, t);
  return cols;
}

// The loops below live in their own small functions: inlined into johansen/vecmColumns they were
// compiled on-stack (OSR) and the callers then deoptimised at every call when other code shared the
// process (bench/stats), costing more than the arithmetic.

/** o[r] = c[from + r + 1] − c[from + r], r < t. */
function differencesInto(o: Float64Array, c: Float64Array, from: number, t: number): void {
  for (let r = 0; r < t; r++) o[r] = (c[from + r + 1] as number) - (c[from + r] as number);
}

/** Subtracts the mean of o[0..t) (summed left to right) from each of its values. */
function demeanInPlace(o: Float64Array, t: number): void {
  let s = 0;
  for (let r = 0; r < t; r++) s += o[r] as number;
  const m = s / t;
  for (let r = 0; r < t; r++) o[r] = (o[r] as number) - m;
}

function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i] as number)) return false;
  return true;
}

/**
 * The generalised symmetric problem S_k0·S_00⁻¹·S_0k·v = λ·S_kk·v through the Cholesky factor
 * S_kk = L·Lᵀ: eigenvalues (descending) and eigenvectors v = L⁻ᵀw (columns), each signed so its first
 * non-zero entry is positive.
 */
function reducedRankEigen(skk: Matrix, sk0: Matrix, s00: Matrix): { eigenvalues: Float64Array; vectors: Matrix } {
  // sig = sk0 · s00⁻¹ · sk0ᵀ
  const sig = sk0.multiply(inverse(s00)).multiply(sk0.transpose());
  // generalised symmetric problem via L⁻¹ sig L⁻ᵀ
  const l = cholesky(skk);
  const n = skk.rows;
  const c1 = new Matrix(n, n); // L⁻¹ sig
  for (let j = 0; j < n; j++) c1.data.set(solveLower(l, sig.column(j)), j * n);
  const c2t = c1.transpose(); // (L⁻¹ sig)ᵀ = sig L⁻ᵀ … then L⁻¹ of that
  const c = new Matrix(n, n);
  for (let j = 0; j < n; j++) c.data.set(solveLower(l, c2t.column(j)), j * n);
  for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) {
    const v = 0.5 * (c.data[j * n + i]! + c.data[i * n + j]!);
    c.data[j * n + i] = v;
    c.data[i * n + j] = v;
  }
  const eg = eigh(c, { backend: "ts" });
  const eigenvalues = new Float64Array(n);
  const vectors = new Matrix(n, n);
  for (let jj = 0; jj < n; jj++) {
    const src = n - 1 - jj;
    eigenvalues[jj] = eg.values[src]!;
    // v = L⁻ᵀ w (back substitution with Lᵀ)
    const w = eg.vectors.column(src);
    const v = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = w[i]!;
      for (let k = i + 1; k < n; k++) s -= l.data[i * n + k]! * v[k]!;
      v[i] = s / l.data[i * n + i]!;
    }
    let sign = 1;
    for (let i = 0; i < n; i++) if (v[i]!== 0) {
      sign = v[i]! < 0 ? -1 : 1;
      break;
    }
    for (let i = 0; i < n; i++) vectors.data[jj * n + i] = sign * v[i]!;
  }
  return { eigenvalues, vectors };
}

/** Trace and maximum-eigenvalue statistics with their 90/95/99 % critical values (statsmodels' tables). */
function testStatistics(eigenvalues: Float64Array, t: number, detOrder: number): Pick<JohansenResult, "trace" | "maxEig" | "traceCrit" | "maxEigCrit"> {
  const n = eigenvalues.length;
  const trace = new Float64Array(n);
  const maxEig = new Float64Array(n);
  const traceCrit = new Matrix(n, 3);
  const maxEigCrit = new Matrix(n, 3);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i; k < n; k++) s += Math.log(1 - eigenvalues[k]!);
    trace[i] = -t * s;
    maxEig[i] = -t * Math.log(1 - eigenvalues[i]!);
    const tc = criticalRow(JOHANSEN_TRACE, n - i, detOrder);
    const mc = criticalRow(JOHANSEN_MAX_EIG, n - i, detOrder);
    for (let q = 0; q < 3; q++) {
      traceCrit.data[q * n + i] = tc[q]!;
      maxEigCrit.data[q * n + i] = mc[q]!;
    }
  }
  return { trace, maxEig, traceCrit, maxEigCrit };
}

function criticalRow(table: Readonly<Record<"-1" | "0" | "1", readonly (readonly number[])[]>>, n: number, p: number): readonly number[] {
  if (p < -1 || p > 1 || n < 1 || n > 12) return [Number.NaN, Number.NaN, Number.NaN];
  return (table[String(p) as "-1" | "0" | "1"][n - 1] as readonly number[]) ?? [Number.NaN, Number.NaN, Number.NaN];
}
