/**
 * MacKinnon approximate p-values (1994) and finite-sample critical values (2010) for unit-root and
 * Engle-Granger cointegration t-statistics, evaluated exactly as statsmodels' `mackinnonp` /
 * `mackinnoncrit` (same polynomials, same Horner order, same cut-offs). Tables in `mackinnon-tables.ts`.
 */
import { normalCdf } from "./distributions.js";
import { type MacKinnonRegression, TAU_2010, TAU_LARGEP, TAU_MAX, TAU_MIN, TAU_SMALLP, TAU_STAR } from "./mackinnon-tables.js";

export type { MacKinnonRegression } from "./mackinnon-tables.js";

const REGRESSIONS: readonly MacKinnonRegression[] = ["n", "c", "ct", "ctt"];

function checkRegression(where: string, r: string): MacKinnonRegression {
  if (!REGRESSIONS.includes(r as MacKinnonRegression)) throw new RangeError(`${where}: regression must be one of "n", "c", "ct", "ctt", got ${JSON.stringify(r)}`);
  return r as MacKinnonRegression;
}

/** Horner evaluation of Σ c_i x^i (c in increasing powers). */
function poly(c: readonly number[], x: number): number {
  let s = 0;
  for (let i = c.length - 1; i >= 0; i--) s = s * x + c[i]!;
  return s;
}

/**
 * MacKinnon (1994) approximate asymptotic p-value of a (A)DF / Engle-Granger t-statistic.
 * `n` is the number of I(1) series (1 for ADF, k + 1 for Engle-Granger with k regressors), 1..6.
 * H0: unit root (no cointegration); small p rejects it.
 */
export function mackinnonPValue(teststat: number, regression: MacKinnonRegression = "c", n = 1): number {
  const reg = checkRegression("mackinnonPValue", regression);
  if (!Number.isInteger(n) || n < 1 || n > 6) throw new RangeError(`mackinnonPValue: n (number of I(1) series) must be 1..6, got ${n}`);
  if (Number.isNaN(teststat)) return Number.NaN;
  const i = n - 1;
  if (teststat > TAU_MAX[reg][i]!) return 1;
  if (teststat < TAU_MIN[reg][i]!) return 0;
  const coef = teststat <= TAU_STAR[reg][i]! ? TAU_SMALLP[reg][i]! : TAU_LARGEP[reg][i]!;
  return normalCdf(poly(coef, teststat));
}

/**
 * MacKinnon (2010) critical values [1 %, 5 %, 10 %] for sample size `nobs` (Infinity: asymptotic).
 * `n` = number of I(1) series, 1..12 ("n" regression: 1 only; other n give NaN like statsmodels' coint).
 */
export function mackinnonCriticalValues(n = 1, regression: MacKinnonRegression = "c", nobs = Infinity): [number, number, number] {
  const reg = checkRegression("mackinnonCriticalValues", regression);
  if (!Number.isInteger(n) || n < 1 || n > 12) throw new RangeError(`mackinnonCriticalValues: n must be 1..12, got ${n}`);
  const table = TAU_2010[reg][n - 1];
  if (!table) return [Number.NaN, Number.NaN, Number.NaN];
  const z = 1 / nobs;
  const out = table.map((c) => (nobs === Infinity ? c[0]! : poly(c, z)));
  return [out[0]!, out[1]!, out[2]!];
}
