/**
 * Typed wrappers of bridges/r/stats.R: Johansen (urca `ca.jo`), ADF (urca `ur.df`), GARCH(1,1)
 * (tseries `garch`) and performance statistics, run in an `RSession` with the data sent as float64.
 *
 * Conventions against lib/stats (statsmodels): urca `ca.jo(ecdet = "none", K = k + 1)` is the VECM with
 * an unrestricted constant and k lagged differences, i.e. statsmodels `coint_johansen(det_order = 0,
 * k_ar_diff = k)` / lib `johansen(…, { detOrder: 0, kArDiff: k })`: the eigenvalues and the trace and
 * max-eigenvalue statistics agree. Critical values do not: urca tabulates Osterwald-Lenum (1992),
 * statsmodels MacKinnon-Haug-Michelis (1999). `ecdet = "const"` (constant restricted to the cointegration
 * space) has no statsmodels counterpart. `ur.df(type = "none" | "drift" | "trend", lags = k)` with fixed
 * lags is `adfuller(regression = "n" | "c" | "ct", maxlag = k, autolag = None)`: same statistic; urca's
 * critical values come from Hamilton's/Fuller's tables, statsmodels' from MacKinnon (2010).
 */
import { checkKeys, opt, Panel, readOptions } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";
import type { RSession } from "./session.js";
import type { PerformanceSummary } from "../../lib/analytics/index.js";

function matrixOf(data: Panel | Matrix): Matrix {
  return data instanceof Matrix ? data : new Matrix(data.nDates, data.nAssets, data.toMatrix());
}
const f64 = (v: unknown): Float64Array => (v instanceof Float64Array ? v : Float64Array.of(Number(v)));
const mat = (v: unknown): Matrix => {
  if (v instanceof Matrix) return v;
  throw new TypeError(`R returned ${typeof v} where a matrix was expected`);
};

async function loaded(r: RSession): Promise<void> {
  await r.load("stats.R", "statarb_performance");
}

/** Options of {@link rJohansen}. */
export interface RJohansenOptions {
  /** urca `ecdet` (default "none": unrestricted constant, statsmodels det_order 0). */
  ecdet?: "none" | "const" | "trend";
  /** Lags in levels, urca `K` (default 2 = one lagged difference). */
  K?: number;
  /** urca `spec` (default "transitory"; the statistics do not depend on it). */
  spec?: "transitory" | "longrun";
}

/** Result of {@link rJohansen}, ordered r = 0 … n−1 like lib/stats `johansen`. */
export interface RJohansenResult {
  readonly trace: Float64Array;
  readonly maxEig: Float64Array;
  readonly eigenvalues: Float64Array;
  /** n × 3 critical values [10 %, 5 %, 1 %] (urca's column order). */
  readonly traceCrit: Matrix;
  readonly maxEigCrit: Matrix;
  readonly eigenvectors: Matrix;
  readonly nobs: number;
}

/** Johansen trace and max-eigenvalue tests with urca `ca.jo`. */
export async function rJohansen(r: RSession, data: Panel | Matrix, options: RJohansenOptions = {}): Promise<RJohansenResult> {
  const o = checkKeys("rJohansen", options, ["ecdet", "K", "spec"]);
  const ecdet = (o.get("ecdet") ?? "none") as string;
  if (!["none", "const", "trend"].includes(ecdet)) throw new RangeError(`rJohansen: option ecdet must be "none", "const" or "trend", got ${JSON.stringify(ecdet)}`);
  const K = (o.get("K") ?? 2) as number;
  if (!Number.isInteger(K) || K < 2) throw new RangeError(`rJohansen: option K must be an integer ≥ 2 (urca's lags in levels), got ${K}`);
  const spec = opt.oneOfValue("rJohansen", "spec", o.get("spec"), "transitory", ["transitory", "longrun"] as const);
  await loaded(r);
  const out = (await r.call("statarb_johansen", { x: matrixOf(data), ecdet, K, spec })) as Record<string, unknown>;
  return Object.freeze({
    trace: f64(out.trace),
    maxEig: f64(out.maxEig),
    eigenvalues: f64(out.eigenvalues),
    traceCrit: mat(out.traceCrit),
    maxEigCrit: mat(out.maxEigCrit),
    eigenvectors: mat(out.eigenvectors),
    nobs: Number(out.nobs),
  });
}

/** Options of {@link rAdf}. */
export interface RAdfOptions {
  /** urca `type` (default "drift"). */
  type?: "none" | "drift" | "trend";
  /** Lagged differences (default 1). */
  lags?: number;
  /** urca `selectlags` (default "Fixed"). */
  selectlags?: "Fixed" | "AIC" | "BIC";
}

/** Result of {@link rAdf}. */
export interface RAdfResult {
  /** τ statistic of the lagged level. */
  readonly statistic: number;
  /** All of urca's statistics (τ, then φ for drift/trend). */
  readonly statistics: Float64Array;
  readonly criticalValues: { readonly "1%": number; readonly "5%": number; readonly "10%": number };
  readonly usedLag: number;
  readonly nobs: number;
  readonly nullHypothesis: "unit root";
}

/** Augmented Dickey-Fuller test with urca `ur.df` (H0: unit root). */
export async function rAdf(r: RSession, series: Float64Array, options: RAdfOptions = {}): Promise<RAdfResult> {
  const o = checkKeys("rAdf", options, ["type", "lags", "selectlags"]);
  const type = (o.get("type") ?? "drift") as string;
  if (!["none", "drift", "trend"].includes(type)) throw new RangeError(`rAdf: option type must be "none", "drift" or "trend", got ${JSON.stringify(type)}`);
  const lags = (o.get("lags") ?? 1) as number;
  if (!Number.isInteger(lags) || lags < 0) throw new RangeError(`rAdf: option lags must be a non-negative integer, got ${lags}`);
  const selectlags = opt.oneOfValue("rAdf", "selectlags", o.get("selectlags"), "Fixed", ["Fixed", "AIC", "BIC"] as const);
  await loaded(r);
  const out = (await r.call("statarb_adf", { x: series, type, lags, selectlags })) as Record<string, unknown>;
  const cv = out.criticalValues as Record<string, number>;
  return Object.freeze({
    statistic: Number(out.statistic),
    statistics: f64(out.statistics),
    criticalValues: Object.freeze({ "1%": Number(cv["1%"]), "5%": Number(cv["5%"]), "10%": Number(cv["10%"]) }),
    usedLag: Number(out.usedLag),
    nobs: Number(out.nobs),
    nullHypothesis: "unit root" as const,
  });
}

/** Result of {@link rGarch}: σ²_t = ω + α ε²_{t−1} + β σ²_{t−1}. */
export interface RGarchResult {
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  /** Asymptotic standard errors of (ω, α, β). */
  readonly se: Float64Array;
  readonly logLik: number;
  /** Fitted conditional standard deviation (NaN for the first observation). */
  readonly conditionalVolatility: Float64Array;
  /** Observations used. */
  readonly nobs: number;
}

/** GARCH(1,1) fitted by tseries `garch` (quasi-ML, zero-mean innovations: demean returns first). */
export async function rGarch(r: RSession, returns: Float64Array): Promise<RGarchResult> {
  for (let i = 0; i < returns.length; i++) if (!Number.isFinite(returns[i] as number)) throw new RangeError(`rGarch: returns[${i}] is ${returns[i]}; drop missing values first`);
  await loaded(r);
  const out = (await r.call("statarb_garch", { x: returns })) as Record<string, unknown>;
  return Object.freeze({
    omega: Number(out.omega),
    alpha: Number(out.alpha),
    beta: Number(out.beta),
    se: f64(out.se),
    logLik: Number(out.logLik),
    conditionalVolatility: f64(out.conditionalVolatility),
    nobs: Number(out.nobs),
  });
}

/** Result of {@link rPerformance}: the statistics lib's `performanceSummary` also computes (empyrical definitions, DESIGN.md), and three of R's own. */
export interface RPerformanceResult
  extends Pick<PerformanceSummary, "annualReturn" | "annualVolatility" | "sharpeRatio" | "sortinoRatio" | "maxDrawdown" | "calmarRatio"> {
  readonly skewness: number;
  readonly excessKurtosis: number;
  readonly historicalVaR95: number;
}

/** Performance statistics computed in R. */
export async function rPerformance(r: RSession, returns: Float64Array, options: { periodsPerYear?: number; riskFree?: number } = {}): Promise<RPerformanceResult> {
  const o = readOptions("rPerformance", options, { periodsPerYear: opt.number(252, { min: 0, open: "min" }), riskFree: opt.number(0) });
  await loaded(r);
  const out = (await r.call("statarb_performance", { r: returns, periods: o.periodsPerYear, rf: o.riskFree })) as Record<string, number>;
  return Object.freeze({ ...(out as unknown as RPerformanceResult) });
}
