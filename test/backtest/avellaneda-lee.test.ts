/**
 * The Avellaneda & Lee (2010) strategies (issue 17 item 2): no look-ahead (a day's targets are
 * bit-identical when every later price is replaced by garbage), the paper's trade (one unit of stock
 * hedged by its factor betas), both execution conventions, and a short run on the real 452-stock
 * universe (seconds: one correlation window plus 30 trading days).
 */
import { describe, expect, it } from "vitest";
import { runAvellanedaLee } from "../../lib/backtest/index.js";
import { datasetInfo, loadDataset, Panel } from "../../lib/data/index.js";
import { NoTradeBand } from "../../lib/portfolio/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { bitDiff, scrambleAfter } from "../signals/helpers.js";

const market = syntheticPairsMarket({ nAssets: 30, nDays: 190, seed: 7 }).prices;
const sectors = market.assets.map((_, j) => `S${j % 4}`);
const small = { sectors, correlationWindow: 100, ouWindow: 40 } as const;

describe("runAvellanedaLee", () => {
  it("decides the targets of day t from prices up to t only (every variant, both hedging rules)", () => {
    const cut = 150;
    const scrambled = scrambleAfter(market, cut);
    for (const hedgeAt of ["entry", "daily"] as const) {
      const a = runAvellanedaLee(market, { ...small, variants: ["pca-15", "etf"], fillAt: ["close"], hedgeAt });
      const b = runAvellanedaLee(scrambled, { ...small, variants: ["pca-15", "etf"], fillAt: ["close"], hedgeAt });
      for (let k = 0; k < a.runs.length; k++) {
        const ta = a.runs[k]!.targets;
        const tb = b.runs[k]!.targets;
        for (let j = 0; j < market.nAssets; j++) expect(bitDiff(ta.columns[j]!.subarray(0, cut + 1), tb.columns[j]!.subarray(0, cut + 1))).toEqual([]);
      }
    }
  });

  it("trades one unit of stock per position, hedged; same close and next close differ by one day", () => {
    const s = runAvellanedaLee(market, { ...small, variants: ["pca-15"], positionSize: 0.01 });
    expect(s.runs.map((r) => r.fillAt)).toEqual(["close", "next-close"]);
    const [close, next] = s.runs as [typeof s.runs[0], typeof s.runs[0]];
    expect(close.result.dates.length).toBe(market.nDates - 100);
    expect(Math.max(...close.positions)).toBeGreaterThan(0);
    // the next-close book holds on day t what the same-close book held on day t − 1
    for (let k = 1; k < close.result.dates.length; k++) {
      expect(next.result.long[k]! > 0).toBe(close.result.turnover[k - 1]! > 0 || close.result.long[k - 1]! > 0);
    }
    const unhedged = runAvellanedaLee(market, { ...small, variants: ["pca-15"], positionSize: 0.01, hedge: false, fillAt: ["close"] }).runs[0]!;
    // without hedges the gross exposure is exactly one unit per open position
    for (let k = 0; k < unhedged.positions.length; k++) expect(unhedged.result.long[k]! + unhedged.result.short[k]!).toBeCloseTo(0.01 * unhedged.positions[k]!, 12);
    const banded = runAvellanedaLee(market, { ...small, variants: ["pca-15"], fillAt: ["close"], rebalancer: new NoTradeBand({ band: 0.005 }) }).runs[0]!;
    const rt = close.roundTrips;
    expect(rt.count).toBeGreaterThan(10);
    expect(rt.averageHoldingDays).toBeGreaterThanOrEqual(1);
    expect(rt.winRate).toBeGreaterThan(0);
    expect(rt.winRate).toBeLessThan(1);
    for (const x of rt.trips) expect(x.exitRow).toBeGreaterThan(x.entryRow);
    // without hedges a long round trip's P&L is the stock's compounded-free sum of daily returns times the size
    const u = unhedged.roundTrips.trips.find((x) => x.exitRow - x.entryRow >= 2)!;
    const c = market.columns[u.asset]!;
    let sum = 0;
    for (let t = u.entryRow + 1; t <= u.exitRow; t++) sum += c[t]! / c[t - 1]! - 1;
    expect(u.pnl).toBeCloseTo(0.01 * u.side * sum, 14);
    expect(banded.construction).toBe("no-trade-band(band 0.005, tradeTo target, closeFully true)");
  });

  it("refuses bad options, naming them", () => {
    expect(() => runAvellanedaLee(market, { variants: ["etf"] })).toThrow(/variant "etf" needs sectors/);
    expect(() => runAvellanedaLee(market, { ...small, hedgeAt: "weekly" as never })).toThrow(/hedgeAt/);
    expect(() => runAvellanedaLee(market, { ...small, postionSize: 1 } as never)).toThrow(/did you mean "positionSize"/);
    expect(() => runAvellanedaLee({} as Panel)).toThrow(TypeError);
  });

  it("runs on the 452 stocks of sp500-2003-2007 (one window + 30 days): every name is scored, books near dollar-neutral", async () => {
    const all = await loadDataset("sp500-2003-2007");
    const prices = all.slice({ end: all.dates[252 + 30]! });
    const info = datasetInfo("sp500-2003-2007");
    const sec = prices.assets.map((a) => info.sectors![a]!);
    const s = runAvellanedaLee(prices, { sectors: sec, variants: ["pca-15", "etf"], fillAt: ["close"] });
    expect(prices.nAssets).toBe(452);
    for (const r of s.runs) {
      expect(r.result.dates.length).toBe(31);
      expect(Math.min(...r.positions.subarray(1))).toBeGreaterThan(40);
      expect(Math.max(...r.factors)).toBe(r.variant === "etf" ? new Set(sec).size : 15);
      for (let k = 1; k < 31; k++) expect(Math.abs(r.result.long[k]! - r.result.short[k]!)).toBeLessThan(0.35 * (r.result.long[k]! + r.result.short[k]!));
    }
  });
});
