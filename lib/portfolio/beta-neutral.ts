/**
 * Beta-neutral long/short: the demeaned signal (as {@link DollarNeutral}) projected onto the space
 * orthogonal to both 1 and β (least-squares residual of the signal on [1, β]), scaled to Σ|w| =
 * gross, so Σw = 0 and Σβw = 0 exactly.
 */
import { opt, readOptions } from "../data/index.js";
import { type ConstructionContext, type PortfolioConstruction, scaleToGross, validIndex } from "./construction.js";
import { demeanedSignal } from "./dollar-neutral.js";

/** Options of {@link BetaNeutral}. */
export interface BetaNeutralOptions {
  /** Σ|w| (default 1). */
  gross?: number;
  /** Signal transform before projection (default "rank"). */
  transform?: "rank" | "zscore" | "raw";
}

const BETA_NEUTRAL_OPTIONS = {
  gross: opt.numberIn(1, 0, Number.MAX_VALUE),
  transform: opt.oneOf(["rank", "zscore", "raw"] as const, "rank"),
} satisfies Record<keyof BetaNeutralOptions, opt.OptionRule<unknown>>;

export class BetaNeutral implements PortfolioConstruction {
  readonly name = "beta-neutral";
  readonly params: Readonly<Required<BetaNeutralOptions>>;

  constructor(options: BetaNeutralOptions = {}) {
    this.params = readOptions("BetaNeutral", options, BETA_NEUTRAL_OPTIONS);
  }

  weights(scores: Float64Array, context?: ConstructionContext): Float64Array {
    const n = scores.length;
    const betas = context?.betas;
    if (!(betas instanceof Float64Array) || betas.length !== n) throw new TypeError(`BetaNeutral: context.betas must be a Float64Array of ${n} market betas`);
    const idx = validIndex(scores).filter((i) => Number.isFinite(betas[i]!));
    const w = new Float64Array(n);
    if (idx.length < 3) return w;
    const x = demeanedSignal(scores, idx, this.params.transform);
    // regress x on [1, β] and keep the residual
    const k = idx.length;
    let mb = 0;
    for (const i of idx) mb += betas[i]!;
    mb /= k;
    let sbb = 0;
    let sbx = 0;
    let mx = 0;
    for (let a = 0; a < k; a++) mx += x[a]!;
    mx /= k;
    idx.forEach((i, a) => {
      const d = betas[i]! - mb;
      sbb += d * d;
      sbx += d * (x[a]! - mx);
    });
    const slope = sbb > 0 ? sbx / sbb : 0;
    idx.forEach((i, a) => (w[i] = x[a]! - mx - slope * (betas[i]! - mb)));
    return scaleToGross(w, this.params.gross);
  }
}

export function betaNeutral(options?: BetaNeutralOptions): BetaNeutral {
  return new BetaNeutral(options);
}
