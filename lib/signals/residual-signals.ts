/**
 * Avellaneda & Lee (2010), "Statistical arbitrage in the US equities market", Quantitative Finance
 * 10(7) 761–782: residual s-scores against any factor portfolios, with the factor hedge of each
 * position — the piece a backtest of the paper needs beyond the s-scores of `pcaResidualScores`.
 *
 * Factor models (`factors`):
 * - `"pca"`: eigenportfolios of the correlation matrix of the last `correlationWindow` daily returns,
 *   Q_ji = v_ji / σ_i (the paper's section 2.1), either a fixed `count` (15 in the paper) or, with
 *   `varianceExplained` (0.55 in the paper), each date the fewest eigenportfolios whose eigenvalues
 *   reach that share of the trace. Exact eigen-decomposition every date: of the n × n correlation
 *   matrix when n ≤ window, else of the window × window Gram matrix Y Yᵀ (same non-zero spectrum;
 *   v = Yᵀu / √((W − 1)λ)), which is what makes a daily exact decomposition of 452 names affordable.
 *   With the native addon (native/linalg, OpenBLAS) one call per date standardises the window, forms
 *   the product (dsyrk), tridiagonalises it (dsytrd), takes every eigenvalue (dsterf) but eigenvectors
 *   only for the factors used (dstein + dormtr), and projects them (dgemm); the single-design residual
 *   fits are native too (Eigen). Without it the TypeScript path (Gram product, lib/stats `eigh`) gives
 *   the same numbers up to rounding.
 * - `"groups"`: one equal-weighted portfolio per group label (`groups`, one per asset), each asset
 *   regressed on its own group's portfolio only — the paper's sector-ETF variant (section 2.3) with
 *   portfolios of the universe's own names in place of ETFs.
 *
 * Then, as in the paper's section 3 and appendix A: over the last `ouWindow` days regress each asset's
 * returns on [1, F] (OLS), cumulate the residuals X_k, fit X_{k+1} = a + b X_k + ζ (OLS, Var ζ with
 * ddof 0), κ = −ln(b)·periodsPerYear, m = a/(1 − b), σ_eq = √(Var ζ / (1 − b²)) and the s-score
 * s = (X_L − (m − m̄))/σ_eq, m̄ the mean of m over the mean-reverting fits (`centerMean`, the paper's
 * centring; `false` gives `pcaResidualScores`' uncentred s). s is NaN unless 0 < b < 1 and κ > kappaMin.
 *
 * Look-ahead: `at(t)` reads the returns of rows t − correlationWindow + 1 … t only, i.e. prices up to
 * row t; every date is computed from its own window (no state carried between dates), so dates may be
 * visited in any order and a date's output does not depend on later data (tested bit for bit).
 *
 * Hedge (the paper's trade: buy one dollar of stock i, sell β_ij dollars of each factor portfolio j):
 * `hedged(positions)` returns the net stock weights Σ_i p_i (e_i − Σ_j β_ij Q_j) of holding p_i
 * dollars of each asset's residual.
 */
import { opt, type Panel, readOptions } from "../data/index.js";
import { crossprod, eigh, gram, inverse, Matrix, nativeResidualFits, nativeWindowEigen } from "../stats/index.js";
import { ar1 } from "./internal/timeseries.js";

/** Options of {@link residualSignals}. */
export interface ResidualSignalOptions {
  /** Factor model: "pca" (eigenportfolios) or "groups" (one equal-weighted portfolio per group) (default "pca"). */
  factors?: "pca" | "groups";
  /** pca: number of eigenportfolios (default 15; unused when `varianceExplained` is given). */
  count?: number;
  /** pca: use each date the fewest eigenportfolios explaining at least this share of the variance, in (0, 1] (default none: `count`). */
  varianceExplained?: number;
  /** pca with `varianceExplained`: the most eigenportfolios used (default ouWindow − 5, so the regression keeps 4+ degrees of freedom). */
  maxFactors?: number;
  /** groups: one label per asset, e.g. GICS sectors (required with factors "groups"). */
  groups?: readonly string[];
  /** Days of returns in the correlation matrix; also the first date with a signal (default 252). */
  correlationWindow?: number;
  /** Days of the residual regression and OU fit (default 60). */
  ouWindow?: number;
  /** Minimum mean-reversion speed κ per year (default periodsPerYear/30). */
  kappaMin?: number;
  /** Periods per year for κ (default 252). */
  periodsPerYear?: number;
  /** Centre m across the cross-section, the paper's s-score (default true). */
  centerMean?: boolean;
}

/** One PCA factor specification of {@link ResidualSignals.atEach}. */
export interface PcaFactorSpec {
  /** A fixed number of eigenportfolios. */
  count?: number;
  /** The fewest eigenportfolios explaining this share of the variance (at most the instance's maxFactors). */
  varianceExplained?: number;
}

/** One date's signals. */
export interface ResidualRow {
  /** s-score per asset (NaN where undefined, κ ≤ kappaMin or the asset lacks a full window). */
  readonly s: Float64Array;
  /** Mean-reversion speed κ per year (NaN unless 0 < b < 1). */
  readonly kappa: Float64Array;
  /** Factors used this date (eigenportfolios, or groups). */
  readonly nFactors: number;
  /** Net stock weights of holding `positions[i]` dollars of asset i's residual (asset i hedged by its factor betas). */
  hedged(positions: Float64Array): Float64Array;
}

const isLabels = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function resolve(prices: Panel, options: ResidualSignalOptions | undefined) {
  const W = "residualSignals";
  const o = readOptions(W, options, {
    factors: opt.oneOf(["pca", "groups"], "pca"),
    count: opt.integer(15, { min: 1 }),
    varianceExplained: opt.optional(opt.number(1, { min: 0, max: 1, open: "min" })),
    maxFactors: opt.optional(opt.integer(1, { min: 1 })),
    groups: opt.optional(opt.custom("an array of strings (one group label per asset)", () => [] as readonly string[], isLabels)),
    correlationWindow: opt.integer(252, { min: 2 }),
    ouWindow: opt.integer(60, { min: 8 }),
    kappaMin: opt.optional(opt.number(0, { min: 0 })),
    periodsPerYear: opt.number(252, { min: 0, open: true }),
    centerMean: opt.boolean(true),
  });
  const maxFactors = o.maxFactors ?? o.ouWindow - 5;
  if (o.ouWindow > o.correlationWindow) throw new RangeError(`${W}: ouWindow (${o.ouWindow}) must not exceed correlationWindow (${o.correlationWindow})`);
  const kmax = o.varianceExplained === undefined ? o.count : maxFactors;
  if (o.factors === "pca" && kmax > o.ouWindow - 5) throw new RangeError(`${W}: ${o.varianceExplained === undefined ? "count" : "maxFactors"} (${kmax}) must be at most ouWindow − 5 (${o.ouWindow - 5}) for the residual regression`);
  if (o.factors === "groups" && o.groups?.length !== prices.nAssets) {
    throw new RangeError(`${W}: factors "groups" needs groups, one label per asset (${prices.nAssets}), got ${o.groups === undefined ? "none" : o.groups.length}`);
  }
  return { ...o, maxFactors, kappaMin: o.kappaMin ?? o.periodsPerYear / 30 };
}

type Resolved = ReturnType<typeof resolve>;

/** Factor portfolios of one regression design: k factors as dense weight rows over the valid assets (k × nv). */
interface Design {
  readonly k: number;
  readonly q: Float64Array;
}

/** A date's factor model: the designs and which design each valid asset is regressed on. */
interface FactorModel {
  readonly designs: readonly Design[];
  readonly designOf: Int32Array;
}

export class ResidualSignals {
  readonly params: Readonly<Resolved>;
  readonly #ret: Float64Array[];
  readonly #groupIndex: Int32Array | null;
  readonly #prices: Panel;

  constructor(prices: Panel, options?: ResidualSignalOptions) {
    this.params = Object.freeze(resolve(prices, options));
    this.#prices = prices;
    // one column-major buffer (leading dimension nDates): the native kernels read windows of it in place
    const T = prices.columns[0]?.length ?? 0;
    const buf = new Float64Array(T * prices.columns.length);
    this.#ret = prices.columns.map((p, j) => {
      const r = buf.subarray(j * T, (j + 1) * T);
      r[0] = Number.NaN;
      for (let t = 1; t < p.length; t++) r[t] = (p[t] as number) / (p[t - 1] as number) - 1;
      return r;
    });
    const g = this.params.groups;
    if (this.params.factors === "groups" && g !== undefined) {
      const labels = [...new Set(g)];
      this.#groupIndex = Int32Array.from(g, (x) => labels.indexOf(x));
    } else this.#groupIndex = null;
  }

  /** Number of dates. */
  get nDates(): number {
    return this.#ret[0]?.length ?? 0;
  }

  /** Signals of row `t` (from prices of rows ≤ t); all NaN before the first full correlation window. */
  at(t: number): ResidualRow {
    const o = this.params;
    return this.#rows(t, [{ count: o.count, varianceExplained: o.varianceExplained }])[0] as ResidualRow;
  }

  /**
   * Signals of row `t` for several eigenportfolio counts at once (factors "pca"), sharing one
   * eigen-decomposition: e.g. `[{ count: 15 }, { varianceExplained: 0.55 }]` for the paper's two PCA
   * variants. Each spec is checked like the options.
   */
  atEach(t: number, specs: readonly PcaFactorSpec[]): ResidualRow[] {
    if (this.params.factors !== "pca") throw new RangeError(`ResidualSignals.atEach: needs factors "pca", this instance has "${this.params.factors}"`);
    if (!Array.isArray(specs) || specs.length === 0) throw new TypeError("ResidualSignals.atEach: specs must be a non-empty array of { count } or { varianceExplained }");
    const checked = specs.map((sp, i) => {
      const r = resolve(this.#prices, { ...sp, maxFactors: this.params.maxFactors, ouWindow: this.params.ouWindow, correlationWindow: this.params.correlationWindow });
      if (r.factors !== "pca") throw new RangeError(`ResidualSignals.atEach: specs[${i}] must not set factors`);
      return { count: r.count, varianceExplained: r.varianceExplained };
    });
    return this.#rows(t, checked);
  }

  #rows(t: number, specs: readonly { count: number; varianceExplained: number | undefined }[]): ResidualRow[] {
    const n = this.#ret.length;
    if (!Number.isInteger(t) || t < 0 || t >= this.nDates) throw new RangeError(`ResidualSignals.at: row must be an integer in [0, ${this.nDates - 1}], got ${t}`);
    const o = this.params;
    const valid = t - o.correlationWindow + 1 >= 1 ? validAssets(this.#ret, t, o.correlationWindow) : new Int32Array(0);
    if (valid.length < 2) return specs.map(() => emptyRow(n));
    const models = this.#groupIndex === null ? pcaModels(this.#ret, valid, t, o, specs) : [groupModel(this.#groupIndex, valid)];
    return models.map((model) => rowFrom(residualFits(this.#ret, valid, t, o.ouWindow, model), valid, model, n, o));
  }
}

export function residualSignals(prices: Panel, options?: ResidualSignalOptions): ResidualSignals {
  return new ResidualSignals(prices, options);
}

function emptyRow(n: number): ResidualRow {
  return Object.freeze({ s: new Float64Array(n).fill(Number.NaN), kappa: new Float64Array(n).fill(Number.NaN), nFactors: 0, hedged: () => new Float64Array(n) });
}

/** Assets whose returns are finite on every row of [t − W + 1, t]. */
function validAssets(ret: readonly Float64Array[], t: number, W: number): Int32Array {
  const out: number[] = [];
  for (let j = 0; j < ret.length; j++) {
    const c = ret[j] as Float64Array;
    let ok = true;
    for (let i = t - W + 1; i <= t && ok; i++) ok = Number.isFinite(c[i] as number);
    if (ok) out.push(j);
  }
  return Int32Array.from(out);
}

/** Standardised window returns, time-major: y[i·nv + a] = (r − μ_a)/σ_a over rows t − W + 1 … t; and σ. */
function standardised(ret: readonly Float64Array[], valid: Int32Array, t: number, W: number): { y: Float64Array; sigma: Float64Array } {
  const nv = valid.length;
  const y = new Float64Array(W * nv);
  const sigma = new Float64Array(nv);
  const t0 = t - W + 1;
  for (let a = 0; a < nv; a++) {
    const c = ret[valid[a] as number] as Float64Array;
    let m = 0;
    for (let i = t0; i <= t; i++) m += c[i] as number;
    m /= W;
    let ss = 0;
    for (let i = t0; i <= t; i++) ss += ((c[i] as number) - m) ** 2;
    const sd = Math.sqrt(ss / (W - 1));
    sigma[a] = sd;
    const f = sd > 0 ? 1 / sd : 0;
    for (let i = 0; i < W; i++) y[i * nv + a] = ((c[t0 + i] as number) - m) * f;
  }
  return { y, sigma };
}

/**
 * Eigenvalues (descending) of the window's correlation matrix and a function giving its top k unit
 * eigenvectors (k × nv): from C = YᵀY/(W − 1) when nv ≤ W, else from the Gram matrix G = YYᵀ/(W − 1).
 * The TypeScript path of {@link windowPca}.
 */
function windowEigen(y: Float64Array, nv: number, W: number): { values: Float64Array; vectors: (k: number) => Float64Array } {
  const primal = nv <= W;
  const dim = primal ? nv : W;
  const cols = primal
    ? Array.from({ length: nv }, (_, a) => Float64Array.from({ length: W }, (_, i) => y[i * nv + a] as number))
    : Array.from({ length: W }, (_, i) => y.subarray(i * nv, (i + 1) * nv));
  const g = gram(cols, primal ? W : nv);
  for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) / (W - 1);
  const eig = eigh(new Matrix(dim, dim, g));
  const values = Float64Array.from(eig.values).reverse();
  const vectors = (kWanted: number): Float64Array => {
    const k = Math.min(kWanted, dim);
    const out = new Float64Array(k * nv);
    for (let j = 0; j < k; j++) {
      const col = eig.vectors.column(dim - 1 - j);
      if (primal) out.set(col, j * nv);
      else project(y, nv, W, col, values[j] as number, out.subarray(j * nv, (j + 1) * nv));
    }
    return out;
  };
  return { values, vectors };
}

/**
 * v = Yᵀu / √((W − 1)λ): the correlation matrix's unit eigenvector from the Gram matrix's u. Rows
 * are added four at a time in a register (one load and store of v per four rows), in row order,
 * so every v_a is the same sequential sum as one row at a time (zero terms add nothing).
 */
function project(y: Float64Array, nv: number, W: number, u: Float64Array, lambda: number, v: Float64Array): void {
  const scale = lambda > 0 ? 1 / Math.sqrt((W - 1) * lambda) : 0;
  let i = 0;
  for (; i + 3 < W; i += 4) {
    const c0 = (u[i] as number) * scale, c1 = (u[i + 1] as number) * scale, c2 = (u[i + 2] as number) * scale, c3 = (u[i + 3] as number) * scale;
    const o = i * nv;
    for (let a = 0; a < nv; a++) {
      let s = v[a] as number;
      s += c0 * (y[o + a] as number);
      s += c1 * (y[o + nv + a] as number);
      s += c2 * (y[o + 2 * nv + a] as number);
      s += c3 * (y[o + 3 * nv + a] as number);
      v[a] = s;
    }
  }
  for (; i < W; i++) {
    const c = (u[i] as number) * scale;
    const o = i * nv;
    for (let a = 0; a < nv; a++) v[a] = (v[a] as number) + c * (y[o + a] as number);
  }
}

/**
 * The window's standardisation (σ per valid asset), correlation eigenvalues (descending) and top
 * k ≤ kmax unit eigenvectors (k × nv). Native when the addon is built (one call: standardisation,
 * BLAS dsyrk, LAPACK tridiagonalisation with eigenvectors for the top kmax only, dgemm projection on
 * the Gram path), else {@link standardised} + {@link windowEigen} (Gram product + full eigh); the two
 * agree up to rounding.
 */
function windowPca(ret: readonly Float64Array[], valid: Int32Array, t: number, W: number, kmax: number): { values: Float64Array; vectors: (k: number) => Float64Array; sigma: Float64Array } {
  const nv = valid.length;
  const src = columnBuffer(ret);
  const native = src ? nativeWindowEigen(src, (ret[0] as Float64Array).length, valid, t - W + 1, W, kmax) : null;
  if (native) return { values: native.values, sigma: native.sigma, vectors: (k) => native.vectors.subarray(0, Math.min(k, kmax) * nv) };
  const { y, sigma } = standardised(ret, valid, t, W);
  return { ...windowEigen(y, nv, W), sigma };
}

/** The one column-major buffer behind `ret` (the constructor's layout: consecutive equal columns), or null. */
function columnBuffer(ret: readonly Float64Array[]): Float64Array | null {
  const c0 = ret[0] as Float64Array;
  const T = c0.length;
  for (let j = 1; j < ret.length; j++) if ((ret[j] as Float64Array).buffer !== c0.buffer || (ret[j] as Float64Array).byteOffset !== c0.byteOffset + 8 * T * j) return null;
  return new Float64Array(c0.buffer, c0.byteOffset, T * ret.length);
}

function pcaModels(ret: readonly Float64Array[], valid: Int32Array, t: number, o: Readonly<Resolved>, specs: readonly { count: number; varianceExplained: number | undefined }[]): FactorModel[] {
  const nv = valid.length;
  const W = o.correlationWindow;
  const kmaxOf = (sp: { count: number; varianceExplained: number | undefined }): number => Math.min(sp.varianceExplained === undefined ? sp.count : o.maxFactors, nv - 1, Math.min(nv, W));
  const { values, vectors, sigma } = windowPca(ret, valid, t, W, Math.max(...specs.map(kmaxOf)));
  let trace = 0;
  for (const v of values) trace += Math.max(v, 0);
  const counts = specs.map((sp) => {
    const kmax = kmaxOf(sp);
    if (sp.varianceExplained === undefined) return kmax;
    let cum = 0;
    let need = 0;
    while (need < kmax && cum < sp.varianceExplained * trace) cum += Math.max(values[need++] as number, 0);
    return Math.max(need, 1);
  });
  const v = vectors(Math.max(...counts));
  return counts.map((k) => {
    const q = new Float64Array(k * nv);
    for (let j = 0; j < k; j++) for (let a = 0; a < nv; a++) {
      const sd = sigma[a] as number;
      q[j * nv + a] = sd > 0 ? (v[j * nv + a] as number) / sd : 0;
    }
    return { designs: [{ k, q }], designOf: new Int32Array(nv) };
  });
}

function groupModel(groupIndex: Int32Array, valid: Int32Array): FactorModel {
  const nv = valid.length;
  const labels = new Map<number, number>();
  const designOf = new Int32Array(nv);
  for (let a = 0; a < nv; a++) {
    const g = groupIndex[valid[a] as number] as number;
    if (!labels.has(g)) labels.set(g, labels.size);
    designOf[a] = labels.get(g) as number;
  }
  const counts = new Float64Array(labels.size);
  for (const d of designOf) counts[d] = (counts[d] as number) + 1;
  const designs = Array.from({ length: labels.size }, (_, d) => {
    const q = new Float64Array(nv);
    for (let a = 0; a < nv; a++) if (designOf[a] === d) q[a] = 1 / (counts[d] as number);
    return { k: 1, q };
  });
  return { designs, designOf };
}

/** Per valid asset: factor betas (without the intercept), the OU fit's κ, m and σ_eq. */
interface Fits {
  readonly beta: Float64Array[];
  readonly kappa: Float64Array;
  readonly m: Float64Array;
  readonly sigmaEq: Float64Array;
  readonly last: Float64Array;
}

/** Regressions of each valid asset's last L returns on [1, its design's factor returns], then the OU fit of the cumulated residuals. */
function residualFits(ret: readonly Float64Array[], valid: Int32Array, t: number, L: number, model: FactorModel): Fits {
  const nv = valid.length;
  const t0 = t - L + 1;
  const native = model.designs.length === 1 ? nativeFits(ret, valid, t0, L, model.designs[0] as Design) : null;
  if (native) return native;
  const hats = model.designs.map((d) => designHat(ret, valid, t0, L, d));
  const fits: Fits = { beta: [], kappa: new Float64Array(nv), m: new Float64Array(nv), sigmaEq: new Float64Array(nv), last: new Float64Array(nv) };
  const x = new Float64Array(L);
  for (let a = 0; a < nv; a++) {
    const r = (ret[valid[a] as number] as Float64Array).subarray(t0, t + 1);
    const { h, xc, p } = hats[model.designOf[a] as number] as DesignHat;
    const beta = new Float64Array(p);
    for (let u = 0; u < p; u++) {
      let d = 0;
      for (let i = 0; i < L; i++) d += (h[u * L + i] as number) * (r[i] as number);
      beta[u] = d;
    }
    let cum = 0;
    for (let i = 0; i < L; i++) {
      let fit = 0;
      for (let u = 0; u < p; u++) fit += (beta[u] as number) * (xc[u * L + i] as number);
      x[i] = cum += (r[i] as number) - fit;
    }
    fits.beta.push(beta.subarray(1));
    ouInto(fits, a, x, L);
  }
  return fits;
}

/** residualFits of a single design by the native kernel (returns in one column-major buffer), or null. */
function nativeFits(ret: readonly Float64Array[], valid: Int32Array, t0: number, L: number, d: Design): Fits | null {
  const src = columnBuffer(ret);
  const r = src ? nativeResidualFits(src, (ret[0] as Float64Array).length, valid, t0, L, d.q, d.k) : null;
  if (!r) return null;
  const beta = Array.from({ length: valid.length }, (_, a) => r.beta.subarray(a * d.k, (a + 1) * d.k));
  return { beta, kappa: r.kappa, m: r.m, sigmaEq: r.sigmaEq, last: r.last };
}

/** The AR(1)/OU fit of the cumulated residuals x into slot a of `fits`. */
function ouInto(fits: Fits, a: number, x: Float64Array, L: number): void {
  const { a: a0, b } = ar1(x, 0, L);
  let sz = 0;
  for (let i = 0; i < L - 1; i++) sz += ((x[i + 1] as number) - a0 - b * (x[i] as number)) ** 2;
  const varZ = sz / (L - 1);
  const meanReverting = b > 0 && b < 1;
  fits.kappa[a] = meanReverting ? -Math.log(b) : Number.NaN; // per period; scaled by the caller
  fits.m[a] = meanReverting ? a0 / (1 - b) : Number.NaN;
  fits.sigmaEq[a] = meanReverting ? Math.sqrt(varZ / (1 - b * b)) : Number.NaN;
  fits.last[a] = x[L - 1] as number;
}

/** A design's regressors xc (column-major L × p, column 0 = 1) and hat rows h = (XᵀX)⁻¹Xᵀ (p × L). */
interface DesignHat {
  readonly p: number;
  readonly xc: Float64Array;
  readonly h: Float64Array;
}

function designHat(ret: readonly Float64Array[], valid: Int32Array, t0: number, L: number, d: Design): DesignHat {
  const nv = valid.length;
  const p = d.k + 1;
  const xc = new Float64Array(p * L);
  xc.fill(1, 0, L);
  for (let a = 0; a < nv; a++) {
    const r = ret[valid[a] as number] as Float64Array;
    for (let j = 0; j < d.k; j++) {
      const w = d.q[j * nv + a] as number;
      if (w === 0) continue;
      const base = (1 + j) * L;
      for (let i = 0; i < L; i++) xc[base + i] = (xc[base + i] as number) + w * (r[t0 + i] as number);
    }
  }
  const x = new Matrix(L, p, xc);
  const inv = inverse(crossprod(x)).data; // p × p, symmetric
  const h = new Float64Array(p * L);
  for (let u = 0; u < p; u++) for (let v = 0; v < p; v++) {
    const c = inv[v * p + u] as number;
    for (let i = 0; i < L; i++) h[u * L + i] = (h[u * L + i] as number) + c * (xc[v * L + i] as number);
  }
  return { p, xc, h };
}

function rowFrom(fits: Fits, valid: Int32Array, model: FactorModel, n: number, o: Readonly<Resolved>): ResidualRow {
  const nv = valid.length;
  let mbar = 0;
  if (o.centerMean) {
    let c = 0;
    for (let a = 0; a < nv; a++) if (Number.isFinite(fits.m[a] as number)) (mbar += fits.m[a] as number), c++;
    mbar = c > 0 ? mbar / c : 0;
  }
  const s = new Float64Array(n).fill(Number.NaN);
  const kappa = new Float64Array(n).fill(Number.NaN);
  for (let a = 0; a < nv; a++) {
    const j = valid[a] as number;
    const kap = (fits.kappa[a] as number) * o.periodsPerYear;
    kappa[j] = kap;
    if (kap > o.kappaMin) s[j] = ((fits.last[a] as number) - ((fits.m[a] as number) - mbar)) / (fits.sigmaEq[a] as number);
  }
  const nFactors = model.designs.length === 1 ? (model.designs[0] as Design).k : model.designs.length;
  return Object.freeze({ s, kappa, nFactors, hedged: (positions: Float64Array) => hedge(positions, fits, valid, model, n) });
}

function hedge(positions: Float64Array, fits: Fits, valid: Int32Array, model: FactorModel, n: number): Float64Array {
  if (positions.length !== n) throw new RangeError(`ResidualRow.hedged: positions has ${positions.length} values for ${n} assets`);
  const nv = valid.length;
  const w = new Float64Array(n);
  const exposure = model.designs.map((d) => new Float64Array(d.k));
  for (let a = 0; a < nv; a++) {
    const p = positions[valid[a] as number] as number;
    if (p === 0 || !Number.isFinite(p)) continue;
    w[valid[a] as number] = p;
    const e = exposure[model.designOf[a] as number] as Float64Array;
    const b = fits.beta[a] as Float64Array;
    for (let j = 0; j < e.length; j++) e[j] = (e[j] as number) + p * (b[j] as number);
  }
  model.designs.forEach((d, di) => {
    const e = exposure[di] as Float64Array;
    for (let j = 0; j < d.k; j++) {
      const h = e[j] as number;
      if (h === 0) continue;
      for (let a = 0; a < nv; a++) w[valid[a] as number] = (w[valid[a] as number] as number) - h * (d.q[j * nv + a] as number);
    }
  });
  return w;
}
