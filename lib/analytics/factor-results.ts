/**
 * The result types of the returns-based factor attribution (factor-attribution.ts) and their HTML
 * tables: one regression with HAC inference, each factor's part of the active return, one model's
 * attribution, and the whole result.
 */
import { type Panel } from "../data/index.js";
import { escapeHtml, htmlTable, num, pct } from "./html.js";

/** The factor roles a model can use. */
export type FactorRole = "market" | "smb" | "hml" | "rmw" | "cma" | "mom";

/** Factor models {@link FactorAttributor} can fit. */
export type FactorModelName = "capm" | "ff3" | "carhart4" | "ff5" | "ff5mom";

export const MODEL_ROLES: Readonly<Record<FactorModelName, readonly FactorRole[]>> = {
  capm: ["market"],
  ff3: ["market", "smb", "hml"],
  carhart4: ["market", "smb", "hml", "mom"],
  ff5: ["market", "smb", "hml", "rmw", "cma"],
  ff5mom: ["market", "smb", "hml", "rmw", "cma", "mom"],
};
export const MODEL_NAMES = Object.keys(MODEL_ROLES) as FactorModelName[];

/** One regression with HAC inference. */
export interface FactorRegression {
  /** Factor column names, in the order of `betas`. */
  readonly factors: readonly string[];
  /** Intercept per period. */
  readonly alpha: number;
  /** alpha × periods per year. */
  readonly alphaAnnualized: number;
  readonly alphaTValue: number;
  readonly alphaPValue: number;
  readonly betas: Float64Array;
  /** Newey-West standard errors of the betas. */
  readonly bse: Float64Array;
  readonly tValues: Float64Array;
  /** Two-sided normal p-values (statsmodels' HAC default). */
  readonly pValues: Float64Array;
  readonly rsquared: number;
  readonly rsquaredAdj: number;
  readonly nobs: number;
  readonly maxlags: number;
  /** Residual standard deviation × √(periods per year) (tracking error left unexplained). */
  readonly residualVolatility: number;
}

/** A factor's part of the active return. */
export interface FactorContribution {
  readonly factor: string;
  readonly role: FactorRole;
  /** Active beta β^a_k. */
  readonly exposure: number;
  /** Mean factor return per period. */
  readonly meanFactorReturn: number;
  /** Σ_t β^a_k f_k,t over the window. */
  readonly total: number;
  /** Mean contribution per period × periods per year. */
  readonly annualized: number;
}

/** One model's attribution. */
export interface FactorModelAttribution {
  readonly model: FactorModelName;
  readonly factors: readonly string[];
  /** Portfolio excess return on the factors. */
  readonly exposures: FactorRegression;
  /** Active return on the factors (β^a = exposure differences). */
  readonly active: FactorRegression;
  readonly contributions: readonly FactorContribution[];
  /** Σ of the factor contributions. */
  readonly factorTotal: number;
  /** Σ_t(α_a + ε_a,t): the residual, selection. */
  readonly selectionTotal: number;
  /** selectionTotal/periods × periods per year. */
  readonly selectionAnnualized: number;
  /** Per-period contributions, one column per factor then "selection" (dates = the result's). */
  readonly periodContributions: Panel;
}

/** Result of {@link FactorAttributor.analyzePerformance}. */
export interface FactorAttributionResult {
  readonly frequency: "daily" | "monthly";
  readonly periodsPerYear: number;
  /** Period dates: the factor dates used (French's month starts for monthly factors). */
  readonly dates: Int32Array;
  readonly portfolioReturns: Float64Array;
  /** NaN when no benchmark was given. */
  readonly benchmarkReturns: Float64Array;
  readonly riskFree: Float64Array;
  /** r_p − r_b, or r_p − rf without a benchmark. */
  readonly activeReturns: Float64Array;
  readonly activeBasis: "benchmark" | "risk-free";
  /** Σ_t activeReturns (= factorTotal + selectionTotal of every model). */
  readonly activeTotal: number;
  readonly models: readonly FactorModelAttribution[];
  /** Models not fitted, with the reason (e.g. the data has no RMW/CMA). */
  readonly skipped: readonly { readonly model: FactorModelName; readonly reason: string }[];
  /** The richest fitted model (the tearsheet shows it). */
  readonly primary: FactorModelName;
  /** How the portfolio was aligned with the factors, in words. */
  readonly alignment: string;
  readonly startDate: string;
  readonly endDate: string;
}


const stars = (p: number) => (p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "");

/** The regression and contribution tables of every fitted model. */
export function factorAttributionHtml(a: FactorAttributionResult): string {
  const parts: string[] = [];
  parts.push(`<p class="sa-note">${escapeHtml(`${a.frequency} periods ${a.startDate} … ${a.endDate}; active return vs ${a.activeBasis}; ${a.alignment}. t-statistics: Newey-West (HAC, Bartlett).`)}</p>`);
  for (const m of a.models) {
    const rows: string[][] = [["alpha (annualised)", pct(m.exposures.alphaAnnualized), num(m.exposures.alphaTValue, 2) + stars(m.exposures.alphaPValue), pct(m.active.alphaAnnualized), num(m.active.alphaTValue, 2) + stars(m.active.alphaPValue), "", ""]];
    m.factors.forEach((f, j) => {
      const c = m.contributions[j];
      rows.push([f, num(m.exposures.betas[j]!), num(m.exposures.tValues[j]!, 2) + stars(m.exposures.pValues[j]!), num(m.active.betas[j]!), num(m.active.tValues[j]!, 2) + stars(m.active.pValues[j]!), pct(c?.total ?? Number.NaN), pct(c?.annualized ?? Number.NaN)]);
    });
    rows.push(["selection (residual)", "", "", "", "", pct(m.selectionTotal), pct(m.selectionAnnualized)]);
    rows.push(["active return", "", "", "", "", pct(a.activeTotal), pct((a.activeTotal / a.activeReturns.length) * a.periodsPerYear)]);
    rows.push(["R² / lags", num(m.exposures.rsquared), `${m.exposures.maxlags}`, num(m.active.rsquared), `${m.active.maxlags}`, "", ""]);
    parts.push(htmlTable(["", "β (excess)", "t (NW)", "β (active)", "t (NW)", "contribution Σ", "contribution p.a."], rows, `${m.model}: ${m.exposures.nobs} periods`));
  }
  if (a.skipped.length) parts.push(`<p class="sa-note">${escapeHtml(`not fitted: ${a.skipped.map((s) => `${s.model} (${s.reason})`).join("; ")}`)}</p>`);
  return parts.join("\n");
}
