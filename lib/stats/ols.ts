/**
 * Ordinary least squares with statsmodels' `OLS(y, X).fit()` conventions: nonrobust covariance
 * scale·(XᵀX)⁻¹ with scale = SSR/(n − rank) and Student-t p-values, or `cov: "HAC"` Newey-West
 * (Bartlett kernel) covariance as `fit(cov_type="HAC", cov_kwds={"maxlags": L})` with normal
 * p-values (statsmodels' `use_t=False` default for robust covariances). R² is centred when the model
 * has a constant (explicit column or implied by the regressors), uncentred otherwise, as statsmodels'
 * `k_constant`. Solved by Householder QR (statsmodels uses a pseudo-inverse; identical up to rounding
 * for full-rank designs). A rank-deficient design throws instead of returning a minimum-norm fit.
 */
import { checkKeys, Panel } from "../data/index.js";
import { choleskyInPlace, choleskySolveInPlace } from "./dense.js";
import { incompleteBeta, normalSf, studentTTwoSided } from "./distributions.js";
import { qrApplyQt, qrDecompose, qrInverseGram, qrIsRankDeficient, qrSolveR, type QRDecomposition } from "./linalg.js";
import { nativeOlsKernels, type OlsKernels } from "./native-linalg.js";
import { dot, Matrix, type MatrixLike, type SeriesLike, toMatrix, toSeries } from "./matrix.js";
import { withOlsSummary } from "./summary.js";
import type { OLSCovType, OLSResult } from "./results.js";

export type { OLSCovType, OLSResult } from "./results.js";


/** Options of {@link ols}. */
export interface OLSOptions {
  /**
   * Prepend a column of ones (default `true`). Like statsmodels `add_constant(has_constant="skip")`,
   * nothing is added when X already has a constant column.
   */
  addConstant?: boolean;
  /** Covariance of the estimates: "nonrobust" (default) or "HAC" (Newey-West). */
  cov?: OLSCovType;
  /** HAC lags (default floor(4·(n/100)^(2/9)), statsmodels' `S_hac_simple` default). */
  maxlags?: number;
  /** HAC small-sample factor n/(n − k) (default `false`, statsmodels' default). */
  useCorrection?: boolean;
  /** Rows with NaN in y or X: "raise" (default) throws, "drop" removes them first. */
  missing?: "raise" | "drop";
}


/** Regressors accepted by {@link ols}: one series, or a matrix (columns = regressors). */
export type Regressors = SeriesLike | MatrixLike;

const DEFAULTS = { addConstant: true, cov: "nonrobust" as OLSCovType, useCorrection: false, missing: "raise" as const };

/** The regressors as column views (no copy) and their names. */
function regressorColumns(x: Regressors): { cols: Float64Array[]; names: string[] } {
  if (x instanceof Float64Array || (Array.isArray(x) && (x.length === 0 || typeof x[0] === "number"))) {
    return { cols: [toSeries(x as SeriesLike, "ols", "X")], names: ["x0"] };
  }
  if (x instanceof Panel) return { cols: [...x.columns], names: [...x.assets] };
  if (Array.isArray(x) && x.every((c) => c instanceof Float64Array)) {
    return { cols: [...(x as readonly Float64Array[])], names: x.map((_, j) => `x${j}`) };
  }
  const m = toMatrix(x as MatrixLike, "ols");
  return { cols: Array.from({ length: m.cols }, (_, j) => m.column(j)), names: Array.from({ length: m.cols }, (_, j) => `x${j}`) };
}

function isConstantColumn(c: Float64Array): boolean {
  const v = c[0]!;
  if (v === 0 || c.length === 0) return false;
  for (let i = 1; i < c.length; i++) if (c[i]!== v) return false;
  return true;
}

/** Ordinary least squares of y on X (statsmodels OLS). */
export function ols(y: SeriesLike, x: Regressors, options: OLSOptions = {}): OLSResult {
  const o = Object.fromEntries(checkKeys("ols", options, ["addConstant", "cov", "maxlags", "useCorrection", "missing"])) as OLSOptions;
  const addConstant = o.addConstant ?? DEFAULTS.addConstant;
  const cov = o.cov ?? DEFAULTS.cov;
  if (cov !== "nonrobust" && cov !== "HAC") throw new RangeError(`ols: cov must be "nonrobust" or "HAC", got ${String(cov)}`);
  const missing = o.missing ?? DEFAULTS.missing;
  if (missing !== "raise" && missing !== "drop") throw new RangeError(`ols: missing must be "raise" or "drop", got ${String(missing)}`);
  const useCorrection = o.useCorrection ?? DEFAULTS.useCorrection;
  let yy = toSeries(y, "ols", "y");
  const reg = regressorColumns(x);
  for (const [j, c] of reg.cols.entries()) {
    if (c.length !== yy.length) throw new RangeError(`ols: y has ${yy.length} observations but X has ${c.length} rows (column ${j})`);
  }
  // one allocation for the design, with the constant first when it is added
  const lead = addConstant && !reg.cols.some(isConstantColumn) ? 1 : 0;
  let xm = new Matrix(yy.length, lead + reg.cols.length);
  if (lead) xm.data.fill(1, 0, yy.length);
  reg.cols.forEach((c, j) => xm.data.set(c, (lead + j) * yy.length));
  const names = lead ? ["const", ...reg.names] : reg.names;
  // missing values
  // rows with NaN: a cheap column scan first, the row list only when something is missing
  // all finite (the usual case): nothing is missing and fitOLS' finiteness check would pass
  if (allFinite(yy) && allFinite(xm.data)) return fitDesign(yy, xm, { cov, maxlags: o.maxlags, useCorrection, names }, true);
  const bad = new Uint8Array(yy.length);
  let nBad = 0;
  for (let i = 0; i < yy.length; i++) if (yy[i]! !== yy[i]!) (bad[i] = 1), nBad++;
  for (let j = 0; j < xm.cols; j++) {
    const c = xm.column(j);
    for (let i = 0; i < c.length; i++) if (c[i]! !== c[i]! && !bad[i]) (bad[i] = 1), nBad++;
  }
  if (nBad > 0 && missing === "raise") throw new RangeError(`ols: row ${bad.indexOf(1)} of y or X is NaN; pass { missing: "drop" } or clean the data`);
  const keep: number[] = [];
  if (nBad > 0) for (let i = 0; i < yy.length; i++) if (!bad[i]) keep.push(i);
  if (nBad > 0) {
    const n = keep.length;
    const ny = new Float64Array(n);
    const nx = new Matrix(n, xm.cols);
    for (let r = 0; r < n; r++) {
      const i = keep[r]!;
      ny[r] = yy[i]!;
      for (let j = 0; j < xm.cols; j++) nx.data[j * n + r] = xm.data[j * xm.rows + i]!;
    }
    yy = ny;
    xm = nx;
  }
  return fitOLS(yy, xm, { cov, maxlags: o.maxlags, useCorrection, names });
}

/** True when every value is finite: v − v is 0 for a finite v and NaN for NaN or ±Infinity (four sums in flight). */
function allFinite(a: Float64Array): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = a.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const v0 = a[i]!, v1 = a[i + 1]!, v2 = a[i + 2]!, v3 = a[i + 3]!;
    s0 += v0 - v0;
    s1 += v1 - v1;
    s2 += v2 - v2;
    s3 += v3 - v3;
  }
  for (; i < n; i++) {
    const v = a[i]!;
    s0 += v - v;
  }
  return s0 + s1 + s2 + s3 === 0;
}

/** Detects statsmodels' `k_constant`: an explicit constant column, or a constant in the column span. */
function detectConstant(x: Matrix, rank: number): number {
  for (let j = 0; j < x.cols; j++) if (isConstantColumn(x.column(j))) return 1;
  const n = x.rows;
  const aug = new Matrix(n, x.cols + 1);
  aug.data.set(x.data);
  aug.data.fill(1, x.cols * n);
  const f = qrDecompose(aug);
  // the ones column adds nothing to the span → implicit constant
  return qrIsRankDeficient(f) === x.cols && rank === x.cols ? 1 : 0;
}

interface FitOptions {
  cov: OLSCovType;
  maxlags?: number | undefined;
  useCorrection: boolean;
  names: readonly string[];
}

/** Fits an already assembled design (no NaN, constant handling done). */
export function fitOLS(y: Float64Array, x: Matrix, o: FitOptions): OLSResult {
  return fitDesign(y, x, o, false);
}

/** {@link fitOLS}; `finite`: every value of y and x is already known to be finite. */
function fitDesign(y: Float64Array, x: Matrix, o: FitOptions, finite: boolean): OLSResult {
  checkDesign(y, x, finite);
  const n = x.rows, p = x.cols;
  const { params, xtxInv } = solveLeastSquares(x, y, o.names);
  const { fitted, resid, ssr } = residuals(x, y, params);
  const rank = p;
  const kConstant = detectConstant(x, rank);
  const dfResid = n - rank;
  const dfModel = rank - kConstant;
  const { ctss, tss } = totalSumsOfSquares(y, kConstant);
  const rsquared = 1 - ssr / tss;
  const rsquaredAdj = 1 - ((n - kConstant) / dfResid) * (1 - rsquared);
  const scale = ssr / dfResid;
  const { covParams, maxlags } = parameterCovariance(x, resid, xtxInv, scale, o);
  const { bse, tvalues, pvalues } = inference(params, covParams, o.cov, dfResid);
  const llf = -0.5 * n * (Math.log(2 * Math.PI) + Math.log(ssr / n) + 1);
  const k = dfModel + kConstant;
  // statsmodels: nonrobust F = (ESS/dfModel)/scale; robust covariances use the Wald form
  const { fvalue, fPvalue } = o.cov === "nonrobust" ? nonrobustF(tss, ssr, dfModel, dfResid, scale) : waldF(x, params, covParams, kConstant, dfResid);
  return Object.freeze(withOlsSummary({
    params,
    bse,
    tvalues,
    pvalues,
    rsquared,
    rsquaredAdj,
    nobs: n,
    dfResid,
    dfModel,
    kConstant,
    resid,
    fittedValues: fitted,
    ssr,
    ess: tss - ssr,
    centeredTss: ctss,
    scale,
    llf,
    aic: -2 * llf + 2 * k,
    bic: -2 * llf + Math.log(n) * k,
    fvalue,
    fPvalue,
    covParams,
    normalizedCovParams: xtxInv,
    covType: o.cov,
    maxlags,
    names: Object.freeze([...o.names]),
  }));
}

function checkDesign(y: Float64Array, x: Matrix, finite: boolean): void {
  const n = x.rows, p = x.cols;
  if (n === 0) throw new RangeError("ols: no observations");
  if (p === 0) throw new RangeError("ols: no regressors");
  if (n <= p) throw new RangeError(`ols: ${n} observations for ${p} regressors; need more observations than regressors`);
  if (finite || (allFinite(y) && allFinite(x.data))) return;
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i]!)) throw new RangeError(`ols: y[${i}] is not finite`);
  const d = x.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) throw new RangeError("ols: X contains non-finite values");
}

/**
 * Coefficients and (XᵀX)⁻¹. Well-conditioned designs: equilibrated normal equations + one refinement
 * step (corrected semi-normal equations; error ~ κ(XᵀX)·ε ≤ 1e-11 under the guard). Otherwise
 * Householder QR, which names a collinear column.
 */
function solveLeastSquares(x: Matrix, y: Float64Array, names: readonly string[]): { params: Float64Array; xtxInv: Matrix } {
  const solved = gramSolve(x, y);
  if (solved) return solved;
  const f = qrDecompose(x);
  const bad = qrIsRankDeficient(f);
  if (bad >= 0) throw new RangeError(`ols: singular design matrix (column ${bad} "${names[bad] ?? bad}" is constant zero or collinear with earlier columns)`);
  return { params: qrSolveR(f, qrApplyQt(f, y)), xtxInv: qrInverseGram(f) };
}

/** Fitted values X·b, residuals y − X·b and their sum of squares. */
function residuals(x: Matrix, y: Float64Array, params: Float64Array): { fitted: Float64Array; resid: Float64Array; ssr: number } {
  const n = x.rows, p = x.cols;
  const kernels = nativeOlsKernels();
  if (kernels) {
    const fitted = new Float64Array(n), resid = new Float64Array(n);
    return { fitted, resid, ssr: kernels.olsResiduals(x.data, n, p, y, params, fitted, resid) };
  }
  const d = x.data;
  const fitted = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    const b = params[j]!;
    const c = j * n;
    for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + d[c + i]! * b;
  }
  const resid = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i]! - fitted[i]!;
    resid[i] = r;
    ssr += r * r;
  }
  return { fitted, resid, ssr };
}

/** Σ(y − ȳ)² and the total sum of squares R² is measured against (centred with a constant, else uncentred). */
function totalSumsOfSquares(y: Float64Array, kConstant: number): { ctss: number; tss: number } {
  const n = y.length;
  let ybar = 0;
  for (let i = 0; i < n; i++) ybar += y[i]!;
  ybar /= n;
  let ctss = 0, utss = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    ctss += (v - ybar) * (v - ybar);
    utss += v * v;
  }
  return { ctss, tss: kConstant ? ctss : utss };
}

/** Covariance of the estimates: scale·(XᵀX)⁻¹, or Newey-West HAC with its lag count. */
function parameterCovariance(x: Matrix, resid: Float64Array, xtxInv: Matrix, scale: number, o: FitOptions): { covParams: Matrix; maxlags: number } {
  const p = x.cols;
  if (o.cov === "nonrobust") return { covParams: new Matrix(p, p, xtxInv.data.map((v) => v * scale)), maxlags: 0 };
  const maxlags = o.maxlags ?? Math.floor(4 * (x.rows / 100) ** (2 / 9));
  if (!Number.isInteger(maxlags) || maxlags < 0) throw new RangeError(`ols: maxlags must be a non-negative integer, got ${o.maxlags}`);
  return { covParams: hacCovariance(x, resid, xtxInv, maxlags, o.useCorrection), maxlags };
}

/** Standard errors, t-values and two-sided p-values (Student t for "nonrobust", normal for "HAC"). */
function inference(params: Float64Array, covParams: Matrix, cov: OLSCovType, dfResid: number): { bse: Float64Array; tvalues: Float64Array; pvalues: Float64Array } {
  const p = params.length;
  const bse = new Float64Array(p);
  const tvalues = new Float64Array(p);
  const pvalues = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const se = Math.sqrt(covParams.data[j * p + j]!);
    bse[j] = se;
    const t = params[j]! / se;
    tvalues[j] = t;
    pvalues[j] = cov === "nonrobust" ? studentTTwoSided(t, dfResid) : 2 * normalSf(Math.abs(t));
  }
  return { bse, tvalues, pvalues };
}

/** statsmodels' nonrobust F: (ESS/dfModel)/scale against F(dfModel, dfResid). */
function nonrobustF(tss: number, ssr: number, dfModel: number, dfResid: number, scale: number): { fvalue: number; fPvalue: number } {
  const fv = dfModel > 0 ? (tss - ssr) / dfModel / scale : Number.NaN;
  return { fvalue: fv, fPvalue: fSf(fv, dfModel, dfResid) };
}

/**
 * Normal-equations solve on the column-equilibrated design, accepted only when p·trace(G⁻¹) ≤ 1e5
 * (an upper bound on κ(G) for a unit-diagonal G), followed by one step of iterative refinement.
 * Returns null when the guard fails (the caller uses QR).
 */
function gramSolve(x: Matrix, y: Float64Array): { params: Float64Array; xtxInv: Matrix } | null {
  const n = x.rows, p = x.cols;
  const d = x.data;
  const kernels = nativeOlsKernels();
  const moments = kernels ? nativeGramMoments(kernels, x, y) : gramMoments(x, y);
  if (!moments) return null;
  const { scale, g } = moments;
  // Cholesky of G (symmetric, so its row-major and column-major storage agree), pivots above 1e-10
  const l = g.slice();
  if (!choleskyInPlace(l, p, { minPivot: 1e-10 })) return null;
  const cholSolve = (rhs: Float64Array): Float64Array => {
    const z = rhs.slice();
    choleskySolveInPlace(l, p, z);
    return z;
  };
  // G⁻¹ and the conditioning guard
  const ginv = new Float64Array(p * p);
  let trace = 0;
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(p);
    e[j] = 1;
    const col = cholSolve(e);
    ginv.set(col, j * p);
    trace += col[j]!;
  }
  if (!(p * trace <= 1e5)) return null;
  const bs = cholSolve(moments.xty);
  // one refinement step on the residual
  const delta = cholSolve(kernels ? nativeRefineRhs(kernels, x, y, bs, scale) : refineRhs(d, n, p, y, bs, scale));
  const params = new Float64Array(p);
  for (let j = 0; j < p; j++) params[j] = (bs[j]! + delta[j]!) * scale[j]!;
  const xtxInv = new Matrix(p, p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) xtxInv.data[j * p + i] = ginv[j * p + i]! * scale[i]! * scale[j]!;
  return { params, xtxInv };
}

interface GramMoments {
  /** 1/‖x_j‖ per column. */
  scale: Float64Array;
  /** The equilibrated Gram matrix (both triangles). */
  g: Float64Array;
  /** Xᵀy, equilibrated (times scale). */
  xty: Float64Array;
}

/** The column scales, the equilibrated Gram matrix and Xᵀy, or null when a column's ‖x_j‖² is not positive and finite. */
function gramMoments(x: Matrix, y: Float64Array): GramMoments | null {
  const n = x.rows, p = x.cols;
  const d = x.data;
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const ss = dot(d, j * n, d, j * n, n);
    if (!(ss > 0) || !Number.isFinite(ss)) return null;
    scale[j] = 1 / Math.sqrt(ss);
  }
  const g = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const s = dot(d, a * n, d, b * n, n) * scale[a]! * scale[b]!;
      g[b * p + a] = s;
      g[a * p + b] = s;
    }
  }
  const xty = new Float64Array(p);
  for (let j = 0; j < p; j++) xty[j] = dot(d, j * n, y, 0, n) * scale[j]!;
  return { scale, g, xty };
}

/** {@link gramMoments} by the addon (the same sums in the same order: the same bits). */
function nativeGramMoments(k: OlsKernels, x: Matrix, y: Float64Array): GramMoments | null {
  const p = x.cols;
  const out = new Float64Array(p * p + 2 * p);
  if (!k.olsGram(x.data, x.rows, p, y, out)) return null;
  return { scale: out.subarray(0, p), g: out.subarray(p, p + p * p), xty: out.subarray(p + p * p) };
}

/** Xᵀr·scale for the refinement residual r = y − Σ_j x_j·(bs_j·scale_j) (columns subtracted in order). */
function refineRhs(d: Float64Array, n: number, p: number, y: Float64Array, bs: Float64Array, scale: Float64Array): Float64Array {
  const r = y.slice();
  for (let j = 0; j < p; j++) {
    const bj = bs[j]! * scale[j]!;
    const c = j * n;
    for (let i = 0; i < n; i++) r[i] = r[i]! - d[c + i]! * bj;
  }
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) out[j] = dot(d, j * n, r, 0, n) * scale[j]!;
  return out;
}

/** {@link refineRhs} by the addon (same bits). */
function nativeRefineRhs(k: OlsKernels, x: Matrix, y: Float64Array, bs: Float64Array, scale: Float64Array): Float64Array {
  const out = new Float64Array(x.cols);
  k.olsRefineRhs(x.data, x.rows, x.cols, y, bs, scale, out);
  return out;
}

/**
 * Newey-West: (XᵀX)⁻¹ · S · (XᵀX)⁻¹ with S = Γ_0 + Σ_{l=1..L} w_l (Γ_l + Γ_lᵀ), Bartlett
 * w_l = 1 − l/(L+1), Γ_l[a, b] = Σ_t u_t x_ta · u_{t−l} x_{t−l,b}. The lag sum is taken once per
 * column instead of once per pair: with y_b(t) = Σ_l w_l·(xu)_b(t − l), Σ_l w_l Γ_l[a, b] = Σ_t (xu)_a(t)·y_b(t),
 * so the cost is O(n·p·L + n·p²) rather than O(n·p²·L).
 */
function hacCovariance(x: Matrix, resid: Float64Array, h: Matrix, maxlags: number, useCorrection: boolean): Matrix {
  const n = x.rows, p = x.cols;
  const L = Math.min(maxlags, n - 1);
  const weights = new Float64Array(L + 1);
  for (let lag = 1; lag <= L; lag++) weights[lag] = 1 - lag / (maxlags + 1);
  // S = Γ_0 + G + Gᵀ with G = Σ_l w_l Γ_l, i.e. G[a, b] = Σ_t xu_a(t)·y_b(t)
  const { g, g0 } = hacSums(x, resid, weights, L);
  const s = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) s[b * p + a] = g0[Math.min(a, b) * p + Math.max(a, b)]! + (g[a * p + b]! + g[b * p + a]!);
  }
  return sandwich(h, s, p, useCorrection ? n / (n - p) : 1);
}

/** The Bartlett-weighted cross products G and Γ_0 of the scores x_j·u (by the addon when built: same bits). */
function hacSums(x: Matrix, resid: Float64Array, weights: Float64Array, L: number): { g: Float64Array; g0: Float64Array } {
  const n = x.rows, p = x.cols;
  const kernels = nativeOlsKernels();
  if (kernels) {
    const g = new Float64Array(p * p), g0 = new Float64Array(p * p);
    kernels.olsHac(x.data, n, p, resid, weights, L, g, g0);
    return { g, g0 };
  }
  const xd = x.data;
  const xu = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) xu[j * n + i] = xd[j * n + i]! * resid[i]!;
  const y = new Float64Array(n * p);
  for (let b = 0; b < p; b++) bartlettLags(xu, b * n, n, weights, L, y);
  return hacDots(xu, y, n, p);
}

/**
 * y(t) = Σ_{l=1..min(t, L)} w_l·u(t − l) for the n values of u from `off` (written to y from `off`),
 * each y(t) summed over l in order; four t at a time so four independent sums are in flight.
 */
function bartlettLags(u: Float64Array, off: number, n: number, w: Float64Array, L: number, y: Float64Array): void {
  let t = 1;
  for (; t < n && t < L; t++) {
    let acc = 0;
    for (let lag = 1; lag <= t; lag++) acc += w[lag]! * u[off + t - lag]!;
    y[off + t] = acc;
  }
  for (; t + 3 < n; t += 4) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    const base = off + t;
    for (let lag = 1; lag <= L; lag++) {
      const wl = w[lag]!;
      const i = base - lag;
      a0 += wl * u[i]!;
      a1 += wl * u[i + 1]!;
      a2 += wl * u[i + 2]!;
      a3 += wl * u[i + 3]!;
    }
    y[base] = a0;
    y[base + 1] = a1;
    y[base + 2] = a2;
    y[base + 3] = a3;
  }
  for (; t < n; t++) {
    let acc = 0;
    for (let lag = 1; lag <= L; lag++) acc += w[lag]! * u[off + t - lag]!;
    y[off + t] = acc;
  }
}

/**
 * g[a·p + b] = Σ_t u_a(t)·y_b(t) for every a, b and g0[a·p + b] = Σ_t u_a(t)·u_b(t) for b ≥ a (the
 * n-row columns of u and y, column-major, p columns each). One pass over u_a serves two columns b at
 * once and both sums, so up to four independent additions are in flight (each sum still runs over t in order).
 */
function hacDots(u: Float64Array, y: Float64Array, n: number, p: number): { g: Float64Array; g0: Float64Array } {
  const g = new Float64Array(p * p), g0 = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    const ca = a * n;
    let b = 0;
    for (; b + 1 < p; b += 2) {
      const c1 = b * n, c2 = c1 + n;
      let s1 = 0, s2 = 0;
      if (b >= a) {
        let q1 = 0, q2 = 0;
        for (let t = 0; t < n; t++) {
          const ua = u[ca + t]!;
          s1 += ua * y[c1 + t]!;
          s2 += ua * y[c2 + t]!;
          q1 += ua * u[c1 + t]!;
          q2 += ua * u[c2 + t]!;
        }
        g0[a * p + b] = q1;
        g0[a * p + b + 1] = q2;
      } else {
        let q2 = 0;
        for (let t = 0; t < n; t++) {
          const ua = u[ca + t]!;
          s1 += ua * y[c1 + t]!;
          s2 += ua * y[c2 + t]!;
          q2 += ua * u[c2 + t]!;
        }
        if (b + 1 >= a) g0[a * p + b + 1] = q2;
      }
      g[a * p + b] = s1;
      g[a * p + b + 1] = s2;
    }
    if (b < p) {
      const c1 = b * n;
      let s1 = 0, q1 = 0;
      for (let t = 0; t < n; t++) {
        const ua = u[ca + t]!;
        s1 += ua * y[c1 + t]!;
        q1 += ua * u[c1 + t]!;
      }
      g[a * p + b] = s1;
      if (b >= a) g0[a * p + b] = q1;
    }
  }
  return { g, g0 };
}

/** H·S·H (all p×p column-major), times `factor`. */
function sandwich(h: Matrix, s: Float64Array, p: number, factor: number): Matrix {
  const hs = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) {
    const skj = s[j * p + k]!;
    for (let i = 0; i < p; i++) hs[j * p + i] = hs[j * p + i]! + h.data[k * p + i]! * skj;
  }
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) {
    const hkj = h.data[j * p + k]!;
    for (let i = 0; i < p; i++) out[j * p + i] = out[j * p + i]! + hs[k * p + i]! * hkj;
  }
  if (factor !== 1) for (let i = 0; i < out.length; i++) out[i] = out[i]! * factor;
  return new Matrix(p, p, out);
}

/** Wald F of the non-constant coefficients (statsmodels `fvalue`). */
function waldF(x: Matrix, params: Float64Array, cov: Matrix, kConstant: number, dfResid: number): { fvalue: number; fPvalue: number } {
  const p = params.length;
  const idx: number[] = [];
  for (let j = 0; j < p; j++) if (!(kConstant && isConstantColumn(x.column(j)))) idx.push(j);
  const q = idx.length;
  if (q === 0) return { fvalue: Number.NaN, fPvalue: Number.NaN };
  // the sub-covariance, row-major with its lower triangle from cov's lower triangle (cov is column-major)
  const sub = new Float64Array(q * q);
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) sub[a * q + b] = cov.data[idx[b]! * p + idx[a]!]!;
  const rb = Float64Array.from(idx, (j) => params[j]!);
  let f = Number.NaN;
  if (choleskyInPlace(sub, q)) {
    const sol = rb.slice();
    choleskySolveInPlace(sub, q, sol);
    f = 0;
    for (let a = 0; a < q; a++) f += rb[a]! * sol[a]!;
    f /= q;
  }
  return { fvalue: f, fPvalue: fSf(f, q, dfResid) };
}

/** F(d1, d2) survival function. */
export function fDistSf(f: number, d1: number, d2: number): number {
  return fSf(f, d1, d2);
}

function fSf(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return Number.NaN;
  if (f <= 0) return 1;
  const x = d2 / (d2 + d1 * f);
  const y = (d1 * f) / (d2 + d1 * f);
  return incompleteBeta(x, d2 / 2, d1 / 2, y);
}

/**
 * Light-weight nested least squares used by ADF autolag: one Householder QR of the full design gives,
 * for every prefix of k columns, SSR_k and the t-value of column k−1 (the last one), because the
 * QR of X[:, :k] is the first k steps of the QR of X.
 */
export interface NestedFits {
  /** ssr[k] for the model with the first k columns (k = 1..p), index 0 unused. */
  readonly ssr: Float64Array;
  /** tLast[k]: t-value of column k−1 in the model with the first k columns. */
  readonly tLast: Float64Array;
  readonly nobs: number;
}

export function nestedFits(x: Matrix, y: Float64Array): NestedFits {
  const n = x.rows, p = x.cols;
  const f: QRDecomposition = qrDecompose(x);
  const bad = qrIsRankDeficient(f);
  if (bad >= 0) throw new RangeError(`singular regression design (column ${bad} is collinear with earlier columns)`);
  const z = qrApplyQt(f, y);
  const ssr = new Float64Array(p + 1);
  const tLast = new Float64Array(p + 1);
  let tail = 0;
  for (let i = p; i < n; i++) tail += z[i]! ** 2;
  // ssr_k = Σ_{i ≥ k} z_i², accumulated from the full model backwards
  const ssrK = new Float64Array(p + 1);
  ssrK[p] = tail;
  for (let k = p - 1; k >= 1; k--) ssrK[k] = ssrK[k + 1]! + z[k]! ** 2;
  for (let k = 1; k <= p; k++) {
    ssr[k] = ssrK[k]!;
    const scale = ssrK[k]! / (n - k);
    const r = f.rdiag[k - 1]!;
    tLast[k] = (Math.sign(r) * z[k - 1]!) / Math.sqrt(scale);
  }
  return { ssr, tLast, nobs: n };
}
