/**
 * Stage 2, limits: the risk manager scales or clips the constructed weights (its interventions are
 * logged); the result becomes the target book, NaN weights as 0 (no position). Weights of the wrong
 * length or ±Infinity are errors naming the date and the asset.
 */
import type { Panel } from "../data/index.js";
import { type RiskContext, type RiskIntervention, RiskManager } from "../risk/index.js";
import { checkWeights } from "./solvency.js";
import { at, atInt } from "./typed.js";

export class LimitStage {
  readonly interventions: RiskIntervention[] = [];
  readonly #riskManager: RiskManager | undefined;
  readonly #close: Panel;
  readonly #returns: readonly Float64Array[] | undefined;
  /** The context passed every day (its date and equities updated), when `applyInto` is used. */
  readonly #context: RiskContext | undefined;

  constructor(close: Panel, riskManager: RiskManager | undefined) {
    this.#close = close;
    this.#riskManager = riskManager;
    this.#returns = riskManager?.options.varLimit !== undefined ? close.returns().columns : undefined;
    // RiskManager's own apply (not a subclass's override, nor a look-alike object): its buffer form
    // gives the same weights and interventions without a new array and context per day
    const own = riskManager instanceof RiskManager && riskManager.apply === RiskManager.prototype.apply;
    this.#context = own
      ? { date: 0, assets: close.assets, equity: 0, peakEquity: 0, ...(this.#returns === undefined ? {} : { returns: this.#returns, row: 0 }), log: this.interventions }
      : undefined;
  }

  /** Writes the risk-managed `weights` decided at row `i` into `target`. */
  apply(weights: Float64Array, i: number, equity: number, peakEquity: number, target: Float64Array): void {
    let w = weights;
    const rm = this.#riskManager;
    const ctx = this.#context;
    if (rm !== undefined && ctx !== undefined) {
      ctx.date = atInt(this.#close.dates, i);
      ctx.equity = equity;
      ctx.peakEquity = peakEquity;
      if (ctx.returns !== undefined) ctx.row = i;
      rm.applyInto(w, ctx, target); // finite, no NaN: the target book as it stands
      return;
    }
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
      w = checkWeights("runBacktest", "option riskManager (RiskManager.apply)", w, atInt(close.dates, i), close.assets);
    }
    for (let j = 0; j < target.length; j++) {
      const v = at(w, j);
      target[j] = v === v ? v : 0;
    }
  }
}
