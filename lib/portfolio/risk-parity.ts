/**
 * Risk parity (equal risk contribution; Maillard, Roncalli & Teïletche 2010): weights whose risk
 * contributions wᵢ(Σw)ᵢ are proportional to budgets bᵢ. Solved as the convex problem
 * min ½xᵀΣx − Σ bᵢ ln xᵢ by cyclical coordinate descent (Griveau-Billion, Richard & Roncalli 2013:
 * each coordinate has a closed-form root), then normalised.
 *
 * `direction: "long-only"` ignores the scores' values (only NaN excludes an asset) and returns
 * Σw = gross; `"score-sign"` applies the ERC to the covariance of the signed positions
 * (sign(sᵢ) sⱼ Σᵢⱼ) so that a long/short book gets equal risk per name, Σ|w| = gross.
 */
import { opt, readOptions } from "../data/index.js";
import { type ConstructionContext, type PortfolioConstruction, requireCovariance, subMatrix, validIndex } from "./construction.js";

/** Options of {@link RiskParity}. */
export interface RiskParityOptions {
  /** `"long-only"` or `"score-sign"` (default "long-only"). */
  direction?: "long-only" | "score-sign";
  /** Σ|w| (default 1). */
  gross?: number;
  /** Coordinate-descent sweeps cap (default 10,000). */
  maxIterations?: number;
  /** Stop when no weight moves by more than this (relative) (default 1e-12). */
  tolerance?: number;
}

const RISK_PARITY_OPTIONS = {
  direction: opt.oneOf(["long-only", "score-sign"] as const, "long-only"),
  gross: opt.numberIn(1, 0, Number.MAX_VALUE),
  maxIterations: opt.positiveInteger(10_000),
  tolerance: opt.numberIn(1e-12, 0, 1, true),
} satisfies Record<keyof RiskParityOptions, opt.OptionRule<unknown>>;

export class RiskParity implements PortfolioConstruction {
  readonly name = "risk-parity";
  readonly params: Readonly<Required<RiskParityOptions>>;

  constructor(options: RiskParityOptions = {}) {
    this.params = readOptions("RiskParity", options, RISK_PARITY_OPTIONS);
  }

  weights(scores: Float64Array, context?: ConstructionContext): Float64Array {
    const N = scores.length;
    const cov = requireCovariance("RiskParity", context, N);
    const idx = validIndex(scores).filter((i) => this.params.direction === "long-only" || scores[i]! !== 0);
    const out = new Float64Array(N);
    if (idx.length === 0) return out;
    const S = subMatrix(cov, N, idx);
    const k = idx.length;
    const sign = Float64Array.from(idx, (i) => (this.params.direction === "long-only" ? 1 : Math.sign(scores[i]!)));
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) S[a * k + b] = S[a * k + b]! * sign[a]! * sign[b]!;
    const x = equalRiskContribution(S, k, new Float64Array(k).fill(1 / k), this.params.maxIterations, this.params.tolerance);
    let s = 0;
    for (let a = 0; a < k; a++) s += x[a]!;
    idx.forEach((i, a) => (out[i] = (sign[a]! * x[a]! * this.params.gross) / s));
    return out;
  }
}

/** ERC weights (unnormalised, positive) for covariance S (k × k) and budgets b. */
export function equalRiskContribution(S: Float64Array, k: number, b: Float64Array, maxIterations = 10_000, tolerance = 1e-12): Float64Array {
  const x = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const v = S[a * k + a]!;
    if (!(v > 0)) throw new RangeError(`risk parity: asset ${a} has variance ${v}; every asset needs a positive variance`);
    x[a] = 1 / Math.sqrt(v);
  }
  const sx = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += S[a * k + c]! * x[c]!;
    sx[a] = s;
  }
  for (let it = 0; it < maxIterations; it++) {
    let move = 0;
    for (let a = 0; a < k; a++) {
      const saa = S[a * k + a]!;
      const xa = x[a]!;
      const c = sx[a]! - saa * xa;
      const nx = (-c + Math.sqrt(c * c + 4 * saa * b[a]!)) / (2 * saa);
      const d = nx - xa;
      if (d !== 0) {
        for (let r = 0; r < k; r++) sx[r] = sx[r]! + S[r * k + a]! * d;
        x[a] = nx;
        move = Math.max(move, Math.abs(d) / nx);
      }
    }
    if (move < tolerance) break;
  }
  return x;
}

export function riskParity(options?: RiskParityOptions): RiskParity {
  return new RiskParity(options);
}
