/**
 * Runs the research notebooks headless the way CI and `npm run demo` do — papermill on the `statarb`
 * kernel from `.venv`, with the notebook folder as the working directory — and reads their outputs.
 *
 * Concurrency is bounded across every vitest worker (2 slots, `mkdir`-based locks under the OS temp
 * folder), because each run is a kernel process plus a papermill process on a shared 2-core machine.
 */
import { execa } from "execa";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { retryPortRace } from "../helpers/port-race.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const notebooksDir = join(repoRoot, "notebooks");
const venvBin = join(repoRoot, ".venv", "bin");
export const papermillBin = join(venvBin, "papermill");
export const jupyterBin = join(venvBin, "jupyter");
/** The offline HTML template (no CDN scripts) used by scripts/demo and these tests. */
export const templateDir = join(notebooksDir, "nbconvert");
export const TEMPLATE = "statarb-offline";

/** PATH and JUPYTER_PATH so papermill finds the kernelspec installed into `.venv` (before any the caller set). */
export function notebookEnvVars(): Record<string, string> {
  const jupyterPath = [join(repoRoot, ".venv", "share", "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(":");
  return {
    PATH: `${venvBin}:${process.env.PATH ?? ""}`,
    JUPYTER_PATH: jupyterPath,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
}

let envCache: { ok: boolean; reason: string } | undefined;
/** Whether papermill and the `statarb` kernelspec are installed (scripts/setup installs both). */
export function notebookEnvironment(): { ok: boolean; reason: string } {
  if (envCache) return envCache;
  if (!existsSync(papermillBin)) return (envCache = { ok: false, reason: `no ${papermillBin} (run: bash scripts/setup)` });
  const r = spawnSync(jupyterBin, ["kernelspec", "list", "--json"], { env: { ...process.env, ...notebookEnvVars() }, encoding: "utf8" });
  if (r.status !== 0) return (envCache = { ok: false, reason: `jupyter kernelspec list failed: ${r.stderr.trim().split("\n").pop()}` });
  const specs = (JSON.parse(r.stdout) as { kernelspecs: Record<string, unknown> }).kernelspecs;
  if (!("statarb" in specs)) return (envCache = { ok: false, reason: "the statarb kernelspec is not installed in .venv (run: node bin/statarb.js kernel install --prefix .venv)" });
  const dist = join(repoRoot, "dist", "lib", "index.js");
  if (!existsSync(dist)) return (envCache = { ok: false, reason: "dist/ is not built (run: npx tsc -p tsconfig.build.json)" });
  return (envCache = { ok: true, reason: "" });
}

// ---- bounded concurrency across processes -------------------------------------------------------
const SLOTS = 2;
const slotRoot = join(tmpdir(), "statarb-notebook-slots");

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tryAcquire(i: number): string | undefined {
  const dir = join(slotRoot, `slot-${i}`);
  try {
    mkdirSync(dir);
  } catch {
    // Held: reclaim it when its owner died without releasing.
    try {
      const pid = Number(readFileSync(join(dir, "pid"), "utf8"));
      if (pid > 0 && !alive(pid)) rmSync(dir, { recursive: true, force: true });
    } catch {
      /* being created or released right now */
    }
    return undefined;
  }
  writeFileSync(join(dir, "pid"), String(process.pid));
  return dir;
}

/** Runs `fn` while holding one of the machine-wide notebook slots. */
export async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(slotRoot, { recursive: true });
  let held: string | undefined;
  while (held === undefined) {
    for (let i = 0; i < SLOTS && held === undefined; i++) held = tryAcquire(i);
    if (held === undefined) await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await fn();
  } finally {
    rmSync(held, { recursive: true, force: true });
  }
}

// ---- notebook JSON -------------------------------------------------------------------------------
export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; [k: string]: unknown };
  outputs?: NotebookOutput[];
}
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
}

export const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

export function codeOutputs(nb: Notebook): NotebookOutput[] {
  return nb.cells.filter((c) => c.cell_type === "code").flatMap((c) => c.outputs ?? []);
}

/** Error outputs with their message and traceback, readable in a test failure. */
export function errorOutputs(nb: Notebook): string[] {
  return codeOutputs(nb)
    .filter((o) => o.output_type === "error")
    .map((o) => `${o.ename}: ${o.evalue}\n${(o.traceback ?? []).join("\n").replace(/\x1b\[[0-9;]*m/g, "")}`);
}

/** Rich outputs (display_data / execute_result) carrying `mime`. */
export function outputsWithMime(nb: Notebook, mime: string): string[] {
  return codeOutputs(nb)
    .filter((o) => (o.output_type === "display_data" || o.output_type === "execute_result") && o.data && mime in o.data)
    .map((o) => {
      const v = (o.data as Record<string, unknown>)[mime];
      return typeof v === "string" ? v : Array.isArray(v) ? v.join("") : JSON.stringify(v);
    });
}

/** Charts: `image/svg+xml` outputs plus HTML figures (Plot figures with legends) holding an `<svg`. */
export function chartCount(nb: Notebook): { svg: number; htmlFigures: number } {
  const svg = outputsWithMime(nb, "image/svg+xml").filter((s) => s.includes("<svg")).length;
  const htmlFigures = outputsWithMime(nb, "text/html").filter((h) => /^\s*<figure/.test(h) && h.includes("<svg")).length;
  return { svg, htmlFigures };
}

/** HTML tables: `text/html` outputs holding a `<table`. */
export function tableCount(nb: Notebook): number {
  return outputsWithMime(nb, "text/html").filter((h) => h.includes("<table")).length;
}

/** The key numbers a notebook emits with `display.json(...)` in its last code cell. */
export function keyNumbers<T = Record<string, unknown>>(nb: Notebook): T {
  const json = codeOutputs(nb).filter((o) => o.data && "application/json" in o.data);
  const last = json[json.length - 1];
  if (last === undefined) throw new Error("the notebook emitted no application/json output (its last cell calls display.json)");
  const v = (last.data as Record<string, unknown>)["application/json"];
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

/** All stream text (stdout and stderr) of the notebook. */
export function streamText(nb: Notebook): string {
  return codeOutputs(nb)
    .filter((o) => o.output_type === "stream")
    .map((o) => joinText(o.text))
    .join("");
}

// ---- running -------------------------------------------------------------------------------------
export interface NotebookRun {
  notebook: Notebook;
  /** The executed notebook on disk. */
  path: string;
  /** A scratch folder for this run (the notebook, exports, files it wrote). */
  dir: string;
  exitCode: number;
  stderr: string;
  seconds: number;
}

/**
 * Executes `notebooks/<name>.ipynb` with papermill (`-k statarb --cwd notebooks`) and `parameters`
 * (JSON, passed with `-y`, so lists and objects keep their types; a function receives the run's scratch
 * folder, for notebooks that write files). The executed notebook is read even when papermill fails,
 * so the failing cell's error is in `notebook`.
 */
export async function runNotebook(
  name: string,
  parameters: Record<string, unknown> | ((runDir: string) => Record<string, unknown>),
  options: { timeoutMs?: number } = {},
): Promise<NotebookRun> {
  const dir = mkdtempSync(join(tmpdir(), `statarb-nb-${name}-`));
  const path = join(dir, `${name}.ipynb`);
  const params = typeof parameters === "function" ? parameters(dir) : parameters;
  return withSlot(async () => {
    const t0 = Date.now();
    const r = await retryPortRace(
      () =>
        execa(papermillBin, [join(notebooksDir, `${name}.ipynb`), path, "-k", "statarb", "--cwd", notebooksDir, "-y", JSON.stringify(params), "--log-level", "WARNING"], {
          env: notebookEnvVars(),
          reject: false,
          timeout: options.timeoutMs ?? 170_000,
          all: false,
        }),
      (res) => (res.exitCode === 0 ? null : res.stderr),
    );
    const seconds = (Date.now() - t0) / 1000;
    if (!existsSync(path)) throw new Error(`papermill wrote no notebook for ${name} (exit ${r.exitCode}):\n${r.stderr}`);
    const notebook = JSON.parse(readFileSync(path, "utf8")) as Notebook;
    return { notebook, path, dir, exitCode: r.exitCode ?? -1, stderr: r.stderr, seconds };
  });
}

/** Exports an executed notebook to HTML with the offline template; returns the HTML file's path. */
export async function exportHtml(ipynb: string, outDir: string): Promise<string> {
  await execa(jupyterBin, ["nbconvert", "--to", "html", "--template", TEMPLATE, `--TemplateExporter.extra_template_basedirs=${templateDir}`, "--log-level", "WARN", "--output-dir", outDir, ipynb], {
    env: notebookEnvVars(),
  });
  return join(outDir, ipynb.replace(/^.*\//, "").replace(/\.ipynb$/, ".html"));
}

/** Common checks of any run: papermill succeeded, no cell produced an error output or wrote to stderr. */
export function assertClean(run: NotebookRun): void {
  const errors = errorOutputs(run.notebook);
  if (errors.length > 0) throw new Error(`error outputs in ${run.path}:\n${errors.join("\n---\n")}`);
  if (run.exitCode !== 0) throw new Error(`papermill exited ${run.exitCode} on ${run.path}:\n${run.stderr.slice(-4000)}`);
  const stderr = codeOutputs(run.notebook)
    .filter((o) => o.output_type === "stream" && o.name === "stderr")
    .map((o) => joinText(o.text));
  if (stderr.length > 0) throw new Error(`stderr output in ${run.path} (warnings belong fixed, not printed):\n${stderr.join("").slice(0, 2000)}`);
}

/** Removes a run's scratch folder (call it when the checks passed; a failed run's folder is kept to inspect). */
export function removeRun(run: NotebookRun): void {
  rmSync(run.dir, { recursive: true, force: true });
}

/** Per-test timeout: one papermill run, waiting for a slot included, on a loaded 2-core machine. */
export const NOTEBOOK_TIMEOUT_MS = 200_000;
