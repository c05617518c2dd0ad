import { describe, expect, it } from "vitest";
import { StressTester, VaRAnalyzer, valueAtRisk } from "../../lib/risk/index.js";
import { Panel } from "../../lib/data/panel.js";
import { hasVenv, runPython } from "../helpers/python.js";
import { syntheticMarket, weekdays } from "../backtest/market.js";

const mkt = syntheticMarket(6, 600, 5);
const rets = mkt.prices.returns().sliceRows(1, 600);
const positions = { A000: 1e6, A001: -5e5, A002: 7e5, A003: -9e5, A004: 2e5, A005: 0 };
const sectors = { A000: "tech", A001: "tech", A002: "energy", A003: "energy", A004: "health" };

describe("VaRAnalyzer.calculateComponentVaR", () => {
  const va = new VaRAnalyzer({ confidenceLevel: 0.99, sectors, simulations: 20_000, seed: 7 });

  for (const method of ["historical", "gaussian", "cornish-fisher", "monte-carlo"] as const) {
    it(`${method}: components add up to the total, by asset and by sector`, () => {
      const r = va.calculateComponentVaR({ positions, returnsData: rets, method });
      expect(r.totalVaR).toBeGreaterThan(0);
      const sumA = r.byAsset.reduce((s, x) => s + x.componentVaR, 0);
      const sumS = r.bySector.reduce((s, x) => s + x.componentVaR, 0);
      expect(sumA / r.totalVaR).toBeCloseTo(1, method === "cornish-fisher" ? 6 : 10);
      expect(sumS / r.totalVaR).toBeCloseTo(1, method === "cornish-fisher" ? 6 : 10);
      expect(r.byAsset.map((x) => x.asset)).toEqual(["A000", "A001", "A002", "A003", "A004"]);
      expect(r.bySector.map((x) => x.sector).sort()).toEqual(["energy", "health", "tech"]);
      expect(r.undiversifiedVaR).toBeGreaterThanOrEqual(r.totalVaR * 0.999);
    });
  }

  it("monte-carlo is deterministic for a seed and close to gaussian", () => {
    const a = va.calculateComponentVaR({ positions, returnsData: rets, method: "monte-carlo" });
    const b = va.calculateComponentVaR({ positions, returnsData: rets, method: "monte-carlo" });
    const c = va.calculateComponentVaR({ positions, returnsData: rets, method: "monte-carlo", seed: 8 });
    const g = va.calculateComponentVaR({ positions, returnsData: rets, method: "gaussian" });
    expect(a.totalVaR).toBe(b.totalVaR);
    expect(a.totalVaR).not.toBe(c.totalVaR);
    expect(Math.abs(a.totalVaR / g.totalVaR - 1)).toBeLessThan(0.05);
  });

  it.skipIf(!hasVenv())("matches numpy/scipy: historical quantile, gaussian and Cornish-Fisher VaR and gaussian components", async () => {
    const held = ["A000", "A001", "A002", "A003", "A004"];
    const X = held.map((a) => Array.from(rets.column(a)));
    const w = held.map((a) => positions[a as keyof typeof positions]);
    const peer = await runPython<{ hist: number; gauss: number; cf: number; cfSample: number; comp: number[] }>(
      `
import numpy as np
from scipy.stats import norm, skew, kurtosis
X = np.array(data["X"]).T; w = np.array(data["w"]); a = 0.01
pnl = X @ w
hist = -np.quantile(pnl, a)
mu = X.mean(0); S = np.cov(X, rowvar=False); sp = np.sqrt(w @ S @ w); z = norm.ppf(a)
gauss = -(w @ mu + z * sp)
comp = -(w * mu + z * w * (S @ w) / sp)
s = skew(pnl); k = kurtosis(pnl)
zcf = z + (z**2 - 1) * s / 6 + (z**3 - 3*z) * k / 24 - (2*z**3 - 5*z) * s**2 / 36
cf = -(pnl.mean() + zcf * pnl.std(ddof=0))  # PerformanceAnalytics: sigma = sqrt(centeredmoment(pnl, 2))
cfSample = -(pnl.mean() + zcf * pnl.std(ddof=1))
emit({"hist": hist, "gauss": gauss, "cf": cf, "cfSample": cfSample, "comp": comp})
`,
      { X, w },
    );
    const h = va.calculateComponentVaR({ positions, returnsData: rets, method: "historical" });
    const g = va.calculateComponentVaR({ positions, returnsData: rets, method: "gaussian" });
    const cf = va.calculateComponentVaR({ positions, returnsData: rets, method: "cornish-fisher" });
    expect(h.totalVaR).toBeCloseTo(peer.hist, 6);
    expect(g.totalVaR / peer.gauss).toBeCloseTo(1, 8);
    expect(cf.totalVaR / peer.cf).toBeCloseTo(1, 8);
    const cfSample = new VaRAnalyzer({ confidenceLevel: 0.99, moments: "sample" }).calculateComponentVaR({ positions, returnsData: rets, method: "cornish-fisher" });
    expect(cfSample.totalVaR / peer.cfSample).toBeCloseTo(1, 8);
    g.byAsset.forEach((x, i) => expect(x.componentVaR / peer.comp[i]!).toBeCloseTo(1, 8));
  });

  it("is a façade over valueAtRisk: one asset held at 1 gives valueAtRisk's number, Monte Carlo included", () => {
    const one = new Panel(rets.dates, ["A000"], [rets.column("A000")]);
    const r = rets.column("A000").filter((v) => Number.isFinite(v));
    for (const method of ["historical", "gaussian", "monte-carlo"] as const) {
      const book = va.calculateComponentVaR({ positions: { A000: 1 }, returnsData: one, method });
      expect(book.totalVaR).toBe(valueAtRisk(r, { method, confidence: 0.99, simulations: 20_000, seed: 7 }));
    }
    // the same defaults: a default analyzer and valueAtRisk agree on a default Monte Carlo request
    expect(new VaRAnalyzer().calculateComponentVaR({ positions: { A000: 1 }, returnsData: one, method: "monte-carlo" }).totalVaR).toBe(valueAtRisk(r, { method: "monte-carlo" }));
  });

  it("rejects bad input with clear errors", () => {
    expect(() => va.calculateComponentVaR({ positions: { ZZZ: 1 }, returnsData: rets })).toThrow(/ZZZ/);
    expect(() => va.calculateComponentVaR({ positions: { A000: 0 }, returnsData: rets })).toThrow(/empty/);
    expect(() => va.calculateComponentVaR({ positions, returnsData: rets, method: "delta" as never })).toThrow(/method must be one of/);
    expect(() => new VaRAnalyzer({ confidenceLevel: 99 })).toThrow(/confidenceLevel/);
  });
});

describe("StressTester", () => {
  const st = new StressTester({ confidence: 0.99 });
  it("replays historical windows on today's book, reporting uncovered ones", () => {
    // synthetic prices dated 2007-06 … so the quant-quake and Lehman windows are covered
    const dates = weekdays(600, Date.UTC(2007, 5, 1) / 864e5);
    const prices = new Panel(dates, mkt.prices.assets, mkt.prices.columns);
    const res = st.historical({ A000: 1e6, A001: -1e6 }, prices);
    const quake = res.find((r) => r.name.startsWith("Quant quake"))!;
    expect(quake.covered).toBe(true);
    const i0 = prices.dateIndex("2007-08-01") - 1;
    const i1 = prices.dateIndex("2007-08-16") - 1;
    const a = prices.column("A000");
    const b = prices.column("A001");
    expect(quake.pnl).toBeCloseTo(1e6 * (a[i1]! / a[i0]! - 1) - 1e6 * (b[i1]! / b[i0]! - 1), 6);
    expect(quake.maxDrawdown).toBeLessThanOrEqual(0);
    const covid = res.find((r) => r.name.startsWith("Covid"))!;
    expect(covid.covered).toBe(false);
    expect(covid.note).toMatch(/data covers 2007-06-01/);
    expect(Number.isNaN(covid.pnl)).toBe(true);
  });

  it("applies factor shocks through given or estimated betas", () => {
    const direct = st.factorShock({ positions: { A000: 100, A001: -50 }, shocks: { Mkt: -0.1 }, betas: { A000: { Mkt: 1.2 }, A001: { Mkt: 0.8 } } });
    expect(direct.pnl).toBeCloseTo(100 * 1.2 * -0.1 - 50 * 0.8 * -0.1, 12);
    // estimate: factor = mean of the assets' returns; betas come out near 1 on average
    const fr = new Panel(rets.dates, ["Mkt"], [Float64Array.from({ length: rets.nDates }, (_, t) => rets.row(t).reduce((s, v) => s + v, 0) / rets.nAssets)]);
    const est = st.factorShock({ positions: { A000: 1e6, A001: 1e6 }, shocks: { Mkt: -0.2 }, assetReturns: rets, factorReturns: fr });
    expect(est.pnl).toBeLessThan(0);
    expect(Object.keys(est.betas)).toEqual(["A000", "A001"]);
    expect(() => st.factorShock({ positions: { A000: 1 }, shocks: { Mkt: -0.1 } })).toThrow(/give betas/);
  });

  it("correlation breakdown: decorrelation hurts a hedged book, full correlation a long book", () => {
    const hedged = st.correlationBreakdown({ positions: { A000: 1e6, A001: -1e6 }, returnsData: rets, targetCorrelation: 0, volMultiplier: 1 });
    expect(hedged.stressedVaR).toBeGreaterThan(hedged.baseVaR);
    const long = st.correlationBreakdown({ positions: { A000: 1e6, A001: 1e6 }, returnsData: rets, targetCorrelation: 1, volMultiplier: 1 });
    expect(long.stressedVaR).toBeGreaterThan(long.baseVaR);
    const none = st.correlationBreakdown({ positions: { A000: 1e6, A001: 1e6 }, returnsData: rets, blend: 0, volMultiplier: 2 });
    expect(none.ratio).toBeCloseTo(2, 12);
    expect(() => st.correlationBreakdown({ positions: { A000: 1 }, returnsData: rets, targetCorrelation: -0.5 })).toThrow(/targetCorrelation/);
  });
});
