/**
 * Minimum holding period for rule-based signals (+1 long / −1 short / 0 flat per asset): a position
 * may not be closed or flipped until it has been held `days` rebalances; opening from flat is always
 * allowed. Stateful (each asset's holding age), one instance per backtest; `reset()` starts over.
 * A proposed NaN is read as flat. Turnover falls because a signal that flickers across its exit
 * threshold no longer pays a round trip each time.
 */
import { readOptions, opt } from "../data/index.js";

/** Options of {@link MinimumHolding}. */
export interface MinimumHoldingOptions {
  /** Rebalances a position is held at least (default 5; 0 or 1 = no constraint). */
  days?: number;
}

export class MinimumHolding {
  readonly name = "minimum-holding";
  readonly params: Readonly<Required<MinimumHoldingOptions>>;
  #held: Float64Array = new Float64Array(0);
  #age: Int32Array = new Int32Array(0);

  constructor(options?: MinimumHoldingOptions) {
    this.params = readOptions("MinimumHolding", options, { days: opt.integer(5, { min: 0 }) });
  }

  /** The positions to hold this rebalance, given the rules' proposal. */
  step(proposed: Float64Array): Float64Array {
    if (!(proposed instanceof Float64Array)) throw new TypeError(`MinimumHolding.step: proposed must be a Float64Array of positions, got ${typeof proposed}`);
    const n = proposed.length;
    if (this.#held.length !== n) {
      if (this.#held.length !== 0) throw new RangeError(`MinimumHolding.step: proposed has ${n} assets, earlier steps had ${this.#held.length}; call reset() for a new universe`);
      this.#held = new Float64Array(n);
      this.#age = new Int32Array(n);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const was = this.#held[i] as number;
      const p = Number.isNaN(proposed[i] as number) ? 0 : (proposed[i] as number);
      const locked = was !== 0 && p !== was && (this.#age[i] as number) < this.params.days;
      out[i] = locked ? was : p;
      this.#age[i] = out[i] === was && was !== 0 ? (this.#age[i] as number) + 1 : out[i] !== 0 ? 1 : 0;
    }
    this.#held = out.slice();
    return out;
  }

  reset(): void {
    this.#held = new Float64Array(0);
    this.#age = new Int32Array(0);
  }
}

export function minimumHolding(options?: MinimumHoldingOptions): MinimumHolding {
  return new MinimumHolding(options);
}
