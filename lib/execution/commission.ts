/**
 * Commission schedules.
 *
 * - `PerShareCommission`: cost = min(max(|Q|·c, m), p_max·|Q|·P) for a non-zero trade, where
 *   Q shares, c currency/share, m the minimum ticket (currency), p_max the cap as a fraction of
 *   the trade's notional (Interactive Brokers' fixed schedule shape: $0.005/share, $1 minimum,
 *   1% cap). Units: currency.
 * - `BpsCommission`: cost = |Q|·P·b/10⁴ with b in basis points of traded notional
 *   (`rate` = b/10⁴ may be given instead, e.g. 0.0015 = 15 bps). Units: currency.
 */
import { checkKeys, opt } from "../data/index.js";
import { type CostModel, nonNegative, valueOr } from "./cost-model.js";

/** Options of {@link PerShareCommission}. */
export interface PerShareCommissionOptions {
  /** Currency per share (default 0.005). */
  perShare?: number;
  /** Minimum per non-zero trade, currency (default 1). */
  minimum?: number;
  /** Cap as a fraction of the trade's notional (default 0.01; `Infinity` for none). */
  maxFraction?: number;
}

export class PerShareCommission implements CostModel {
  readonly kind = "commission" as const;
  readonly name = "per-share commission";
  readonly perShare: number;
  readonly minimum: number;
  readonly maxFraction: number;

  constructor(options: PerShareCommissionOptions = {}) {
    const w = "PerShareCommission";
    const o = checkKeys(w, options, ["perShare", "minimum", "maxFraction"]);
    this.perShare = nonNegative(w, "perShare", valueOr(o, "perShare", 0.005));
    this.minimum = nonNegative(w, "minimum", valueOr(o, "minimum", 1));
    const cap = valueOr(o, "maxFraction", 0.01);
    this.maxFraction = cap === Number.POSITIVE_INFINITY ? cap : nonNegative(w, "maxFraction", cap);
  }

  cost(quantity: number, price: number): number {
    const q = Math.abs(quantity);
    if (q === 0) return 0;
    const c = Math.max(q * this.perShare, this.minimum);
    return Math.min(c, this.maxFraction * q * price);
  }

  costMany(quantity: Float64Array, price: Float64Array, _adv: Float64Array, _sigma: Float64Array, n: number, out: Float64Array): void {
    for (let k = 0; k < n; k++) out[k] = this.cost(quantity[k] as number, price[k] as number);
  }
}

export function perShareCommission(options?: PerShareCommissionOptions): PerShareCommission {
  return new PerShareCommission(options);
}

/** Options of {@link BpsCommission}: give `bps` or `rate`. */
export interface BpsCommissionOptions {
  /** Basis points of traded notional (default 1 bp unless `rate` is given). */
  bps?: number;
  /** The same as a fraction of notional (`rate` = bps / 10⁴). */
  rate?: number;
  /** Bucket for the cost (default "commission"). */
  kind?: "commission" | "spread";
}

export class BpsCommission implements CostModel {
  readonly kind: "commission" | "spread";
  readonly name = "proportional fee";
  /** Fraction of notional. */
  readonly rate: number;

  constructor(options: BpsCommissionOptions = {}) {
    const w = "BpsCommission";
    const o = checkKeys(w, options, ["bps", "rate", "kind"]);
    const bps = o.get("bps");
    const rate = o.get("rate");
    if (bps !== undefined && rate !== undefined) throw new TypeError("BpsCommission: give either option bps or option rate, not both");
    this.rate = rate !== undefined ? nonNegative(w, "rate", rate) : nonNegative(w, "bps", bps ?? 1) / 1e4;
    this.kind = opt.oneOfValue(w, "option kind", o.get("kind"), "commission", ["commission", "spread"]);
  }

  cost(quantity: number, price: number): number {
    return Math.abs(quantity) * price * this.rate;
  }

  costMany(quantity: Float64Array, price: Float64Array, _adv: Float64Array, _sigma: Float64Array, n: number, out: Float64Array): void {
    for (let k = 0; k < n; k++) out[k] = this.cost(quantity[k] as number, price[k] as number);
  }
}

export function bpsCommission(options?: BpsCommissionOptions): BpsCommission {
  return new BpsCommission(options);
}
