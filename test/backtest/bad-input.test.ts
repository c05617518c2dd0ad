/**
 * Issue 15, library: a backtest over bad data or a bankrupt book is an error naming the date and the
 * asset (or, with onBankruptcy "stop", a flagged result), never a metric; the backtester is usable
 * afterwards and its next run is unchanged.
 */
import { describe, expect, it } from "vitest";
import { JSDOM } from "jsdom";
import { sharpeRatio, tearsheet } from "../../lib/analytics/index.js";
import { backtestMetrics, StatArbBacktester } from "../../lib/backtest/index.js";
import { fromEpochDay, Panel } from "../../lib/data/index.js";
import { type CostModel, SimulatedVenue } from "../../lib/execution/index.js";
import { reversalScores, syntheticMarket } from "./market.js";

const mkt = syntheticMarket(4, 260, 5);
const scores = reversalScores(mkt.prices);

/** `panel` with `value` at row `i`, column `j`. */
function withCell(panel: Panel, i: number, j: number, value: number): Panel {
  const cols = panel.columns.map((c) => Float64Array.from(c));
  (cols[j] as Float64Array)[i] = value;
  return new Panel(panel.dates, panel.assets, cols, { validate: false });
}

const badCost = (value: number): CostModel => ({ kind: "commission", name: "BrokenCommission", cost: () => value }) as CostModel;
/** Long/short 80× gross: short A000/A002, long A001/A003; the book is bankrupt within weeks. */
const levered = () => Float64Array.of(-20, 20, -20, 20);

describe("bad prices, volumes and scores are refused when the backtest is built or starts", () => {
  it("a price ≤ 0 or ±Infinity names the asset and the date; NaN stays the marker of a missing price", () => {
    for (const v of [0, -5, Infinity, -Infinity]) {
      const make = () => new StatArbBacktester({ data: withCell(mkt.prices, 100, 1, v) });
      expect(make).toThrow(RangeError);
      expect(make).toThrow(new RegExp(`option data has price ${v} for A001 on 2010-05-24; prices must be finite and > 0 .*NaN is the marker of a missing price`));
    }
    expect(() => new StatArbBacktester({ data: withCell(mkt.prices, 100, 1, Number.NaN) })).not.toThrow();
    expect(() => new StatArbBacktester({ data: mkt.prices, volume: withCell(mkt.volume, 7, 2, -1) })).toThrow(/option volume has -1 shares for A002 on 2010-01-13/);
  });

  it("±Infinity in a scores panel or in a model's prediction names the asset and the date", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices });
    await expect(bt.runBacktest({ scores: withCell(scores, 30, 3, -Infinity) })).rejects.toThrow(/option scores has -Infinity for A003 on 2010-02-15; scores must be finite/);
    const model = { fit: () => {}, predict: () => Float64Array.of(0, Infinity, 1, 2) };
    await expect(bt.runBacktest({ alphaModel: model })).rejects.toThrow(/alphaModel.predict returned score Infinity for A001 on 2010-01-04/);
  });
});

describe("weights of the wrong length or ±Infinity are refused on the day they are returned", () => {
  it("from a construction function", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices });
    await expect(bt.runBacktest({ scores, portfolio: () => new Float64Array(3) })).rejects.toThrow(TypeError);
    await expect(bt.runBacktest({ scores, portfolio: () => new Float64Array(3) })).rejects.toThrow(
      /option portfolio \(the construction\) returned a Float64Array of length 3 on 2010-01-04; it must return a Float64Array of 4 weights, one per asset in the data's order \(A000, A001, A002, A003\)/,
    );
    await expect(bt.runBacktest({ scores, portfolio: () => [0.1, -0.1, 0, 0] as never })).rejects.toThrow(/returned an array of length 4/);
    await expect(bt.runBacktest({ scores, portfolio: () => Float64Array.of(0, Infinity, 0, 0) })).rejects.toThrow(/returned weight Infinity for A001 on 2010-01-04; weights must be finite \(NaN means no position\)/);
    // NaN is "no position"
    const nan = await bt.runBacktest({ scores, portfolio: () => Float64Array.of(Number.NaN, 0.5, -0.5, Number.NaN) });
    expect(nan.positions.column("A000").every((q) => q === 0)).toBe(true);
  });

  it("from a risk manager", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices });
    const riskManager = { options: {}, apply: () => new Float64Array(3) } as never;
    await expect(bt.runBacktest({ scores, riskManager })).rejects.toThrow(/option riskManager \(RiskManager.apply\) returned a Float64Array of length 3 on 2010-01-04; it must return a Float64Array of 4 weights/);
  });
});

describe("a cost that is NaN, infinite or negative is refused, naming the model, the asset and the date", () => {
  it("in the daily backtester and in the venue", async () => {
    for (const v of [Number.NaN, Infinity, -1]) {
      const bt = new StatArbBacktester({ data: mkt.prices, transactionCosts: [badCost(v)] });
      await expect(bt.runBacktest({ scores })).rejects.toThrow(RangeError);
      await expect(bt.runBacktest({ scores })).rejects.toThrow(
        new RegExp(`runBacktest: filling A000 on 2010-01-12: SimulatedVenue: cost model BrokenCommission \\(kind commission\\) returned ${v} for -?\\d+ shares at [\\d.]+; a cost model must return a finite cost ≥ 0`),
      );
    }
    const venue = new SimulatedVenue({ costs: [badCost(Number.NaN)] });
    expect(() => venue.costOf(100, 10, 1e6, 0.02)).toThrow(/cost model BrokenCommission \(kind commission\) returned NaN for 100 shares at 10/);
  });
});

describe("a bankrupt book (equity ≤ 0)", () => {
  it("is an error naming the date, the equity and the asset that lost most, by default; the backtester stays usable", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices });
    const before = await bt.runBacktest({ scores });
    await expect(bt.runBacktest({ scores, portfolio: levered })).rejects.toThrow(RangeError);
    await expect(bt.runBacktest({ scores, portfolio: levered })).rejects.toThrow(
      /runBacktest: the book is bankrupt on \d{4}-\d\d-\d\d: equity -?[\d.e+]+ ≤ 0 \([\d.e+]+ the close before; the largest loss that day: A00\d, -[\d.e+]+\)\. .*onBankruptcy: "stop"/,
    );
    const after = await bt.runBacktest({ scores });
    expect(after.equityCurve).toEqual(before.equityCurve);
    expect(after.sharpeRatio).toBe(before.sharpeRatio);
  });

  it('with onBankruptcy: "stop", ends the run at that close, flags the result and its display, and computes no ratio', async () => {
    const bt = new StatArbBacktester({ data: mkt.prices, onBankruptcy: "stop" });
    const r = await bt.runBacktest({ scores, portfolio: levered });
    const b = r.bankruptcy;
    expect(b).not.toBeNull();
    if (b === null) return;
    const T = r.dates.length;
    expect(T).toBeLessThan(260);
    expect(r.dates[T - 1]).toBe(b.date);
    expect(r.equityCurve[T - 1]).toBe(b.equity);
    expect(b.equity).toBeLessThanOrEqual(0);
    for (let k = 0; k < T - 1; k++) expect(r.equityCurve[k]).toBeGreaterThan(0);
    for (const a of [r.returns, r.cash, r.turnover, r.dailyCosts, r.benchmarkReturns]) expect(a.length).toBe(T);
    expect(r.positions.nDates).toBe(T);
    expect(b.assetPnl).toBeLessThan(0);
    for (const k of ["sharpeRatio", "sortinoRatio", "annualReturn", "annualVolatility", "calmarRatio", "informationRatio", "winRate"] as const) expect(r[k]).toBeNaN();
    expect(r.totalReturn).toBeLessThanOrEqual(-1);
    expect(r.maxDrawdown).toBeLessThanOrEqual(-1);
    expect(r.days).toBe(T);
    const display = (r as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]!();
    expect(display["text/plain"]).toMatch(/^BANKRUPT: equity .* ≤ 0 on \d{4}-\d\d-\d\d \(largest loss: A00\d\); the run stopped there/);
    // a healthy run with the same backtester carries no flag
    expect((await bt.runBacktest({ scores })).bankruptcy).toBeNull();
  });

  it("its tearsheet shows a BANKRUPT banner and no metric over the bankrupt book", async () => {
    const bt = new StatArbBacktester({ data: mkt.prices, onBankruptcy: "stop" });
    const r = await bt.runBacktest({ scores, portfolio: levered });
    const b = r.bankruptcy!;
    const T = r.dates.length;
    const html = tearsheet(r, { generatedAt: "fixed", rollingWindow: 5 });
    const doc = new JSDOM(html).window.document;
    const banner = doc.querySelector(".sa-bankrupt[role=alert]");
    expect(banner?.textContent).toMatch(new RegExp(`^BANKRUPTEquity -?[\\d,]+ ≤ 0 at the close of ${fromEpochDay(b.date)} \\(largest loss that day: ${b.asset}, .*No ratio is computed over a bankrupt book.*cover only the ${T - 1} solvent days`));
    expect(doc.querySelector("main")?.firstElementChild?.nextElementSibling?.nextElementSibling).toBe(banner);
    expect(doc.title).toMatch(/^BANKRUPT · /);
    // the ratios are "–", never a number or NaN; the loss itself is shown
    const kpi = (name: string) => Array.from(doc.querySelectorAll(".sa-kpi")).find((e) => e.querySelector("span")?.textContent === name)?.querySelector("b")?.textContent;
    for (const k of ["Sharpe", "Sortino", "Calmar", "information ratio", "annual return", "annual volatility"]) expect(kpi(k)).toBe("–");
    expect(kpi("total return (to bankruptcy)")).toBe(`${(r.totalReturn * 100).toFixed(2)}%`);
    expect(html).not.toMatch(/NaN|Infinity/);
    // the yearly table compounds the solvent days only (the bankrupt day's return ≤ −100% is left out)
    let solvent = 1;
    for (let k = 0; k < T - 1; k++) solvent *= 1 + r.returns[k]!;
    const year = Array.from(doc.querySelectorAll("table caption")).find((c) => c.textContent?.startsWith("Returns by year"))!.closest("table")!;
    expect(year.querySelector("tbody td")?.textContent).toBe(`${((solvent - 1) * 100).toFixed(2)}%`);
    expect(Array.from(doc.querySelectorAll("h2")).filter((h) => h.textContent?.includes(`the ${T - 1} solvent days before the bankrupt close`))).toHaveLength(4);
    // a solvent result's page has no banner
    expect(tearsheet(await bt.runBacktest({ scores }), { generatedAt: "fixed" })).not.toMatch(/BANKRUPT|sa-bankrupt/);
    // a result whose flag does not sit on its last date is refused
    expect(() => tearsheet({ ...r, bankruptcy: { ...b, date: r.dates[3]! } })).toThrow(/result.bankruptcy.date .* is not the result's last date/);
  });

  it("an unknown policy is refused with a did-you-mean", () => {
    expect(() => new StatArbBacktester({ data: mkt.prices, onBankruptcy: "halt" as never })).toThrow(/option onBankruptcy must be one of "error", "stop", got "halt"/);
  });
});

describe("metrics are never computed over NaN, infinite or bankrupt returns", () => {
  it("backtestMetrics names the period", () => {
    expect(() => backtestMetrics(Float64Array.of(0.01, Number.NaN, 0.02))).toThrow(/returns\[1\] is NaN; metrics are not computed over NaN or infinite returns/);
    expect(() => backtestMetrics(Float64Array.of(0.01, -1.2, 0.02))).toThrow(/returns\[1\] is -1.2; metrics are not computed over a bankrupt book/);
    expect(() => backtestMetrics(Float64Array.of(0.01, 0.02, Infinity))).toThrow(RangeError);
  });

  it("lib/analytics' metrics refuse a return ≤ −1 or +Infinity (NaN stays empyrical's missing period)", () => {
    expect(() => sharpeRatio(Float64Array.of(0.01, -1, 0.02))).toThrow(/sharpeRatio: returns\[1\] is -1; no metric is computed over a bankrupt book/);
    expect(() => sharpeRatio([0.01, 0.02, Infinity])).toThrow(/returns\[2\] is Infinity/);
    expect(sharpeRatio(Float64Array.of(0.01, Number.NaN, 0.02, -0.01))).toBeCloseTo(sharpeRatio(Float64Array.of(0.01, 0.02, -0.01)), 12);
  });
});
