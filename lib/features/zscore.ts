/** Trailing z-scores: (x_t − mean) / std over the window ending at t (ddof 1), O(n) per asset. */
import { opt, type Panel } from "../data/index.js";
import { trailingMeanStd } from "./internal/window.js";

export function zscoreSeries(x: Float64Array, window: number): Float64Array {
  const w = opt.positiveInt("rollingZScore", "window", window, 20);
  if (w < 2) throw new RangeError("rollingZScore: window must be at least 2");
  const { mean, std } = trailingMeanStd(x, w, 1);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = ((x[i] as number) - (mean[i] as number)) / (std[i] as number);
  return out;
}

/** Rolling z-score of every column (NaN until the window is full; NaN when std is 0). */
export function rollingZScore(panel: Panel, window = 20): Panel {
  return panel.mapColumns((c) => {
    const z = zscoreSeries(c, window);
    for (let i = 0; i < z.length; i++) if (!Number.isFinite(z[i] as number)) z[i] = Number.NaN;
    return z;
  });
}
