/**
 * Every public entry point of lib/backtest and lib/execution reads its options with the one helper:
 * an unknown key is a RangeError naming it, with a "did you mean" when it is near a real one.
 */
import { describe, expect, it } from "vitest";
import { BarEventEngine, monteCarloStrategy, scoresToWeights, StatArbBacktester, walkForwardOptimize } from "../../lib/backtest/index.js";
import {
  AlmgrenImpact,
  BpsCommission,
  HalfSpreadCost,
  IntradayFillSimulator,
  LatencyModel,
  OrderManager,
  PerShareCommission,
  SimulatedVenue,
  SquareRootImpact,
  TestClock,
  VolumeParticipationCap,
} from "../../lib/execution/index.js";
import { syntheticMarket, reversalScores } from "./market.js";

const mkt = syntheticMarket(6, 60, 3);

describe("unknown option keys", () => {
  it("are refused with a did-you-mean by every constructor and function", () => {
    const cases: [string, () => unknown, RegExp][] = [
      ["StatArbBacktester", () => new StatArbBacktester({ data: mkt.prices, transactionCost: 0.001 } as never), /StatArbBacktester: unknown option "transactionCost" \(did you mean "transactionCosts"\?\)/],
      ["BarEventEngine", () => new BarEventEngine({ latency: 1 } as never), /BarEventEngine: unknown option "latency" \(did you mean "latencyBars"\?\)/],
      ["scoresToWeights", () => scoresToWeights(new Float64Array(4), { metod: "rank" } as never), /unknown option "metod" \(did you mean "method"\?\)/],
      ["monteCarloStrategy", () => monteCarloStrategy(new Float64Array(30), { simulation: 5 } as never), /did you mean "simulations"/],
      ["PerShareCommission", () => new PerShareCommission({ pershare: 0.01 } as never), /did you mean "perShare"/],
      ["BpsCommission", () => new BpsCommission({ bp: 3 } as never), /did you mean "bps"/],
      ["HalfSpreadCost", () => new HalfSpreadCost({ spread: 3 } as never), /did you mean "spreadBps"/],
      ["SquareRootImpact", () => new SquareRootImpact({ eta: 1, sigma: 0.02 } as never), /unknown option "sigma"/],
      ["AlmgrenImpact", () => new AlmgrenImpact({ gama: 0.3 } as never), /did you mean "gamma"/],
      ["VolumeParticipationCap", () => new VolumeParticipationCap({ participation: 0.1 } as never), /did you mean "maxParticipation"/],
      ["LatencyModel", () => new LatencyModel({ bar: 1 } as never), /did you mean "bars"/],
      ["SimulatedVenue", () => new SimulatedVenue({ cost: [] } as never), /did you mean "costs"/],
      ["OrderManager", () => new OrderManager({ clock: new TestClock(), onEvents: () => {} } as never), /did you mean "onEvent"/],
      ["IntradayFillSimulator", () => new IntradayFillSimulator({ quotes: {}, trades: {} } as never, { tickSize: 0.01, latence: 1 } as never), /did you mean "latency"/],
    ];
    for (const [name, make, message] of cases) {
      expect(make, name).toThrow(RangeError);
      expect(make, name).toThrow(message);
    }
  });

  it("are refused by runBacktest and walkForwardOptimize before any work", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices });
    const scores = reversalScores(mkt.prices);
    await expect(bt.runBacktest({ scores, rebalance: "weekly" } as never)).rejects.toThrow(/runBacktest: unknown option "rebalance" \(did you mean "rebalanceFrequency"\?\)/);
    await expect(bt.runBacktest({ scores, portfolio: { method: "rank", gros: 1 } } as never)).rejects.toThrow(/did you mean "gross"/);
    let calls = 0;
    const evaluate = () => {
      calls++;
      return bt.runBacktest({ scores });
    };
    await expect(walkForwardOptimize({ dates: mkt.prices.dates, grid: { x: [1] }, evaluate, trainDay: 20 } as never)).rejects.toThrow(/did you mean "trainDays"/);
    await expect(walkForwardOptimize({ dates: mkt.prices.dates, grid: { x: [1] }, evaluate, trainDays: 20, testDays: 10, objective: "sharpe" } as never)).rejects.toThrow(/objective must be/);
    expect(calls).toBe(0);
  });

  it("a cost model of an unknown kind is an error, never booked as impact", () => {
    const fee = { kind: "fees", name: "exchange fee", cost: () => 1 };
    expect(() => new StatArbBacktester({ data: mkt.prices, transactionCosts: [fee as never] })).toThrow(/"exchange fee" has unknown kind "fees"; allowed kinds: "commission", "spread", "impact"/);
    expect(() => new StatArbBacktester({ data: mkt.prices, marketImpactModel: fee as never })).toThrow(/unknown kind "fees"/);
  });
});

describe("BacktestResult", () => {
  it("carries its metrics once, as top-level fields", async () => {
    const r = await new StatArbBacktester({ data: mkt.prices, startDate: mkt.prices.dates[10] }).runBacktest({ scores: reversalScores(mkt.prices) });
    expect("metrics" in r).toBe(false);
    expect(Number.isFinite(r.sharpeRatio)).toBe(true);
    expect(r.days).toBe(r.returns.length);
  });
});

describe("StatArbBacktester's fields", () => {
  it("are its resolved BacktestConfig (one home), with the venue's cost models; writing a field changes no run", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices, transactionCosts: 0.001, marketImpactModel: "sqrt", initialCapital: 2e6, volWindow: 15 });
    expect(Object.keys(bt).sort()).toEqual(
      ["advWindow", "assumptions", "benchmark", "borrowCost", "close", "endRow", "fillAt", "fractionalShares", "initialCapital", "minTradeFraction", "onBankruptcy", "participation", "startRow", "venue", "volWindow", "volume"].sort(),
    );
    expect([bt.initialCapital, bt.volWindow, bt.advWindow, bt.startRow, bt.endRow, bt.fillAt]).toEqual([2e6, 15, 20, 0, mkt.prices.nDates - 1, "next-close"]);
    expect(bt.costModels.map((m) => m.name)).toEqual(bt.venue.costs.map((m) => m.name));
    expect(bt.costModels.length).toBe(2);
    const scores = reversalScores(mkt.prices);
    const before = await bt.runBacktest({ scores });
    (bt as { initialCapital: number }).initialCapital = 1;
    const after = await bt.runBacktest({ scores });
    expect(after.initialCapital).toBe(2e6);
    expect(Array.from(after.returns)).toEqual(Array.from(before.returns));
  });
});
