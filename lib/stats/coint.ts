/**
 * Engle-Granger two-step cointegration test, statsmodels `coint(y0, y1, trend, method="aeg")`.
 *
 * H0: no cointegration (the residual of y on x, with the chosen deterministic terms, has a unit root).
 * Step 1: OLS of y on [x, deterministic terms]; step 2: ADF with regression "n" on its residuals
 * (same maxlag/autolag options). p-values MacKinnon (1994) with N = 1 + number of x series, critical
 * values MacKinnon (2010) for T = nobs − 1 (statsmodels/Stata `egranger` convention). When y and x are
 * (almost) perfectly collinear (R² ≥ 1 − 100·√ε) the statistic is −∞ (statsmodels' behaviour).
 *
 * Engle, R.F. & Granger, C.W.J. (1987), Econometrica 55(2); MacKinnon (1994, 2010).
 */
import { checkKeys } from "../data/index.js";
import { adf, type ADFAutolag } from "./adf.js";
import { mackinnonCriticalValues, mackinnonPValue, type MacKinnonRegression } from "./mackinnon.js";
import { Matrix, type MatrixLike, type SeriesLike, toMatrix, toSeries } from "./matrix.js";
import { fitOLS } from "./ols.js";
import { withCointSummary } from "./summary.js";
import type { CointResult } from "./results.js";

export type { CointResult } from "./results.js";

/** Options of {@link coint}. */
export interface CointOptions {
  /** Deterministic terms of the cointegrating regression: "c" (default), "ct", "ctt", "n". */
  trend?: MacKinnonRegression;
  /** ADF lag selection on the residuals (default "AIC"). */
  autolag?: ADFAutolag;
  /** ADF maximum lag (default: adf's default for the residual length). */
  maxlag?: number;
}


const SQRT_EPS = Math.sqrt(2.220446049250313e-16);

export function coint(y: SeriesLike, x: SeriesLike | MatrixLike, options: CointOptions = {}): CointResult {
  const o = Object.fromEntries(checkKeys("coint", options, ["trend", "autolag", "maxlag"])) as CointOptions;
  const trend = o.trend ?? "c";
  if (!["n", "c", "ct", "ctt"].includes(trend)) throw new RangeError(`coint: trend must be one of "n", "c", "ct", "ctt", got ${JSON.stringify(trend)}`);
  const y0 = toSeries(y, "coint", "y");
  const xm: Matrix =
    x instanceof Float64Array || (Array.isArray(x) && (x.length === 0 || typeof x[0] === "number"))
      ? new Matrix((x as SeriesLike).length, 1, Float64Array.from(x as SeriesLike))
      : toMatrix(x as MatrixLike, "coint");
  const nobs = y0.length;
  if (xm.rows !== nobs) throw new RangeError(`coint: y has ${nobs} observations but x has ${xm.rows}`);
  if (nobs < 4) throw new RangeError(`coint: need more observations, got ${nobs}`);
  for (let i = 0; i < nobs; i++) if (!Number.isFinite(y0[i]!)) throw new RangeError(`coint: y[${i}] is ${y0[i]}; drop missing values first`);
  for (let i = 0; i < xm.data.length; i++) if (!Number.isFinite(xm.data[i]!)) throw new RangeError("coint: x contains NaN or infinite values; drop missing values first");
  const kVars = xm.cols + 1;
  const ntrend = trend === "n" ? 0 : trend.length;
  const design = new Matrix(nobs, xm.cols + ntrend);
  design.data.set(xm.data);
  for (let k = 0; k < ntrend; k++) {
    const off = (xm.cols + k) * nobs;
    for (let r = 0; r < nobs; r++) design.data[off + r] = k === 0 ? 1 : (r + 1) ** k;
  }
  const names = [...Array.from({ length: xm.cols }, (_, j) => `x${j}`), ...["const", "trend", "trend_squared"].slice(0, ntrend)];
  const reg = fitOLS(y0, design, { cov: "nonrobust", useCorrection: false, names });
  let statistic: number;
  let usedLag = 0;
  if (reg.rsquared < 1 - 100 * SQRT_EPS) {
    const r = adf(reg.resid, { regression: "n", autolag: o.autolag === undefined ? "AIC" : o.autolag, ...(o.maxlag !== undefined ? { maxlag: o.maxlag } : {}) });
    statistic = r.statistic;
    usedLag = r.usedLag;
  } else {
    statistic = -Infinity;
  }
  const criticalValues: [number, number, number] = trend === "n" ? [Number.NaN, Number.NaN, Number.NaN] : kVars <= 12 ? mackinnonCriticalValues(kVars, trend, nobs - 1) : [Number.NaN, Number.NaN, Number.NaN];
  const pValue = kVars <= 6 ? mackinnonPValue(statistic, trend, kVars) : Number.NaN;
  return Object.freeze(withCointSummary({
    statistic,
    pValue,
    criticalValues: Object.freeze(criticalValues) as readonly [number, number, number],
    params: reg.params,
    usedLag,
    nobs,
    trend,
    nullHypothesis: "no cointegration" as const,
  }));
}
