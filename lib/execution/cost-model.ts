/**
 * The cost-model contract shared by every transaction-cost model, the venue and the backtester.
 * Models are called once per (asset, trade) in the backtest's hot loop, so the inputs are plain
 * numbers, never objects.
 *
 * Adding a cost model: one file with a class implementing {@link CostModel} (its `kind` one of
 * {@link COST_KINDS}), plus its export line in `index.ts`. The venue refuses any other kind.
 */
import { opt } from "../data/index.js";

/** The buckets a cost is reported under in `BacktestResult.costs`, in slot order. */
export const COST_KINDS = Object.freeze(["commission", "spread", "impact"] as const);

/** The bucket a model's cost is reported under in `BacktestResult.costs`. */
export type CostKind = (typeof COST_KINDS)[number];

/** Per-trade market state a model may use. */
export interface CostModel {
  /** Bucket in the cost breakdown: one of {@link COST_KINDS}. */
  readonly kind: CostKind;
  /** Short name for reports. */
  readonly name: string;
  /**
   * Cost in currency (≥ 0) of trading `quantity` shares (signed; sign ignored) at `price`
   * (currency per share). `adv`: average daily volume in shares (NaN when unknown);
   * `sigma`: daily volatility of simple returns (NaN when unknown).
   */
  cost(quantity: number, price: number, adv: number, sigma: number): number;
  /**
   * Optional batch form, for a day's fills at once: `out[k] = cost(quantity[k], price[k], adv[k], sigma[k])`
   * for k < n, bit for bit (the built-in models loop over their own `cost`, so the arithmetic has one
   * home). The venue's batch fill calls it when present and `cost` per fill otherwise.
   */
  costMany?(quantity: Float64Array, price: Float64Array, adv: Float64Array, sigma: Float64Array, n: number, out: Float64Array): void;
}

/**
 * The slot of `model.kind` in {@link COST_KINDS}; throws a `TypeError` naming the model, its kind and
 * the allowed kinds when the model is not a cost model or its kind is unknown (a cost is never
 * booked under a bucket it did not ask for).
 */
export function costKindIndex(where: string, model: unknown): number {
  const m = model as Partial<CostModel> | null;
  if (m === null || typeof m !== "object" || typeof m.cost !== "function") {
    throw new TypeError(`${where}: a cost model must be an object with cost(quantity, price, adv, sigma), got ${opt.describeValue(model)}`);
  }
  const slot = (COST_KINDS as readonly unknown[]).indexOf(m.kind);
  if (slot < 0) {
    const name = typeof m.name === "string" ? `"${m.name}"` : "(unnamed)";
    throw new TypeError(`${where}: cost model ${name} has unknown kind ${opt.describeValue(m.kind)}; allowed kinds: ${COST_KINDS.map((k) => `"${k}"`).join(", ")}`);
  }
  return slot;
}

/** Checks a non-negative finite number option (the one option helper's rule, named "option …"). */
export function nonNegative(owner: string, name: string, value: unknown): number {
  return opt.number(0, { min: 0 }).check(owner, `option ${name}`, value);
}

/** Checks a strictly positive finite number option. */
export function positive(owner: string, name: string, value: unknown): number {
  return opt.number(1, { min: 0, open: "min" }).check(owner, `option ${name}`, value);
}

/** The value of `key` read once by `checkKeys`, or `dflt` when absent (`null` stays, and is refused by the check). */
export function valueOr(values: ReadonlyMap<string, unknown>, key: string, dflt: unknown): unknown {
  const v = values.get(key);
  return v === undefined ? dflt : v;
}
