/**
 * The reproduction's outputs (issue 17 item 2): summary.json, daily.csv and report.html of a small
 * Avellaneda-Lee study — every summary figure recomputable from daily.csv, the paper's figures and
 * the written differences in the report — and the command line's refusal of an unknown study.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { avellanedaLeeSummary, DIFFERENCES, PAPER_FIGURES, writeAvellanedaLee } from "../../lib/analytics/index.js";
import { runAvellanedaLee } from "../../lib/backtest/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { repoRoot } from "../helpers/python.js";

const html0 = (f: string): string => readFileSync(f, "utf8");

describe("Avellaneda-Lee reproduction files", () => {
  it("splits turnover into stock legs, hedges and rebalancing; without hedges the hedge part is zero", () => {
    const prices = syntheticPairsMarket({ nAssets: 20, nDays: 260, seed: 5 }).prices;
    const study = runAvellanedaLee(prices, { variants: ["pca-15"], fillAt: ["close", "next-close"], correlationWindow: 100, ouWindow: 40, hedge: false });
    for (const r of avellanedaLeeSummary(study).runs) {
      const c = r.turnoverComponents!;
      expect(Math.abs(c.hedges)).toBeLessThan(1e-12);
      expect(c.stockLegs).toBeGreaterThan(0);
      expect(c.costPerYear.stockLegs).toBeCloseTo(c.stockLegs * 0.0005 * 252, 14);
    }
  });

  it("writes summary.json, daily.csv and report.html; the summary's figures come back from daily.csv", async () => {
    const prices = syntheticPairsMarket({ nAssets: 30, nDays: 400, seed: 3 }).prices;
    const sectors = prices.assets.map((_, j) => `S${j % 3}`);
    const study = runAvellanedaLee(prices, { sectors, variants: ["pca-15", "etf"], correlationWindow: 100, ouWindow: 40 });
    const dir = mkdtempSync(join(tmpdir(), "statarb-al-"));
    try {
      const paths = await writeAvellanedaLee(dir, study, { generatedAt: "2026-12-04T00:00:00Z" });
      const summary = JSON.parse(readFileSync(paths.summary, "utf8"));
      expect(summary.runs).toHaveLength(4);
      const csv = readFileSync(paths.daily, "utf8").trim().split("\n");
      expect(csv[0]).toBe("date,variant,execution,construction,gross_return,net_return,turnover,long_exposure,short_exposure,cost");
      const rows = csv.slice(1).map((l) => l.split(",")).filter((c) => c[1] === "etf" && c[2] === "next-close");
      const net = rows.map((c) => Number(c[5]));
      const m = net.reduce((s, x) => s + x, 0) / net.length;
      const sd = Math.sqrt(net.reduce((s, x) => s + (x - m) ** 2, 0) / (net.length - 1));
      const run = summary.runs.find((r: { variant: string; fillAt: string }) => r.variant === "etf" && r.fillAt === "next-close");
      expect((m / sd) * Math.sqrt(252)).toBeCloseTo(run.whole.net.sharpeRatio, 6);
      const turnover = rows.reduce((s, c) => s + Number(c[6]), 0) / rows.length;
      expect(turnover).toBeCloseTo(run.whole.turnover, 8);
      expect(run.years.length).toBeGreaterThan(0);
      expect(run.roundTrips.count).toBeGreaterThan(0);
      const c = run.turnoverComponents;
      expect(c.stockLegs + c.hedges + c.rebalancing).toBeCloseTo(run.whole.turnover, 12);
      expect(c.stockLegs).toBeGreaterThan(0);
      expect(html0(paths.report)).toContain("Turnover and cost by component");
      const html = readFileSync(paths.report, "utf8");
      for (const p of PAPER_FIGURES) expect(html).toContain(p.sharpe.toFixed(2));
      for (const [h] of DIFFERENCES) expect(html).toContain(h);
      expect(html).toContain("Round trips");
      expect(html).not.toMatch(/<script/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the command line refuses an unknown study and an unknown option", () => {
    const run = (...args: string[]) => {
      try {
        execFileSync("node", [join(repoRoot, "bin/statarb.js"), ...args], { encoding: "utf8", stdio: "pipe" });
        return "";
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
    };
    expect(run("reproduce", "fama-french")).toMatch(/unknown study "fama-french"; known: avellaneda-lee/);
    expect(run("reproduce", "avellaneda-lee", "--fast")).toMatch(/unknown option --fast/);
  });
});
