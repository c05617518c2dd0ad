/**
 * Half-spread cost: crossing the spread costs half of it per share.
 * cost = |Q|·P·s/2 with s the quoted spread as a fraction of the mid price (`spreadBps`/10⁴).
 * Units: currency. Default s = 2 bps (liquid US large caps).
 */
import { checkKeys } from "../data/index.js";
import { type CostModel, nonNegative, valueOr } from "./cost-model.js";

/** Options of {@link HalfSpreadCost}. */
export interface HalfSpreadCostOptions {
  /** Full quoted spread in basis points of the mid (default 2). */
  spreadBps?: number;
}

export class HalfSpreadCost implements CostModel {
  readonly kind = "spread" as const;
  readonly name = "half spread";
  readonly spreadBps: number;

  constructor(options: HalfSpreadCostOptions = {}) {
    const o = checkKeys("HalfSpreadCost", options, ["spreadBps"]);
    this.spreadBps = nonNegative("HalfSpreadCost", "spreadBps", valueOr(o, "spreadBps", 2));
  }

  cost(quantity: number, price: number): number {
    return (Math.abs(quantity) * price * this.spreadBps) / 2e4;
  }

  costMany(quantity: Float64Array, price: Float64Array, _adv: Float64Array, _sigma: Float64Array, n: number, out: Float64Array): void {
    for (let k = 0; k < n; k++) out[k] = this.cost(quantity[k] as number, price[k] as number);
  }
}

export function halfSpreadCost(options?: HalfSpreadCostOptions): HalfSpreadCost {
  return new HalfSpreadCost(options);
}
