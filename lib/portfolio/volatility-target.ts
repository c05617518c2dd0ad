/**
 * Volatility targeting (Moreira & Muir 2017 in spirit): scales the weights of an inner construction
 * so the book's predicted annualised volatility √(wᵀΣw · periodsPerYear) equals `target`, never
 * above `maxGross` gross exposure. The inner construction defaults to {@link DollarNeutral}.
 */
import { opt, readOptions } from "../data/index.js";
import { type ConstructionContext, type PortfolioConstruction, requireCovariance } from "./construction.js";
import { DollarNeutral } from "./dollar-neutral.js";

/** Options of {@link VolatilityTarget}. */
export interface VolatilityTargetOptions {
  /** Annualised volatility target (default 0.1 = 10%). */
  target?: number;
  /** Periods per year of the covariance (default 252). */
  periodsPerYear?: number;
  /** Cap on Σ|w| after scaling (default 4). */
  maxGross?: number;
  /** The construction whose weights are scaled (default `new DollarNeutral()`). */
  inner?: PortfolioConstruction;
}

const isConstruction = (x: unknown): x is PortfolioConstruction => typeof (x as { weights?: unknown } | null)?.weights === "function";

const VOLATILITY_TARGET_OPTIONS = {
  target: opt.numberIn(0.1, 0, Number.MAX_VALUE, true),
  periodsPerYear: opt.numberIn(252, 0, 1e6, true),
  maxGross: opt.numberIn(4, 0, Number.MAX_VALUE),
  inner: opt.custom("a PortfolioConstruction (an object with weights(scores, context))", () => new DollarNeutral(), isConstruction),
} satisfies Record<keyof VolatilityTargetOptions, opt.OptionRule<unknown>>;

export class VolatilityTarget implements PortfolioConstruction {
  readonly name = "volatility-target";
  readonly params: Readonly<{ target: number; periodsPerYear: number; maxGross: number; inner: string }>;
  readonly #inner: PortfolioConstruction;

  constructor(options: VolatilityTargetOptions = {}) {
    const o = readOptions("VolatilityTarget", options, VOLATILITY_TARGET_OPTIONS);
    this.#inner = o.inner;
    this.params = Object.freeze({ target: o.target, periodsPerYear: o.periodsPerYear, maxGross: o.maxGross, inner: o.inner.name });
  }

  weights(scores: Float64Array, context?: ConstructionContext): Float64Array {
    const N = scores.length;
    const cov = requireCovariance("VolatilityTarget", context, N);
    return scaleToVolatility(this.#inner.weights(scores, context), cov, this.params.target, this.params.periodsPerYear, this.params.maxGross);
  }
}

/** Predicted annualised volatility of weights w under covariance Σ (per period). */
export function portfolioVolatility(w: Float64Array, covariance: Float64Array, periodsPerYear = 252): number {
  const n = w.length;
  if (covariance.length !== n * n) throw new RangeError(`portfolioVolatility: covariance must hold ${n} × ${n} values, got ${covariance.length}`);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    for (let j = 0; j < n; j++) v += wi * covariance[i * n + j]! * w[j]!;
  }
  return Math.sqrt(Math.max(v, 0) * periodsPerYear);
}

/** Scales weights to the annualised volatility target (a new array). */
export function scaleToVolatility(w: Float64Array, covariance: Float64Array, target: number, periodsPerYear = 252, maxGross = Infinity): Float64Array {
  const vol = portfolioVolatility(w, covariance, periodsPerYear);
  if (!(vol > 0)) return new Float64Array(w.length);
  let g = 0;
  for (let i = 0; i < w.length; i++) g += Math.abs(w[i]!);
  const k = Math.min(target / vol, maxGross / g);
  return w.map((x) => x * k);
}

export function volatilityTarget(options?: VolatilityTargetOptions): VolatilityTarget {
  return new VolatilityTarget(options);
}
