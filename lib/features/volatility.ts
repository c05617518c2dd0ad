/** Trailing realised volatility of returns (std, ddof 1), optionally annualised by √periods. */
import { opt, type Panel, readOptions } from "../data/index.js";
import { slide, welford } from "./internal/window.js";

/** Options of {@link rollingVolatility}. */
export interface VolatilityOptions {
  /** Window in periods (default 21). */
  window?: number;
  /** Periods per year for annualising; 0 leaves it per period (default 252). */
  annualization?: number;
}

export function rollingVolatility(returns: Panel, options: VolatilityOptions = {}): Panel {
  const o = readOptions("rollingVolatility", options, { window: opt.integer(21, { min: 1 }), annualization: opt.number(252, { min: 0 }) });
  const w = o.window;
  const ann = o.annualization;
  const f = ann === 0 ? 1 : Math.sqrt(ann);
  return returns.mapColumns((c) => {
    const std = slide(c.length, w, welford(c, w, 1, "std"));
    for (let i = 0; i < std.length; i++) std[i] = std[i]! * f;
    return std;
  });
}
