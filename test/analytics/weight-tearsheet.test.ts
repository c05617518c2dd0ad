/**
 * The tearsheet of a weight-path book (issue 17 item 7, the demo's Avellaneda-Lee book):
 * weightTearsheetSource's equity, costs and metrics add up to the backtest's daily series, the page
 * carries the extra sections (paper table, overlay, quantstats) as given, and the paper table takes the
 * demo's columns (cost-aware construction, overlay) beside the default two.
 */
import { describe, expect, it } from "vitest";
import { avellanedaLeePaperTable, avellanedaLeeSummary, sharpeRatio, tearsheet, weightTearsheetSource } from "../../lib/analytics/index.js";
import { backtestWeights, describeRebalancer, runAvellanedaLee } from "../../lib/backtest/index.js";
import { turnoverPenalty } from "../../lib/portfolio/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";

const prices = syntheticPairsMarket({ nAssets: 20, nDays: 200, seed: 5 }).prices;
const study = runAvellanedaLee(prices, { variants: ["pca-15"], fillAt: ["close", "next-close"], correlationWindow: 100, ouWindow: 40 });

describe("weightTearsheetSource and the tearsheet of a weight path", () => {
  it("equity, costs and metrics from the daily series; extra sections on the page; refuses a result without trades", () => {
    const run = study.runs[0]!;
    const result = backtestWeights(prices, run.targets, { fillAt: "close", costs: 0.0005, start: prices.dates[study.startRow]!, keepHoldings: true, capital: 1e7 });
    const src = weightTearsheetSource(result, { capital: 1e7 });
    const growth = result.net.reduce((g, r) => g * (1 + r), 1);
    expect(src.equityCurve[src.equityCurve.length - 1]! / 1e7).toBeCloseTo(growth, 12);
    expect(src.totalReturn).toBeCloseTo(growth - 1, 12);
    expect(src.sharpeRatio).toBe(sharpeRatio(result.net));
    expect(src.costs.total).toBeCloseTo(src.dailyCosts.reduce((a, b) => a + b, 0), 6);
    expect(src.costs.commission).toBeCloseTo(src.costs.total, 6);
    let tradeCost = 0;
    for (let i = 0; i < result.trades!.length; i++) tradeCost += result.trades!.cost[i]!;
    expect(tradeCost).toBeCloseTo(src.costs.total, 4); // the trades carry the day's cost, currency
    expect(src.grossLeverage[5]).toBeCloseTo(result.long[5]! + result.short[5]!, 15);
    expect(Number.isNaN(src.informationRatio)).toBe(true); // no benchmark given
    const html = tearsheet(src, { title: "AL book", generatedAt: "fixed", sections: [{ title: "The paper's figures beside ours", html: "<p id=\"paper\">table</p>" }] });
    expect(html).toContain("<h2>The paper&#39;s figures beside ours</h2>\n<p id=\"paper\">table</p>");
    expect(html).toContain(`${result.trades!.length.toLocaleString("en-US")}`);
    expect(() => weightTearsheetSource(study.runs[0]!.result)).toThrow(/keepHoldings: true/);
    expect(() => weightTearsheetSource(result, { capitol: 1 } as never)).toThrow(/capital/);
    expect(() => tearsheet(src, { sections: [{ title: 1 }] as never })).toThrow(/sections/);
  });

  it("paper table: the default columns, or the demo's (cost-aware construction)", () => {
    const rebalancer = turnoverPenalty({ penalty: 0.004 });
    const penalised = study.runs.map((r) => ({ ...r, construction: describeRebalancer(rebalancer), result: backtestWeights(prices, r.targets, { fillAt: r.fillAt, costs: 0.0005, rebalancer, start: prices.dates[study.startRow]! }) }));
    const summary = avellanedaLeeSummary({ ...study, runs: [...study.runs, ...penalised] });
    const plainHtml = avellanedaLeePaperTable(summary);
    expect(plainHtml).toContain("<th>Ours, same close</th><th>Ours, next close</th>");
    const costAware = summary.runs.find((r) => r.construction !== "none" && r.fillAt === "close")!;
    const html = avellanedaLeePaperTable(summary, [{ label: "cost-aware", fillAt: "close", construction: costAware.construction }]);
    expect(html).toContain("<th>cost-aware</th>");
    expect(html).toContain(`pca-15: ${costAware.meanAnnualSharpeNet.toFixed(2)}`);
    expect(html).toContain("not reproduced");
    expect(html).not.toContain("pca-55"); // a variant the study did not run is left out, the ETF row says so
    expect(html).toContain("not in this study");
    expect(avellanedaLeePaperTable(summary, [{ label: "x", fillAt: "close", overlay: "meta-label gbt" }])).toContain("pca-15: –");
  });
});
