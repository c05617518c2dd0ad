/** Trailing z-scores: (x_t − mean) / std over the window ending at t (ddof 1), O(n) per asset (a Welford window aggregate). */
import { opt, type Panel } from "../data/index.js";
import { slide, welford } from "./internal/window.js";

export function zscoreSeries(x: Float64Array, window: number): Float64Array {
  const w = opt.positiveInt("rollingZScore", "window", window, 20);
  if (w < 2) throw new RangeError("rollingZScore: window must be at least 2");
  return slide(x.length, w, welford(x, w, 1, "z"));
}

/** Rolling z-score of every column (NaN until the window is full; NaN when std is 0). */
export function rollingZScore(panel: Panel, window = 20): Panel {
  return panel.mapColumns((c) => {
    const z = zscoreSeries(c, window);
    for (let i = 0; i < z.length; i++) if (!Number.isFinite(z[i]!)) z[i] = Number.NaN;
    return z;
  });
}
