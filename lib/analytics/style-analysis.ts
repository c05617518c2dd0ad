/**
 * Returns-based style analysis (Sharpe 1992, "Asset allocation: management style and performance
 * measurement", J. Portfolio Management 18(2)): the portfolio's returns regressed on style index
 * returns with weights constrained to w ≥ 0, Σw = 1, minimising the variance of the tracking
 * difference — here, as in Sharpe's paper and most implementations, the sum of squares
 * ‖r − S w‖² (a constant-free fit; `objective: "variance"` centres both sides first, which is
 * Sharpe's "minimise Var(r − Sw)" with the mean difference reported as selection).
 *
 * Solved by a primal active-set QP (Nocedal & Wright, Numerical Optimization, 2nd ed., §16.5)
 * written here because the problem is tiny (a handful of indices) and an active-set method ends
 * in finitely many steps at an exact KKT point (zero weights exactly 0), which NNLS alone (no
 * equality) and lib/portfolio's general ADMM `solveQP` (iterative, ~1e-8) do not give; the test
 * cross-checks the two. The KKT system of the free set is solved by LU (lib/stats).
 */
import { checkKeys, type DateLike, Panel, toEpochDay, toEpochDays } from "../data/index.js";
import { Matrix, solve } from "../stats/index.js";
import { htmlTable, num, pct, withDisplay } from "./html.js";

/** Options of {@link styleAnalysis}. */
export interface StyleAnalysisOptions {
  /** Portfolio returns (same periods as the style indices), or a Panel whose first column they are. */
  returns: Float64Array | readonly number[] | Panel;
  /** Style index returns: a Panel (matched by date when `returns` is a Panel or `dates` is given, else row by row). */
  styles: Panel;
  /** Dates of `returns` when it is an array (default: row-aligned with `styles`). */
  dates?: Int32Array | readonly DateLike[];
  startDate?: DateLike;
  endDate?: DateLike;
  /** "sse" (default, ‖r − Sw‖²) or "variance" (Var(r − Sw)). */
  objective?: "sse" | "variance";
  /** Periods per year for the annualised figures (default 12). */
  periodsPerYear?: number;
}

/** Result of {@link styleAnalysis}. */
export interface StyleAnalysisResult {
  readonly styles: readonly string[];
  /** Style weights (≥ 0, sum 1). */
  readonly weights: Float64Array;
  /** Styles at their bound 0 (inactive). */
  readonly zeroWeights: readonly string[];
  /** 1 − Var(r − Sw)/Var(r): the share of variance explained by style. */
  readonly rsquared: number;
  /** Mean of r − Sw per period (selection return). */
  readonly selectionReturn: number;
  readonly selectionAnnualized: number;
  /** std(r − Sw, ddof 1) × √periodsPerYear. */
  readonly trackingError: number;
  /** r − Sw per period. */
  readonly residuals: Float64Array;
  readonly nobs: number;
  readonly objective: "sse" | "variance";
  /** Active-set iterations. */
  readonly iterations: number;
}

/** Solves min ½wᵀHw − cᵀw s.t. Σw = 1, w ≥ 0 by a primal active-set method; returns w and iterations. */
export function simplexQP(H: Float64Array, c: Float64Array, k: number, maxIter = 200): { w: Float64Array; iterations: number } {
  const w = new Float64Array(k).fill(1 / k);
  const free = new Uint8Array(k).fill(1);
  const tol = 1e-12;
  for (let it = 1; it <= maxIter; it++) {
    const F: number[] = [];
    for (let j = 0; j < k; j++) if (free[j]) F.push(j);
    const m = F.length;
    // KKT of the equality-constrained subproblem on the free set: [H_FF 1; 1ᵀ 0][w; ν] = [c_F; 1]
    const K = new Matrix(m + 1, m + 1);
    const rhs = new Float64Array(m + 1);
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) K.set(a, b, H[(F[a] as number) * k + (F[b] as number)]!);
      K.set(a, m, 1);
      K.set(m, a, 1);
      rhs[a] = c[(F[a] as number)]!;
    }
    rhs[m] = 1;
    const sol = solve(K, rhs);
    const nu = sol[m]!;
    // step toward the subproblem's solution, stopping at the first bound hit
    let alpha = 1;
    let block = -1;
    for (let a = 0; a < m; a++) {
      const j = (F[a] as number);
      const target = sol[a]!;
      const cur = w[j]!;
      if (target < cur - tol && target < 0) {
        const s = cur / (cur - target);
        if (s < alpha) (alpha = s), (block = j);
      }
    }
    for (let a = 0; a < m; a++) {
      const j = (F[a] as number);
      w[j] = w[j]! + alpha * (sol[a]! - w[j]!);
    }
    if (block >= 0) {
      w[block] = 0;
      free[block] = 0;
      continue;
    }
    // optimal on this free set: check the multipliers of the bound variables, μ_j = (Hw − c)_j + ν ≥ 0
    let worst = -1;
    let worstMu = -1e-12;
    for (let j = 0; j < k; j++) {
      if (free[j]) continue;
      let g = -c[j]!;
      for (let b = 0; b < k; b++) g += H[j * k + b]! * w[b]!;
      const mu = g + nu;
      if (mu < worstMu) (worstMu = mu), (worst = j);
    }
    if (worst < 0) {
      for (let j = 0; j < k; j++) if (w[j]! < 0) w[j] = 0;
      return { w, iterations: it };
    }
    free[worst] = 1;
  }
  throw new Error(`styleAnalysis: the active-set QP did not converge in ${maxIter} iterations (collinear style indices? drop duplicates)`);
}

interface Aligned {
  y: Float64Array;
  X: Float64Array[];
  dates: Int32Array;
  styles: readonly string[];
  objective: "sse" | "variance";
  ppy: number;
}

const STYLE_KEYS = ["returns", "styles", "dates", "startDate", "endDate", "objective", "periodsPerYear"] as const;

/** Reads the options of a style analysis (unknown keys refused) and aligns the returns with the style indices by date. */
function align(where: string, options: StyleAnalysisOptions, extraKeys: readonly string[] = []): Aligned & { window: unknown } {
  const o = checkKeys(where, options, [...STYLE_KEYS, ...extraKeys]);
  const S = o.get("styles");
  if (!(S instanceof Panel)) throw new TypeError(`${where}: option styles must be a Panel of style index returns`);
  const k = S.nAssets;
  if (k < 2) throw new RangeError(`${where}: option styles has ${k} column(s); give at least 2 style indices`);
  const objective = (o.get("objective") ?? "sse") as "sse" | "variance";
  if (objective !== "sse" && objective !== "variance") throw new RangeError(`${where}: option objective must be "sse" or "variance", got ${JSON.stringify(objective)}`);
  const ppy = (o.get("periodsPerYear") ?? 12) as number;
  if (!(ppy > 0)) throw new RangeError(`${where}: option periodsPerYear must be > 0, got ${ppy}`);
  return { ...alignRows(where, S, o), objective, ppy, window: o.get("window") };
}

function alignRows(where: string, S: Panel, o: ReadonlyMap<string, unknown>): Omit<Aligned, "objective" | "ppy"> {
  const rin = o.get("returns") as StyleAnalysisOptions["returns"] | undefined;
  const optDates = o.get("dates") as StyleAnalysisOptions["dates"];
  const startDate = o.get("startDate") as DateLike | undefined;
  const endDate = o.get("endDate") as DateLike | undefined;
  let r: Float64Array;
  let dates: Int32Array | undefined;
  if (rin instanceof Panel) (r = rin.columns[0] ?? new Float64Array(0)), (dates = rin.dates);
  else {
    r = rin instanceof Float64Array ? rin : Float64Array.from(rin ?? []);
    dates = optDates === undefined ? undefined : optDates instanceof Int32Array ? optDates : toEpochDays(optDates);
  }
  if (dates === undefined && r.length !== S.nDates) throw new RangeError(`${where}: ${r.length} returns but styles has ${S.nDates} rows; give dates (or a Panel) to match by date`);
  if (dates !== undefined && dates.length !== r.length) throw new RangeError(`${where}: ${r.length} returns for ${dates.length} dates`);
  const lo = startDate === undefined ? -Infinity : toEpochDay(startDate);
  const hi = endDate === undefined ? Infinity : toEpochDay(endDate);
  const ri: number[] = [];
  const si: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const srow = dates === undefined ? i : S.indexOfDate(dates[i]!);
    if (srow < 0) continue;
    const d = S.dates[srow]!;
    if (d < lo || d > hi || !Number.isFinite(r[i]!)) continue;
    let ok = true;
    for (const c of S.columns) if (!Number.isFinite(c[srow]!)) ok = false;
    if (ok) (ri.push(i), si.push(srow));
  }
  return {
    y: Float64Array.from(ri, (i) => r[i]!),
    X: S.columns.map((c) => Float64Array.from(si, (i) => c[i]!)),
    dates: Int32Array.from(si, (i) => S.dates[i]!),
    styles: S.assets,
  };
}

function fit(where: string, y: Float64Array, X: readonly Float64Array[], styles: readonly string[], objective: "sse" | "variance", ppy: number): StyleAnalysisResult {
  const n = y.length;
  const k = X.length;
  if (n < k + 2) throw new RangeError(`${where}: ${n} periods with returns and every style index; need at least ${k + 2}`);
  const center = (v: Float64Array) => {
    if (objective === "sse") return v;
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return v.map((x) => x - m);
  };
  const yc = center(y);
  const Xc = X.map(center);
  const H = new Float64Array(k * k);
  const c = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const xa = Xc[a] as Float64Array;
    let s = 0;
    for (let t = 0; t < n; t++) s += xa[t]! * yc[t]!;
    c[a] = s;
    for (let b = a; b < k; b++) {
      const xb = Xc[b] as Float64Array;
      let q = 0;
      for (let t = 0; t < n; t++) q += xa[t]! * xb[t]!;
      H[a * k + b] = q;
      H[b * k + a] = q;
    }
  }
  const { w, iterations } = simplexQP(H, c, k);
  const resid = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let f = 0;
    for (let a = 0; a < k; a++) f += w[a]! * X[a]![t]!;
    resid[t] = y[t]! - f;
  }
  const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
  const variance = (v: Float64Array) => {
    const m = mean(v);
    let s = 0;
    for (const x of v) s += (x - m) * (x - m);
    return s / (v.length - 1);
  };
  const sel = mean(resid);
  const result: StyleAnalysisResult = {
    styles: Object.freeze([...styles]),
    weights: w,
    zeroWeights: Object.freeze(styles.filter((_, j) => w[j]! === 0)),
    rsquared: 1 - variance(resid) / variance(y),
    selectionReturn: sel,
    selectionAnnualized: sel * ppy,
    trackingError: Math.sqrt(variance(resid)) * Math.sqrt(ppy),
    residuals: resid,
    nobs: n,
    objective,
    iterations,
  };
  return Object.freeze(withDisplay(result, styleHtml));
}

/** Sharpe's returns-based style analysis (see the module doc). */
export function styleAnalysis(options: StyleAnalysisOptions): StyleAnalysisResult {
  const a = align("styleAnalysis", options);
  return fit("styleAnalysis", a.y, a.X, a.styles, a.objective, a.ppy);
}

/** Options of {@link rollingStyleAnalysis}. */
export interface RollingStyleAnalysisOptions extends StyleAnalysisOptions {
  /** Trailing window in periods (e.g. 36 months). */
  window: number;
}

/** Style weights through time: one constrained fit per trailing window (Sharpe 1992's rolling view). */
export interface RollingStyleAnalysisResult {
  /** Weights at each window's last period (dates × styles). */
  readonly weights: Panel;
  /** Style R² of each window. */
  readonly rsquared: Float64Array;
  readonly window: number;
}

/** Rolling returns-based style analysis over trailing windows of `window` periods. */
export function rollingStyleAnalysis(options: RollingStyleAnalysisOptions): RollingStyleAnalysisResult {
  const where = "rollingStyleAnalysis";
  const a = align(where, options, ["window"]);
  const win = a.window as number;
  const k = a.X.length;
  if (!Number.isInteger(win) || win < k + 2) throw new RangeError(`${where}: option window must be an integer ≥ ${k + 2} (styles + 2), got ${win}`);
  const n = a.y.length;
  if (n < win) throw new RangeError(`${where}: ${n} periods, fewer than the window ${win}`);
  const m = n - win + 1;
  const cols = Array.from({ length: k }, () => new Float64Array(m));
  const r2 = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    const f = fit(where, a.y.subarray(s, s + win), a.X.map((x) => x.subarray(s, s + win)), a.styles, a.objective, a.ppy);
    for (let j = 0; j < k; j++) (cols[j] as Float64Array)[s] = f.weights[j]!;
    r2[s] = f.rsquared;
  }
  return Object.freeze({ weights: new Panel(a.dates.slice(win - 1), a.styles, cols, { validate: false }), rsquared: r2, window: win });
}

/** The style weights and fit of a style analysis as an HTML table. */
export function styleHtml(s: StyleAnalysisResult): string {
  const rows = s.styles.map((n, j) => [n, pct(s.weights[j]!, 1)]);
  rows.push(["R² (style)", num(s.rsquared)], ["selection p.a.", pct(s.selectionAnnualized)], ["tracking error p.a.", pct(s.trackingError)]);
  return htmlTable(["style index", "weight"], rows, `Returns-based style analysis (Sharpe 1992), ${s.nobs} periods`);
}
