/**
 * The market state the cost models read at a fill (stage 4's inputs), known at the close before the
 * fill's row i:
 *   σᵢ = standard deviation (ddof 1) of the last `volWindow` daily simple returns (rows < i),
 *   ADVᵢ = mean of the last `advWindow` volumes (rows < i; NaN without volume data).
 * Both are computed per order, over the window only (no per-run matrix of returns).
 */
import type { Panel } from "../data/index.js";
import { at, columnAt } from "./typed.js";

export class MarketEstimates {
  readonly #prices: readonly Float64Array[];
  readonly #volume: readonly Float64Array[] | undefined;
  readonly #volWindow: number;
  readonly #advWindow: number;

  constructor(close: Panel, volume: Panel | undefined, volWindow: number, advWindow: number) {
    this.#prices = close.columns;
    this.#volume = volume?.columns;
    this.#volWindow = volWindow;
    this.#advWindow = advWindow;
  }

  /** σ of asset `j` from the returns of rows before `i` (NaN with fewer than 2 returns). */
  sigma(j: number, i: number): number {
    const p = columnAt(this.#prices, j);
    let s = 0;
    let ss = 0;
    let m = 0;
    for (let t = Math.max(1, i - this.#volWindow); t < i; t++) {
      const x = at(p, t) / at(p, t - 1) - 1;
      if (x === x) {
        s += x;
        ss += x * x;
        m++;
      }
    }
    return m > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / m) / (m - 1))) : Number.NaN;
  }

  /** Mean volume of asset `j` over the rows before `i` (NaN without volume data). */
  adv(j: number, i: number): number {
    if (this.#volume === undefined) return Number.NaN;
    const v = columnAt(this.#volume, j);
    let sv = 0;
    let mv = 0;
    for (let t = Math.max(0, i - this.#advWindow); t < i; t++) {
      const x = at(v, t);
      if (x >= 0) {
        sv += x;
        mv++;
      }
    }
    return mv > 0 ? sv / mv : Number.NaN;
  }
}
