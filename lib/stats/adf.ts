/**
 * Augmented Dickey-Fuller unit-root test, statsmodels `adfuller` semantics.
 *
 * H0: the series has a unit root (the coefficient on the lagged level in
 * Δx_t = ρ·x_{t−1} + Σ_{j=1..p} φ_j Δx_{t−j} + deterministic + ε_t is zero); H1: stationary (ρ < 0).
 * The statistic is the t-value of ρ; p-values are MacKinnon (1994), critical values MacKinnon (2010)
 * for the regression's sample size.
 *
 * Same defaults and choices as statsmodels: maxlag = ceil(12·(n/100)^{1/4}) capped at n/2 − ntrend − 1;
 * with `autolag` every lag 0..maxlag is fitted on the SAME sample (the maxlag one) and the best by
 * AIC/BIC (ties → fewer lags) or by the "t-stat" rule (highest lag whose last t ≥ 1.645, from the top)
 * is refitted on its own, longer sample. Speed: the nested models share one Householder QR.
 *
 * Said, S.E. & Dickey, D.A. (1984), Biometrika 71(3); MacKinnon (1994, 2010); Schwert (1989) for maxlag.
 */
import { checkKeys } from "../data/index.js";
import { mackinnonCriticalValues, mackinnonPValue } from "./mackinnon.js";
import { nestedFits } from "./ols.js";
import { Matrix, type SeriesLike, toSeries } from "./matrix.js";
import { withAdfSummary } from "./summary.js";
import type { ADFAutolag, ADFRegression, ADFResult } from "./results.js";

export type { ADFAutolag, ADFRegression, ADFResult, CriticalValues } from "./results.js";


/** Options of {@link adf}. */
export interface ADFOptions {
  /** Deterministic terms (default "c"). */
  regression?: ADFRegression;
  /** Maximum lag (default ceil(12·(n/100)^{1/4}), capped at floor(n/2) − ntrend − 1). */
  maxlag?: number;
  /** Lag selection (default "AIC"; null uses `maxlag` lags). */
  autolag?: ADFAutolag;
}



/** Builds [trend columns?, level, Δx lags…] (level last when `levelLast`). */
function design(x: Float64Array, dx: Float64Array, lags: number, nrows: number, regression: ADFRegression, withLags: number, trendFirst: boolean, levelLast: boolean): { m: Matrix; y: Float64Array } {
  const n = x.length;
  const ntrend = regression === "n" ? 0 : regression.length;
  const cols = ntrend + 1 + withLags;
  const m = new Matrix(nrows, cols);
  const first = n - 1 - nrows; // index in dx of the first regression row (t)
  const y = dx.slice(first, first + nrows);
  let c = 0;
  const putTrend = () => {
    for (let k = 0; k < ntrend; k++) {
      const off = (c++) * nrows;
      for (let r = 0; r < nrows; r++) m.data[off + r] = k === 0 ? 1 : (r + 1) ** k;
    }
  };
  const putLevel = () => {
    const off = (c++) * nrows;
    for (let r = 0; r < nrows; r++) m.data[off + r] = x[first + r]!;
  };
  const putLags = () => {
    for (let j = 1; j <= withLags; j++) {
      const off = (c++) * nrows;
      for (let r = 0; r < nrows; r++) m.data[off + r] = dx[first + r - j]!;
    }
  };
  void lags;
  if (trendFirst) putTrend();
  if (!levelLast) putLevel();
  putLags();
  if (levelLast) putLevel();
  if (!trendFirst) putTrend();
  return { m, y };
}

/** Augmented Dickey-Fuller test (see module doc). */
export function adf(series: SeriesLike, options: ADFOptions = {}): ADFResult {
  const o = Object.fromEntries(checkKeys("adf", options, ["regression", "autolag", "maxlag"])) as ADFOptions;
  const regression = o.regression ?? "c";
  if (!["n", "c", "ct", "ctt"].includes(regression)) throw new RangeError(`adf: regression must be one of "n", "c", "ct", "ctt", got ${JSON.stringify(regression)}`);
  const autolag = o.autolag === undefined ? "AIC" : o.autolag;
  if (autolag !== null && autolag !== "AIC" && autolag !== "BIC" && autolag !== "t-stat") {
    throw new RangeError(`adf: autolag must be "AIC", "BIC", "t-stat" or null, got ${JSON.stringify(autolag)}`);
  }
  const x = toSeries(series, "adf", "x");
  const n = x.length;
  if (n === 0) throw new RangeError("adf: empty series");
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (!Number.isFinite(v)) throw new RangeError(`adf: x[${i}] is ${v}; drop missing values first`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) throw new RangeError("adf: x is constant; the test is undefined");
  const ntrend = regression === "n" ? 0 : regression.length;
  const cap = Math.floor(n / 2) - ntrend - 1;
  let maxlag: number;
  if (o.maxlag === undefined) {
    maxlag = Math.min(cap, Math.ceil(12 * Math.pow(n / 100, 1 / 4)));
    if (maxlag < 0) throw new RangeError(`adf: ${n} observations are too few for regression "${regression}"`);
  } else {
    maxlag = o.maxlag;
    if (!Number.isInteger(maxlag) || maxlag < 0) throw new RangeError(`adf: maxlag must be a non-negative integer, got ${maxlag}`);
    if (maxlag > cap) throw new RangeError(`adf: maxlag must be ≤ floor(n/2) − ntrend − 1 = ${cap} for n = ${n} and regression "${regression}", got ${maxlag}`);
  }
  const dx = new Float64Array(n - 1);
  for (let i = 0; i < n - 1; i++) dx[i] = x[i + 1]! - x[i]!;

  let usedLag = maxlag;
  let icBest = Number.NaN;
  if (autolag !== null) {
    const rows = n - 1 - maxlag;
    const { m, y } = design(x, dx, maxlag, rows, regression, maxlag, true, false);
    const fits = nestedFits(m, y);
    const startlag = ntrend + 1;
    if (autolag === "t-stat") {
      const stop = 1.6448536269514722;
      let best = startlag + maxlag;
      for (let k = startlag + maxlag; k >= startlag; k--) {
        icBest = Math.abs(fits.tLast[k]!);
        best = k;
        if (icBest >= stop) break;
      }
      usedLag = best - startlag;
    } else {
      const penalty = autolag === "AIC" ? 2 : Math.log(rows);
      let bestIc = Infinity, best = startlag;
      for (let k = startlag; k <= startlag + maxlag; k++) {
        const llf = -0.5 * rows * (Math.log(2 * Math.PI) + Math.log(fits.ssr[k]! / rows) + 1);
        const ic = -2 * llf + penalty * k;
        if (ic < bestIc) (bestIc = ic), (best = k);
      }
      icBest = bestIc;
      usedLag = best - startlag;
    }
  }
  const rows = n - 1 - usedLag;
  const { m, y } = design(x, dx, usedLag, rows, regression, usedLag, true, true);
  const fits = nestedFits(m, y);
  const statistic = fits.tLast[m.cols]!;
  const pValue = mackinnonPValue(statistic, regression, 1);
  const cv = mackinnonCriticalValues(1, regression, rows);
  return Object.freeze(withAdfSummary({
    statistic,
    pValue,
    usedLag,
    nobs: rows,
    criticalValues: Object.freeze({ "1%": cv[0], "5%": cv[1], "10%": cv[2] }),
    icBest,
    maxLag: maxlag,
    regression,
    autolag,
    nullHypothesis: "unit root" as const,
  }));
}
