/**
 * The result types of lib/stats' tests and fits (OLS, ADF, Engle-Granger, Johansen, PCA) in one
 * file of types only, so that the modules computing them and summary.ts (their text summaries,
 * which the modules attach) both import them without importing each other. Each module re-exports
 * its own result type.
 */
import type { MacKinnonRegression } from "./mackinnon.js";
import type { Matrix } from "./matrix.js";

/** Covariance estimators of `ols`. */
export type OLSCovType = "nonrobust" | "HAC";

/** Result of `ols`; every array is owned by the result. */
export interface OLSResult {
  /** Coefficients; the constant (when added) is first. */
  readonly params: Float64Array;
  /** Standard errors. */
  readonly bse: Float64Array;
  /** params / bse. */
  readonly tvalues: Float64Array;
  /** Two-sided p-values: Student t(dfResid) for "nonrobust", normal for "HAC". */
  readonly pvalues: Float64Array;
  readonly rsquared: number;
  readonly rsquaredAdj: number;
  readonly nobs: number;
  /** n − rank. */
  readonly dfResid: number;
  /** rank − kConstant. */
  readonly dfModel: number;
  /** 1 when the model has a constant (explicit or implicit), else 0. */
  readonly kConstant: number;
  readonly resid: Float64Array;
  readonly fittedValues: Float64Array;
  /** Sum of squared residuals. */
  readonly ssr: number;
  /** Explained sum of squares (centred when kConstant = 1). */
  readonly ess: number;
  /** Σ(y − ȳ)². */
  readonly centeredTss: number;
  /** ssr / dfResid. */
  readonly scale: number;
  /** Gaussian log-likelihood. */
  readonly llf: number;
  readonly aic: number;
  readonly bic: number;
  /** Wald F statistic of all non-constant coefficients, and its p-value (F(dfModel, dfResid)). */
  readonly fvalue: number;
  readonly fPvalue: number;
  /** Covariance of the estimates (p×p). */
  readonly covParams: Matrix;
  /** (XᵀX)⁻¹ (statsmodels `normalized_cov_params`). */
  readonly normalizedCovParams: Matrix;
  readonly covType: OLSCovType;
  /** HAC lags used (0 for nonrobust). */
  readonly maxlags: number;
  /** Names of the regressors ("const", then x0… or the Panel's assets). */
  readonly names: readonly string[];
}

/** Deterministic terms: "c" constant (default), "ct" + trend, "ctt" + quadratic trend, "n" none. */
export type ADFRegression = MacKinnonRegression;

/** Lag selection: "AIC" (default), "BIC", "t-stat", or null (use maxlag). */
export type ADFAutolag = "AIC" | "BIC" | "t-stat" | null;

/** Critical values at the usual levels. */
export interface CriticalValues {
  readonly "1%": number;
  readonly "5%": number;
  readonly "10%": number;
}

/** Result of `adf`; its shape never depends on the options. */
export interface ADFResult {
  /** t-statistic of the lagged level. */
  readonly statistic: number;
  /** MacKinnon (1994) approximate p-value. */
  readonly pValue: number;
  /** Lags of Δx used. */
  readonly usedLag: number;
  /** Observations in the final regression. */
  readonly nobs: number;
  /** MacKinnon (2010) critical values for `nobs`. */
  readonly criticalValues: CriticalValues;
  /** Best information criterion (AIC/BIC value, or |t| for "t-stat"); NaN when autolag is null. */
  readonly icBest: number;
  /** Largest lag considered. */
  readonly maxLag: number;
  readonly regression: ADFRegression;
  readonly autolag: ADFAutolag;
  readonly nullHypothesis: "unit root";
}

/** Result of `pca`. */
export interface PCAResult {
  /** Eigenvalues, descending (first k). */
  readonly eigenvalues: Float64Array;
  /** Eigenvectors as the k columns of a p×k matrix (loadings). */
  readonly eigenvectors: Matrix;
  /** Share of total variance (trace) of each kept component. */
  readonly explained: Float64Array;
  /** Per-variable means and standard deviations of the data (NaN for "matrix" input). */
  readonly means: Float64Array;
  readonly stds: Float64Array;
  /** Variable names (Panel assets, or x0…). */
  readonly names: readonly string[];
}

/** Result of `coint`. */
export interface CointResult {
  /** ADF t-statistic of the cointegrating residual. */
  readonly statistic: number;
  /** MacKinnon (1994) p-value (NaN when there are more than 6 series). */
  readonly pValue: number;
  /** [1 %, 5 %, 10 %] MacKinnon (2010); NaN for trend "n". */
  readonly criticalValues: readonly [number, number, number];
  /** Cointegrating regression coefficients: one per x series, then the deterministic terms. */
  readonly params: Float64Array;
  /** ADF lags used on the residual. */
  readonly usedLag: number;
  readonly nobs: number;
  readonly trend: MacKinnonRegression;
  readonly nullHypothesis: "no cointegration";
}

/** Result of `johansen`. */
export interface JohansenResult {
  /** Trace statistics for r = 0..n−1 (statsmodels `lr1`). */
  readonly trace: Float64Array;
  /** Maximum-eigenvalue statistics (statsmodels `lr2`). */
  readonly maxEig: Float64Array;
  /** Eigenvalues, descending (statsmodels `eig`). */
  readonly eigenvalues: Float64Array;
  /** Eigenvectors (cointegrating vectors) as columns, n×n (statsmodels `evec`). */
  readonly eigenvectors: Matrix;
  /** n×3 critical values [90 %, 95 %, 99 %] of the trace test (statsmodels `cvt`). */
  readonly traceCrit: Matrix;
  /** n×3 critical values of the max-eigenvalue test (statsmodels `cvm`). */
  readonly maxEigCrit: Matrix;
  /** Observations in the reduced-rank regression. */
  readonly nobs: number;
  readonly detOrder: number;
  readonly kArDiff: number;
  /** Variable names (Panel assets or x0…). */
  readonly names: readonly string[];
}
