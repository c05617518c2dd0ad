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
import { type DateLike, fromEpochDay, Panel, toEpochDay, toEpochDays } from "../data/index.js";
import { ols } from "../stats/index.js";
import { compoundByPeriod } from "./time-decomposition.js";
import { factorAttributionHtml, withDisplay } from "./report-tables.js";

/** The factor roles a model can use. */
export type FactorRole = "market" | "smb" | "hml" | "rmw" | "cma" | "mom";

/** Factor models {@link FactorAttributor} can fit. */
export type FactorModelName = "capm" | "ff3" | "carhart4" | "ff5" | "ff5mom";

const MODEL_ROLES: Readonly<Record<FactorModelName, readonly FactorRole[]>> = {
  capm: ["market"],
  ff3: ["market", "smb", "hml"],
  carhart4: ["market", "smb", "hml", "mom"],
  ff5: ["market", "smb", "hml", "rmw", "cma"],
  ff5mom: ["market", "smb", "hml", "rmw", "cma", "mom"],
};
const MODEL_NAMES = Object.keys(MODEL_ROLES) as FactorModelName[];

const ALIASES: Readonly<Record<FactorRole | "rf", readonly string[]>> = {
  market: ["mkt-rf", "mktrf", "mkt_rf", "mkt", "rmrf", "market"],
  smb: ["smb"],
  hml: ["hml"],
  rmw: ["rmw"],
  cma: ["cma"],
  mom: ["mom", "umd", "wml", "momentum"],
  rf: ["rf", "riskfree", "risk_free"],
};

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

function medianGap(dates: Int32Array): number {
  if (dates.length < 2) return Number.NaN;
  const g = new Float64Array(dates.length - 1);
  for (let i = 1; i < dates.length; i++) g[i - 1] = (dates[i] as number) - (dates[i - 1] as number);
  g.sort();
  return g[g.length >> 1] as number;
}

function monthKey(day: number): number {
  const d = new Date(day * 86_400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
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
    if (options === undefined || !(options.factors instanceof Panel)) throw new TypeError(`${where}: option factors must be a Panel of factor returns (e.g. await loadDataset("linearmodels-french"))`);
    const f = options.factors;
    if (f.nDates < 3) throw new RangeError(`${where}: option factors has ${f.nDates} dates; need at least 3`);
    this.factors = f;
    this.frequency = medianGap(f.dates) >= 20 ? "monthly" : "daily";
    const roles: Partial<Record<FactorRole | "rf", string>> = {};
    for (const role of [...Object.keys(ALIASES)] as (FactorRole | "rf")[]) {
      const given = options.columns?.[role];
      if (given !== undefined) {
        if (!f.has(given)) throw new RangeError(`${where}: option columns.${role} names ${JSON.stringify(given)}, which is not a factor column (${f.assets.join(", ")})`);
        roles[role] = given;
        continue;
      }
      const hit = f.assets.find((a) => (ALIASES[role] as readonly string[]).includes(a.trim().toLowerCase()));
      if (hit !== undefined) roles[role] = hit;
    }
    if (roles.market === undefined) throw new RangeError(`${where}: no market factor column among ${f.assets.join(", ")}; name it with option columns.market`);
    this.roles = Object.freeze(roles);
    const units = options.units ?? "auto";
    if (units !== "auto" && units !== "percent" && units !== "decimal") throw new RangeError(`${where}: option units must be "auto", "percent" or "decimal", got ${JSON.stringify(units)}`);
    if (units === "auto") {
      const m = f.column(roles.market);
      let s = 0;
      let c = 0;
      for (const v of m) if (v === v) (s += Math.abs(v)), c++;
      this.scale = c > 0 && s / c > 0.2 ? 0.01 : 1;
    } else this.scale = units === "percent" ? 0.01 : 1;
    const models = options.models ?? MODEL_NAMES;
    for (const m of models) if (!MODEL_NAMES.includes(m)) throw new RangeError(`${where}: option models has ${JSON.stringify(m)}; allowed: ${MODEL_NAMES.join(", ")}`);
    if (models.length === 0) throw new RangeError(`${where}: option models is empty; give at least one of ${MODEL_NAMES.join(", ")}`);
    this.models = Object.freeze([...models]);
    if (options.maxlags !== undefined && !(Number.isInteger(options.maxlags) && options.maxlags >= 0)) throw new RangeError(`${where}: option maxlags must be a non-negative integer, got ${options.maxlags}`);
    this.maxlags = options.maxlags;
    this.marketIsExcess = options.marketIsExcess ?? true;
    if (typeof this.marketIsExcess !== "boolean") throw new TypeError(`${where}: option marketIsExcess must be true or false`);
    if (!this.marketIsExcess && roles.rf === undefined) throw new RangeError(`${where}: option marketIsExcess is false but the factors have no RF column to subtract; name it with option columns.rf`);
    const b = options.benchmark;
    if (b !== undefined && !(b instanceof Panel) && !(b instanceof Float64Array) && !Array.isArray(b)) throw new TypeError(`${where}: option benchmark must be a Float64Array of returns on the portfolio's dates or a Panel of returns`);
    this.#benchmark = b === undefined ? undefined : b instanceof Panel || b instanceof Float64Array ? b : Float64Array.from(b as readonly number[]);
  }

  /** Runs every model on the portfolio's returns (see the module doc for the alignment). */
  analyzePerformance(options: AnalyzePerformanceOptions): FactorAttributionResult {
    const where = "analyzePerformance";
    if (options === undefined || options.portfolioReturns === undefined) throw new TypeError(`${where}: option portfolioReturns is required`);
    const pr = options.portfolioReturns;
    let dates: Int32Array;
    let r: Float64Array;
    if (pr instanceof Panel) {
      r = pr.columns[0] ?? new Float64Array(0);
      dates = options.dates === undefined ? pr.dates : toEpochDays(options.dates);
    } else {
      if (options.dates === undefined) throw new TypeError(`${where}: option dates is required with an array of portfolioReturns (or pass a Panel)`);
      r = pr instanceof Float64Array ? pr : Float64Array.from(pr);
      dates = options.dates instanceof Int32Array ? options.dates : toEpochDays(options.dates);
    }
    if (r.length !== dates.length) throw new RangeError(`${where}: ${r.length} portfolio returns for ${dates.length} dates`);
    let bench: Float64Array | undefined;
    const b = this.#benchmark;
    if (b instanceof Float64Array) {
      if (b.length !== r.length) throw new RangeError(`${where}: the benchmark has ${b.length} returns but the portfolio ${r.length}; give the benchmark on the portfolio's dates (or as a Panel)`);
      bench = b;
    } else if (b instanceof Panel) {
      const col = b.columns[0] as Float64Array;
      let lo = Infinity;
      let sum = 0;
      let m = 0;
      for (const v of col) if (v === v) (lo = Math.min(lo, v)), (sum += v), m++;
      if (m > 0 && lo > 0 && sum / m > 0.5) throw new RangeError(`${where}: the benchmark Panel looks like prices (all > 0, mean ${(sum / m).toFixed(2)}); pass returns, e.g. index.returns()`);
      bench = new Float64Array(r.length);
      for (let i = 0; i < r.length; i++) {
        const k = b.indexOfDate(dates[i] as number);
        bench[i] = k >= 0 ? (col[k] as number) : Number.NaN;
      }
    }
    // window
    const lo = options.startDate === undefined ? -Infinity : toEpochDay(options.startDate);
    const hi = options.endDate === undefined ? Infinity : toEpochDay(options.endDate);
    const keep: number[] = [];
    for (let i = 0; i < dates.length; i++) {
      const d = dates[i] as number;
      if (d >= lo && d <= hi && Number.isFinite(r[i] as number) && (bench === undefined || Number.isFinite(bench[i] as number))) keep.push(i);
    }
    if (keep.length < 3) throw new RangeError(`${where}: fewer than 3 finite returns between startDate and endDate`);
    dates = Int32Array.from(keep, (i) => dates[i] as number);
    r = Float64Array.from(keep, (i) => r[i] as number);
    if (bench !== undefined) bench = Float64Array.from(keep, (i) => (bench as Float64Array)[i] as number);

    const portfolioDaily = medianGap(dates) < 20;
    const f = this.factors;
    const rows: number[] = [];
    let yp: Float64Array;
    let yb: Float64Array | undefined;
    let alignment: string;
    if (this.frequency === "daily") {
      if (!portfolioDaily) throw new RangeError(`${where}: the factors are daily but the portfolio returns are not; give daily returns or monthly factors`);
      const idx: number[] = [];
      for (let i = 0; i < dates.length; i++) {
        const k = f.indexOfDate(dates[i] as number);
        if (k >= 0) (idx.push(i), rows.push(k));
      }
      yp = Float64Array.from(idx, (i) => r[i] as number);
      yb = bench === undefined ? undefined : Float64Array.from(idx, (i) => (bench as Float64Array)[i] as number);
      alignment = `daily returns matched to daily factors by date (${idx.length} of ${dates.length} days have factors)`;
    } else {
      let mr: Float64Array;
      let mb: Float64Array | undefined;
      let mKeys: number[];
      let dropped = "";
      if (portfolioDaily) {
        const m = compoundByPeriod(dates, r, "monthly", bench);
        const first = new Date((dates[0] as number) * 86_400_000).getUTCDate();
        const last = new Date((dates[dates.length - 1] as number) * 86_400_000).getUTCDate();
        const i0 = first > 7 ? 1 : 0;
        const i1 = last < 22 ? m.returns.length - 1 : m.returns.length;
        if (i0) dropped += ` first month ${m.labels[0]} dropped (starts on day ${first});`;
        if (i1 < m.returns.length) dropped += ` last month ${m.labels[m.labels.length - 1]} dropped (ends on day ${last});`;
        mr = m.returns.slice(i0, i1);
        mb = bench === undefined ? undefined : m.benchmark.slice(i0, i1);
        mKeys = Array.from(m.periodStart.slice(i0, i1), monthKey);
      } else {
        mr = r;
        mb = bench;
        mKeys = Array.from(dates, monthKey);
      }
      const fk = new Map<number, number>();
      for (let k = 0; k < f.nDates; k++) fk.set(monthKey(f.dates[k] as number), k);
      const idx: number[] = [];
      for (let i = 0; i < mKeys.length; i++) {
        const k = fk.get(mKeys[i] as number);
        if (k !== undefined) (idx.push(i), rows.push(k));
      }
      yp = Float64Array.from(idx, (i) => mr[i] as number);
      yb = mb === undefined ? undefined : Float64Array.from(idx, (i) => (mb as Float64Array)[i] as number);
      alignment =
        (portfolioDaily ? "daily returns compounded to calendar months (Π(1+r) − 1) and matched to the monthly factors of the same month;" : "monthly returns matched to monthly factors by month;") +
        dropped +
        ` ${idx.length} months with factors`;
    }
    const n = rows.length;
    const minObs = 8;
    if (n < minObs) {
      const fr = f.dateRange;
      throw new RangeError(`${where}: only ${n} periods overlap the factor data (${fr?.[0]} … ${fr?.[1]}); need at least ${minObs}: choose a window inside the factors' range`);
    }
    const ppy = this.frequency === "monthly" ? 12 : 252;
    const col = (name: string): Float64Array => {
      const c = f.column(name);
      return Float64Array.from(rows, (k) => (c[k] as number) * this.scale);
    };
    const rf = this.roles.rf === undefined ? new Float64Array(n) : col(this.roles.rf);
    const excess = yp.map((v, i) => v - (rf[i] as number));
    const active = yb === undefined ? excess : yp.map((v, i) => v - ((yb as Float64Array)[i] as number));
    let activeTotal = 0;
    for (const v of active) activeTotal += v;
    const periodDates = Int32Array.from(rows, (k) => f.dates[k] as number);

    const fitted: FactorModelAttribution[] = [];
    const skipped: { model: FactorModelName; reason: string }[] = [];
    for (const model of this.models) {
      const roles = MODEL_ROLES[model];
      const missing = roles.filter((x) => this.roles[x] === undefined);
      if (missing.length > 0) {
        skipped.push(Object.freeze({ model, reason: `the factor data has no ${missing.map((m) => m.toUpperCase()).join(", ")} column` }));
        continue;
      }
      const names = roles.map((x) => this.roles[x] as string);
      const X = names.map((name, j) => {
        const c = col(name);
        if (roles[j] === "market" && !this.marketIsExcess) for (let i = 0; i < n; i++) c[i] = (c[i] as number) - (rf[i] as number);
        return c;
      });
      for (const [j, c] of X.entries()) {
        for (let i = 0; i < n; i++) if (!Number.isFinite(c[i] as number)) throw new RangeError(`${where}: factor ${names[j]} is missing on ${fromEpochDay(periodDates[i] as number)}; choose a window where every factor is present`);
      }
      const fit = (y: Float64Array): FactorRegression => {
        const res = ols(y, X, { cov: "HAC", ...(this.maxlags === undefined ? {} : { maxlags: this.maxlags }) });
        const k = names.length;
        let ss = 0;
        for (const e of res.resid) ss += e * e;
        return Object.freeze({
          factors: Object.freeze([...names]),
          alpha: res.params[0] as number,
          alphaAnnualized: (res.params[0] as number) * ppy,
          alphaTValue: res.tvalues[0] as number,
          alphaPValue: res.pvalues[0] as number,
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
      };
      const exposures = fit(excess);
      const act = fit(active);
      const cols: Float64Array[] = [];
      const contributions: FactorContribution[] = [];
      let factorTotal = 0;
      const selection = Float64Array.from(active);
      names.forEach((name, j) => {
        const beta = act.betas[j] as number;
        const x = X[j] as Float64Array;
        const c = new Float64Array(n);
        let s = 0;
        let sx = 0;
        for (let i = 0; i < n; i++) {
          const v = beta * (x[i] as number);
          c[i] = v;
          s += v;
          sx += x[i] as number;
          selection[i] = (selection[i] as number) - v;
        }
        factorTotal += s;
        cols.push(c);
        contributions.push(Object.freeze({ factor: name, role: roles[j] as FactorRole, exposure: beta, meanFactorReturn: sx / n, total: s, annualized: (s / n) * ppy }));
      });
      let selectionTotal = 0;
      for (const v of selection) selectionTotal += v;
      cols.push(selection);
      fitted.push(
        Object.freeze({
          model,
          factors: Object.freeze([...names]),
          exposures,
          active: act,
          contributions: Object.freeze(contributions),
          factorTotal,
          selectionTotal,
          selectionAnnualized: (selectionTotal / n) * ppy,
          periodContributions: new Panel(periodDates, [...names, "selection"], cols, { validate: false }),
        }),
      );
    }
    if (fitted.length === 0) throw new RangeError(`${where}: no model could be fitted: ${skipped.map((s) => `${s.model}: ${s.reason}`).join("; ")}`);
    const primary = fitted.reduce((a, m) => (m.factors.length > a.factors.length ? m : a)).model;
    const result: FactorAttributionResult = {
      frequency: this.frequency,
      periodsPerYear: ppy,
      dates: periodDates,
      portfolioReturns: yp,
      benchmarkReturns: yb ?? new Float64Array(n).fill(Number.NaN),
      riskFree: rf,
      activeReturns: active,
      activeBasis: yb === undefined ? ("risk-free" as const) : ("benchmark" as const),
      activeTotal,
      models: Object.freeze(fitted),
      skipped: Object.freeze(skipped),
      primary,
      alignment,
      startDate: fromEpochDay(periodDates[0] as number),
      endDate: fromEpochDay(periodDates[n - 1] as number),
    };
    return Object.freeze(withDisplay(result, factorAttributionHtml));
  }
}

export function factorAttributor(options: FactorAttributorOptions): FactorAttributor {
  return new FactorAttributor(options);
}
