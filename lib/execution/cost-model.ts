/**
 * The cost-model contract shared by every transaction-cost model and the backtester.
 * Models are called once per (asset, trade) in the backtest's hot loop, so the inputs are plain
 * numbers, never objects.
 */

/** The bucket a model's cost is reported under in `BacktestResult.costs`. */
export type CostKind = "commission" | "spread" | "impact";

/** Per-trade market state a model may use. */
export interface CostModel {
  /** Bucket in the cost breakdown. */
  readonly kind: CostKind;
  /** Short name for reports. */
  readonly name: string;
  /**
   * Cost in currency (≥ 0) of trading `quantity` shares (signed; sign ignored) at `price`
   * (currency per share). `adv`: average daily volume in shares (NaN when unknown);
   * `sigma`: daily volatility of simple returns (NaN when unknown).
   */
  cost(quantity: number, price: number, adv: number, sigma: number): number;
}

/** Checks a non-negative finite number option. */
export function nonNegative(owner: string, name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${owner}: option ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Checks a strictly positive finite number option. */
export function positive(owner: string, name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${owner}: option ${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}
