/**
 * Brinson-Fachler against a hand-computed textbook table (Bacon 2008, ch. 5; reference values and
 * their arithmetic in results/bacon-brinson.ts); Carino and Menchero linking sum exactly to the
 * compounded active return and match an independent numpy implementation of both papers'
 * formulas; holdings-based attribution of a real backtest adds up to its compounded active return.
 */
import { describe, expect, it } from "vitest";
import { backtestHoldings, brinsonFachler, brinsonFromHoldings, linkBrinson, SKFOLIO_SP500_SECTORS, sectorBreakdown } from "../../lib/analytics/index.js";
import { StatArbBacktester } from "../../lib/backtest/index.js";
import { loadDataset } from "../../lib/data/index.js";
import { ReversalModel } from "../../lib/signals/reversal.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";
import { BACON_THREE_MARKETS as BACON, TWO_PERIODS } from "./results/bacon-brinson.js";

describe("brinsonFachler: Bacon's three-market example", () => {
  const res = brinsonFachler(BACON.input);
  it("reproduces the hand-computed table sector by sector", () => {
    expect(res.portfolioReturn).toBeCloseTo(BACON.expected.portfolioReturn, 14);
    expect(res.benchmarkReturn).toBeCloseTo(BACON.expected.benchmarkReturn, 14);
    res.sectors.forEach((s, i) => {
      expect(s.allocation).toBeCloseTo(BACON.expected.allocation[i] as number, 14);
      expect(s.selection).toBeCloseTo(BACON.expected.selection[i] as number, 14);
      expect(s.interaction).toBeCloseTo(BACON.expected.interaction[i] as number, 14);
    });
    expect(res.sectors.map((s) => s.sector)).toEqual(BACON.input.sectors);
    expect(res.allocation).toBeCloseTo(BACON.expected.totals.allocation, 14);
    expect(res.selection).toBeCloseTo(BACON.expected.totals.selection, 14);
    expect(res.interaction).toBeCloseTo(BACON.expected.totals.interaction, 14);
    expect(res.allocation + res.selection + res.interaction).toBeCloseTo(res.activeReturn, 15);
  });

  it("folds interaction into selection on request, and adds a cash sector when weights do not sum to 1", () => {
    const f = brinsonFachler({ ...BACON.input, interaction: "in-selection" });
    expect(f.interaction).toBe(0);
    expect(f.selection).toBeCloseTo(0.031, 14);
    expect(f.allocation).toBeCloseTo(-0.012, 14);
    const ls = brinsonFachler({ ...BACON.input, portfolioWeights: [0.5, -0.3, 0.1], cashReturn: 0.01 });
    expect(ls.sectors.at(-1)?.sector).toBe("cash");
    expect(ls.sectors.at(-1)?.portfolioWeight).toBeCloseTo(0.7, 15);
    expect(ls.portfolioReturn).toBeCloseTo(0.5 * 0.2 + -0.3 * -0.05 + 0.1 * 0.06 + 0.7 * 0.01, 15);
    expect(ls.allocation + ls.selection + ls.interaction).toBeCloseTo(ls.activeReturn, 15);
    expect(res[Symbol.for("Jupyter.display") as never]).toBeTypeOf("function");
  });

  it("rejects bad input clearly", () => {
    expect(() => brinsonFachler({ ...BACON.input, benchmarkWeights: [0.5, 0.5] })).toThrow(/benchmarkWeights has 2 values but there are 3 sectors/);
    expect(() => brinsonFachler({ ...BACON.input, sectors: ["a", "a", "b"] })).toThrow(/unique/);
    expect(() => linkBrinson([])).toThrow(/at least one period/);
    expect(() => linkBrinson([res], { method: "frongello" as never })).toThrow(/"carino" or "menchero"/);
  });
});

const LINK_PEER = `
import numpy as np
p = np.array(data["rp"]); b = np.array(data["rb"]); eff = np.array(data["effects"])  # T × 3 (alloc, sel, inter)
T = len(p); Rp = np.prod(1 + p) - 1; Rb = np.prod(1 + b) - 1
k = (np.log1p(Rp) - np.log1p(Rb)) / (Rp - Rb)
kt = (np.log1p(p) - np.log1p(b)) / (p - b)
carino = eff * (kt / k)[:, None]
M = ((Rp - Rb) / T) / ((1 + Rp) ** (1 / T) - (1 + Rb) ** (1 / T))
a = p - b
alpha = (Rp - Rb - M * a.sum()) / (a ** 2).sum() * a
menchero = eff * (M + alpha)[:, None]
emit({"carino": carino.sum(axis=0), "menchero": menchero.sum(axis=0), "active": Rp - Rb})
`;

describe("linkBrinson", () => {
  const p1 = brinsonFachler(BACON.input);
  const p2 = brinsonFachler(TWO_PERIODS.second);

  it("two periods: compounded returns as hand-computed, effects sum exactly to the active return", () => {
    for (const method of ["carino", "menchero"] as const) {
      const l = linkBrinson([p1, p2], { method });
      expect(l.portfolioReturn).toBeCloseTo(TWO_PERIODS.expected.portfolioReturn, 14);
      expect(l.benchmarkReturn).toBeCloseTo(TWO_PERIODS.expected.benchmarkReturn, 14);
      expect(l.activeReturn).toBeCloseTo(TWO_PERIODS.expected.activeReturn, 14);
      expect(Math.abs(l.allocation + l.selection + l.interaction - l.activeReturn)).toBeLessThan(1e-15);
      const bySector = l.sectors.reduce((s, x) => s + x.total, 0);
      expect(Math.abs(bySector - l.activeReturn)).toBeLessThan(1e-15);
    }
    // Carino's factors scale the arithmetic sum up (compounding adds 1.9%·0.3%-type cross terms)
    const arithmetic = p1.activeReturn + p2.activeReturn;
    expect(linkBrinson([p1, p2]).activeReturn).toBeGreaterThan(arithmetic);
  });

  it.skipIf(!hasVenv())(venvTitle("many real periods: Carino and Menchero match numpy and sum to the total"), async () => {
    const prices = await loadDataset("skfolio-sp500");
    const w = prices.slice({ start: "2019-12-31", end: "2020-12-31" }).returns();
    const periods = [];
    const sectors = ["Tech", "Other"];
    for (let t = 1; t < w.nDates; t++) {
      // portfolio overweights AAPL/MSFT; benchmark 50/50; sector returns from real stocks
      const rt = [((w.column("AAPL")[t] as number) + (w.column("MSFT")[t] as number)) / 2, ((w.column("KO")[t] as number) + (w.column("XOM")[t] as number)) / 2];
      const rb = [w.column("AMD")[t] as number, w.column("PG")[t] as number];
      periods.push(brinsonFachler({ sectors, portfolioWeights: [0.7, 0.3], benchmarkWeights: [0.5, 0.5], portfolioReturns: rt, benchmarkReturns: rb }));
    }
    const effects = periods.map((p) => [p.allocation, p.selection, p.interaction]);
    const peer = await runPython<{ carino: number[]; menchero: number[]; active: number }>(LINK_PEER, { rp: periods.map((p) => p.portfolioReturn), rb: periods.map((p) => p.benchmarkReturn), effects });
    for (const method of ["carino", "menchero"] as const) {
      const l = linkBrinson(periods, { method });
      expect(l.activeReturn).toBeCloseTo(peer.active, 13);
      const ours = [l.allocation, l.selection, l.interaction];
      ours.forEach((v, i) => expect(v).toBeCloseTo(peer[method][i] as number, 12));
      expect(Math.abs(ours[0]! + ours[1]! + ours[2]! - l.activeReturn)).toBeLessThan(1e-13);
    }
  });
});

describe("holdings-based attribution of a real backtest", () => {
  it("brinsonFromHoldings and sectorBreakdown add up to the book's returns before costs", async () => {
    const data = await loadDataset("skfolio-sp500");
    const bt = new StatArbBacktester({ data, startDate: "2015-01-01", endDate: "2015-12-31", transactionCosts: 0.0005 });
    const r = await bt.runBacktest({ alphaModel: new ReversalModel(), rebalanceFrequency: "weekly" });
    const h = backtestHoldings(r, data);
    // start-of-day weights × asset returns reproduce the backtester's returns before costs
    for (let t = 0; t < r.dates.length; t++) {
      let s = 0;
      for (let j = 0; j < h.weights.nAssets; j++) {
        const x = (h.weights.columns[j] as Float64Array)[t] as number;
        if (x !== 0) s += x * ((h.returns.columns[j] as Float64Array)[t] as number);
      }
      expect(Math.abs(s - (r.returnsBeforeCosts[t] as number))).toBeLessThan(1e-12);
    }
    const br = brinsonFromHoldings({ portfolioWeights: h.weights, assetReturns: h.returns, hierarchy: SKFOLIO_SP500_SECTORS });
    let gp = 1;
    let gb = 1;
    for (let t = 0; t < r.dates.length; t++) (gp *= 1 + (r.returnsBeforeCosts[t] as number)), (gb *= 1 + (r.benchmarkReturns[t] as number));
    expect(br.portfolioReturn).toBeCloseTo(gp - 1, 12);
    // default benchmark of the backtester = equal-weighted universe = brinsonFromHoldings' "equal"
    expect(br.benchmarkReturn).toBeCloseTo(gb - 1, 12);
    expect(Math.abs(br.allocation + br.selection + br.interaction - br.activeReturn)).toBeLessThan(1e-12);
    expect(br.interaction).toBe(0); // long-short book → interaction folded into selection ("auto")
    expect(br.sectors.map((s) => s.sector)).toContain("cash");
    const industries = brinsonFromHoldings({ portfolioWeights: h.weights, assetReturns: h.returns, hierarchy: SKFOLIO_SP500_SECTORS, level: "industry group", linking: "menchero" });
    expect(industries.sectors.length).toBeGreaterThan(br.sectors.length);
    expect(Math.abs(industries.allocation + industries.selection + industries.interaction - industries.activeReturn)).toBeLessThan(1e-12);

    const sb = sectorBreakdown({ weights: h.weights, returns: h.returns, hierarchy: SKFOLIO_SP500_SECTORS });
    let arith = 0;
    for (const v of r.returnsBeforeCosts) arith += v;
    expect(sb.total).toBeCloseTo(arith, 12);
    for (const level of sb.levels) {
      const rows = sb.rows.filter((x) => x.level === level);
      expect(rows.reduce((s, x) => s + x.contribution, 0)).toBeCloseTo(arith, 12);
      for (const x of rows) expect(x.longContribution + x.shortContribution).toBeCloseTo(x.contribution, 14);
    }
    expect(() => brinsonFromHoldings({ portfolioWeights: h.weights, assetReturns: h.returns, hierarchy: SKFOLIO_SP500_SECTORS, level: "country" })).toThrow(/level "country" is not one of "sector", "industry group"/);
  });
});
