/**
 * The daily bench's seeded market (500 × 2,520 in bench/backtest/backtest.ts and rank.ts): prices with
 * a common factor, an AR(1) deviation and a trend per asset; scores are 5-day reversal (NaN the first 5 days).
 * One generator for both benches, so the rank step is timed on the backtest's own data.
 */
import { Panel } from "../../lib/data/panel.js";

/** mulberry32: uniforms on [0, 1) from a 32-bit seed (also the generator of test/backtest/market.ts' seeded markets). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normals from uniforms (Box–Muller, cosine branch; a zero uniform taken as 1e-300). */
export function gauss(u: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(u() || 1e-300)) * Math.cos(2 * Math.PI * u());
}

export function market(nAssets: number, nDays: number): { prices: Panel; scores: Panel } {
  const u = rng(1);
  const z = gauss(u);
  const dates = new Int32Array(nDays);
  let d = 14613; // 2010-01-04
  for (let i = 0; i < nDays; i++) {
    while ((d + 3) % 7 >= 5) d++;
    dates[i] = d++;
  }
  const factor = Float64Array.from({ length: nDays }, () => 0.01 * z());
  const prices: Float64Array[] = [];
  const scores: Float64Array[] = [];
  for (let j = 0; j < nAssets; j++) {
    const p = new Float64Array(nDays);
    let trend = Math.log(20 + 80 * u());
    let x = 0;
    for (let i = 0; i < nDays; i++) {
      trend += 0.8 * (factor[i] as number) + 0.006 * z();
      x = 0.85 * x + 0.01 * z();
      p[i] = Math.exp(trend + x);
    }
    const s = new Float64Array(nDays).fill(Number.NaN);
    for (let i = 5; i < nDays; i++) s[i] = -((p[i] as number) / (p[i - 5] as number) - 1);
    prices.push(p);
    scores.push(s);
  }
  const assets = Array.from({ length: nAssets }, (_, j) => `S${j}`);
  return { prices: new Panel(dates, assets, prices), scores: new Panel(dates, assets, scores) };
}
