/**
 * Dollar-neutral long/short: wᵢ ∝ (xᵢ − mean x) over the assets with a score, scaled to Σ|w| =
 * gross, so Σw = 0. x is the score's cross-sectional rank (robust to outliers), z-score, or the raw
 * score.
 */
import { opt, readOptions } from "../data/index.js";
import { rankAverage } from "../features/index.js";
import { type ConstructionContext, type PortfolioConstruction, scaleToGross, validIndex } from "./construction.js";

/** Options of {@link DollarNeutral}. */
export interface DollarNeutralOptions {
  /** Σ|w| (default 1). */
  gross?: number;
  /** What is demeaned: `"rank"`, `"zscore"` or `"raw"` (default "rank"). */
  transform?: "rank" | "zscore" | "raw";
  /** Cap on |wᵢ| after scaling (excess is redistributed proportionally); Infinity = none (default Infinity). */
  maxPosition?: number;
}

const DOLLAR_NEUTRAL_OPTIONS = {
  gross: opt.numberIn(1, 0, Number.MAX_VALUE),
  transform: opt.oneOf(["rank", "zscore", "raw"] as const, "rank"),
  maxPosition: opt.orInfinity(opt.numberIn(Infinity, 0, Number.MAX_VALUE, true)),
} satisfies Record<keyof DollarNeutralOptions, opt.OptionRule<unknown>>;

export class DollarNeutral implements PortfolioConstruction {
  readonly name = "dollar-neutral";
  readonly params: Readonly<Required<DollarNeutralOptions>>;

  constructor(options: DollarNeutralOptions = {}) {
    this.params = readOptions("DollarNeutral", options, DOLLAR_NEUTRAL_OPTIONS);
  }

  weights(scores: Float64Array, _context?: ConstructionContext): Float64Array {
    const n = scores.length;
    const w = new Float64Array(n);
    const idx = validIndex(scores);
    if (idx.length < 2) return w;
    const x = demeanedSignal(scores, idx, this.params.transform);
    idx.forEach((i, a) => (w[i] = x[a]!));
    scaleToGross(w, this.params.gross);
    return capNeutral(w, idx, this.params.maxPosition, this.params.gross);
  }
}

/** The demeaned transform of the valid scores (same order as idx). */
export function demeanedSignal(scores: Float64Array, idx: readonly number[], transform: "rank" | "zscore" | "raw"): Float64Array {
  const k = idx.length;
  let x = Float64Array.from(idx, (i) => scores[i]!);
  if (transform === "rank") {
    const r = new Float64Array(k);
    rankAverage(x, r);
    x = r;
  }
  let s = 0;
  for (let a = 0; a < k; a++) s += x[a]!;
  const mu = s / k;
  for (let a = 0; a < k; a++) x[a] = x[a]! - mu;
  if (transform === "zscore") {
    let ss = 0;
    for (let a = 0; a < k; a++) ss += x[a]! ** 2;
    const sd = Math.sqrt(ss / (k - 1));
    if (sd > 0) for (let a = 0; a < k; a++) x[a] = x[a]! / sd;
  }
  return x;
}

/**
 * Caps |wᵢ| at `cap` keeping each side's total (long = short = gross/2): clipped names free weight
 * that goes to the unclipped names of the same side in proportion. Stops when nothing is clipped.
 */
export function capNeutral(w: Float64Array, idx: readonly number[], cap: number, gross: number): Float64Array {
  if (!Number.isFinite(cap)) return w;
  for (const sign of [1, -1]) {
    const side = idx.filter((i) => sign * w[i]! > 0);
    let target = 0;
    for (const i of side) target += Math.abs(w[i]!);
    if (side.length * cap < target * (1 - 1e-12)) {
      throw new RangeError(`maxPosition ${cap} is too small: ${side.length} ${sign > 0 ? "long" : "short"} names cannot carry ${target.toPrecision(4)} of gross ${gross}; raise maxPosition to at least ${(target / side.length).toPrecision(4)}`);
    }
    const fixed = new Uint8Array(side.length);
    for (let iter = 0; iter <= side.length; iter++) {
      let nFixed = 0;
      let free = 0;
      side.forEach((i, a) => (fixed[a] ? nFixed++ : (free += Math.abs(w[i]!))));
      const f = free > 0 ? (target - nFixed * cap) / free : 0;
      let again = false;
      side.forEach((i, a) => {
        if (fixed[a]) return (w[i] = sign * cap);
        const v = Math.abs(w[i]!) * f;
        if (v > cap) (fixed[a] = 1), (again = true);
        w[i] = sign * Math.min(v, cap);
      });
      if (!again) break;
    }
  }
  return w;
}

export function dollarNeutral(options?: DollarNeutralOptions): DollarNeutral {
  return new DollarNeutral(options);
}
