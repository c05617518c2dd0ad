/**
 * The browser check: the demo notebook's HTML export (nbconvert, offline template) and the tearsheet
 * it writes open in headless Chromium with no console or page errors and no network access, every
 * chart of the notebook is on the page and painted, and full-page screenshots go to out/ for review
 * (out/browser-04_end_to_end.png, out/browser-tearsheet.png).
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchBrowser, type Browser } from "../helpers/browser.js";
import { assertClean, chartCount, exportHtml, notebookEnvironment, removeRun, repoRoot, runNotebook, type NotebookRun } from "./harness.js";

const env = notebookEnvironment();
const reason = !env.ok ? env.reason : !hasChromium() ? "no /usr/bin/chromium (Debian package chromium; bash scripts/setup)" : "";
const outDir = join(repoRoot, "out");

/** Charts painted on the page: SVG images that decoded, and inline Plot SVGs with a non-empty box. */
async function paintedCharts(page: Page, scope: string): Promise<{ images: number; inline: number; broken: number }> {
  return page.evaluate((sel) => {
    let images = 0, inline = 0, broken = 0;
    for (const img of Array.from(document.querySelectorAll<HTMLImageElement>(`${sel} img[src^="data:image/svg+xml"]`))) {
      if (img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0) images++;
      else broken++;
    }
    for (const svg of Array.from(document.querySelectorAll<SVGSVGElement>(`${sel} svg[class^="plot-"]`))) {
      const box = svg.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && svg.querySelector("g") !== null) inline++;
      else broken++;
    }
    return { images, inline, broken };
  }, scope);
}

describe.skipIf(reason !== "")(`browser check of the exported notebook and the tearsheet${reason ? ` (skipped: ${reason})` : ""}`, () => {
  let run: NotebookRun;
  let notebookHtml: string;
  let tearsheetHtml: string;
  let browser: Browser;

  beforeAll(async () => {
    run = await runNotebook("04_end_to_end", (dir) => ({ output_dir: dir, end: "2004-06-30" })); // the demo on half a year: same cells, seconds not a minute
    assertClean(run);
    notebookHtml = await exportHtml(run.path, run.dir);
    tearsheetHtml = join(run.dir, "tearsheet.html");
    mkdirSync(outDir, { recursive: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (run !== undefined) removeRun(run);
  });

  it("the notebook's HTML export shows every chart, offline, without errors", async () => {
    const expected = chartCount(run.notebook);
    let painted = { images: 0, inline: 0, broken: 0 };
    let tables = 0;
    const report = await browser.open(notebookHtml, async (page) => {
      painted = await paintedCharts(page, ".jp-OutputArea-output");
      tables = await page.locator(".jp-OutputArea-output table").count();
      await page.screenshot({ path: join(run.dir, "browser-04_end_to_end.png"), fullPage: true });
    });
    copyFileSync(join(run.dir, "browser-04_end_to_end.png"), join(outDir, "browser-04_end_to_end.png"));
    expect(report.consoleErrors).toEqual([]);
    expect(report.pageErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
    expect(report.failedRequests).toEqual([]);
    expect(painted.broken).toBe(0);
    expect(painted.images).toBe(expected.svg);
    expect(painted.inline).toBe(expected.htmlFigures);
    expect(painted.images + painted.inline).toBeGreaterThanOrEqual(3);
    expect(tables).toBeGreaterThanOrEqual(3);
  });

  it("the tearsheet shows every chart section, offline, without errors", async () => {
    let sections = 0;
    let painted = { images: 0, inline: 0, broken: 0 };
    let title = "";
    const report = await browser.open(tearsheetHtml, async (page) => {
      sections = await page.locator("section.sa-chart").count();
      painted = await paintedCharts(page, "section.sa-chart");
      title = await page.title();
      await page.screenshot({ path: join(run.dir, "browser-tearsheet.png"), fullPage: true });
    });
    copyFileSync(join(run.dir, "browser-tearsheet.png"), join(outDir, "browser-tearsheet.png"));
    expect(report.consoleErrors).toEqual([]);
    expect(report.pageErrors).toEqual([]);
    expect(report.externalRequests).toEqual([]);
    expect(title).toContain("Avellaneda–Lee stat-arb");
    expect(sections).toBeGreaterThanOrEqual(8); // equity, drawdown, rolling Sharpe, beta, heatmap, histogram, exposure, turnover, costs
    expect(painted.broken).toBe(0);
    expect(painted.inline).toBe(sections);
  });
});
