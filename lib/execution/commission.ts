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
import { type CostModel, nonNegative } from "./cost-model.js";

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
    this.perShare = nonNegative("PerShareCommission", "perShare", options.perShare ?? 0.005);
    this.minimum = nonNegative("PerShareCommission", "minimum", options.minimum ?? 1);
    const cap = options.maxFraction ?? 0.01;
    if (!(cap >= 0)) throw new RangeError(`PerShareCommission: option maxFraction must be ≥ 0 (or Infinity), got ${cap}`);
    this.maxFraction = cap;
  }

  cost(quantity: number, price: number): number {
    const q = Math.abs(quantity);
    if (q === 0) return 0;
    const c = Math.max(q * this.perShare, this.minimum);
    return Math.min(c, this.maxFraction * q * price);
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
    if (options.bps !== undefined && options.rate !== undefined) throw new TypeError("BpsCommission: give either option bps or option rate, not both");
    this.rate = options.rate !== undefined ? nonNegative("BpsCommission", "rate", options.rate) : nonNegative("BpsCommission", "bps", options.bps ?? 1) / 1e4;
    const kind = options.kind ?? "commission";
    if (kind !== "commission" && kind !== "spread") throw new TypeError(`BpsCommission: option kind must be "commission" or "spread", got ${JSON.stringify(kind)}`);
    this.kind = kind;
  }

  cost(quantity: number, price: number): number {
    return Math.abs(quantity) * price * this.rate;
  }
}

export function bpsCommission(options?: BpsCommissionOptions): BpsCommission {
  return new BpsCommission(options);
}
