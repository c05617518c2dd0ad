/**
 * Parametric (delta-normal) VaR decomposition by Euler allocation: with σ_p = √(wᵀΣw),
 * VaR = −(wᵀμ + z_α σ_p); marginal_i = ∂VaR/∂w_i = −(μ_i + z_α (Σw)_i/σ_p);
 * component_i = w_i·marginal_i, and Σ component_i = VaR exactly (VaR is homogeneous of degree 1).
 * Jorion, "Value at Risk" (3rd ed.), ch. 7.
 */
import { Matrix, type MatrixLike, normalPpf, toMatrix } from "../stats/index.js";

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
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`componentVaR: confidence must be in (0, 1), got ${confidence}`);
  const w = Float64Array.from(weights as ArrayLike<number>);
  const c: Matrix = toMatrix(covariance, "componentVaR");
  const n = w.length;
  if (c.rows !== n || c.cols !== n) throw new RangeError(`componentVaR: covariance is ${c.rows}×${c.cols} but there are ${n} weights`);
  const mu = options.means ? Float64Array.from(options.means as ArrayLike<number>) : new Float64Array(n);
  if (mu.length !== n) throw new RangeError(`componentVaR: means has ${mu.length} values but there are ${n} weights`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(w[i] as number) || !Number.isFinite(mu[i] as number)) throw new RangeError(`componentVaR: weight or mean ${i} is not finite`);
  for (let i = 0; i < c.data.length; i++) if (!Number.isFinite(c.data[i] as number)) throw new RangeError("componentVaR: covariance contains NaN or infinite values");
  const sw = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const wj = w[j] as number;
    for (let i = 0; i < n; i++) sw[i] = (sw[i] as number) + (c.data[j * n + i] as number) * wj;
  }
  let v = 0;
  for (let i = 0; i < n; i++) v += (w[i] as number) * (sw[i] as number);
  if (!(v > 0)) throw new RangeError("componentVaR: portfolio variance wᵀΣw is not positive (zero weights or a singular covariance)");
  const sigma = Math.sqrt(v);
  const z = normalPpf(1 - confidence);
  const marginal = new Float64Array(n);
  const component = new Float64Array(n);
  let wmu = 0;
  for (let i = 0; i < n; i++) {
    marginal[i] = -((mu[i] as number) + (z * (sw[i] as number)) / sigma);
    component[i] = (w[i] as number) * (marginal[i] as number);
    wmu += (w[i] as number) * (mu[i] as number);
  }
  const total = -(wmu + z * sigma);
  const percent = component.map((x) => x / total);
  return Object.freeze({ total, sigma, marginal, component, percent });
}
