/**
 * `statarb sweep NOTEBOOK -p NAME=V1,V2,… [-p …] [--grid FILE.json|yaml] [--workers N] [--address ADDR]
 * [--experiment NAME] [--tracking-uri URI] [--out DIR] [--retries K] [--timeout S] [--metric NAME]
 * [--axes X,Y]`: the command line of bin/statarb.js. Shows a live progress line on a terminal (one line
 * per finished run otherwise), and Ctrl-C cancels the sweep cleanly (tasks cancelled, kernels and the
 * embedded Ray stopped) before the process exits.
 */
import { ProgressTracker, progressLine } from "./progress.js";
import { runSweep, SweepRefused } from "./run.js";
import type { SweepOptions } from "./options.js";
import type { SweepEvent } from "./types.js";

export const SWEEP_USAGE = `usage: statarb sweep NOTEBOOK -p NAME=V1,V2,… [-p NAME2=…] [--grid FILE.json|yaml]
                     [--workers N] [--address ADDR] [--experiment NAME] [--tracking-uri URI]
                     [--out DIR] [--retries K] [--timeout SECONDS] [--metric NAME] [--axes X,Y]
  Runs NOTEBOOK once per parameter set (the product of the -p lists) with papermill on the statarb
  kernel, each run a Ray task (embedded local Ray unless --address or RAY_ADDRESS), every run tracked
  in MLflow (default sqlite:///out/mlflow.db). Writes DIR/sweep.json and DIR/sweep.html
  (default DIR: out/sweeps/<notebook>). A re-run skips the sets MLflow holds as FINISHED.`;

const VALUE_FLAGS: Record<string, keyof SweepOptions> = {
  "--grid": "grid", "--workers": "workers", "--address": "address", "--experiment": "experiment", "--tracking-uri": "trackingUri",
  "--out": "out", "--retries": "retries", "--timeout": "timeout", "--metric": "metric", "--axes": "axes",
};
const NUMERIC = new Set<keyof SweepOptions>(["workers", "retries", "timeout"]);

export class UsageError extends Error {}

/** argv (after `sweep`) → options; refuses unknown flags and malformed values. */
export function parseSweepArgs(argv: readonly string[]): SweepOptions {
  const params: string[] = [];
  const o: Record<string, unknown> = {};
  let notebook: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const next = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "-p" || flag === "--param") params.push(next());
    else if (flag in VALUE_FLAGS) {
      const key = VALUE_FLAGS[flag] as keyof SweepOptions;
      const v = next();
      if (NUMERIC.has(key)) {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number, got ${JSON.stringify(v)}`);
        o[key] = n;
      } else o[key] = key === "axes" ? v.split(",").map((s) => s.trim()) : v;
    } else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (notebook === undefined) notebook = a;
    else throw new UsageError(`one notebook per sweep; got ${JSON.stringify(notebook)} and ${JSON.stringify(a)}`);
  }
  if (notebook === undefined) throw new UsageError("the notebook to sweep is missing");
  return { notebook, ...(params.length ? { params } : {}), ...o } as SweepOptions;
}

/** Runs the command; resolves to the process exit code (0 ok, 1 some run failed, 2 refused, 130 cancelled). */
export async function sweepCli(argv: readonly string[], err: NodeJS.WriteStream = process.stderr): Promise<number> {
  let options: SweepOptions;
  try {
    options = parseSweepArgs(argv);
  } catch (e) {
    err.write(`statarb sweep: ${(e as Error).message}\n${SWEEP_USAGE}\n`);
    return 2;
  }
  const tty = err.isTTY === true;
  const progress = new ProgressTracker();
  const draw = () => err.write(`\r\x1b[2K${progressLine(progress.tick())}`);
  const onEvent = (e: SweepEvent) => {
    const s = progress.apply(e);
    if (e.event === "run" && (!tty || e.status === "FAILED")) {
      if (tty) err.write("\r\x1b[2K");
      err.write(`run ${e.index} ${e.status} in ${e.seconds?.toFixed(1) ?? "?"} s${e.error ? `: ${e.error}` : ""}\n`);
    } else if (e.event === "retry") err.write(`${tty ? "\r\x1b[2K" : ""}run ${e.index}: ${e.error}; retrying\n`);
    if (tty) draw();
    else if (e.event === "plan") err.write(`sweep: ${s.total} runs (${e.skipped} already finished, skipped)\n`);
  };
  const abort = new AbortController();
  const onSignal = () => {
    if (!abort.signal.aborted) err.write("\nstatarb sweep: cancelling (stopping the runs, their kernels and Ray)…\n");
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const timer = tty ? setInterval(draw, 500) : undefined;
  try {
    const r = await runSweep(options, { onEvent, signal: abort.signal });
    if (tty) err.write("\n");
    const c = r.document?.summary ?? {};
    err.write(`sweep: ${c.FINISHED ?? 0} finished, ${c.FAILED ?? 0} failed, ${c.SKIPPED ?? 0} skipped${c.CANCELLED ? `, ${c.CANCELLED} cancelled` : ""} → ${r.jsonPath}, ${r.htmlPath}\n`);
    return r.exitCode;
  } catch (e) {
    if (tty) err.write("\n");
    err.write(`statarb sweep: ${(e as Error).message}\n`);
    return e instanceof SweepRefused || e instanceof TypeError || e instanceof RangeError ? 2 : 1;
  } finally {
    if (timer) clearInterval(timer);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
