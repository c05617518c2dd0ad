/**
 * The contract of cost-aware construction: a rebalancer decides, each rebalance, how far to move the
 * book from its current (drifted) weights towards the target weights, so turnover is a choice made in
 * one place rather than a by-product of the signal. Weights are fractions of equity over the same
 * assets in the same order; `rebalance` returns a new Float64Array and never changes its inputs.
 */
export interface Rebalancer {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The weights to hold after trading, given the current weights and the target. */
  rebalance(current: Float64Array, target: Float64Array): Float64Array;
}

/** Checks that current and target are Float64Arrays of one length (the rebalancers' common input check). */
export function checkRebalanceInput(where: string, current: Float64Array, target: Float64Array): void {
  if (!(current instanceof Float64Array)) throw new TypeError(`${where}: current must be a Float64Array of weights, got ${typeof current}`);
  if (!(target instanceof Float64Array)) throw new TypeError(`${where}: target must be a Float64Array of weights, got ${typeof target}`);
  if (current.length !== target.length) throw new RangeError(`${where}: current has ${current.length} weights, target ${target.length}`);
}
