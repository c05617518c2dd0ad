/**
 * Almgren, Thum, Hauptmann & Li (2005), "Direct estimation of equity market impact", Risk 18(7).
 * For X shares executed over T days in a stock with daily volume V, daily volatility σ and
 * Θ shares outstanding:
 *   permanent  I = γ · σ · (X/V) · (Θ/V)^δ            (α = 1 linear in X/V)
 *   temporary  K = η · σ · |X/(V·T)|^β
 *   realised cost per share, as a fraction of the price:  J = I/2 + K
 * with the published estimates γ = 0.314, η = 0.142, β = 3/5, δ = 1/4.
 * cost = |X|·P·J. Units: X, V shares (per day), T days, σ a daily fraction, cost in currency.
 * (Lean's `MarketImpactSlippageModel` implements the same formulas.)
 *
 * Θ/V is the inverse daily turnover; when shares outstanding are unknown the model uses
 * `turnover` (V/Θ, default 0.005 = 0.5% of the float traded a day, so (Θ/V)^¼ ≈ 3.76). Unknown ADV
 * and σ fall back as in {@link SquareRootImpact} (`assumedAdvNotional`, `assumedSigma`).
 */
import { checkKeys } from "../data/index.js";
import { type CostModel, nonNegative, positive, valueOr } from "./cost-model.js";

/** Options of {@link AlmgrenImpact}. */
export interface AlmgrenImpactOptions {
  /** Permanent coefficient γ (default 0.314). */
  gamma?: number;
  /** Temporary coefficient η (default 0.142). */
  eta?: number;
  /** Temporary exponent β (default 0.6). */
  beta?: number;
  /** Turnover exponent δ (default 0.25). */
  delta?: number;
  /** Execution horizon T in days (default 1: the order is worked over the day). */
  horizon?: number;
  /** Daily turnover V/Θ used when shares outstanding are unknown (default 0.005). */
  turnover?: number;
  /** Dollar ADV assumed when volume is unknown (default 5e8). */
  assumedAdvNotional?: number;
  /** Daily σ assumed when unknown (default 0.02). */
  assumedSigma?: number;
}

export class AlmgrenImpact implements CostModel {
  readonly kind = "impact" as const;
  readonly name = "Almgren et al. (2005) impact";
  readonly gamma: number;
  readonly eta: number;
  readonly beta: number;
  readonly delta: number;
  readonly horizon: number;
  readonly turnover: number;
  readonly assumedAdvNotional: number;
  readonly assumedSigma: number;

  constructor(options: AlmgrenImpactOptions = {}) {
    const w = "AlmgrenImpact";
    const o = checkKeys(w, options, ["gamma", "eta", "beta", "delta", "horizon", "turnover", "assumedAdvNotional", "assumedSigma"]);
    this.gamma = nonNegative(w, "gamma", valueOr(o, "gamma", 0.314));
    this.eta = nonNegative(w, "eta", valueOr(o, "eta", 0.142));
    this.beta = positive(w, "beta", valueOr(o, "beta", 0.6));
    this.delta = nonNegative(w, "delta", valueOr(o, "delta", 0.25));
    this.horizon = positive(w, "horizon", valueOr(o, "horizon", 1));
    this.turnover = positive(w, "turnover", valueOr(o, "turnover", 0.005));
    this.assumedAdvNotional = positive(w, "assumedAdvNotional", valueOr(o, "assumedAdvNotional", 5e8));
    this.assumedSigma = nonNegative(w, "assumedSigma", valueOr(o, "assumedSigma", 0.02));
  }

  /** Permanent impact I as a fraction of the price. */
  permanent(quantity: number, adv: number, sigma: number): number {
    return this.gamma * sigma * (Math.abs(quantity) / adv) * (1 / this.turnover) ** this.delta;
  }

  /** Temporary impact K as a fraction of the price. */
  temporary(quantity: number, adv: number, sigma: number): number {
    return this.eta * sigma * Math.abs(quantity / (adv * this.horizon)) ** this.beta;
  }

  cost(quantity: number, price: number, adv: number, sigma: number): number {
    const q = Math.abs(quantity);
    if (q === 0) return 0;
    const v = adv > 0 ? adv : this.assumedAdvNotional / price;
    const s = sigma >= 0 ? sigma : this.assumedSigma;
    return q * price * (this.permanent(q, v, s) / 2 + this.temporary(q, v, s));
  }

  costMany(quantity: Float64Array, price: Float64Array, adv: Float64Array, sigma: Float64Array, n: number, out: Float64Array): void {
    for (let k = 0; k < n; k++) out[k] = this.cost(quantity[k] as number, price[k] as number, adv[k] as number, sigma[k] as number);
  }
}

export function almgrenImpact(options?: AlmgrenImpactOptions): AlmgrenImpact {
  return new AlmgrenImpact(options);
}
