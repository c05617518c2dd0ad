/**
 * The text summaries of the stats results, laid out like statsmodels' `summary()`: an OLS fit's
 * header (R², F, n, information criteria) and its coefficient table (coef, std err, t or z, p,
 * 95 % interval); an ADF test's statistic, p-value, lags, n and critical values; a PCA's
 * eigenvalues and explained variance; an Engle-Granger test's; a Johansen test's statistics against
 * their critical values per rank. One home: the results' `toString`, `util.inspect` and the
 * kernel's inspection (Shift+Tab) all show these.
 */
import { attachText, formatCell } from "../data/index.js";
import { normalPpf, studentTPpf } from "./distributions.js";
import type { ADFResult, CointResult, JohansenResult, OLSResult, PCAResult } from "./results.js";

const WIDTH = 78;
const RULE = "=".repeat(WIDTH);
const THIN = "-".repeat(WIDTH);

/** The fields of an OLS fit the summary shows. */
export type OLSSummaryFields = Pick<OLSResult, "params" | "bse" | "tvalues" | "pvalues" | "rsquared" | "rsquaredAdj" | "nobs" | "dfResid" | "dfModel" | "llf" | "aic" | "bic" | "fvalue" | "fPvalue" | "covType" | "maxlags" | "names">;

/** statsmodels' 4-significant-digit style for header numbers (`0.933`, `211.8`, `6.30e-27`). */
function g4(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return "0.000";
  const ax = Math.abs(x);
  if (ax < 1e-4 || ax >= 1e9) return x.toExponential(2);
  const digits = Math.max(0, 3 - Math.floor(Math.log10(ax)));
  return x.toFixed(Math.min(digits, 4));
}

/** Two `label: value` columns side by side, each 39 characters wide. */
function pairs(rows: readonly [string, string, string, string][]): string[] {
  const half = (label: string, value: string) => `${label}${value.padStart(Math.max(1, 39 - label.length))}`;
  return rows.map(([a, av, b, bv]) => `${half(a, av)}${half(`   ${b}`, bv)}`.trimEnd());
}

function table(header: readonly string[], rows: readonly (readonly string[])[], firstWidth: number, minWidth = 9): string[] {
  const widths = header.map((h, j) => Math.max(j === 0 ? firstWidth : minWidth, h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]! + 1))).join("").trimEnd();
  return [line(header), THIN, ...rows.map(line)];
}

/** statsmodels-like `OLS Regression Results`. */
export function olsSummary(r: OLSSummaryFields): string {
  const robust = r.covType !== "nonrobust";
  const q = robust ? normalPpf(0.975) : studentTPpf(0.975, r.dfResid);
  const head = pairs([
    ["Model:", "OLS", "R-squared:", g4(r.rsquared)],
    ["Method:", "Least Squares", "Adj. R-squared:", g4(r.rsquaredAdj)],
    ["No. Observations:", String(r.nobs), "F-statistic:", g4(r.fvalue)],
    ["Df Residuals:", String(r.dfResid), "Prob (F-statistic):", g4(r.fPvalue)],
    ["Df Model:", String(r.dfModel), "Log-Likelihood:", g4(r.llf)],
    ["Covariance Type:", robust ? `${r.covType} (${r.maxlags} lags)` : r.covType, "AIC:", g4(r.aic)],
    ["", "", "BIC:", g4(r.bic)],
  ]);
  const shown = r.params.length > 30 ? 29 : r.params.length;
  const rows = Array.from({ length: shown }, (_, j) => [
    r.names[j] ?? `x${j}`,
    formatCell(r.params[j]!, 4),
    formatCell(r.bse[j]!, 3),
    formatCell(r.tvalues[j]!, 3),
    Number.isFinite(r.pvalues[j]!) ? r.pvalues[j]!.toFixed(3) : "nan",
    formatCell(r.params[j]! - q * r.bse[j]!, 3),
    formatCell(r.params[j]! + q * r.bse[j]!, 3),
  ]);
  if (shown < r.params.length) rows.push([`… ${r.params.length - shown} more`, "", "", "", "", "", ""]);
  const stat = robust ? "z" : "t";
  const coefs = table(["", "coef", "std err", stat, `P>|${stat}|`, "[0.025", "0.975]"], rows, 14);
  const title = "OLS Regression Results";
  return [title.padStart((WIDTH + title.length) / 2), RULE, ...head, RULE, ...coefs, RULE].join("\n");
}

/** The fields of an ADF test the summary shows. */
export type ADFSummaryFields = Pick<ADFResult, "statistic" | "pValue" | "usedLag" | "nobs" | "criticalValues" | "icBest" | "maxLag" | "regression" | "autolag">;

const REGRESSIONS: Record<string, string> = { n: "none", c: "constant", ct: "constant + trend", ctt: "constant + linear + quadratic trend" };

/** The ADF test as statsmodels' `adfuller` tuple reads, labelled (and the verdict at 5 %). */
export function adfSummary(r: ADFSummaryFields): string {
  const cv = r.criticalValues;
  const lines = [
    "Augmented Dickey-Fuller test (H0: unit root)",
    RULE,
    ...pairs([
      ["ADF statistic:", formatCell(r.statistic, 4), "p-value:", formatCell(r.pValue, 4)],
      ["Lags used:", String(r.usedLag), "Max lag:", String(r.maxLag)],
      ["No. Observations:", String(r.nobs), "Autolag:", r.autolag === null ? "none" : r.autolag],
      ["Deterministic terms:", REGRESSIONS[r.regression] ?? r.regression, "Best IC:", r.autolag === null ? "—" : formatCell(r.icBest, 3)],
    ]),
    THIN,
    `Critical values:   1%: ${formatCell(cv["1%"], 3)}   5%: ${formatCell(cv["5%"], 3)}   10%: ${formatCell(cv["10%"], 3)}`,
    r.statistic < cv["5%"] ? "Unit root rejected at 5% (stationary)." : "Unit root not rejected at 5%.",
    RULE,
  ];
  return lines.join("\n");
}

/** The fields of a PCA the summary shows. */
export type PCASummaryFields = Pick<PCAResult, "eigenvalues" | "explained" | "eigenvectors" | "names">;

/** Each component's eigenvalue, share of variance and cumulative share (at most 20 components). */
export function pcaSummary(r: PCASummaryFields): string {
  const k = r.eigenvalues.length;
  const shown = k > 20 ? 19 : k;
  let cumulative = 0;
  const rows = Array.from({ length: shown }, (_, j) => {
    cumulative += r.explained[j]!;
    return [`PC${j + 1}`, formatCell(r.eigenvalues[j]!, 4), formatCell(r.explained[j]!, 4), formatCell(cumulative, 4)];
  });
  if (shown < k) rows.push([`… ${k - shown} more`, "", "", ""]);
  const p = r.eigenvectors.rows;
  const vars = r.names.length <= 8 ? r.names.join(", ") : `${r.names.slice(0, 7).join(", ")}, … (${r.names.length})`;
  return [`PCA: ${k} of ${p} components; variables ${vars}`, RULE, ...table(["", "eigenvalue", "explained", "cumulative"], rows, 10, 12), RULE].join("\n");
}

/** The fields of an Engle-Granger cointegration test the summary shows. */
export type CointSummaryFields = Pick<CointResult, "statistic" | "pValue" | "criticalValues" | "params" | "usedLag" | "nobs" | "trend">;

/** The Engle-Granger test: statistic, p-value, critical values, the cointegrating coefficients. */
export function cointSummary(r: CointSummaryFields): string {
  const [c1, c5, c10] = r.criticalValues;
  const params = Array.from(r.params, (v) => formatCell(v, 4));
  return [
    "Engle-Granger cointegration test (H0: no cointegration)",
    RULE,
    ...pairs([
      ["Test statistic:", formatCell(r.statistic, 4), "p-value:", formatCell(r.pValue, 4)],
      ["Lags used:", String(r.usedLag), "No. Observations:", String(r.nobs)],
      ["Deterministic terms:", REGRESSIONS[r.trend] ?? r.trend, "", ""],
    ]),
    THIN,
    `Critical values:   1%: ${formatCell(c1, 3)}   5%: ${formatCell(c5, 3)}   10%: ${formatCell(c10, 3)}`,
    `Cointegrating regression coefficients: ${params.length > 8 ? `${params.slice(0, 8).join(", ")}, …` : params.join(", ")}`,
    Number.isNaN(c5) ? "No 5% critical value for this trend." : r.statistic < c5 ? "No cointegration rejected at 5% (cointegrated)." : "No cointegration not rejected at 5%.",
    RULE,
  ].join("\n");
}

/** The fields of a Johansen test the summary shows. */
export type JohansenSummaryFields = Pick<JohansenResult, "trace" | "maxEig" | "eigenvalues" | "traceCrit" | "maxEigCrit" | "nobs" | "detOrder" | "kArDiff" | "names">;

/** The Johansen test: per rank r, the trace and max-eigenvalue statistics beside their 95 % critical values. */
export function johansenSummary(r: JohansenSummaryFields): string {
  const n = r.trace.length;
  const crit = (m: { rows: number; data: Float64Array }, i: number) => m.data[m.rows + i]!; // column 1: 95 %
  const rows = Array.from({ length: Math.min(n, 20) }, (_, i) => [
    `r <= ${i}`,
    formatCell(r.eigenvalues[i]!, 4),
    formatCell(r.trace[i]!, 3),
    formatCell(crit(r.traceCrit, i), 3),
    formatCell(r.maxEig[i]!, 3),
    formatCell(crit(r.maxEigCrit, i), 3),
  ]);
  let rank = 0;
  while (rank < n && r.trace[rank]! > crit(r.traceCrit, rank)) rank++;
  const vars = r.names.length <= 8 ? r.names.join(", ") : `${r.names.slice(0, 7).join(", ")}, … (${r.names.length})`;
  return [
    `Johansen cointegration test: ${n} variables (${vars}), ${r.nobs} observations, det_order ${r.detOrder}, k_ar_diff ${r.kArDiff}`,
    RULE,
    ...table(["", "eigenvalue", "trace", "trace 95%", "max-eig", "max-eig 95%"], rows, 8, 11),
    THIN,
    `Cointegration rank by the trace test at 5%: ${rank}`,
    RULE,
  ].join("\n");
}

/** Gives an OLS result its summary as `toString` / `util.inspect` (call before freezing). */
export const withOlsSummary = <T extends OLSSummaryFields>(r: T): T => attachText(r, olsSummary);
/** Gives an ADF result its summary as `toString` / `util.inspect` (call before freezing). */
export const withAdfSummary = <T extends ADFSummaryFields>(r: T): T => attachText(r, adfSummary);
/** Gives an Engle-Granger result its summary as `toString` / `util.inspect` (call before freezing). */
export const withCointSummary = <T extends CointSummaryFields>(r: T): T => attachText(r, cointSummary);
/** Gives a Johansen result its summary as `toString` / `util.inspect` (call before freezing). */
export const withJohansenSummary = <T extends JohansenSummaryFields>(r: T): T => attachText(r, johansenSummary);
/** Gives a PCA result its summary as `toString` / `util.inspect` (call before freezing). */
export const withPcaSummary = <T extends PCASummaryFields>(r: T): T => attachText(r, pcaSummary);
