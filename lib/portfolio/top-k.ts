/**
 * Top-k / bottom-k (Krauss, Do & Huck 2017): long the k highest scores and short the k lowest,
 * equally weighted (gross/2k each) or in proportion to the score's distance from the median; ties at
 * the cut are broken by asset order, so the book is deterministic.
 */
import { opt, readOptions } from "../data/index.js";
import { type ConstructionContext, type PortfolioConstruction, validIndex } from "./construction.js";

/** Options of {@link TopKBottomK}. */
export interface TopKBottomKOptions {
  /** Names per side (default 10; lowered to ⌊valid/2⌋ when fewer scores exist). */
  k?: number;
  /** Σ|w| (default 1). */
  gross?: number;
  /** `"equal"` or `"score"` (∝ |score − median| within each side) (default "equal"). */
  weighting?: "equal" | "score";
}

const TOP_K_OPTIONS = {
  k: opt.positiveInteger(10),
  gross: opt.numberIn(1, 0, Number.MAX_VALUE),
  weighting: opt.oneOf(["equal", "score"] as const, "equal"),
} satisfies Record<keyof TopKBottomKOptions, opt.OptionRule<unknown>>;

export class TopKBottomK implements PortfolioConstruction {
  readonly name = "top-k-bottom-k";
  readonly params: Readonly<Required<TopKBottomKOptions>>;

  constructor(options: TopKBottomKOptions = {}) {
    this.params = readOptions("TopKBottomK", options, TOP_K_OPTIONS);
  }

  weights(scores: Float64Array, _context?: ConstructionContext): Float64Array {
    const w = new Float64Array(scores.length);
    const idx = validIndex(scores).sort((a, b) => scores[a]! - scores[b]! || a - b);
    const m = idx.length;
    const k = Math.min(this.params.k, Math.floor(m / 2));
    if (k < 1) return w;
    const half = this.params.gross / 2;
    const shorts = idx.slice(0, k);
    const longs = idx.slice(m - k);
    if (this.params.weighting === "equal") {
      for (const i of longs) w[i] = half / k;
      for (const i of shorts) w[i] = -half / k;
      return w;
    }
    const med = m % 2 ? scores[idx[(m - 1) / 2] as number]! : (scores[idx[m / 2 - 1] as number]! + scores[idx[m / 2] as number]!) / 2;
    for (const [side, sign] of [[longs, 1], [shorts, -1]] as const) {
      let s = 0;
      for (const i of side) s += Math.abs(scores[i]! - med);
      for (const i of side) w[i] = s > 0 ? (sign * half * Math.abs(scores[i]! - med)) / s : (sign * half) / k;
    }
    return w;
  }
}

export function topKBottomK(options?: TopKBottomKOptions): TopKBottomK {
  return new TopKBottomK(options);
}
