/** Returns over several horizons: r_t(h) = p_t / p_{t−h} − 1, using only prices up to t. */
import { opt, type Panel } from "../data/index.js";

/** h-day simple returns of one price series (first h values NaN). */
export function horizonReturn(prices: Float64Array, horizon: number): Float64Array {
  const h = opt.positiveInt("horizonReturn", "horizon", horizon, 1);
  const out = new Float64Array(prices.length).fill(Number.NaN);
  for (let i = h; i < prices.length; i++) out[i] = prices[i]! / prices[i - h]! - 1;
  return out;
}

/** h-day returns of every asset of a price panel. */
export function horizonReturns(prices: Panel, horizon: number): Panel {
  return prices.mapColumns((c) => horizonReturn(c, horizon));
}

/** Returns at several horizons, keyed `"r1"`, `"r5"`, … (default horizons 1, 5, 21, 63). */
export function multiHorizonReturns(prices: Panel, horizons: readonly number[] = [1, 5, 21, 63]): Readonly<Record<string, Panel>> {
  if (horizons.length === 0) throw new RangeError("multiHorizonReturns: horizons must list at least one positive integer");
  const out: Record<string, Panel> = {};
  for (const h of horizons) out[`r${h}`] = horizonReturns(prices, h);
  return Object.freeze(out);
}

/** Forward h-day return p_{t+h}/p_t − 1 (a label: it reads the future on purpose; never a feature). */
export function forwardReturns(prices: Panel, horizon = 1): Panel {
  const h = opt.positiveInt("forwardReturns", "horizon", horizon, 1);
  return prices.mapColumns((p) => {
    const out = new Float64Array(p.length).fill(Number.NaN);
    for (let i = 0; i + h < p.length; i++) out[i] = p[i + h]! / p[i]! - 1;
    return out;
  });
}
