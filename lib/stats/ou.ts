/**
 * Mean-reversion estimators for pairs and residual trading:
 * - `hedgeRatio(y, x)`: OLS slope of y on x (with a constant by default).
 * - `halfLife(spread)`: AR(1) of Δs_t = a + b·s_{t−1} + ε, half-life −ln 2 / ln(1 + b) periods.
 * - `ouFit(x)`: Avellaneda & Lee (2010, appendix A) discrete Ornstein-Uhlenbeck fit of the
 *   auxiliary process X (the cumulative residual): X_{n+1} = a + b·X_n + ζ, κ = −ln(b)·periodsPerYear,
 *   m = a/(1 − b), σ = √(Var(ζ)·2κ/(1 − b²)), σ_eq = √(Var(ζ)/(1 − b²)); s-score (X − m)/σ_eq.
 */
import { checkKeys } from "../data/index.js";
import { fitOLS } from "./ols.js";
import { Matrix, type SeriesLike, toSeries } from "./matrix.js";

function finiteSeries(x: SeriesLike, where: string, name: string, min: number): Float64Array {
  const s = toSeries(x, where, name);
  if (s.length < min) throw new RangeError(`${where}: ${name} needs at least ${min} observations, got ${s.length}`);
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(s[i]!)) throw new RangeError(`${where}: ${name}[${i}] is ${s[i]}; drop missing values first`);
  }
  return s;
}

/** Simple regression y = α + β·x (+ε) by QR; returns [α, β] (α = 0 without a constant). */
function simpleRegression(y: Float64Array, x: Float64Array, constant: boolean, where: string): { alpha: number; beta: number; resid: Float64Array } {
  const n = y.length;
  const cols = constant ? 2 : 1;
  const m = new Matrix(n, cols);
  if (constant) m.data.fill(1, 0, n);
  m.data.set(x, constant ? n : 0);
  let r;
  try {
    r = fitOLS(y, m, { cov: "nonrobust", useCorrection: false, names: constant ? ["const", "x"] : ["x"] });
  } catch (e) {
    throw new RangeError(`${where}: ${(e as Error).message.replace(/^ols: /, "")} (is the series constant?)`);
  }
  return { alpha: constant ? r.params[0]! : 0, beta: r.params[cols - 1]!, resid: r.resid as Float64Array };
}

/** Options of {@link hedgeRatio}. */
export interface HedgeRatioOptions {
  /** Include an intercept (default `true`). */
  addConstant?: boolean;
}

/** OLS hedge ratio β of y on x (statsmodels `OLS(y, add_constant(x)).fit().params[1]`). */
export function hedgeRatio(y: SeriesLike, x: SeriesLike, options: HedgeRatioOptions = {}): number {
  const o = Object.fromEntries(checkKeys("hedgeRatio", options, ["addConstant"])) as HedgeRatioOptions;
  const yy = finiteSeries(y, "hedgeRatio", "y", 3);
  const xx = finiteSeries(x, "hedgeRatio", "x", 3);
  if (yy.length !== xx.length) throw new RangeError(`hedgeRatio: y has ${yy.length} values, x has ${xx.length}`);
  return simpleRegression(yy, xx, o.addConstant ?? true, "hedgeRatio").beta;
}

/**
 * Half-life of mean reversion in periods: regress Δs_t on s_{t−1} with a constant, b the slope,
 * half-life = −ln 2 / ln(1 + b). Returns `Infinity` when b ≥ 0 (no mean reversion) and NaN when
 * 1 + b ≤ 0 (explosive oscillation).
 */
export function halfLife(spread: SeriesLike): number {
  const s = finiteSeries(spread, "halfLife", "spread", 4);
  const n = s.length - 1;
  const lag = s.subarray(0, n);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = s[i + 1]! - s[i]!;
  const { beta } = simpleRegression(d, lag, true, "halfLife");
  if (beta >= 0) return Infinity;
  if (1 + beta <= 0) return Number.NaN;
  return -Math.LN2 / Math.log1p(beta);
}

/** Options of {@link ouFit}. */
export interface OUFitOptions {
  /** Periods per year for κ (default 252). */
  periodsPerYear?: number;
  /** Whether the input is the level X (default "level") or its increments (cumulated first, A&L's residual returns). */
  input?: "level" | "increments";
  /** Degrees of freedom of Var(ζ) (default 0: population variance of the AR(1) residuals, SSR/n). */
  ddof?: number;
}

/** Result of {@link ouFit}. */
export interface OUFit {
  /** AR(1) intercept and slope. */
  readonly a: number;
  readonly b: number;
  /** Variance of the AR(1) residuals ζ. */
  readonly varZeta: number;
  /** Speed of mean reversion per year, −ln(b)·periodsPerYear (NaN unless 0 < b < 1). */
  readonly kappa: number;
  /** Equilibrium level a / (1 − b). */
  readonly m: number;
  /** σ = √(Var(ζ)·2κ / (1 − b²)). */
  readonly sigma: number;
  /** Equilibrium standard deviation σ_eq = √(Var(ζ) / (1 − b²)). */
  readonly sigmaEq: number;
  /** Mean-reversion time 1/κ in years, and the half-life ln 2 / κ in periods. */
  readonly tau: number;
  readonly halfLifePeriods: number;
  /** 0 < b < 1. */
  readonly meanReverting: boolean;
  /** s-score of the last observation, (X_last − m)/σ_eq. */
  readonly sScore: number;
  /** Observations used in the AR(1). */
  readonly nobs: number;
}

/** Avellaneda & Lee discrete OU fit (see module doc). */
export function ouFit(series: SeriesLike, options: OUFitOptions = {}): OUFit {
  const o = Object.fromEntries(checkKeys("ouFit", options, ["periodsPerYear", "input", "ddof"])) as OUFitOptions;
  const ppy = o.periodsPerYear ?? 252;
  if (!(ppy > 0)) throw new RangeError(`ouFit: periodsPerYear must be > 0, got ${ppy}`);
  const input = o.input ?? "level";
  if (input !== "level" && input !== "increments") throw new RangeError(`ouFit: input must be "level" or "increments", got ${String(input)}`);
  const ddof = o.ddof ?? 0;
  let x = finiteSeries(series, "ouFit", "series", 4);
  if (input === "increments") {
    const c = new Float64Array(x.length);
    let s = 0;
    for (let i = 0; i < x.length; i++) c[i] = s += x[i]!;
    x = c;
  }
  const n = x.length - 1;
  const { alpha: a, beta: b, resid } = simpleRegression(x.subarray(1), x.subarray(0, n), true, "ouFit");
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += resid[i]! ** 2;
  const varZeta = ssr / (n - ddof);
  const meanReverting = b > 0 && b < 1;
  const kappa = meanReverting ? -Math.log(b) * ppy : Number.NaN;
  const m = a / (1 - b);
  const oneMinusB2 = 1 - b * b;
  const sigma = meanReverting ? Math.sqrt((varZeta * 2 * kappa) / oneMinusB2) : Number.NaN;
  const sigmaEq = meanReverting ? Math.sqrt(varZeta / oneMinusB2) : Number.NaN;
  const last = x[x.length - 1]!;
  return Object.freeze({
    a,
    b,
    varZeta,
    kappa,
    m,
    sigma,
    sigmaEq,
    tau: 1 / kappa,
    halfLifePeriods: (Math.LN2 / kappa) * ppy,
    meanReverting,
    sScore: (last - m) / sigmaEq,
    nobs: n,
  });
}

/**
 * s-score of level x under an OU fit: (x − m)/σ_eq; with `centerM` (the A&L "modified" s-score) the
 * cross-sectional average m̄ is subtracted: (x − (m − m̄))/σ_eq.
 */
export function ouSScore(fit: OUFit, x = 0, centerM = 0): number {
  return (x - (fit.m - centerM)) / fit.sigmaEq;
}

/**
 * A&L modified s-scores of many fits: s_i = −(m_i − mean(m))/σ_eq,i, i.e. X at the end of the
 * regression window is 0 (the cumulative residual of a regression with intercept) and the m's are
 * centred across the cross-section. Non-mean-reverting fits get NaN.
 */
export function ouSScores(fits: readonly OUFit[], options: { center?: boolean } = {}): Float64Array {
  const o = Object.fromEntries(checkKeys("ouSScores", options, ["center"])) as { center?: boolean };
  const center = o.center ?? true;
  let mbar = 0, c = 0;
  for (const f of fits) if (f.meanReverting) (mbar += f.m), c++;
  mbar = center && c > 0 ? mbar / c : 0;
  const out = new Float64Array(fits.length);
  fits.forEach((f, i) => (out[i] = f.meanReverting ? -(f.m - mbar) / f.sigmaEq : Number.NaN));
  return out;
}
