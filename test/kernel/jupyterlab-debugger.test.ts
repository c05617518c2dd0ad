/**
 * JupyterLab's debugger panel on a statarb notebook, in Debian's headless Chromium (playwright-core):
 * a real `jupyter lab` (.venv) on a free loopback port, the notebook's debugger switched on from its
 * toolbar, a breakpoint set by clicking the cell's gutter, the cell run: JupyterLab shows it paused on
 * that line, the call stack names the cell's file, the Globals scope shows the variable's value; then
 * Continue, and the cell finishes with its result. Screenshot of the paused notebook:
 * out/jupyterlab-debugger.png. Every request that is not to the server is aborted (closed network).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from "../helpers/browser.js";
import { ensureKernelInstalled, jupyterMissing, repoRoot } from "./helpers.js";

const missing = jupyterMissing() ?? (hasChromium() ? undefined : "skipped: no /usr/bin/chromium");
const CELL = ["let total = 0;", "total = 40 + 2;", "const after = total * 2;", "after"];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function startLab(root: string, port: number): Promise<ChildProcess> {
  const args = ["lab", "--allow-root", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True", `--ServerApp.root_dir=${root}`];
  args.push("--LabApp.news_url=None", "--LabApp.extension_manager=readonly", `--LabApp.workspaces_dir=${join(root, ".ws")}`, `--LabApp.user_settings_dir=${join(root, ".settings")}`);
  const lab = spawn(join(repoRoot, ".venv", "bin", "jupyter"), args, { cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, JUPYTER_CONFIG_DIR: join(root, ".config"), JUPYTER_RUNTIME_DIR: join(root, ".runtime") } });
  let log = "";
  lab.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  for (let i = 0; i < 240; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/status`).then((r) => r.ok, () => false);
    if (ok) return lab;
    if (lab.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  lab.kill();
  throw new Error(`jupyter lab did not start: ${log}`);
}

/** Clicks the breakpoint gutter of the cell's `line` (1-based). */
async function clickGutter(page: Page, line: number): Promise<void> {
  const numbers = page.locator(".jp-Cell .cm-lineNumbers .cm-gutterElement", { hasText: new RegExp(`^${line}$`) });
  const row = await numbers.first().boundingBox();
  const gutter = await page.locator(".jp-Cell .cm-breakpoint-gutter").first().boundingBox();
  if (!row || !gutter) throw new Error("no gutter");
  await page.mouse.click(gutter.x + gutter.width / 2, row.y + row.height / 2);
}

describe.skipIf(missing !== undefined)(`JupyterLab's debugger in headless Chromium ${missing ?? ""}`, () => {
  let root: string;
  let lab: ChildProcess | undefined;
  let browser: Browser | undefined;
  let port: number;

  beforeAll(async () => {
    await ensureKernelInstalled();
    // (the waits below are long: on this shared 2-core machine JupyterLab's first load alone can take a minute)
    root = mkdtempSync(join(tmpdir(), "statarb-lab-"));
    const nb = { cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: CELL.join("\n") }], metadata: { kernelspec: { display_name: "TypeScript (statarb)", language: "typescript", name: "statarb" } }, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(join(root, "debug.ipynb"), JSON.stringify(nb));
    port = await freePort();
    lab = await startLab(root, port);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (lab) {
      const exited = new Promise((r) => lab?.once("exit", r));
      lab.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (lab.exitCode === null) lab.kill("SIGKILL");
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("sets a gutter breakpoint, stops there with the variable's value in the panel, and continues", async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    const external: string[] = [];
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(`http://127.0.0.1:${port}/`) || url.startsWith(`ws://127.0.0.1:${port}/`) || url.startsWith("data:")) return route.continue();
      external.push(url);
      return route.abort();
    });
    mkdirSync(join(repoRoot, "out"), { recursive: true });
    await page.goto(`http://127.0.0.1:${port}/lab/tree/debug.ipynb`);
    await page.locator(".jp-DebuggerBugButton:not(.disabled)").first().waitFor({ timeout: 120_000 });
    await page.locator(".jp-DebuggerBugButton").first().click();
    await page.locator(".jp-Cell .cm-breakpoint-gutter").first().waitFor({ timeout: 120_000 });
    await clickGutter(page, 2);
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
