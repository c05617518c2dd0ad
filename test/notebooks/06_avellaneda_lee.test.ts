/**
 * notebooks/06_avellaneda_lee under papermill on a short span (the correlation window plus ~40 trading
 * days of 2004, all 452 stocks) so it runs in seconds: clean run, the paper's table, the runs' table, a
 * chart, the no-trade band's turnover below the plain book's, and the three output files written.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertClean, chartCount, keyNumbers, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();

interface Key06 {
  stocks: number;
  days: number;
  from: string;
  runs: { variant: string; fillAt: string; sharpeGross: number; sharpeNet: number; turnover: number; positions: number }[];
  bandTurnover: number;
  files: { summary: string; daily: string; report: string };
}

describe.skipIf(!env.ok)(`notebook 06_avellaneda_lee${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it("runs the paper's three strategies on the 452 stocks and sets the paper's figures beside ours", async () => {
    const run = await runNotebook("06_avellaneda_lee", (dir) => ({ output_dir: join(dir, "out"), end: "2004-02-27" }), { timeoutMs: 300_000 });
    assertClean(run);
    expect(chartCount(run.notebook).svg + chartCount(run.notebook).htmlFigures).toBeGreaterThanOrEqual(1);
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(3);
    const k = keyNumbers<Key06>(run.notebook);
    expect(k.stocks).toBe(452);
    expect(k.from).toBe("2004-01-02"); // row 252: 2003 has 252 trading days, the first correlation window
    expect(k.runs.map((r) => `${r.variant}/${r.fillAt}`)).toEqual(["pca-15/close", "pca-15/next-close", "pca-55/close", "pca-55/next-close", "etf/close", "etf/next-close"]);
    for (const r of k.runs) expect(r.positions).toBeGreaterThan(20);
    expect(k.bandTurnover).toBeLessThan(k.runs[0]!.turnover);
    for (const f of Object.values(k.files)) expect(existsSync(f)).toBe(true);
    removeRun(run);
  }, 320_000);
});
