/**
 * `VaRAnalyzer`: the VaR of a book of positions (currency) and its decomposition by asset and by
 * sector, for four methods. Components are Euler allocations, so they add up to the total:
 *
 * - gaussian: VaR = −(wᵀμ + z_α·σ_p), σ_p = √(wᵀΣw); component_i = −(w_i μ_i + z_α·w_i(Σw)_i/σ_p).
 * - historical: the book's P&L scenarios r_p(t) = Σ w_i r_i(t); VaR = −quantile_α (type 7,
 *   interpolating between the order statistics k and k+1 with weight f). The Euler component is
 *   the asset's P&L on those same scenarios: −w_i[(1−f)·r_i(t_k) + f·r_i(t_{k+1})].
 * - monte-carlo: as historical, on `simulations` multivariate-normal scenarios drawn with μ and
 *   Σ of the data through a Cholesky factor, seeded (`seed`), so the same seed gives the same VaR.
 * - cornish-fisher: PerformanceAnalytics' modified VaR of the book's scenarios,
 *   −(μ_p + z_cf σ_p) with z_cf the Cornish-Fisher quantile (sample skew, excess kurtosis); its
 *   components are w_i·∂VaR/∂w_i by central differences (VaR is homogeneous of degree one in w,
 *   so they add up to the total to the differencing error, ~1e-8 relative).
 *
 * VaR is a positive loss in currency (DESIGN.md): a book worth +1M with 2% daily VaR reports 20,000.
 */
import type { Panel } from "../data/index.js";
import { cholesky, cornishFisherZ, covarianceMatrix, meanStd, normalQuantile, normalSource, quantileSorted, seededUniform, skewKurt } from "./internal.js";

/** VaR methods of {@link VaRAnalyzer}. */
export type ComponentVaRMethod = "historical" | "gaussian" | "cornish-fisher" | "monte-carlo";
const METHODS: readonly ComponentVaRMethod[] = ["historical", "gaussian", "cornish-fisher", "monte-carlo"];

/** Options of {@link VaRAnalyzer}. */
export interface VaRAnalyzerOptions {
  /** Confidence level (default 0.95). */
  confidenceLevel?: number;
  /** Asset → sector for the sector breakdown (default: every asset in "unknown"). */
  sectors?: Readonly<Record<string, string>>;
  /** Monte Carlo scenarios (default 10,000). */
  simulations?: number;
  /** Monte Carlo seed (default 42). */
  seed?: number;
}

/** Input of {@link VaRAnalyzer.calculateComponentVaR}. */
export interface ComponentVaRInput {
  /** Position values in currency: by asset name, or aligned with `returnsData.assets`. */
  positions: Readonly<Record<string, number>> | Float64Array | readonly number[];
  /** Daily simple returns (rows with a NaN in a held asset are dropped). */
  returnsData: Panel;
  /** Default "historical". */
  method?: ComponentVaRMethod;
  /** Overrides the analyzer's sectors for this call. */
  sectors?: Readonly<Record<string, string>>;
  /** Overrides the analyzer's seed (monte-carlo). */
  seed?: number;
}

/** One asset's line. */
export interface AssetVaRContribution {
  readonly asset: string;
  readonly position: number;
  /** ∂VaR/∂position (per unit of currency). */
  readonly marginalVaR: number;
  /** position · marginalVaR; these add up to `totalVaR`. */
  readonly componentVaR: number;
  /** componentVaR / totalVaR. */
  readonly percentContribution: number;
  /** VaR of this position alone. */
  readonly standaloneVaR: number;
}

/** One sector's line. */
export interface SectorVaRContribution {
  readonly sector: string;
  readonly position: number;
  readonly componentVaR: number;
  readonly percentContribution: number;
}

/** Result of {@link VaRAnalyzer.calculateComponentVaR}. */
export interface ComponentVaRResult {
  readonly method: ComponentVaRMethod;
  readonly confidenceLevel: number;
  /** VaR of the book (currency, positive loss). */
  readonly totalVaR: number;
  /** Σ standalone VaRs; `undiversifiedVaR − totalVaR` is the diversification benefit. */
  readonly undiversifiedVaR: number;
  readonly byAsset: readonly AssetVaRContribution[];
  readonly bySector: readonly SectorVaRContribution[];
  /** Scenarios (historical rows or Monte Carlo draws) used. */
  readonly scenarios: number;
}

export class VaRAnalyzer {
  readonly confidenceLevel: number;
  readonly sectors: Readonly<Record<string, string>> | undefined;
  readonly simulations: number;
  readonly seed: number;

  constructor(options: VaRAnalyzerOptions = {}) {
    this.confidenceLevel = options.confidenceLevel ?? 0.95;
    if (!(this.confidenceLevel > 0.5 && this.confidenceLevel < 1)) {
      throw new RangeError(`VaRAnalyzer: option confidenceLevel must be in (0.5, 1), e.g. 0.95 or 0.99; got ${this.confidenceLevel}`);
    }
    this.sectors = options.sectors;
    this.simulations = options.simulations ?? 10_000;
    if (!Number.isInteger(this.simulations) || this.simulations < 100) throw new RangeError(`VaRAnalyzer: option simulations must be an integer ≥ 100, got ${this.simulations}`);
    this.seed = options.seed ?? 42;
  }

  calculateComponentVaR(input: ComponentVaRInput): ComponentVaRResult {
    const method = input.method ?? "historical";
    if (!METHODS.includes(method)) throw new TypeError(`VaRAnalyzer.calculateComponentVaR: method must be one of ${METHODS.join(", ")}; got ${JSON.stringify(method)}`);
    const panel = input.returnsData;
    const { assets, w } = alignPositions(input.positions, panel);
    const cols = assets.map((a) => panel.column(a));
    // Rows where every held asset has a return.
    const rows: number[] = [];
    for (let t = 0; t < panel.nDates; t++) {
      let ok = true;
      for (const c of cols) if (!Number.isFinite(c[t] as number)) ok = false;
      if (ok) rows.push(t);
    }
    if (rows.length < 20) throw new RangeError(`VaRAnalyzer: only ${rows.length} rows have returns for every held asset; need ≥ 20`);
    const alpha = 1 - this.confidenceLevel;
    const n = assets.length;
    let X: Float64Array[] = cols.map((c) => Float64Array.from(rows, (t) => c[t] as number));
    let marginal: Float64Array;
    let total: number;
    let standalone: Float64Array;

    if (method === "gaussian") {
      const { cov, means } = covarianceMatrix(X);
      const z = normalQuantile(alpha);
      const sw = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += (cov[i * n + k] as number) * (w[k] as number);
        sw[i] = s;
      }
      let varp = 0;
      let mup = 0;
      for (let i = 0; i < n; i++) {
        varp += (w[i] as number) * (sw[i] as number);
        mup += (w[i] as number) * (means[i] as number);
      }
      const sp = Math.sqrt(varp);
      total = -(mup + z * sp);
      marginal = Float64Array.from({ length: n }, (_, i) => -((means[i] as number) + (z * (sw[i] as number)) / sp));
      standalone = Float64Array.from({ length: n }, (_, i) => Math.abs(w[i] as number) * Math.sqrt(cov[i * n + i] as number) * -z - (w[i] as number) * (means[i] as number));
    } else if (method === "cornish-fisher") {
      const varOf = (ww: Float64Array): number => modifiedVaR(portfolioPnl(X, ww), alpha);
      total = varOf(w);
      marginal = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const h = 1e-5 * Math.max(Math.abs(w[i] as number), 1e-3 * maxAbs(w));
        const up = Float64Array.from(w);
        const dn = Float64Array.from(w);
        up[i] = (up[i] as number) + h;
        dn[i] = (dn[i] as number) - h;
        marginal[i] = (varOf(up) - varOf(dn)) / (2 * h);
      }
      standalone = Float64Array.from({ length: n }, (_, i) => {
        const e = new Float64Array(n);
        e[i] = w[i] as number;
        return w[i] === 0 ? 0 : varOf(e);
      });
    } else {
      if (method === "monte-carlo") X = simulateNormal(X, this.simulations, input.seed ?? this.seed);
      const pnl = portfolioPnl(X, w);
      const m = pnl.length;
      const order = Array.from({ length: m }, (_, t) => t).sort((a, b) => (pnl[a] as number) - (pnl[b] as number));
      const h = (m - 1) * alpha;
      const k = Math.floor(h);
      const f = h - k;
      const t0 = order[k] as number;
      const t1 = order[Math.min(k + 1, m - 1)] as number;
      total = -((1 - f) * (pnl[t0] as number) + f * (pnl[t1] as number));
      marginal = Float64Array.from({ length: n }, (_, i) => -((1 - f) * ((X[i] as Float64Array)[t0] as number) + f * ((X[i] as Float64Array)[t1] as number)));
      standalone = Float64Array.from({ length: n }, (_, i) => {
        const s = Float64Array.from(X[i] as Float64Array, (r) => r * (w[i] as number)).sort();
        return -quantileSorted(s, alpha);
      });
    }

    const byAsset = assets.map((asset, i) => {
      const comp = (w[i] as number) * (marginal[i] as number);
      return Object.freeze({
        asset,
        position: w[i] as number,
        marginalVaR: marginal[i] as number,
        componentVaR: comp,
        percentContribution: comp / total,
        standaloneVaR: standalone[i] as number,
      });
    });
    const sectors = input.sectors ?? this.sectors ?? {};
    const agg = new Map<string, { position: number; componentVaR: number }>();
    for (const line of byAsset) {
      const s = sectors[line.asset] ?? "unknown";
      const cur = agg.get(s) ?? { position: 0, componentVaR: 0 };
      cur.position += line.position;
      cur.componentVaR += line.componentVaR;
      agg.set(s, cur);
    }
    const bySector = [...agg.entries()].map(([sector, v]) => Object.freeze({ sector, position: v.position, componentVaR: v.componentVaR, percentContribution: v.componentVaR / total }));
    let undiversified = 0;
    for (const s of standalone) undiversified += s;
    return Object.freeze({
      method,
      confidenceLevel: this.confidenceLevel,
      totalVaR: total,
      undiversifiedVaR: undiversified,
      byAsset: Object.freeze(byAsset),
      bySector: Object.freeze(bySector),
      scenarios: X[0]?.length ?? 0,
    });
  }
}

export function varAnalyzer(options?: VaRAnalyzerOptions): VaRAnalyzer {
  return new VaRAnalyzer(options);
}

/** Positions as a Float64Array over the held assets of `panel` (zero positions dropped). */
export function alignPositions(positions: ComponentVaRInput["positions"], panel: Panel): { assets: string[]; w: Float64Array } {
  const assets: string[] = [];
  const values: number[] = [];
  if (positions instanceof Float64Array || Array.isArray(positions)) {
    const arr = positions as ArrayLike<number>;
    if (arr.length !== panel.nAssets) throw new RangeError(`positions has ${arr.length} values but returnsData has ${panel.nAssets} assets; pass a { asset: value } record or align them`);
    for (let j = 0; j < arr.length; j++) {
      const v = arr[j] as number;
      if (!Number.isFinite(v)) throw new RangeError(`positions[${j}] (${panel.assets[j]}) is not finite: ${v}`);
      if (v !== 0) {
        assets.push(panel.assets[j] as string);
        values.push(v);
      }
    }
  } else {
    for (const [a, v] of Object.entries(positions as Record<string, number>)) {
      if (!panel.has(a)) throw new RangeError(`positions holds ${JSON.stringify(a)}, which returnsData does not have`);
      if (!Number.isFinite(v)) throw new RangeError(`positions.${a} is not finite: ${v}`);
      if (v !== 0) {
        assets.push(a);
        values.push(v);
      }
    }
  }
  if (assets.length === 0) throw new RangeError("positions is empty (every position is 0): nothing to measure");
  return { assets, w: Float64Array.from(values) };
}

function portfolioPnl(X: readonly Float64Array[], w: Float64Array): Float64Array {
  const m = X[0]?.length ?? 0;
  const out = new Float64Array(m);
  for (let i = 0; i < X.length; i++) {
    const wi = w[i] as number;
    const c = X[i] as Float64Array;
    for (let t = 0; t < m; t++) out[t] = (out[t] as number) + wi * (c[t] as number);
  }
  return out;
}

function modifiedVaR(pnl: Float64Array, alpha: number): number {
  const { mean, std } = meanStd(pnl);
  const { skew, exKurt } = skewKurt(pnl);
  return -(mean + cornishFisherZ(normalQuantile(alpha), skew, exKurt) * std);
}

function maxAbs(w: Float64Array): number {
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  return m;
}

function simulateNormal(X: readonly Float64Array[], draws: number, seed: number): Float64Array[] {
  const n = X.length;
  const { cov, means } = covarianceMatrix(X as Float64Array[]);
  const L = cholesky(cov, n);
  const gauss = normalSource(seededUniform(seed));
  const out = Array.from({ length: n }, () => new Float64Array(draws));
  const z = new Float64Array(n);
  for (let t = 0; t < draws; t++) {
    for (let k = 0; k < n; k++) z[k] = gauss();
    for (let i = 0; i < n; i++) {
      let s = means[i] as number;
      for (let k = 0; k <= i; k++) s += (L[i * n + k] as number) * (z[k] as number);
      (out[i] as Float64Array)[t] = s;
    }
  }
  return out;
}
