/**
 * Short-term reversal (Lehmann 1990; Jegadeesh 1990): score = −(p_t / p_{t−L} − 1). Last week's
 * losers are expected to outperform. The baseline every other model is compared with.
 */
import { asPanelView, type DateLike, opt, type Panel, type PanelView } from "../data/index.js";
import type { AlphaModel } from "./alpha-model.js";

/** Options of {@link ReversalModel}. */
export interface ReversalOptions {
  /** Look-back in trading days (default 5). */
  lookback?: number;
  /** Divide by the trailing volatility over this many days; 0 = off (default 0). */
  volatilityWindow?: number;
}

const REVERSAL_KEYS = opt.optionKeys<ReversalOptions>()(["lookback", "volatilityWindow"]);

export class ReversalModel implements AlphaModel {
  readonly name = "reversal";
  readonly params: Readonly<{ lookback: number; volatilityWindow: number }>;

  constructor(options: ReversalOptions = {}) {
    const given = opt.knownKeys("ReversalModel", options, REVERSAL_KEYS);
    const lookback = opt.positiveInt("ReversalModel", "lookback", given.lookback, 5);
    const volatilityWindow = given.volatilityWindow === 0 ? 0 : opt.positiveInt("ReversalModel", "volatilityWindow", given.volatilityWindow, 0);
    this.params = Object.freeze({ lookback, volatilityWindow });
  }

  fit(): void {}

  predict(data: PanelView | Panel, at: DateLike): Float64Array {
    const view = asPanelView(data);
    const i = view.rowAt(at);
    const { lookback, volatilityWindow } = this.params;
    const out = new Float64Array(view.nAssets).fill(Number.NaN);
    if (i - lookback < 0) return out;
    view.columns.forEach((p, j) => {
      let s = -(p[i]! / p[i - lookback]! - 1);
      if (volatilityWindow > 0) {
        if (i - volatilityWindow < 0) return;
        let a = 0;
        let b = 0;
        for (let t = i - volatilityWindow + 1; t <= i; t++) {
          const r = p[t]! / p[t - 1]! - 1;
          a += r;
          b += r * r;
        }
        const sd = Math.sqrt((b - (a * a) / volatilityWindow) / (volatilityWindow - 1));
        s /= sd;
      }
      out[j] = Number.isFinite(s) ? s : Number.NaN;
    });
    return out;
  }

  toJSON(): unknown {
    return { params: this.params };
  }

  static fromJSON(state: { params: ReversalOptions }): ReversalModel {
    return new ReversalModel(state.params);
  }
}

export function reversalModel(options?: ReversalOptions): ReversalModel {
  return new ReversalModel(options);
}
