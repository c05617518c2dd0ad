/**
 * No-trade band: an asset is traded only when its target weight is more than `band` (a fraction of
 * equity) away from its current weight. Inside the band the current weight is kept; outside it the
 * book trades either all the way to the target (`tradeTo: "target"`) or only to the band's edge around
 * the target (`tradeTo: "edge"`). The edge rule is the exact solution of
 *
 *     min_w ½‖w − target‖² + band·‖w − current‖₁,
 *
 * a quadratic tracking error plus a linear (proportional) turnover penalty of `band` per unit traded
 * (soft thresholding of target − current); {@link TurnoverPenalty} is that reading of it. A target of
 * exactly zero is reached fully when it lies outside the band (`closeFully`), so a closed signal never
 * leaves a stub position. NaN target weights are refused.
 */
import { readOptions, opt } from "../data/index.js";
import { checkRebalanceInput, type Rebalancer } from "./rebalancer.js";

/** Options of {@link NoTradeBand}. */
export interface NoTradeBandOptions {
  /** Half-width of the band, a fraction of equity per asset (default 0.005). */
  band?: number;
  /** Where a trade outside the band goes: "target" or the band's "edge" around the target (default "target"). */
  tradeTo?: "target" | "edge";
  /** Trade a zero target all the way to zero when it lies outside the band (default true). */
  closeFully?: boolean;
}

export class NoTradeBand implements Rebalancer {
  readonly name: string = "no-trade-band";
  readonly params: Readonly<Required<NoTradeBandOptions>>;

  constructor(options?: NoTradeBandOptions) {
    this.params = readOptions("NoTradeBand", options, {
      band: opt.number(0.005, { min: 0 }),
      tradeTo: opt.oneOf(["target", "edge"], "target"),
      closeFully: opt.boolean(true),
    });
  }

  rebalance(current: Float64Array, target: Float64Array): Float64Array {
    checkRebalanceInput(this.name, current, target);
    const { band, tradeTo, closeFully } = this.params;
    const out = new Float64Array(target.length);
    for (let i = 0; i < target.length; i++) {
      const c = current[i] as number;
      const t = target[i] as number;
      if (Number.isNaN(t)) throw new RangeError(`${this.name}: target[${i}] is NaN; give 0 for no position`);
      const d = t - c;
      if (!(Math.abs(d) > band)) out[i] = c;
      else if (tradeTo === "target" || (closeFully && t === 0)) out[i] = t;
      else out[i] = t - Math.sign(d) * band;
    }
    return out;
  }
}

export function noTradeBand(options?: NoTradeBandOptions): NoTradeBand {
  return new NoTradeBand(options);
}
