/**
 * Runs one sweep: `python -m statarb_sweep` (the .venv's Python; Ray and MLflow live there) with the spec
 * on stdin and its progress events as JSON lines on file descriptor 3, then writes sweep.html from the
 * sweep.json it left. The driver runs in its own process group, so a terminal's Ctrl-C reaches only this
 * process, which forwards one SIGINT and waits for the driver to cancel its tasks and stop Ray; the
 * driver asks the OS for SIGTERM should this process die first.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type SweepOptions, statarbRoot, sweepSpec } from "./options.js";
import type { SweepDocument, SweepEvent } from "./types.js";

export interface RunSweepHooks {
  /** Called with every progress event of the driver. */
  onEvent?: (e: SweepEvent) => void;
  /** Aborting cancels the sweep (as Ctrl-C does). */
  signal?: AbortSignal;
  /** Lines the driver writes on stderr (default: kept and reported when it fails). */
  onStderr?: (line: string) => void;
}

/** What a sweep left: its sweep.json, the report path, the exit code of the driver. */
export interface SweepOutcome {
  readonly document: SweepDocument | undefined;
  readonly jsonPath: string;
  readonly htmlPath: string | undefined;
  readonly exitCode: number;
  readonly cancelled: boolean;
}

/** The Python of the project's .venv (or $STATARB_PYTHON). */
export function sweepPython(root: string = statarbRoot()): string {
  const p = process.env.STATARB_PYTHON ?? join(root, ".venv", "bin", "python");
  if (!existsSync(p)) throw new Error(`statarb sweep: ${p} is missing; run bash scripts/setup (it installs Ray, MLflow and kernel/sweep into .venv)`);
  return p;
}

/** Refusals of the driver (bad -p, unknown parameter) are errors before anything started. */
export class SweepRefused extends RangeError {
  override name = "SweepRefused";
}

export async function runSweep(options: SweepOptions, hooks: RunSweepHooks = {}): Promise<SweepOutcome> {
  const { spec, out, metric, axes } = sweepSpec(options);
  const python = sweepPython(spec.root as string);
  const child = spawn(python, ["-m", "statarb_sweep", "--events-fd", "3"], {
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    detached: true,
    env: { ...process.env, PYTHONUNBUFFERED: "1", STATARB_ROOT: spec.root as string },
  });
  child.stdin.end(JSON.stringify(spec));
  // sweep.html's code (lib/plot, ≈ 0.3 CPU-s to import) and its jsdom (≈ 1 CPU-s) load once the driver has
  // accepted the grid, while it starts MLflow and Ray, instead of before the driver starts and after the last run
  const report = import("./report.js");
  report.catch(() => undefined);
  const warm = () => setTimeout(() => void report.then((r) => r.warmReport()).catch(() => undefined), 0);
  let refused: string | undefined;
  let cancelled = false;
  const stderr: string[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on("line", (l) => (hooks.onStderr ? hooks.onStderr(l) : stderr.push(l)));
  const events = child.stdio[3] as NodeJS.ReadableStream;
  createInterface({ input: events }).on("line", (line) => {
    let e: SweepEvent;
    try {
      e = JSON.parse(line) as SweepEvent;
    } catch {
      return;
    }
    if (e.event === "refused") refused = e.message;
    if (e.event === "accepted") warm();
    if (e.event === "done" && e.cancelled) cancelled = true;
    hooks.onEvent?.(e);
  });
  const cancel = () => {
    cancelled = true;
    if (child.exitCode === null) child.kill("SIGINT");
  };
  hooks.signal?.addEventListener("abort", cancel, { once: true });
  if (hooks.signal?.aborted) cancel();
  const exitCode = await new Promise<number>((res) => child.on("close", (code, sig) => res(code ?? (sig ? 130 : 1))));
  hooks.signal?.removeEventListener("abort", cancel);
  if (exitCode === 2 || refused !== undefined) throw new SweepRefused(refused ?? `statarb sweep: the driver refused the sweep\n${stderr.slice(-20).join("\n")}`);
  const jsonPath = join(out, "sweep.json");
  if (!existsSync(jsonPath)) throw new Error(`statarb sweep: the driver exited with code ${exitCode} before writing ${jsonPath}\n${stderr.slice(-30).join("\n")}`);
  const document = JSON.parse(readFileSync(jsonPath, "utf8")) as SweepDocument;
  const htmlPath = join(out, "sweep.html");
  writeFileSync(htmlPath, (await report).writeSweepReport(document, { metric, axes, out }));
  return { document, jsonPath, htmlPath, exitCode, cancelled: cancelled || exitCode === 130 };
}
