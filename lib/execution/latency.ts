/**
 * Latency between a decision and its fill, counted in bars: 0 fills at the close of the bar the
 * decision was made on (assumes the order reaches the closing auction), 1 (default) fills at the
 * next bar, the no-look-ahead choice for daily data.
 */

import { checkKeys, opt } from "../data/index.js";

/** Options of {@link LatencyModel}. */
export interface LatencyModelOptions {
  /** Bars between decision and fill (default 1). */
  bars?: number;
}

export class LatencyModel {
  readonly bars: number;

  constructor(options: LatencyModelOptions = {}) {
    const o = checkKeys("LatencyModel", options, ["bars"]);
    this.bars = opt.nonNegInt("LatencyModel", "option bars", o.get("bars"), 1);
  }

  /** The bar index at which an order decided at bar `decisionBar` fills. */
  fillBar(decisionBar: number): number {
    return decisionBar + this.bars;
  }
}

export function latencyModel(options?: LatencyModelOptions): LatencyModel {
  return new LatencyModel(options);
}
