/** Trailing realised volatility of returns (std, ddof 1), optionally annualised by √periods. */
import { opt, type Panel } from "../data/index.js";
import { trailingMeanStd } from "./internal/window.js";

/** Options of {@link rollingVolatility}. */
export interface VolatilityOptions {
  /** Window in periods (default 21). */
  window?: number;
  /** Periods per year for annualising; 0 leaves it per period (default 252). */
  annualization?: number;
}

export function rollingVolatility(returns: Panel, options: VolatilityOptions = {}): Panel {
  const w = opt.positiveInt("rollingVolatility", "window", options.window, 21);
  const ann = options.annualization ?? 252;
  if (!(ann >= 0)) throw new RangeError(`rollingVolatility: annualization must be ≥ 0, got ${ann}`);
  const f = ann === 0 ? 1 : Math.sqrt(ann);
  return returns.mapColumns((c) => {
    const { std } = trailingMeanStd(c, w, 1);
    for (let i = 0; i < std.length; i++) std[i] = (std[i] as number) * f;
    return std;
  });
}
