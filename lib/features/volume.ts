/** Volume signals: relative volume, log-volume z-score and signed (on-balance) volume flow. */
import { opt, type Panel } from "../data/index.js";
import { trailingMeanStd } from "./internal/window.js";

/** Volume over its trailing mean of the previous `window` days (today excluded), e.g. 2 = twice usual. */
export function relativeVolume(volume: Panel, window = 20): Panel {
  const w = opt.positiveInt("relativeVolume", "window", window, 20);
  return volume.mapColumns((v) => {
    const { mean } = trailingMeanStd(v, w, 0);
    const out = new Float64Array(v.length).fill(Number.NaN);
    for (let i = 1; i < v.length; i++) out[i] = v[i]! / mean[i - 1]!;
    return out;
  });
}

/** Trailing z-score of log(1 + volume). */
export function volumeZScore(volume: Panel, window = 20): Panel {
  const w = opt.positiveInt("volumeZScore", "window", window, 20);
  return volume.mapColumns((v) => {
    const lv = v.map((x) => Math.log1p(x));
    const { mean, std } = trailingMeanStd(lv, w, 1);
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const z = (lv[i]! - mean[i]!) / std[i]!;
      out[i] = Number.isFinite(z) ? z : Number.NaN;
    }
    return out;
  });
}

/** On-balance volume: cumulative volume signed by the day's price change (Granville). */
export function onBalanceVolume(prices: Panel, volume: Panel): Panel {
  if (prices.nDates !== volume.nDates || prices.nAssets !== volume.nAssets) throw new RangeError("onBalanceVolume: prices and volume must have the same shape (alignPanels)");
  return prices.mapColumns((p, _a, j) => {
    const v = volume.columns[j] as Float64Array;
    const out = new Float64Array(p.length).fill(Number.NaN);
    let s = 0;
    if (p.length > 0) out[0] = 0;
    for (let i = 1; i < p.length; i++) {
      const d = p[i]! - p[i - 1]!;
      const vi = v[i]!;
      if (Number.isFinite(d) && Number.isFinite(vi)) s += Math.sign(d) * vi;
      out[i] = s;
    }
    return out;
  });
}
