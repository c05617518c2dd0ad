/**
 * Parametric (delta-normal) VaR decomposition by Euler allocation: with σ_p = √(wᵀΣw),
 * VaR = −(wᵀμ + z_α σ_p); marginal_i = ∂VaR/∂w_i = −(μ_i + z_α (Σw)_i/σ_p);
 * component_i = w_i·marginal_i, and Σ component_i = VaR exactly (VaR is homogeneous of degree 1).
 * Jorion, "Value at Risk" (3rd ed.), ch. 7.
 */
import { opt, readOptions } from "../data/index.js";
import { type Matrix, type MatrixLike, normalPpf, toMatrix } from "../stats/index.js";
import { confidenceRule, gaussianLoss } from "./var.js";

/** Options of {@link componentVaR}. */
export interface ComponentVaROptions {
  /** Confidence level in (0, 1) (default 0.95). */
  confidence?: number;
  /** Expected per-period returns μ (default zeros). */
  means?: Float64Array | readonly number[];
}

/** Result of {@link componentVaR}. */
export interface ComponentVaRDecomposition {
  /** Portfolio VaR (positive loss). */
  readonly total: number;
  /** Portfolio standard deviation σ_p. */
  readonly sigma: number;
  /** ∂VaR/∂w_i. */
  readonly marginal: Float64Array;
  /** w_i · marginal_i; sums to total. */
  readonly component: Float64Array;
  /** component_i / total. */
  readonly percent: Float64Array;
}

export function componentVaR(weights: Float64Array | readonly number[], covariance: MatrixLike, options: ComponentVaROptions = {}): ComponentVaRDecomposition {
  const o = readOptions("componentVaR", options, {
    confidence: confidenceRule(0.95),
    means: opt.optional(opt.custom("a Float64Array or number[]", () => undefined, (v): v is Float64Array | readonly number[] => v instanceof Float64Array || Array.isArray(v))),
  });
  const confidence = o.confidence;
  const w = Float64Array.from(weights as ArrayLike<number>);
  const c: Matrix = toMatrix(covariance, "componentVaR");
  const n = w.length;
  if (c.rows !== n || c.cols !== n) throw new RangeError(`componentVaR: covariance is ${c.rows}×${c.cols} but there are ${n} weights`);
  const mu = o.means ? Float64Array.from(o.means as ArrayLike<number>) : new Float64Array(n);
  if (mu.length !== n) throw new RangeError(`componentVaR: means has ${mu.length} values but there are ${n} weights`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(w[i]!) || !Number.isFinite(mu[i]!)) throw new RangeError(`componentVaR: weight or mean ${i} is not finite`);
  for (let i = 0; i < c.data.length; i++) if (!Number.isFinite(c.data[i]!)) throw new RangeError("componentVaR: covariance contains NaN or infinite values");
  const sw = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const wj = w[j]!;
    for (let i = 0; i < n; i++) sw[i] = sw[i]! + c.data[j * n + i]! * wj;
  }
  let v = 0;
  for (let i = 0; i < n; i++) v += w[i]! * sw[i]!;
  if (!(v > 0)) throw new RangeError("componentVaR: portfolio variance wᵀΣw is not positive (zero weights or a singular covariance)");
  const sigma = Math.sqrt(v);
  const z = normalPpf(1 - confidence);
  const marginal = new Float64Array(n);
  const component = new Float64Array(n);
  let wmu = 0;
  for (let i = 0; i < n; i++) {
    marginal[i] = -(mu[i]! + (z * sw[i]!) / sigma);
    component[i] = w[i]! * marginal[i]!;
    wmu += w[i]! * mu[i]!;
  }
  const total = gaussianLoss(wmu, sigma, 1 - confidence);
  const percent = component.map((x) => x / total);
  return Object.freeze({ total, sigma, marginal, component, percent });
}
