/**
 * Benchmark of `statarb sweep` (not a test): 32 runs of bench/sweep/small.ipynb (seed = 1…32) with 1 and
 * with 2 workers on the embedded Ray, each into a fresh MLflow store (so nothing is skipped), and the
 * same notebook under the papermill command line run by hand, one run after another (the baseline a
 * researcher has without sweeps). Writes bench/results/sweep.md.
 *
 *   npx tsx bench/sweep/sweep.ts [RUNS]        (default 32; `bash scripts/bench sweep` runs it)
 *
 * - speed-up: wall time of the 1-worker sweep / wall time of the 2-worker sweep (target ≥ 1.8×);
 * - overhead per run beyond the notebook's own time: (1-worker sweep wall time − Σ of each run's own
 *   papermill time, measured inside its Ray task: kernel start, cells, kernel shutdown) / runs — what
 *   the sweep adds per run: Ray start and stop, task dispatch, HTML export, MLflow logging, sweep.json,
 *   the command's own start (target ≤ 1.5 s).
 */
import { execa } from "execa";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SweepDocument } from "../../kernel/sweep/types.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const runs = Number(process.argv[2] ?? 32);
const tmp = join(root, "out", "bench-sweep");
const nb = "bench/sweep/small.ipynb";
const seeds = Array.from({ length: runs }, (_, i) => i + 1).join(",");
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

async function timedSweep(workers: number): Promise<{ wall: number; doc: SweepDocument }> {
  const dir = join(tmp, `w${workers}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const r = await execa("node", ["bin/statarb.js", "sweep", nb, "-p", `seed=${seeds}`, "--workers", String(workers), "--out", dir, "--tracking-uri", `sqlite:///${join(dir, "mlflow.db")}`], { cwd: root, reject: false, all: true });
  const wall = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0) throw new Error(`sweep with ${workers} worker(s) failed (${r.exitCode}):\n${r.all}`);
  return { wall, doc: JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepDocument };
}

async function papermillBaseline(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    const t0 = performance.now();
    await execa(join(root, ".venv/bin/papermill"), [nb, join(tmp, `pm-${i}.ipynb`), "-k", "statarb", "-p", "seed", String(i), "--cwd", "bench/sweep", "--no-progress-bar", "--log-level", "ERROR"], { cwd: root });
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f = (x: number, d = 2) => x.toFixed(d);

mkdirSync(tmp, { recursive: true });
const loadStart = load();
const pm = await papermillBaseline(4);
const one = await timedSweep(1);
const two = await timedSweep(2);
const own = one.doc.runs.reduce((s, r) => s + (r.seconds ?? 0), 0);
const overhead = (one.wall - own) / runs;
const speedup = one.wall / two.wall;
const ownMean = own / runs;
const lines = [
  "## Sweep (statarb sweep on Ray + MLflow)",
  "",
  `Machine: 2 cores, Node ${process.version}, load average at start ${loadStart}.`,
  "",
  `Command: \`npx tsx bench/sweep/sweep.ts ${runs}\` — ${runs} runs of \`bench/sweep/small.ipynb\` (seed = 1…${runs}; a seeded market of 40 assets × 1,500 days, every pair traded on its z-score), embedded Ray, a fresh local MLflow store per sweep.`,
  "",
  "| metric | statarb | peer or baseline | ratio | target | met |",
  "|---|---|---|---|---|---|",
  `| ${runs} runs, wall time: 2 workers vs 1 worker | ${f(two.wall, 1)} s | ${f(one.wall, 1)} s (1 worker) | ${f(speedup)}× | ≥ 1.8× | ${speedup >= 1.8 ? "met" : "**missed**"} |`,
  `| overhead per run beyond the notebook's own time (1 worker) | ${f(overhead)} s | ${f(ownMean)} s own time per run (papermill inside the task) | ${f(overhead / ownMean)} | ≤ 1.5 s | ${overhead <= 1.5 ? "met" : "**missed**"} |`,
  `| time per run, 1-worker sweep vs papermill CLI by hand (median of 4) | ${f(one.wall / runs)} s | ${f(median(pm))} s | ${f(one.wall / runs / median(pm))} | (baseline) | — |`,
  "",
  `Ray start-up: ${f(one.doc.ray.startSeconds ?? Number.NaN)} s (1 worker), ${f(two.doc.ray.startSeconds ?? Number.NaN)} s (2 workers); included in the wall times and the overhead. Load average at the end: ${load()} (the machine is shared; the ratios matter).`,
  "",
  "The per-run overhead covers the command's start, Ray's start and stop, dispatching the task, the HTML export (nbconvert, in the task), MLflow logging (driver) and sweep.json/sweep.html; the notebook's own time is papermill's `execute_notebook` inside the task (kernel start, cells, kernel shutdown). The papermill CLI baseline pays a fresh Python and papermill import per run, which a Ray worker pays once.",
  "",
];
writeFileSync(join(root, "bench", "results", "sweep.md"), lines.join("\n"));
process.stdout.write(`${lines.join("\n")}\n`);
