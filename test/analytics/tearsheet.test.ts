/**
 * The tearsheet of a real backtest (StatArbBacktester, reversal model, skfolio S&P 500 stocks
 * 2014–2016 against the S&P 500 index, with risk limits that bind) with factor, Brinson, style and
 * sector attribution: parsed with jsdom (every chart and table present, nothing external), written
 * atomically, then opened in headless Chromium (no console errors, charts rendered, screenshot in
 * out/tearsheet.png) and printed to PDF.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backtestHoldings,
  brinsonFromHoldings,
  exportPDF,
  FactorAttributor,
  findChromium,
  SKFOLIO_SP500_SECTORS,
  sectorBreakdown,
  styleAnalysis,
  tearsheet,
  timeDecomposition,
  writeTearsheet,
} from "../../lib/analytics/index.js";
import { type BacktestResult, StatArbBacktester } from "../../lib/backtest/index.js";
import { loadDataset } from "../../lib/data/index.js";
import { RiskManager } from "../../lib/risk/index.js";
import { checkHtmlInBrowser } from "../helpers/browser.js";
import { ReversalModel } from "../../lib/signals/reversal.js";
import { repoRoot } from "../helpers/python.js";

const CHARTS = ["Equity", "Drawdown", "Rolling Sharpe", "Rolling beta", "Monthly returns", "Daily returns with", "Gross and net exposure", "Daily turnover", "Cumulative transaction costs"];
const chromium = findChromium();

describe("tearsheet of a real backtest", () => {
  let result: BacktestResult;
  let html: string;
  let dir: string;
  let options: Parameters<typeof tearsheet>[1];

  beforeAll(async () => {
    const data = await loadDataset("skfolio-sp500");
    const index = await loadDataset("skfolio-sp500-index");
    const french = await loadDataset("linearmodels-french");
    const bt = new StatArbBacktester({ data, startDate: "2014-01-01", endDate: "2016-12-31", transactionCosts: 0.0005, borrowCost: 0.005, benchmark: index });
    result = await bt.runBacktest({ alphaModel: new ReversalModel(), rebalanceFrequency: "weekly", riskManager: new RiskManager({ maxLeverage: 0.9, maxPosition: 0.08 }), portfolio: { method: "zscore", gross: 1 } });
    const factorAttribution = new FactorAttributor({ factors: french, benchmark: result.benchmarkReturns }).analyzePerformance({ portfolioReturns: result.returns, dates: result.dates });
    const h = backtestHoldings(result, data);
    const brinson = brinsonFromHoldings({ portfolioWeights: h.weights, assetReturns: h.returns, hierarchy: SKFOLIO_SP500_SECTORS });
    const monthly = timeDecomposition({ dates: result.dates, returns: result.benchmarkReturns }).monthly;
    const style = styleAnalysis({ returns: monthly.returns, dates: monthly.periodStart, styles: french.select(["S1V1", "S1V5", "S3V3", "S5V1", "S5V5"]) });
    const sectors = sectorBreakdown({ weights: h.weights, returns: h.returns, hierarchy: SKFOLIO_SP500_SECTORS });
    options = { title: "Reversal <2014–2016>", benchmark: "S&P 500", factorAttribution, brinson, style, sectors, generatedAt: "test" };
    html = tearsheet(result, options);
    dir = mkdtempSync(join(tmpdir(), "statarb-tearsheet-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is one self-contained HTML page with every chart and table", () => {
    expect(result.interventions.length).toBeGreaterThan(0);
    const doc = new JSDOM(html).window.document;
    expect(doc.title).toBe("Reversal <2014–2016>");
    const sections = Array.from(doc.querySelectorAll("section.sa-chart"));
    const titles = sections.map((s) => s.getAttribute("data-chart") ?? "");
    for (const c of CHARTS) expect(titles.some((t) => t.startsWith(c))).toBe(true);
    expect(titles.filter((t) => t.startsWith("Active return by source") || t.startsWith("Brinson-Fachler effects")).length).toBe(2);
    expect(sections.length).toBe(CHARTS.length + 2);
    for (const s of sections) expect(s.querySelector("svg g[aria-label]")).not.toBeNull();
    // chart svgs plus legend swatches; each chart has its axes
    expect(doc.querySelectorAll("svg").length).toBeGreaterThanOrEqual(CHARTS.length);
    const captions = Array.from(doc.querySelectorAll("table caption"), (c) => c.textContent ?? "");
    for (const c of ["Summary", "Returns by year", "ff3", "carhart4", "Brinson-Fachler", "style analysis", "Contribution by group", "Interventions by rule"]) {
      expect(captions.some((x) => x.includes(c))).toBe(true);
    }
    expect(doc.body.textContent).toContain("not fitted: ff5");
    // nothing to fetch: no scripts, no links, no src/href, no url(...) but the SVG namespace
    expect(doc.querySelectorAll("script, link, img, iframe").length).toBe(0);
    expect(doc.querySelectorAll("[src], [href]").length).toBe(0);
    expect(html.replace(/xmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, "")).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/url\(/);
    // numbers in the page are the result's
    expect(doc.body.textContent).toContain(`${(result.totalReturn * 100).toFixed(2)}%`);
    expect(doc.body.textContent).toContain(`${result.trades.length.toLocaleString("en-US")}`);
  });

  it("without a benchmark or interventions: no beta chart, a plain note", () => {
    const bare = tearsheet({ ...result, benchmarkReturns: new Float64Array(result.dates.length).fill(Number.NaN), interventions: [] }, { generatedAt: "test" });
    const doc = new JSDOM(bare).window.document;
    expect(doc.title).toBe("Backtest tearsheet");
    expect(doc.querySelectorAll("section.sa-chart").length).toBe(CHARTS.length - 1);
    expect(doc.querySelector('section[data-chart^="Rolling beta"]')).toBeNull();
    expect(doc.body.textContent).toContain("The risk manager made no interventions.");
    expect(doc.body.textContent).not.toContain("Factor attribution");
  });

  it("writeTearsheet writes atomically and returns the path", async () => {
    const p = await writeTearsheet(join(dir, "sub", "tearsheet.html"), result, options);
    expect(readFileSync(p, "utf8")).toBe(html);
    expect(readdirSync(join(dir, "sub"))).toEqual(["tearsheet.html"]);
    expect(() => tearsheet({} as never)).toThrow(/pass a BacktestResult/);
    expect(() => tearsheet(result, { rollingWindow: 1 })).toThrow(/rollingWindow/);
  });

  it.skipIf(chromium === null)(`opens in headless Chromium with no console errors, charts rendered; screenshot and PDF saved${chromium === null ? " (skipped: no /usr/bin/chromium)" : ""}`, async () => {
    const p = await writeTearsheet(join(dir, "tearsheet.html"), result, options);
    const shot = join(repoRoot, "out", "tearsheet.png");
    const check = await checkHtmlInBrowser(p, { screenshot: shot });
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);
    expect(check.failedRequests).toEqual([]);
    expect(check.svgCount).toBeGreaterThanOrEqual(CHARTS.length);
    expect(check.visibleSvgCount).toBe(check.svgCount);
    expect(check.title).toBe("Reversal <2014–2016>");
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    const pdf = await exportPDF(p, join(dir, "tearsheet.pdf"));
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
  });
});
