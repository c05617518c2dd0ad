/**
 * Square-root market impact: the price moves against the trade by
 *   ΔP/P = η · σ · √(|Q| / ADV)
 * and the whole trade pays it: cost = |Q|·P·η·σ·√(|Q|/ADV).
 * Units: Q and ADV in shares per day, σ the daily volatility of simple returns (a fraction), P in
 * currency per share, cost in currency. η is dimensionless; the empirical "square-root law"
 * (Tóth et al. 2011; Almgren et al. 2005 for the exponent) puts it of order one; default η = 1.
 *
 * When the data has no volume (skfolio's panels are prices only), ADV is unknown and the model
 * uses an assumed dollar ADV, `assumedAdvNotional` (default $500M/day, the order of a US large
 * cap's daily traded value in 2015–2022), i.e. ADV = assumedAdvNotional / P shares. When σ is
 * unknown it uses `assumedSigma` (default 0.02 = 2% a day).
 */
import { checkKeys } from "../data/index.js";
import { type CostModel, nonNegative, positive, valueOr } from "./cost-model.js";

/** Options of {@link SquareRootImpact}. */
export interface SquareRootImpactOptions {
  /** Impact coefficient η (default 1). */
  eta?: number;
  /** Dollar ADV assumed when volume is unknown (default 5e8). */
  assumedAdvNotional?: number;
  /** Daily σ assumed when unknown (default 0.02). */
  assumedSigma?: number;
}

export class SquareRootImpact implements CostModel {
  readonly kind = "impact" as const;
  readonly name = "square-root impact";
  readonly eta: number;
  readonly assumedAdvNotional: number;
  readonly assumedSigma: number;

  constructor(options: SquareRootImpactOptions = {}) {
    const o = checkKeys("SquareRootImpact", options, ["eta", "assumedAdvNotional", "assumedSigma"]);
    this.eta = nonNegative("SquareRootImpact", "eta", valueOr(o, "eta", 1));
    this.assumedAdvNotional = positive("SquareRootImpact", "assumedAdvNotional", valueOr(o, "assumedAdvNotional", 5e8));
    this.assumedSigma = nonNegative("SquareRootImpact", "assumedSigma", valueOr(o, "assumedSigma", 0.02));
  }

  cost(quantity: number, price: number, adv: number, sigma: number): number {
    const q = Math.abs(quantity);
    if (q === 0) return 0;
    const v = adv > 0 ? adv : this.assumedAdvNotional / price;
    const s = sigma >= 0 ? sigma : this.assumedSigma;
    return q * price * this.eta * s * Math.sqrt(q / v);
  }

  costMany(quantity: Float64Array, price: Float64Array, adv: Float64Array, sigma: Float64Array, n: number, out: Float64Array): void {
    for (let k = 0; k < n; k++) out[k] = this.cost(quantity[k] as number, price[k] as number, adv[k] as number, sigma[k] as number);
  }
}

export function squareRootImpact(options?: SquareRootImpactOptions): SquareRootImpact {
  return new SquareRootImpact(options);
}
