/**
 * Ridge regression (as scikit-learn `Ridge(alpha, fit_intercept=True)`: centre X and y, solve
 * (XcᵀXc + αI) w = Xcᵀyc, intercept = ȳ − x̄ᵀw) and the alpha model that fits it on the
 * cross-sectional feature set of {@link buildTrainingSet}.
 */
import { asPanelView, type DateLike, opt, type Panel, type PanelView } from "../data/index.js";
import type { AlphaModel, FitOptions } from "./alpha-model.js";
import { solveSPD } from "../stats/index.js";
import { buildTrainingSet, type CrossSectionalFeatureOptions, FEATURE_KEYS, predictionMatrix, type ResolvedFeatureOptions, resolveFeatureOptions } from "./ml-features.js";

/** Fitted ridge coefficients. */
export interface RidgeFit {
  readonly coef: Float64Array;
  readonly intercept: number;
}

/** Fits ridge on row-major X (n × p). */
export function ridgeFit(x: Float64Array, y: Float64Array, n: number, p: number, alpha: number): RidgeFit {
  if (x.length !== n * p || y.length !== n) throw new RangeError(`ridgeFit: x has ${x.length} values and y ${y.length}, expected ${n}×${p} and ${n}`);
  if (!(alpha >= 0)) throw new RangeError(`ridgeFit: alpha must be ≥ 0, got ${alpha}`);
  const mx = new Float64Array(p);
  let my = 0;
  for (let i = 0; i < n; i++) {
    my += y[i]!;
    for (let f = 0; f < p; f++) mx[f] = mx[f]! + x[i * p + f]!;
  }
  my /= n;
  for (let f = 0; f < p; f++) mx[f] = mx[f]! / n;
  const a = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < p; f++) row[f] = x[i * p + f]! - mx[f]!;
    const yc = y[i]! - my;
    for (let f = 0; f < p; f++) {
      const rf = row[f]!;
      b[f] = b[f]! + rf * yc;
      for (let g = f; g < p; g++) a[f * p + g] = a[f * p + g]! + rf * row[g]!;
    }
  }
  for (let f = 0; f < p; f++) {
    a[f * p + f] = a[f * p + f]! + alpha;
    for (let g = f + 1; g < p; g++) a[g * p + f] = a[f * p + g]!;
  }
  const coef = solveSPD(a, p, b);
  let intercept = my;
  for (let f = 0; f < p; f++) intercept -= mx[f]! * coef[f]!;
  return Object.freeze({ coef, intercept });
}

/** ŷ = X w + b for row-major X. */
export function ridgePredict(fit: RidgeFit, x: Float64Array, n: number): Float64Array {
  const p = fit.coef.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = fit.intercept;
    for (let f = 0; f < p; f++) s += x[i * p + f]! * fit.coef[f]!;
    out[i] = s;
  }
  return out;
}

/** Options of {@link RidgeModel}. */
export interface RidgeOptions extends CrossSectionalFeatureOptions {
  /** L2 penalty (default 10). */
  alpha?: number;
  /** Label horizon in days (default 1). */
  horizon?: number;
  /** Label kind (default "rank"). */
  target?: "rank" | "excess";
  /** Training samples kept (default 50,000). */
  maxSamples?: number;
  /** Subsample seed (default 0). */
  seed?: number;
}

const RIDGE_KEYS = opt.optionKeys<RidgeOptions>()(["alpha", "horizon", "target", "maxSamples", "seed", ...FEATURE_KEYS]);

export class RidgeModel implements AlphaModel {
  readonly name = "ridge";
  readonly params: Readonly<{ alpha: number; horizon: number; target: "rank" | "excess"; maxSamples: number; seed: number; features: ResolvedFeatureOptions }>;
  #fit: RidgeFit | null = null;

  constructor(options: RidgeOptions = {}) {
    const given = opt.knownKeys("RidgeModel", options, RIDGE_KEYS);
    this.params = Object.freeze({
      alpha: opt.finiteIn("RidgeModel", "alpha", given.alpha, 10, 0, Number.MAX_VALUE),
      horizon: opt.positiveInt("RidgeModel", "horizon", given.horizon, 1),
      target: opt.oneOfValue("RidgeModel", "target", given.target, "rank", ["rank", "excess"] as const),
      maxSamples: opt.positiveInt("RidgeModel", "maxSamples", given.maxSamples, 50_000),
      seed: opt.finiteIn("RidgeModel", "seed", given.seed, 0, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
      features: resolveFeatureOptions(given),
    });
  }

  /** The fitted coefficients (null before `fit`). */
  get coefficients(): RidgeFit | null {
    return this.#fit;
  }

  fit(data: PanelView | Panel, options: FitOptions = {}): void {
    const view = asPanelView(data);
    const startRow = options.start === undefined ? 0 : view.rowFrom(options.start);
    const ts = buildTrainingSet(view, this.params.features, { horizon: this.params.horizon, target: this.params.target, maxSamples: this.params.maxSamples, seed: this.params.seed, startRow });
    this.#fit = ridgeFit(ts.x, ts.y, ts.nSamples, ts.nFeatures, this.params.alpha);
  }

  predict(data: PanelView | Panel, at: DateLike): Float64Array {
    const fit = this.#fit;
    if (fit === null) throw new Error("RidgeModel.predict: call fit first");
    const view = asPanelView(data);
    const x = predictionMatrix(view.columns, view.rowAt(at), this.params.features);
    return ridgePredict(fit, x, view.nAssets);
  }

  toJSON(): unknown {
    return { params: this.params, coef: this.#fit ? Array.from(this.#fit.coef) : null, intercept: this.#fit?.intercept ?? null };
  }

  static fromJSON(json: { params: RidgeOptions & { features: ResolvedFeatureOptions }; coef: number[] | null; intercept: number | null }): RidgeModel {
    const { features, ...params } = json.params;
    const m = new RidgeModel({ ...params, ...features });
    if (json.coef !== null) m.#fit = Object.freeze({ coef: Float64Array.from(json.coef), intercept: json.intercept ?? 0 });
    return m;
  }
}

export function ridgeModel(options?: RidgeOptions): RidgeModel {
  return new RidgeModel(options);
}
