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
 *   −(μ_p + z_cf σ_p) with z_cf the Cornish-Fisher quantile and σ_p, skewness and excess kurtosis
 *   from 1/n central moments (`moments: "sample"`: σ_p with ddof 1, as `valueAtRisk`); its
 *   components are w_i·∂VaR/∂w_i by central differences (VaR is homogeneous of degree one in w,
 *   so they add up to the total to the differencing error, ~1e-8 relative).
 *
 * VaR is a positive loss in currency (DESIGN.md): a book worth +1M with 2% daily VaR reports 20,000.
 */
import { checkKeys, describeValue, opt, Panel, readOptions } from "../data/index.js";
import { completeCases, covMatrix, mean, normalPpf } from "../stats/index.js";
import { confidenceRule, cornishFisherLoss, type CornishFisherMoments, gaussianLoss, historicalTail, MONTE_CARLO_DEFAULTS, normalScenarios, orderStatisticIndices } from "./var.js";

/** VaR methods of {@link VaRAnalyzer}. */
export type ComponentVaRMethod = "historical" | "gaussian" | "cornish-fisher" | "monte-carlo";
const METHODS: readonly ComponentVaRMethod[] = ["historical", "gaussian", "cornish-fisher", "monte-carlo"];

/** Options of {@link VaRAnalyzer}. */
export interface VaRAnalyzerOptions {
  /** Confidence level in (0.5, 1) (default 0.95). */
  confidenceLevel?: number;
  /** Asset → sector for the sector breakdown (default: every asset in "unknown"). */
  sectors?: Readonly<Record<string, string>>;
  /** Monte Carlo scenarios, an integer ≥ 100 (default 100,000, as `valueAtRisk`). */
  simulations?: number;
  /** Monte Carlo seed, a non-negative integer (default 42, as `valueAtRisk`). */
  seed?: number;
  /** Cornish-Fisher's σ: "population" (default, PerformanceAnalytics) or "sample" (ddof 1), as `valueAtRisk`'s `moments`. */
  moments?: CornishFisherMoments;
}

const isRecord = (v: unknown): v is Readonly<Record<string, string>> => typeof v === "object" && v !== null && !Array.isArray(v);

const SPEC = {
  confidenceLevel: confidenceRule(0.95, 0.5),
  sectors: opt.optional(opt.custom("an { asset: sector } object", () => undefined, isRecord)),
  simulations: opt.integer(MONTE_CARLO_DEFAULTS.simulations, { min: 100 }),
  seed: opt.integer(MONTE_CARLO_DEFAULTS.seed, { min: 0 }),
  moments: opt.oneOf(["population", "sample"] as const, "population"),
};

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

const INPUT_KEYS = ["positions", "returnsData", "method", "sectors", "seed"] as const;

/** An Euler decomposition: the book's VaR, each asset's ∂VaR/∂position, and each position's VaR alone. */
interface Decomposition {
  total: number;
  marginal: Float64Array;
  standalone: Float64Array;
  scenarios: number;
}

/**
 * A thin façade over lib/risk's VaR functions (`var.ts`): it lines up positions with returns, picks
 * the decomposition of the method, and sums the lines by asset and sector.
 */
export class VaRAnalyzer {
  readonly confidenceLevel: number;
  readonly sectors: Readonly<Record<string, string>> | undefined;
  readonly simulations: number;
  readonly seed: number;
  readonly moments: CornishFisherMoments;

  constructor(options: VaRAnalyzerOptions = {}) {
    const o = readOptions("VaRAnalyzer", options, SPEC);
    this.confidenceLevel = o.confidenceLevel;
    this.sectors = o.sectors;
    this.simulations = o.simulations;
    this.seed = o.seed;
    this.moments = o.moments;
  }

  calculateComponentVaR(input: ComponentVaRInput): ComponentVaRResult {
    const where = "VaRAnalyzer.calculateComponentVaR";
    const given = checkKeys(where, input, INPUT_KEYS);
    const method = opt.oneOf(METHODS, "historical").check(where, "method", given.get("method") ?? "historical");
    const seed = opt.integer(this.seed, { min: 0 }).check(where, "seed", given.get("seed") ?? this.seed);
    const sectorsIn = given.get("sectors");
    const sectors = (sectorsIn === undefined ? this.sectors : SPEC.sectors.check(where, "sectors", sectorsIn)) ?? {};
    const panel = given.get("returnsData");
    if (!(panel instanceof Panel)) throw new TypeError(`${where}: returnsData must be a Panel of returns, got ${describeValue(panel)}`);
    const { assets, w } = alignPositions(given.get("positions") as ComponentVaRInput["positions"], panel);
    const X = heldReturns(assets, panel);
    const alpha = 1 - this.confidenceLevel;
    const d =
      method === "gaussian" ? gaussianDecomposition(X, w, alpha)
      : method === "cornish-fisher" ? cornishFisherDecomposition(X, w, alpha, this.moments)
      : scenarioDecomposition(method === "monte-carlo" ? normalScenarios(X, this.simulations, seed) : X, w, alpha);
    return assemble(method, this.confidenceLevel, assets, w, d, sectors);
  }
}

export function varAnalyzer(options?: VaRAnalyzerOptions): VaRAnalyzer {
  return new VaRAnalyzer(options);
}

/** The held assets' returns on the rows where every one of them has a return (at least 20 rows). */
function heldReturns(assets: readonly string[], panel: Panel): Float64Array[] {
  const X = completeCases(assets.map((a) => panel.column(a)));
  const rows = X[0]?.length ?? 0;
  if (rows < 20) throw new RangeError(`VaRAnalyzer: only ${rows} rows have returns for every held asset; need ≥ 20`);
  return X;
}

/** Gaussian: σ_p = √(wᵀΣw), marginal_i = −(μ_i + z_α (Σw)_i/σ_p), standalone_i = |w_i|σ_i·(−z_α) − w_iμ_i. */
function gaussianDecomposition(X: readonly Float64Array[], w: Float64Array, alpha: number): Decomposition {
  const n = X.length;
  const cov = covMatrix(X).data; // symmetric: column-major data is also row-major
  const means = Float64Array.from(X, (c) => mean(c));
  const z = normalPpf(alpha);
  const sw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += cov[i * n + k]! * w[k]!;
    sw[i] = s;
  }
  let varp = 0;
  let mup = 0;
  for (let i = 0; i < n; i++) {
    varp += w[i]! * sw[i]!;
    mup += w[i]! * means[i]!;
  }
  const sp = Math.sqrt(varp);
  return {
    total: gaussianLoss(mup, sp, alpha),
    marginal: Float64Array.from({ length: n }, (_, i) => -(means[i]! + (z * sw[i]!) / sp)),
    standalone: Float64Array.from({ length: n }, (_, i) => Math.abs(w[i]!) * Math.sqrt(cov[i * n + i]!) * -z - w[i]! * means[i]!),
    scenarios: X[0]?.length ?? 0,
  };
}

/** Cornish-Fisher: the modified VaR of the book's P&L, marginals by central differences. */
function cornishFisherDecomposition(X: readonly Float64Array[], w: Float64Array, alpha: number, moments: CornishFisherMoments): Decomposition {
  const n = X.length;
  const varOf = (ww: Float64Array): number => cornishFisherLoss(portfolioPnl(X, ww), alpha, moments).varLoss;
  const marginal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = 1e-5 * Math.max(Math.abs(w[i]!), 1e-3 * maxAbs(w));
    const up = Float64Array.from(w);
    const dn = Float64Array.from(w);
    up[i] = up[i]! + h;
    dn[i] = dn[i]! - h;
    marginal[i] = (varOf(up) - varOf(dn)) / (2 * h);
  }
  const standalone = Float64Array.from({ length: n }, (_, i) => {
    const e = new Float64Array(n);
    e[i] = w[i]!;
    return w[i] === 0 ? 0 : varOf(e);
  });
  return { total: varOf(w), marginal, standalone, scenarios: X[0]?.length ?? 0 };
}

/**
 * Historical (or Monte Carlo) scenarios: the book's historical VaR; each asset's marginal is its
 * return in the two scenarios holding the quantile's order statistics, −[(1−f)·r_i(t_k) + f·r_i(t_{k+1})].
 */
function scenarioDecomposition(X: readonly Float64Array[], w: Float64Array, alpha: number): Decomposition {
  const n = X.length;
  const pnl = portfolioPnl(X, w);
  const tail = historicalTail(pnl, alpha, false);
  const { t0, t1 } = orderStatisticIndices(pnl, alpha, tail);
  const f = tail.g;
  return {
    total: tail.varLoss,
    marginal: Float64Array.from({ length: n }, (_, i) => -((1 - f) * X[i]![t0]! + f * X[i]![t1]!)),
    standalone: Float64Array.from({ length: n }, (_, i) => historicalTail(X[i]!.map((r) => r * w[i]!), alpha, false).varLoss),
    scenarios: pnl.length,
  };
}

/** The frozen result: lines by asset (component = position · marginal) and by sector. */
function assemble(method: ComponentVaRMethod, confidenceLevel: number, assets: readonly string[], w: Float64Array, d: Decomposition, sectors: Readonly<Record<string, string>>): ComponentVaRResult {
  const { total, marginal, standalone } = d;
  const byAsset = assets.map((asset, i) => {
    const comp = w[i]! * marginal[i]!;
    return Object.freeze({ asset, position: w[i]!, marginalVaR: marginal[i]!, componentVaR: comp, percentContribution: comp / total, standaloneVaR: standalone[i]! });
  });
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
  return Object.freeze({ method, confidenceLevel, totalVaR: total, undiversifiedVaR: undiversified, byAsset: Object.freeze(byAsset), bySector: Object.freeze(bySector), scenarios: d.scenarios });
}

/** Positions as a Float64Array over the held assets of `panel` (zero positions dropped). */
export function alignPositions(positions: ComponentVaRInput["positions"], panel: Panel): { assets: string[]; w: Float64Array } {
  const assets: string[] = [];
  const values: number[] = [];
  if (positions instanceof Float64Array || Array.isArray(positions)) {
    const arr = positions as ArrayLike<number>;
    if (arr.length !== panel.nAssets) throw new RangeError(`positions has ${arr.length} values but returnsData has ${panel.nAssets} assets; pass a { asset: value } record or align them`);
    for (let j = 0; j < arr.length; j++) {
      const v = arr[j]!;
      if (!Number.isFinite(v)) throw new RangeError(`positions[${j}] (${panel.assets[j]}) is not finite: ${v}`);
      if (v !== 0) {
        assets.push(panel.assets[j]!);
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
    const wi = w[i]!;
    const c = X[i]!;
    for (let t = 0; t < m; t++) out[t] = out[t]! + wi * c[t]!;
  }
  return out;
}

function maxAbs(w: Float64Array): number {
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  return m;
}
