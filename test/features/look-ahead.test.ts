/**
 * Every feature the signals use is look-ahead-free: rows ≤ the cut-off are bit-identical whether or
 * not every later price and volume is replaced; and each is a plain function of the trailing data
 * (spot checks against direct formulas).
 */
import { describe, expect, it } from "vitest";
import { Panel } from "../../lib/data/panel.js";
import {
  crossSectionalRank,
  crossSectionalZScore,
  macd,
  marketVolatilityRegime,
  multiHorizonReturns,
  onBalanceVolume,
  relativeVolume,
  rollingVolatility,
  rollingZScore,
  rsi,
  volatilityRegime,
  volumeZScore,
} from "../../lib/features/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { bitDiff, scrambleAfter } from "../signals/helpers.js";

const { prices } = syntheticPairsMarket({ nAssets: 8, nDays: 400, seed: 9 });
const volume = prices.mapColumns((c, _a, j) => c.map((_, i) => 1e5 * (1 + ((i * 7 + j * 13) % 11))));
const cut = 330;
const p2 = scrambleAfter(prices, cut, 1);
const v2 = scrambleAfter(volume, cut, 2);
const ret = (p: Panel) => p.returns();

const features: [string, (p: Panel, v: Panel) => Panel][] = [
  ...[1, 5, 21, 63].map((h) => [`return ${h}d`, (p: Panel) => multiHorizonReturns(p, [h])[`r${h}`] as Panel] as [string, (p: Panel, v: Panel) => Panel]),
  ["rolling z-score 20", (p) => rollingZScore(p, 20)],
  ["volatility 21", (p) => rollingVolatility(ret(p), { window: 21 })],
  ["relative volume", (_p, v) => relativeVolume(v, 20)],
  ["volume z-score", (_p, v) => volumeZScore(v, 20)],
  ["on-balance volume", (p, v) => onBalanceVolume(p, v)],
  ["RSI 14", (p) => rsi(p, 14)],
  ["MACD", (p) => macd(p).macd],
  ["MACD histogram", (p) => macd(p).histogram],
  ["cross-sectional rank", (p) => crossSectionalRank(multiHorizonReturns(p, [5]).r5 as Panel, { pct: true })],
  ["cross-sectional z", (p) => crossSectionalZScore(multiHorizonReturns(p, [5]).r5 as Panel)],
  ["volatility regime", (p) => volatilityRegime(ret(p), { shortWindow: 21, longWindow: 126 })],
  ["market volatility regime", (p) => marketVolatilityRegime(ret(p), { shortWindow: 21, longWindow: 126 })],
];

describe("features are look-ahead-free", () => {
  for (const [name, f] of features) {
    it(name, () => {
      const a = f(prices, volume);
      const b = f(p2, v2);
      expect(a.nDates).toBe(prices.nDates);
      a.columns.forEach((c, j) => expect(bitDiff(c.subarray(0, cut + 1), (b.columns[j] as Float64Array).subarray(0, cut + 1))).toEqual([]));
      expect(a.columns.some((c) => Number.isFinite(c[cut] as number))).toBe(true);
    });
  }

  it("spot values: 5-day return, rolling z-score, regime labels", () => {
    const c = prices.columns[2] as Float64Array;
    const r5 = multiHorizonReturns(prices, [5]).r5 as Panel;
    expect((r5.columns[2] as Float64Array)[100]).toBe((c[100] as number) / (c[95] as number) - 1);
    const z = rollingZScore(prices, 20).columns[2] as Float64Array;
    const w = Array.from(c.subarray(81, 101));
    const m = w.reduce((a, b) => a + b, 0) / 20;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - m) ** 2, 0) / 19);
    expect(z[100]).toBeCloseTo(((c[100] as number) - m) / sd, 9);
    const reg = volatilityRegime(prices.returns(), { shortWindow: 21, longWindow: 126 });
    for (const col of reg.columns) for (const v of col) expect(Number.isNaN(v) || v === 0 || v === 1 || v === 2).toBe(true);
  });
});
