/**
 * Returns-based factor attribution: time-series regressions of a portfolio on Fama-French factors
 * (CAPM, FF3, Carhart 4 = FF3 + momentum, FF5, FF5 + momentum: every model the factor data has the
 * columns for), with Newey-West (HAC, Bartlett kernel) t-statistics, and the decomposition of the
 * active return into factor contributions and a residual (selection).
 *
 * Regressions (Fama & French 1993, 2015; Carhart 1997):
 *   exposures:  r_p − rf = α + Σ_k β_k f_k + ε
 *   active:     a = r_p − r_b (or r_p − rf without a benchmark) = α_a + Σ_k β^a_k f_k + ε_a
 * Since both use the same design, β^a = β_p − β_b: the active betas are the exposure differences.
 * Contribution of factor k over the window = Σ_t β^a_k f_k,t; selection = Σ_t (α_a + ε_a,t), so
 * contributions + selection = Σ_t a_t exactly (arithmetic, per period; annualised = mean × periods
 * per year). t-statistics are β/se with se from statsmodels' `cov_type="HAC"` (lib/stats `ols`,
 * cross-checked against statsmodels): H0 of each t-test: the coefficient is 0.
 *
 * Frequencies: factors are daily or monthly (found from the dates). Daily portfolio returns meet
 * monthly factors by compounding them to calendar months (Π(1+r) − 1 over the month's trading
 * days; the factor row of the same month, French's month-start dates); the first month is kept
 * only when the returns start by its 7th calendar day and the last only when they run to its 22nd
 * or later, so partial months are not regressed on whole-month factors. Daily factors are matched
 * by date. Days where the portfolio (or the benchmark) return is NaN are left out first. Factor units: French's files are percent (arch) or decimal (linearmodels); `units`
 * "auto" reads percent when the market column's mean |value| exceeds 0.2.
 */
import { checkKeys, type DateLike, fromEpochDay, Panel } from "../data/index.js";
import { ols } from "../stats/index.js";
import { alignDaily, alignMonthly, benchmarkOnDates, type FactorAlignment, medianGap, portfolioOnDates, windowed } from "./factor-alignment.js";
import {
  type FactorAttributionResult,
  factorAttributionHtml,
  type FactorContribution,
  type FactorModelAttribution,
  type FactorModelName,
  type FactorRegression,
  type FactorRole,
  MODEL_NAMES,
  MODEL_ROLES,
} from "./factor-results.js";
import { withDisplay } from "./html.js";

export type { FactorAttributionResult, FactorContribution, FactorModelAttribution, FactorModelName, FactorRegression, FactorRole } from "./factor-results.js";

const ALIASES: Readonly<Record<FactorRole | "rf", readonly string[]>> = {
  market: ["mkt-rf", "mktrf", "mkt_rf", "mkt", "rmrf", "market"],
  smb: ["smb"],
  hml: ["hml"],
  rmw: ["rmw"],
  cma: ["cma"],
  mom: ["mom", "umd", "wml", "momentum"],
  rf: ["rf", "riskfree", "risk_free"],
};

const ATTRIBUTOR_KEYS = ["factors", "benchmark", "columns", "marketIsExcess", "units", "models", "maxlags"] as const;
const ANALYZE_KEYS = ["portfolioReturns", "dates", "startDate", "endDate"] as const;
/** Fewest periods a model is fitted on. */
const MIN_PERIODS = 8;

/** Options of {@link FactorAttributor}. */
export interface FactorAttributorOptions {
  /** Factor returns, daily or monthly (e.g. `loadDataset("linearmodels-french")`); RF is read when present. */
  factors: Panel;
  /**
   * Benchmark daily (or monthly) simple returns: a Float64Array on the portfolio's dates, or a
   * one-column Panel of returns matched by date (default: none — active return = excess over RF).
   */
  benchmark?: Float64Array | readonly number[] | Panel;
  /** Column of each role when the names differ from French's (default: found by name, case-insensitive). */
  columns?: Partial<Record<FactorRole | "rf", string>>;
  /**
   * Whether the market column is already the excess return Mkt − RF, as in French's files (default
   * true). Give false for a raw market return (gmm-finance's `rm`), and RF is subtracted from it.
   */
  marketIsExcess?: boolean;
  /** "percent", "decimal" or "auto" (default "auto", see the module doc). */
  units?: "auto" | "percent" | "decimal";
  /** Models to fit (default: all five; those lacking columns are listed in `skipped`). */
  models?: readonly FactorModelName[];
  /** Newey-West lags (default statsmodels' floor(4·(n/100)^(2/9)) on the number of periods). */
  maxlags?: number;
}

/** Inputs of {@link FactorAttributor.analyzePerformance}. */
export interface AnalyzePerformanceOptions {
  /** Portfolio simple returns (daily or monthly), or a Panel whose first column they are. */
  portfolioReturns: Float64Array | readonly number[] | Panel;
  /** Dates of the returns (default: the Panel's; required for an array). */
  dates?: Int32Array | readonly DateLike[];
  /** First date analysed (default: the first). */
  startDate?: DateLike;
  /** Last date analysed (default: the last). */
  endDate?: DateLike;
}

/** Column of each role: given by option `columns`, else found by name. */
function findRoles(where: string, f: Panel, columns: Partial<Record<FactorRole | "rf", string>> | undefined): Partial<Record<FactorRole | "rf", string>> {
  const roles: Partial<Record<FactorRole | "rf", string>> = {};
  for (const role of [...Object.keys(ALIASES)] as (FactorRole | "rf")[]) {
    const given = columns?.[role];
    if (given !== undefined) {
      if (!f.has(given)) throw new RangeError(`${where}: option columns.${role} names ${JSON.stringify(given)}, which is not a factor column (${f.assets.join(", ")})`);
      roles[role] = given;
      continue;
    }
    const hit = f.assets.find((a) => (ALIASES[role] as readonly string[]).includes(a.trim().toLowerCase()));
    if (hit !== undefined) roles[role] = hit;
  }
  if (roles.market === undefined) throw new RangeError(`${where}: no market factor column among ${f.assets.join(", ")}; name it with option columns.market`);
  return roles;
}

/** 0.01 for factors in percent, 1 for decimals ("auto": percent when the market's mean |value| exceeds 0.2). */
function unitScale(where: string, units: unknown, market: Float64Array): number {
  if (units !== "auto" && units !== "percent" && units !== "decimal") throw new RangeError(`${where}: option units must be "auto", "percent" or "decimal", got ${JSON.stringify(units)}`);
  if (units !== "auto") return units === "percent" ? 0.01 : 1;
  let s = 0;
  let c = 0;
  for (const v of market) if (v === v) (s += Math.abs(v)), c++;
  return c > 0 && s / c > 0.2 ? 0.01 : 1;
}

function checkModels(where: string, models: readonly FactorModelName[]): readonly FactorModelName[] {
  for (const m of models) if (!MODEL_NAMES.includes(m)) throw new RangeError(`${where}: option models has ${JSON.stringify(m)}; allowed: ${MODEL_NAMES.join(", ")}`);
  if (models.length === 0) throw new RangeError(`${where}: option models is empty; give at least one of ${MODEL_NAMES.join(", ")}`);
  return Object.freeze([...models]);
}

function readBenchmark(where: string, b: unknown): Float64Array | Panel | undefined {
  if (b !== undefined && !(b instanceof Panel) && !(b instanceof Float64Array) && !Array.isArray(b)) throw new TypeError(`${where}: option benchmark must be a Float64Array of returns on the portfolio's dates or a Panel of returns`);
  return b === undefined ? undefined : b instanceof Panel || b instanceof Float64Array ? b : Float64Array.from(b as readonly number[]);
}

/** The periods of one analysis, shared by every model fitted on them. */
interface AnalysisPeriods {
  readonly n: number;
  /** Periods per year. */
  readonly ppy: number;
  readonly dates: Int32Array;
  readonly riskFree: Float64Array;
  /** Portfolio return minus RF. */
  readonly excess: Float64Array;
  /** Portfolio return minus the benchmark (or RF). */
  readonly active: Float64Array;
  /** A factor column on the periods, in decimals. */
  column(name: string): Float64Array;
}

/** Regression of `y` on the factor columns `X` with HAC inference. */
function regression(y: Float64Array, X: readonly Float64Array[], names: readonly string[], maxlags: number | undefined, ppy: number): FactorRegression {
  const n = y.length;
  const res = ols(y, X as Float64Array[], { cov: "HAC", ...(maxlags === undefined ? {} : { maxlags }) });
  const k = names.length;
  let ss = 0;
  for (const e of res.resid) ss += e * e;
  return Object.freeze({
    factors: Object.freeze([...names]),
    alpha: res.params[0]!,
    alphaAnnualized: res.params[0]! * ppy,
    alphaTValue: res.tvalues[0]!,
    alphaPValue: res.pvalues[0]!,
    betas: res.params.slice(1, k + 1),
    bse: res.bse.slice(1, k + 1),
    tValues: res.tvalues.slice(1, k + 1),
    pValues: res.pvalues.slice(1, k + 1),
    rsquared: res.rsquared,
    rsquaredAdj: res.rsquaredAdj,
    nobs: res.nobs,
    maxlags: res.maxlags,
    residualVolatility: Math.sqrt(ss / Math.max(1, n - k - 1)) * Math.sqrt(ppy),
  });
}

/** Each factor's contribution β^a_k f_k,t and the selection residual, per period and summed. */
function contributionsOf(p: AnalysisPeriods, names: readonly string[], roles: readonly FactorRole[], X: readonly Float64Array[], act: FactorRegression) {
  const n = p.n;
  const cols: Float64Array[] = [];
  const contributions: FactorContribution[] = [];
  let factorTotal = 0;
  const selection = Float64Array.from(p.active);
  names.forEach((name, j) => {
    const beta = act.betas[j]!;
    const x = X[j] as Float64Array;
    const c = new Float64Array(n);
    let s = 0;
    let sx = 0;
    for (let i = 0; i < n; i++) {
      const v = beta * x[i]!;
      c[i] = v;
      s += v;
      sx += x[i]!;
      selection[i] = selection[i]! - v;
    }
    factorTotal += s;
    cols.push(c);
    contributions.push(Object.freeze({ factor: name, role: roles[j] as FactorRole, exposure: beta, meanFactorReturn: sx / n, total: s, annualized: (s / n) * p.ppy }));
  });
  let selectionTotal = 0;
  for (const v of selection) selectionTotal += v;
  cols.push(selection);
  return { cols, contributions, factorTotal, selectionTotal };
}

export class FactorAttributor {
  readonly factors: Panel;
  readonly frequency: "daily" | "monthly";
  /** Column of each role found in the factors (undefined when absent). */
  readonly roles: Readonly<Partial<Record<FactorRole | "rf", string>>>;
  readonly scale: number;
  readonly models: readonly FactorModelName[];
  readonly maxlags: number | undefined;
  readonly marketIsExcess: boolean;
  readonly #benchmark: Float64Array | Panel | undefined;

  constructor(options: FactorAttributorOptions) {
    const where = "FactorAttributor";
    const o = checkKeys(where, options, ATTRIBUTOR_KEYS);
    const f = o.get("factors");
    if (!(f instanceof Panel)) throw new TypeError(`${where}: option factors must be a Panel of factor returns (e.g. await loadDataset("linearmodels-french"))`);
    if (f.nDates < 3) throw new RangeError(`${where}: option factors has ${f.nDates} dates; need at least 3`);
    this.factors = f;
    this.frequency = medianGap(f.dates) >= 20 ? "monthly" : "daily";
    const roles = findRoles(where, f, o.get("columns") as FactorAttributorOptions["columns"]);
    this.roles = Object.freeze(roles);
    this.scale = unitScale(where, o.get("units") ?? "auto", f.column(roles.market as string));
    this.models = checkModels(where, (o.get("models") as readonly FactorModelName[] | undefined) ?? MODEL_NAMES);
    const maxlags = o.get("maxlags") as number | undefined;
    if (maxlags !== undefined && !(Number.isInteger(maxlags) && maxlags >= 0)) throw new RangeError(`${where}: option maxlags must be a non-negative integer, got ${maxlags}`);
    this.maxlags = maxlags;
    this.marketIsExcess = (o.get("marketIsExcess") as boolean | undefined) ?? true;
    if (typeof this.marketIsExcess !== "boolean") throw new TypeError(`${where}: option marketIsExcess must be true or false`);
    if (!this.marketIsExcess && roles.rf === undefined) throw new RangeError(`${where}: option marketIsExcess is false but the factors have no RF column to subtract; name it with option columns.rf`);
    this.#benchmark = readBenchmark(where, o.get("benchmark"));
  }

  /** Runs every model on the portfolio's returns (see the module doc for the alignment). */
  analyzePerformance(options: AnalyzePerformanceOptions): FactorAttributionResult {
    const where = "analyzePerformance";
    const a = this.#align(where, options);
    const p = this.#periods(a);
    const fitted: FactorModelAttribution[] = [];
    const skipped: { model: FactorModelName; reason: string }[] = [];
    for (const model of this.models) {
      const missing = MODEL_ROLES[model].filter((x) => this.roles[x] === undefined);
      if (missing.length > 0) skipped.push(Object.freeze({ model, reason: `the factor data has no ${missing.map((m) => m.toUpperCase()).join(", ")} column` }));
      else fitted.push(this.#attribute(where, model, p));
    }
    if (fitted.length === 0) throw new RangeError(`${where}: no model could be fitted: ${skipped.map((s) => `${s.model}: ${s.reason}`).join("; ")}`);
    const primary = fitted.reduce((m1, m) => (m.factors.length > m1.factors.length ? m : m1)).model;
    const result: FactorAttributionResult = {
      frequency: this.frequency,
      periodsPerYear: p.ppy,
      dates: p.dates,
      portfolioReturns: a.portfolio,
      benchmarkReturns: a.benchmark ?? new Float64Array(p.n).fill(Number.NaN),
      riskFree: p.riskFree,
      activeReturns: p.active,
      activeBasis: a.benchmark === undefined ? ("risk-free" as const) : ("benchmark" as const),
      activeTotal: p.active.reduce((s, v) => s + v, 0),
      models: Object.freeze(fitted),
      skipped: Object.freeze(skipped),
      primary,
      alignment: a.alignment,
      startDate: fromEpochDay(p.dates[0]!),
      endDate: fromEpochDay(p.dates[p.n - 1]!),
    };
    return Object.freeze(withDisplay(result, factorAttributionHtml));
  }

  /** The options read, the portfolio windowed and matched to the factor periods. */
  #align(where: string, options: AnalyzePerformanceOptions): FactorAlignment {
    const o = checkKeys(where, options, ANALYZE_KEYS);
    const pr = o.get("portfolioReturns");
    if (pr === undefined) throw new TypeError(`${where}: option portfolioReturns is required`);
    const { dates, returns } = portfolioOnDates(where, pr, o.get("dates") as AnalyzePerformanceOptions["dates"]);
    if (returns.length !== dates.length) throw new RangeError(`${where}: ${returns.length} portfolio returns for ${dates.length} dates`);
    const benchmark = benchmarkOnDates(where, this.#benchmark, returns, dates);
    const s = windowed(where, { dates, returns, benchmark }, o.get("startDate") as DateLike | undefined, o.get("endDate") as DateLike | undefined);
    const a = this.frequency === "daily" ? alignDaily(where, this.factors, s) : alignMonthly(this.factors, s);
    if (a.rows.length < MIN_PERIODS) {
      const fr = this.factors.dateRange;
      throw new RangeError(`${where}: only ${a.rows.length} periods overlap the factor data (${fr?.[0]} … ${fr?.[1]}); need at least ${MIN_PERIODS}: choose a window inside the factors' range`);
    }
    return a;
  }

  #periods(a: FactorAlignment): AnalysisPeriods {
    const f = this.factors;
    const rows = a.rows;
    const n = rows.length;
    const column = (name: string): Float64Array => {
      const c = f.column(name);
      return Float64Array.from(rows, (k) => c[k]! * this.scale);
    };
    const rf = this.roles.rf === undefined ? new Float64Array(n) : column(this.roles.rf);
    const yp = a.portfolio;
    const yb = a.benchmark;
    const excess = yp.map((v, i) => v - rf[i]!);
    const active = yb === undefined ? excess : yp.map((v, i) => v - yb[i]!);
    return { n, ppy: this.frequency === "monthly" ? 12 : 252, dates: Int32Array.from(rows, (k) => f.dates[k]!), riskFree: rf, excess, active, column };
  }

  /** One model: the exposure and active regressions and the active return's decomposition. */
  #attribute(where: string, model: FactorModelName, p: AnalysisPeriods): FactorModelAttribution {
    const roles = MODEL_ROLES[model];
    const names = roles.map((x) => this.roles[x] as string);
    const X = names.map((name, j) => {
      const c = p.column(name);
      if (roles[j] === "market" && !this.marketIsExcess) for (let i = 0; i < p.n; i++) c[i] = c[i]! - p.riskFree[i]!;
      return c;
    });
    for (const [j, c] of X.entries()) {
      for (let i = 0; i < p.n; i++) if (!Number.isFinite(c[i]!)) throw new RangeError(`${where}: factor ${names[j]} is missing on ${fromEpochDay(p.dates[i]!)}; choose a window where every factor is present`);
    }
    const exposures = regression(p.excess, X, names, this.maxlags, p.ppy);
    const act = regression(p.active, X, names, this.maxlags, p.ppy);
    const c = contributionsOf(p, names, roles, X, act);
    return Object.freeze({
      model,
      factors: Object.freeze([...names]),
      exposures,
      active: act,
      contributions: Object.freeze(c.contributions),
      factorTotal: c.factorTotal,
      selectionTotal: c.selectionTotal,
      selectionAnnualized: (c.selectionTotal / p.n) * p.ppy,
      periodContributions: new Panel(p.dates, [...names, "selection"], c.cols, { validate: false }),
    });
  }
}

export function factorAttributor(options: FactorAttributorOptions): FactorAttributor {
  return new FactorAttributor(options);
}
