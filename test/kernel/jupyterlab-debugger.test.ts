/**
 * JupyterLab's debugger panel on a statarb notebook, in Debian's headless Chromium (playwright-core):
 * a real `jupyter lab` (.venv) on a free loopback port, the notebook's debugger switched on from its
 * toolbar, a breakpoint set by clicking the cell's gutter, the cell run: JupyterLab shows it paused on
 * that line, the call stack names the cell's file, the Globals scope shows the variable's value; then
 * Continue, and the cell finishes with its result. Screenshot of the paused notebook:
 * out/jupyterlab-debugger.png. Every request that is not to the server is aborted (closed network).
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers.js";
import { labMissing, type LabSession, startLabSession, statarbNotebook } from "./lab-browser.js";

const missing = labMissing();
const CELL = ["let total = 0;", "total = 40 + 2;", "const after = total * 2;", "after"];

/** Clicks the breakpoint gutter of the cell's `line` (1-based). */
async function clickGutter(page: Page, line: number): Promise<void> {
  const numbers = page.locator(".jp-Cell .cm-lineNumbers .cm-gutterElement", { hasText: new RegExp(`^${line}$`) });
  const row = await numbers.first().boundingBox();
  const gutter = await page.locator(".jp-Cell .cm-breakpoint-gutter").first().boundingBox();
  if (!row || !gutter) throw new Error("no gutter");
  await page.mouse.click(gutter.x + gutter.width / 2, row.y + row.height / 2);
}

/**
 * Clicks line `line`'s breakpoint gutter until the editor shows a marker there. Under load JupyterLab can
 * re-lay out the cell while the debugger sidebar opens, so a click measured before that lands beside the
 * gutter; a second click on a set marker would remove it, so the marker is looked for before each retry
 * (CodeMirror's hidden spacer element, which also holds the icon, is not a marker).
 */
async function setGutterBreakpoint(page: Page, line: number): Promise<void> {
  const markers = page.locator('.jp-Cell .cm-breakpoint-gutter .cm-gutterElement:not(:empty):not([style*="visibility: hidden"])');
  for (let attempt = 0; attempt < 5 && (await markers.count()) === 0; attempt++) {
    await clickGutter(page, line);
    await expect.poll(() => markers.count(), { timeout: 10_000 }).toBeGreaterThan(0).catch(() => undefined);
  }
}

describe.skipIf(missing !== undefined)(`JupyterLab's debugger in headless Chromium ${missing ?? ""}`, () => {
  let lab: LabSession | undefined;

  beforeAll(async () => {
    lab = await startLabSession({ "debug.ipynb": statarbNotebook([CELL.join("\n")]) });
  });

  afterAll(async () => {
    await lab?.close();
  });

  it("sets a gutter breakpoint, stops there with the variable's value in the panel, and continues", async () => {
    const { page, external } = await lab!.newPage();
    await page.goto(lab!.url("debug.ipynb"));
    await page.locator(".jp-DebuggerBugButton:not(.disabled)").first().waitFor({ timeout: 120_000 });
    await page.locator(".jp-DebuggerBugButton").first().click();
    await page.locator(".jp-Cell .cm-breakpoint-gutter").first().waitFor({ timeout: 120_000 });
    await setGutterBreakpoint(page, 2);
    await page.locator("#jp-debugger-sidebar .jp-DebuggerBreakpoint").first().waitFor({ timeout: 90_000 });
    await page.locator(".jp-Cell .cm-content").first().click();
    await page.keyboard.press("Control+Enter");

    // paused on line 2 of the cell: the line is marked, the call stack names the cell's file
    const callstack = page.locator("#jp-debugger-sidebar .jp-DebuggerCallstackFrame").first();
    await callstack.waitFor({ timeout: 120_000 });
    const frameText = await callstack.innerText();
    expect(frameText).toMatch(/statarb_debug_\d+\/\d+\.ts:2/);
    await expect.poll(() => page.locator(".jp-Cell .cm-line.jp-DebuggerEditor-highlight, .jp-Cell .jp-DebuggerEditor-highlight").count(), { timeout: 90_000 }).toBeGreaterThan(0);
    const variables = page.locator("#jp-debugger-sidebar .jp-DebuggerVariables-body:not(.lm-mod-hidden)").first();
    await expect.poll(() => variables.innerText(), { timeout: 90_000 }).toMatch(/total[\s\S]*\b0\b/).catch(async (err: unknown) => {
      await page.screenshot({ path: join(repoRoot, "out", "jupyterlab-debugger-failed.png") });
      throw new Error(`${String(err)}\npanel: ${await page.locator("#jp-debugger-sidebar").innerText()}`);
    });
    await page.screenshot({ path: join(repoRoot, "out", "jupyterlab-debugger.png") });

    await page.locator("#jp-debugger-sidebar button[title^='Continue'], #jp-debugger-sidebar jp-button[title^='Continue']").first().click();
    const output = page.locator(".jp-Cell .jp-OutputArea-output").first();
    await expect.poll(() => output.innerText().catch(() => ""), { timeout: 120_000 }).toContain("84");
    expect(external).toEqual([]);
    await page.close();
  }, 420_000);
});
