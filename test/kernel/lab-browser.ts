/**
 * The headless-Chromium JupyterLab harness of the browser suites (jupyterlab-debugger, jupyterlab-widgets):
 * a real `jupyter lab` (.venv) on a free loopback port serving a temporary folder of notebooks on the
 * statarb kernel, and Debian's Chromium (playwright-core) whose every request that is not to that
 * server is aborted and recorded (closed network). Waits are long: on this shared 2-core machine
 * JupyterLab's first load alone can take a minute.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from "../helpers/browser.js";
import { ensureKernelInstalled, jupyterMissing, repoRoot } from "./helpers.js";

/** Why the browser suites cannot run here (undefined when they can). */
export function labMissing(): string | undefined {
  return jupyterMissing() ?? (hasChromium() ? undefined : "skipped: no /usr/bin/chromium");
}

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

/** A notebook (nbformat 4) on the statarb kernel with one code cell per source. */
export function statarbNotebook(cells: readonly string[]): object {
  return {
    cells: cells.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "TypeScript (statarb)", language: "typescript", name: "statarb" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/**
 * Runs the notebook's `index`-th cell (click into it, Ctrl+Enter) until its prompt shows that it ran or
 * runs (`[*]`, `[n]`): on a loaded machine the first keypress can land before the page is ready.
 */
export async function runCell(page: Page, index: number, timeoutMs = 120_000): Promise<void> {
  const cell = page.locator(".jp-Notebook .jp-Cell").nth(index);
  const prompt = cell.locator(".jp-InputArea-prompt").first();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await cell.locator(".cm-content").first().click();
    await page.keyboard.press("Control+Enter");
    for (let i = 0; i < 30 && Date.now() < deadline; i++) {
      if (/\[(\*|\d+)\]/.test(await prompt.innerText().catch(() => ""))) return;
      await page.waitForTimeout(500);
    }
  }
  throw new Error(`cell ${index} did not start running within ${timeoutMs} ms`);
}

export interface LabSession {
  readonly port: number;
  /** A page whose requests off the server are aborted; `external` lists them. */
  newPage(): Promise<{ page: Page; external: string[] }>;
  /** `lab/tree/<name>` of the session's server. */
  url(name: string): string;
  close(): Promise<void>;
}

/** Starts JupyterLab on a temporary folder holding `notebooks` (file name → notebook) and a browser. */
export async function startLabSession(notebooks: Record<string, object>): Promise<LabSession> {
  await ensureKernelInstalled({ sources: ["kernel", "lib"] });
  const root = mkdtempSync(join(tmpdir(), "statarb-lab-"));
  for (const [name, nb] of Object.entries(notebooks)) writeFileSync(join(root, name), JSON.stringify(nb));
  mkdirSync(join(repoRoot, "out"), { recursive: true });
  let lab: ChildProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (lab) {
      const l = lab;
      const exited = new Promise((r) => l.once("exit", r));
      l.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (l.exitCode === null) l.kill("SIGKILL");
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    lab = await startLab(root, port);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const b = browser;
    return {
      port,
      url: (name) => `http://127.0.0.1:${port}/lab/tree/${name}`,
      close,
      async newPage() {
        const page = await b.newPage({ viewport: { width: 1400, height: 900 } });
        const external: string[] = [];
        await page.route("**/*", (route) => {
          const url = route.request().url();
          if (url.startsWith(`http://127.0.0.1:${port}/`) || url.startsWith(`ws://127.0.0.1:${port}/`) || url.startsWith("data:")) return route.continue();
          external.push(url);
          return route.abort();
        });
        return { page, external };
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}
