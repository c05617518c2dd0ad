/**
 * Turnover penalty: each rebalance solves min_w ½‖w − target‖² + λ‖w − current‖₁, i.e. trades
 * towards the target but stops λ short of it (soft thresholding; no trade when |target − current| ≤ λ).
 * λ is the cost, in units of squared weight, that one unit of traded weight is judged to be worth.
 * It is the no-trade band traded to its edge ({@link NoTradeBand} with `tradeTo: "edge"`), named for
 * the way a researcher reasons about it.
 */
import { readOptions, opt } from "../data/index.js";
import { NoTradeBand } from "./no-trade-band.js";
import type { Rebalancer } from "./rebalancer.js";

/** Options of {@link TurnoverPenalty}. */
export interface TurnoverPenaltyOptions {
  /** λ, the penalty per unit of traded weight (default 0.005). */
  penalty?: number;
  /** Trade a zero target all the way to zero when it lies beyond λ (default true). */
  closeFully?: boolean;
}

export class TurnoverPenalty implements Rebalancer {
  readonly name = "turnover-penalty";
  readonly params: Readonly<Required<TurnoverPenaltyOptions>>;
  readonly #band: NoTradeBand;

  constructor(options?: TurnoverPenaltyOptions) {
    this.params = readOptions("TurnoverPenalty", options, { penalty: opt.number(0.005, { min: 0 }), closeFully: opt.boolean(true) });
    this.#band = new NoTradeBand({ band: this.params.penalty, tradeTo: "edge", closeFully: this.params.closeFully });
  }

  rebalance(current: Float64Array, target: Float64Array): Float64Array {
    return this.#band.rebalance(current, target);
  }
}

export function turnoverPenalty(options?: TurnoverPenaltyOptions): TurnoverPenalty {
  return new TurnoverPenalty(options);
}
