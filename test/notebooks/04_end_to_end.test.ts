/**
 * notebooks/04_end_to_end (the demo notebook: Avellaneda-Lee on sp500-2003-2007, issue 17 item 7) under
 * papermill with two short parameter sets: clean run, charts and tables, the paper's figures beside
 * ours, the ML overlay judged out of sample by the rule the notebook states, a self-contained tearsheet
 * where `output_dir` says (with the paper table, the overlay verdict and quantstats' report), and the
 * same study rerun here with lib directly giving the same figures.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  backtestWeights, loadDataset, MetaLabelFilter, runAvellanedaLee, sharpeDifferenceTest, sharpeRatio, turnoverPenalty, valueAtRisk,
} from "../../lib/index.js";
import { assertClean, chartCount, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const DEFAULTS = { end: "2007-12-31", fillAt: "close", penalty: 0.004, overlay: "gbt", positionSize: 0.02, costPerSide: 0.0005, title: "Avellaneda–Lee stat-arb: 452 S&P 500 stocks, 2004–2007" };
// short windows: one correlation year (2003) + a few months; the first sees the overlay's first fits
const PARAMETER_SETS: Record<string, unknown>[] = [
  { end: "2004-06-30" },
  { end: "2004-03-31", fillAt: "next-close", penalty: 0.002, overlay: "none", title: "Next-close A&L book <Q1 2004>" },
];

interface RunKey { fillAt: string; construction: string; overlay: string; sharpeGross: number; sharpeNet: number; meanAnnualSharpeNet: number; turnover: number; roundTrips: number }
interface Key04 {
  stocks: number;
  firstDate: string;
  lastDate: string;
  days: number;
  book: string;
  overlayUsed: boolean;
  verdict: string;
  sharpeGross: number;
  sharpeNet: number;
  paperBook: { sharpeGross: number; sharpeNet: number; turnover: number };
  costAware: { turnover: number; costDrag: number; trades: number };
  runs: RunKey[];
  oos: { from: string; fits: number; rows: { book: string; without: number; with: number; pValue: number }[] };
  risk: { var95: number; es95: number; componentVaR95: number };
  attribution: { primary: string; activeTotal: number; factorTotal: number; selectionTotal: number; marketBeta: number; models: string[] };
  tearsheet: string;
}

describe.skipIf(!env.ok)(`notebook 04_end_to_end${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i runs, reports beside the paper, writes the tearsheet and matches lib", async (_i, params) => {
    const p = { ...DEFAULTS, ...params } as typeof DEFAULTS;
    const run = await runNotebook("04_end_to_end", (dir) => ({ ...params, output_dir: dir }));
    assertClean(run);
    const charts = chartCount(run.notebook);
    expect(charts.svg + charts.htmlFigures).toBeGreaterThanOrEqual(p.overlay === "none" ? 3 : 4); // cost-aware vs paper's book, gross vs net, drawdown, the overlay out of sample
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(7); // paper, runs, book, VaR, sector VaR, factors, sectors
    const html = run.notebook.cells.flatMap((c) => (c.outputs ?? []).map((o) => String((o.data?.["text/html"] as string[] | string | undefined) ?? ""))).join("\n");
    expect(html).toContain("<th>Paper</th>");
    expect(html).toContain("<td>0.90</td>"); // the abstract's PCA 2003-2007 figure beside ours
    expect(html).toContain("Survivorship"); // the written account of the differences

    const k = keyNumbers<Key04>(run.notebook);
    expect(k.stocks).toBe(452);
    expect(k.firstDate).toBe("2004-01-02"); // 2003 is the first correlation window
    expect(k.lastDate <= p.end).toBe(true);
    const overlays = p.overlay === "none" ? ["none"] : ["none", `meta-label ${p.overlay}`];
    expect(k.runs.length).toBe(2 * 2 * overlays.length); // (paper's, cost-aware) × (same, next close) × overlays
    for (const r of k.runs) expect(r.sharpeGross).toBeGreaterThan(r.sharpeNet); // costs only hurt
    expect(k.costAware.turnover).toBeLessThan(k.paperBook.turnover); // the penalty trades less
    expect(k.costAware.trades).toBeGreaterThan(0);
    expect(k.book).toBe(`turnover penalty ${p.penalty}${k.overlayUsed ? ` + meta-label ${p.overlay}` : ""}, ${p.fillAt === "close" ? "same close" : "next close"}`);
    // the overlay's verdict follows the stated rule on the out-of-sample rows
    if (p.overlay === "none") expect(k.oos.rows).toEqual([]);
    else {
      expect(k.oos.fits).toBeGreaterThan(0);
      expect(k.oos.rows.length).toBe(4);
      const decisive = k.oos.rows.find((r) => r.book === `turnover penalty ${p.penalty}, ${p.fillAt === "close" ? "same close" : "next close"}`)!;
      expect(k.overlayUsed).toBe(decisive.with > decisive.without && decisive.pValue < 0.05);
    }
    expect(k.verdict.length).toBeGreaterThan(40);
    expect(k.risk.es95).toBeGreaterThanOrEqual(k.risk.var95);
    const a = k.attribution;
    expect(a.factorTotal + a.selectionTotal).toBeCloseTo(a.activeTotal, 9);
    expect(a.models).toContain("ff3");
    expect(Math.abs(a.marketBeta)).toBeLessThan(0.5); // a market-neutral book

    // the tearsheet: where output_dir said, self-contained, with the paper table, the overlay and quantstats
    expect(k.tearsheet).toBe(join(run.dir, "tearsheet.html"));
    expect(existsSync(k.tearsheet)).toBe(true);
    const page = readFileSync(k.tearsheet, "utf8");
    expect(page).toContain(p.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
    expect(page.match(/<script|https?:\/\/(?!www\.w3\.org)[^"'\s]*/)?.[0] ?? null).toBeNull();
    expect((page.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(10);
    for (const h of ["The paper&#39;s figures beside ours", "ML overlay (meta-labelling), out of sample", "quantstats&#39; full report (compared with cash)", "Contribution by group"]) expect(page).toContain(h);

    // the same study from the library
    const prices = (await loadDataset("sp500-2003-2007")).slice({ end: p.end });
    const filters: MetaLabelFilter[] = [];
    const overlay = () => { const f = new MetaLabelFilter(prices, { model: p.overlay as "gbt", positionSize: p.positionSize, threshold: 2 * p.costPerSide }); filters.push(f); return f; };
    const study = runAvellanedaLee(prices, { variants: ["pca-15"], fillAt: ["close", "next-close"], positionSize: p.positionSize, costPerSide: p.costPerSide, ...(p.overlay === "none" ? {} : { overlay }) });
    const start = prices.dates[study.startRow]!;
    const penalised = study.runs.map((r) => backtestWeights(prices, r.targets, { fillAt: r.fillAt, costs: p.costPerSide, rebalancer: turnoverPenalty({ penalty: p.penalty }), start }));
    const lib = [...study.runs.map((r) => r.result), ...penalised];
    expect(lib.length).toBe(k.runs.length);
    lib.forEach((r, i) => {
      expect(k.runs[i]!.sharpeNet).toBeCloseTo(sharpeRatio(r.net), 9);
      expect(k.runs[i]!.sharpeGross).toBeCloseTo(sharpeRatio(r.gross), 9);
    });
    const mainIndex = study.runs.length + study.runs.findIndex((r) => r.fillAt === p.fillAt && (r.overlay !== "none") === k.overlayUsed);
    expect(k.sharpeNet).toBeCloseTo(sharpeRatio(lib[mainIndex]!.net), 9);
    expect(k.risk.var95).toBeCloseTo(valueAtRisk(lib[mainIndex]!.net, { confidence: 0.95 }), 12);
    if (p.overlay !== "none") {
      const f = filters[0]!;
      expect(f.fits.length).toBe(k.oos.fits);
      const k0 = f.fits[0]!.row - study.startRow + 1;
      const t = sharpeDifferenceTest(penalised[2]!.net.subarray(k0), penalised[0]!.net.subarray(k0)); // same close: gated vs plain
      expect(k.oos.rows[2]!.with).toBeCloseTo(t.sharpeA, 9);
      expect(k.oos.rows[2]!.pValue).toBeCloseTo(t.pValue, 9);
    }
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
