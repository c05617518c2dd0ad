/**
 * Kelly fraction (Kelly 1956; Thorp 2006 for the continuous multi-asset case): the growth-optimal
 * weights for per-period expected returns μ and covariance Σ are w* = Σ⁻¹μ; a fraction f of them
 * (half Kelly by default) trades growth for much lower drawdowns. μ = scores × `alphaScale`. The
 * book is then capped at `maxGross` (scaled down, never up). With no covariance, context.volatilities
 * gives the diagonal case wᵢ = f μᵢ / σᵢ².
 */
import { opt, readOptions } from "../data/index.js";
import { solveSPD } from "../stats/index.js";
import { type ConstructionContext, type PortfolioConstruction, subMatrix, validIndex } from "./construction.js";

/** Options of {@link KellyFraction}. */
export interface KellyFractionOptions {
  /** Fraction of full Kelly (default 0.5). */
  fraction?: number;
  /** Multiplier turning scores into expected per-period returns (default 1). */
  alphaScale?: number;
  /** Cap on Σ|w| (default 2). */
  maxGross?: number;
  /** Ridge added to Σ's diagonal, relative to its mean variance, for stability (default 0). */
  shrinkage?: number;
}

const KELLY_OPTIONS = {
  fraction: opt.numberIn(0.5, 0, 1),
  alphaScale: opt.numberIn(1, -Number.MAX_VALUE, Number.MAX_VALUE),
  maxGross: opt.numberIn(2, 0, Number.MAX_VALUE),
  shrinkage: opt.numberIn(0, 0, Number.MAX_VALUE),
} satisfies Record<keyof KellyFractionOptions, opt.OptionRule<unknown>>;

export class KellyFraction implements PortfolioConstruction {
  readonly name = "kelly";
  readonly params: Readonly<Required<KellyFractionOptions>>;

  constructor(options: KellyFractionOptions = {}) {
    this.params = readOptions("KellyFraction", options, KELLY_OPTIONS);
  }

  weights(scores: Float64Array, context?: ConstructionContext): Float64Array {
    const N = scores.length;
    const o = this.params;
    const out = new Float64Array(N);
    const idx = validIndex(scores);
    if (idx.length === 0) return out;
    const mu = Float64Array.from(idx, (i) => o.alphaScale * scores[i]!);
    let w: Float64Array;
    if (context?.covariance !== undefined) {
      const cov = context.covariance;
      if (cov.length !== N * N) throw new RangeError(`KellyFraction: context.covariance must hold ${N} × ${N} values, got ${cov.length}`);
      const k = idx.length;
      const S = subMatrix(cov, N, idx);
      let mv = 0;
      for (let a = 0; a < k; a++) mv += S[a * k + a]!;
      for (let a = 0; a < k; a++) S[a * k + a] = S[a * k + a]! + (o.shrinkage * mv) / k;
      w = solveSPD(S, k, mu);
    } else if (context?.volatilities !== undefined) {
      const v = context.volatilities;
      if (v.length !== N) throw new RangeError(`KellyFraction: context.volatilities must hold ${N} values, got ${v.length}`);
      w = Float64Array.from(idx, (i, a) => mu[a]! / v[i]! ** 2);
    } else throw new TypeError("KellyFraction: give context.covariance (n × n) or context.volatilities (n)");
    let g = 0;
    for (let a = 0; a < w.length; a++) g += Math.abs(w[a]! * o.fraction);
    const cap = g > o.maxGross ? o.maxGross / g : 1;
    idx.forEach((i, a) => (out[i] = Number.isFinite(w[a]!) ? w[a]! * o.fraction * cap : 0));
    return out;
  }
}

export function kellyFraction(options?: KellyFractionOptions): KellyFraction {
  return new KellyFraction(options);
}
