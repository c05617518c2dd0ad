/**
 * A small synthetic market for the backtest tests (seeded): a common factor plus mean-reverting
 * idiosyncratic log-prices, so short-term reversal has a real edge, and volumes. Its uniforms and
 * normals come from the generator the backtest bench's market uses (bench/backtest/market.ts: mulberry32).
 */
import { gauss, rng } from "../../bench/backtest/market.js";
import { Panel } from "../../lib/data/panel.js";

/** Weekdays from 2010-01-04 as epoch days. */
export function weekdays(n: number, start = Date.UTC(2010, 0, 4) / 86_400_000): Int32Array {
  const out = new Int32Array(n);
  let d = start;
  for (let i = 0; i < n; i++) {
    while (((d % 7) + 7 + 3) % 7 >= 5) d++; // epoch day 0 is a Thursday: (d+3)%7 = 0 on Mondays
    out[i] = d++;
  }
  return out;
}

export function syntheticMarket(nAssets: number, nDays: number, seed = 7): { prices: Panel; volume: Panel; high: Panel; low: Panel } {
  const u = rng(seed);
  const z = gauss(u);
  const dates = weekdays(nDays);
  const assets = Array.from({ length: nAssets }, (_, j) => `A${String(j).padStart(3, "0")}`);
  const px: Float64Array[] = [];
  const vol: Float64Array[] = [];
  const hi: Float64Array[] = [];
  const lo: Float64Array[] = [];
  const factor = Float64Array.from({ length: nDays }, () => 0.01 * z());
  for (let j = 0; j < nAssets; j++) {
    const p = new Float64Array(nDays);
    const v = new Float64Array(nDays);
    const h = new Float64Array(nDays);
    const l = new Float64Array(nDays);
    let x = 0;
    let trend = Math.log(20 + 80 * u());
    for (let i = 0; i < nDays; i++) {
      trend += 0.8 * (factor[i] as number) + 0.005 * z();
      x = 0.8 * x + 0.01 * z();
      p[i] = Math.exp(trend + x);
      v[i] = Math.round(2e5 * (0.5 + u()));
      h[i] = (p[i] as number) * (1 + 0.01 * u());
      l[i] = (p[i] as number) * (1 - 0.01 * u());
    }
    px.push(p);
    vol.push(v);
    hi.push(h);
    lo.push(l);
  }
  return {
    prices: new Panel(dates, assets, px),
    volume: new Panel(dates, assets, vol),
    high: new Panel(dates, assets, hi),
    low: new Panel(dates, assets, lo),
  };
}

/** Short-term reversal scores: −(5-day return), using rows ≤ t only. */
export function reversalScores(prices: Panel, lookback = 5): Panel {
  return prices.mapColumns((c) => {
    const s = new Float64Array(c.length).fill(Number.NaN);
    for (let i = lookback; i < c.length; i++) s[i] = -((c[i] as number) / (c[i - lookback] as number) - 1);
    return s;
  });
}
