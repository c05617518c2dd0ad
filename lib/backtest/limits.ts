/**
 * Stage 2, limits: the risk manager scales or clips the constructed weights (its interventions are
 * logged); the result becomes the target book, non-finite weights as 0.
 */
import type { Panel } from "../data/index.js";
import type { RiskIntervention, RiskManager } from "../risk/index.js";
import { at, atInt } from "./typed.js";

export class LimitStage {
  readonly interventions: RiskIntervention[] = [];
  readonly #riskManager: RiskManager | undefined;
  readonly #close: Panel;
  readonly #returns: readonly Float64Array[] | undefined;

  constructor(close: Panel, riskManager: RiskManager | undefined) {
    this.#close = close;
    this.#riskManager = riskManager;
    this.#returns = riskManager?.options.varLimit !== undefined ? close.returns().columns : undefined;
  }

  /** Writes the risk-managed `weights` decided at row `i` into `target`. */
  apply(weights: Float64Array, i: number, equity: number, peakEquity: number, target: Float64Array): void {
    let w = weights;
    const rm = this.#riskManager;
    if (rm !== undefined) {
      const close = this.#close;
      w = rm.apply(w, {
        date: atInt(close.dates, i),
        assets: close.assets,
        equity,
        peakEquity,
        ...(this.#returns === undefined ? {} : { returns: this.#returns, row: i }),
        log: this.interventions,
      });
    }
    for (let j = 0; j < target.length; j++) {
      const v = at(w, j);
      target[j] = Number.isFinite(v) ? v : 0;
    }
  }
}
