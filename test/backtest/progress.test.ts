/** onProgress on long calls, and progressBar drawing to a stream or to the kernel's display sink. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { monteCarloStrategy, StatArbBacktester, walkForwardOptimize } from "../../lib/backtest/index.js";
import { type Progress, progressBar } from "../../lib/data/index.js";
import { walkForward } from "../../lib/signals/index.js";
import { reversalScores, syntheticMarket } from "./market.js";

function collect(): { reports: Progress[]; cb: (p: Progress) => void } {
  const reports: Progress[] = [];
  return { reports, cb: (p) => reports.push(p) };
}

function increasingTo(reports: readonly Progress[], total: number): void {
  expect(reports.length).toBeGreaterThan(0);
  for (let k = 1; k < reports.length; k++) expect(reports[k]!.done).toBeGreaterThan(reports[k - 1]!.done);
  expect(reports.at(-1)).toMatchObject({ done: total, total });
}

describe("onProgress", () => {
  const mkt = syntheticMarket(10, 420, 5);

  it("walkForwardOptimize reports every evaluation: folds × (grid + 1)", async () => {
    const { reports, cb } = collect();
    const evaluate = (p: Record<string, unknown>, w: { start: string; end: string }) =>
      new StatArbBacktester({ data: mkt.prices, startDate: w.start, endDate: w.end }).runBacktest({ scores: reversalScores(mkt.prices, p.lookback as number) });
    const wf = await walkForwardOptimize({ dates: mkt.prices.dates, grid: { lookback: [2, 5] }, evaluate, trainDays: 200, testDays: 100, startRow: 10, onProgress: cb });
    increasingTo(reports, wf.folds.length * 3);
    expect(reports[0]).toMatchObject({ task: "walkForwardOptimize", unit: "evaluations" });
    await expect(walkForwardOptimize({ dates: mkt.prices.dates, grid: { lookback: [2] }, evaluate, trainDays: 200, testDays: 100, onProgress: 3 as never })).rejects.toThrow(/onProgress must be a function, got 3/);
  });

  it("Monte Carlo reports paths (at most ~100 calls) and gives the same result as without", async () => {
    const r = await new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01" }).runBacktest({ scores: reversalScores(mkt.prices) });
    const { reports, cb } = collect();
    const a = monteCarloStrategy(r, { simulations: 500, seed: 3, onProgress: cb });
    increasingTo(reports, 500);
    expect(reports.length).toBeLessThanOrEqual(101);
    expect(a).toEqual(monteCarloStrategy(r, { simulations: 500, seed: 3 }));
  });

  it("signals' walkForward reports scored dates", async () => {
    const { reports, cb } = collect();
    const model = { name: "last-return", params: {}, fit: () => {}, predict: (v: { columns: readonly Float64Array[] }) => Float64Array.from(v.columns, (c) => c[c.length - 1]! - c[c.length - 2]!) };
    const out = await walkForward(model, mkt.prices, { trainWindow: 100, retrainEvery: 50, onProgress: cb });
    increasingTo(reports, out.lastRow - out.firstRow + 1);
  });
});

describe("progressBar", () => {
  const report = (done: number): Progress => ({ task: "job", done, total: 20, unit: "steps" });

  it("writes the first report and a line per tenth to a stream that is not a terminal, and takes runBacktest's (day, days) form", () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (c, _e, next) => (chunks.push(String(c)), next()) }) as unknown as NodeJS.WriteStream;
    const bar = progressBar({ stream });
    for (let d = 1; d <= 20; d++) bar(report(d));
    const lines = chunks.join("").trimEnd().split("\n");
    expect(lines.length).toBe(11);
    expect(lines[0]).toMatch(/^job █░{23}\s+5% 1\/20 steps\s+\d/);
    expect(lines[1]).toMatch(/^job █{2}░{22}\s+10% 2\/20 steps\s+\d/);
    expect(lines.at(-1)).toMatch(/^job █{24}\s+100% 20\/20 steps/);
    chunks.length = 0;
    bar(5, 10, 0);
    expect(chunks.join("")).toMatch(/^runBacktest █{12}░{12}\s+50% 5\/10 days/);
  });

  it("inside the kernel draws into the registered sink (one display updated in place)", () => {
    const seen: string[] = [];
    let closed = 0;
    const key = Symbol.for("statarb.progress");
    (globalThis as Record<symbol, unknown>)[key] = () => ({ update: (_p: Progress, text: string, html: string) => seen.push(`${text}|${html}`), close: () => closed++ });
    try {
      const bar = progressBar();
      for (let d = 1; d <= 20; d++) bar(report(d));
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
    expect(seen.length).toBe(20);
    expect(seen.at(-1)).toMatch(/<progress value="1.0000" max="1"/);
    expect(closed).toBe(1);
  });
});
