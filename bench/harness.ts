/**
 * bench/harness: the one interleaved timing method of the benches that run statarb against peers held
 * in a long-lived Python worker (bench/stats, bench/reports; the worker's side is bench/peer_worker.py).
 *
 * Every round times statarb's batch and the peer's batch of each workload back to back — statarb first
 * on even rounds, the peer first on odd ones, so neither side always runs first on a drifting machine —
 * each batch after a full garbage collection on its side (untimed; statarb's followed by a 25 ms pause
 * for V8's concurrent sweeping), after `warmup` unrecorded rounds. Each side's figure is the median
 * over the rounds of its per-call wall time and per-call process CPU time (every thread counted).
 * Ratio = peer / statarb (above 1× statarb is faster); a target is met when both ratios reach it.
 * `peerRows` turns the medians into the printed lines, the markdown table rows and the rows
 * bench/rows.ts records, the same for every bench that uses it.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";
import v8 from "node:v8";
import vm from "node:vm";
import { type BenchRow, lead } from "./rows.js";

/** One timed batch: per-call wall ms and per-call CPU ms (the whole process: every thread it runs). */
export interface Sample {
  wall: number;
  cpu: number;
}

/** A row: statarb's call and the Python expression the worker times against it. */
export interface PeerWorkload {
  readonly name: string;
  /** The peer's name as the table shows it. */
  readonly peer: string;
  /** The Python expression the worker times (names from the worker's prelude). */
  readonly py: string;
  /** statarb's call (a returned promise is awaited inside the timing). */
  readonly ts: () => unknown;
  /** Calls per timed batch (so a batch takes milliseconds on both sides). */
  readonly batch: number;
  readonly target: "≥ 1×" | "info";
  /** Measured rounds of this row when fewer than the run's (a slow fallback row). */
  readonly rounds?: number;
}

/** The medians of one workload over its measured rounds. */
export interface PeerResult {
  ts: Sample;
  py: Sample;
  n: number;
}

/** The Python worker of a bench (a script ending in bench/peer_worker.py's `serve`), driven line by line. */
export class PeerWorker {
  readonly #proc: ChildProcessByStdio<Writable, Readable, null>;
  readonly #lines: AsyncIterator<string>;
  readonly #label: string;

  /** Starts `python args…` (stderr inherited); `label` names the bench in errors. */
  constructor(label: string, python: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.#label = label;
    this.#proc = spawn(python, [...args], { env, stdio: ["pipe", "pipe", "inherit"] });
    this.#lines = createInterface({ input: this.#proc.stdout })[Symbol.asyncIterator]();
  }

  async #next(): Promise<string> {
    const x = await this.#lines.next();
    if (x.done) throw new Error(`${this.#label}: the Python worker exited`);
    return x.value;
  }

  /** Waits for the worker's "ready" (its imports and data loaded). */
  async ready(): Promise<void> {
    await this.#next();
  }

  /** One JSON request, one JSON answer. */
  async request<T>(req: object): Promise<T> {
    this.#proc.stdin.write(JSON.stringify(req) + "\n");
    return JSON.parse(await this.#next()) as T;
  }

  /** A timed batch of `k` calls of `py` (after a collection on the worker's side). */
  async batch(py: string, k: number): Promise<Sample> {
    const [wall, cpu] = await this.request<[number, number]>({ py, k });
    return { wall, cpu };
  }

  /** Ends the worker (it exits when its stdin closes). */
  end(): void {
    this.#proc.stdin.end();
  }
}

// a full collection before every timed batch (untimed), so no batch pays for the garbage of the
// workloads before it (the rolling z-score and eigh rows leave megabytes behind)
v8.setFlagsFromString("--expose-gc");
// V8 ages out the bytecode of functions not run for a few full collections; with one collection per
// batch every row's code would be flushed before its next batch and recompiled inside the timing
v8.setFlagsFromString("--no-flush-bytecode");
const collect = vm.runInNewContext("gc") as () => void;

/** A full collection, then a pause so V8's concurrent sweeping of it ends before the clock starts (bench/ticks uses it too). */
export async function settle(): Promise<void> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 25));
}

async function tsBatch(fn: () => unknown, batch: number): Promise<Sample> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < batch; i++) {
    const x = fn();
    if (x instanceof Promise) await x;
  }
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / batch, cpu: (c.user + c.system) / 1000 / batch };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const medianSample = (xs: readonly Sample[]): Sample => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });

/** Times every workload against the worker (see the module doc): `warmup` unrecorded rounds, then `rounds` measured ones. */
export async function interleave(worker: PeerWorker, workloads: readonly PeerWorkload[], rounds: number, warmup: number): Promise<PeerResult[]> {
  const times = workloads.map(() => ({ ts: [] as Sample[], py: [] as Sample[] }));
  for (let round = -warmup; round < rounds; round++) {
    for (const [i, w] of workloads.entries()) {
      if (round >= Math.min(rounds, w.rounds ?? rounds)) continue;
      let a: Sample, b: Sample;
      if ((round & 1) === 0) await settle(), (a = await tsBatch(w.ts, w.batch)), (b = await worker.batch(w.py, w.batch));
      else (b = await worker.batch(w.py, w.batch)), await settle(), (a = await tsBatch(w.ts, w.batch));
      if (round >= 0) times[i]!.ts.push(a), times[i]!.py.push(b);
    }
  }
  return times.map((t) => ({ ts: medianSample(t.ts), py: medianSample(t.py), n: t.ts.length }));
}

/** Milliseconds as the tables print them. */
export const fmtMs = (ms: number): string => (ms >= 1 ? ms.toFixed(2) : ms >= 0.01 ? ms.toFixed(4) : ms.toExponential(2));
/** A load average (1, 5, 15 min) as text. */
export const loadText = (l: readonly number[]): string => l.map((v) => v.toFixed(2)).join(", ");

/** The header of the markdown table whose rows `peerRows` gives. */
export const PEER_TABLE_HEAD = [
  "| workload | peer | statarb ms | peer ms | ratio (wall) | statarb CPU ms | peer CPU ms | ratio (CPU) | target | result | rounds |",
  "|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|",
];

/** Prints one line per workload and returns its markdown table rows and its rows for bench/rows.ts. */
export function peerRows(workloads: readonly PeerWorkload[], results: readonly PeerResult[], load: string): { table: string[]; rows: BenchRow[] } {
  const table: string[] = [];
  const rows: BenchRow[] = [];
  workloads.forEach((w, i) => {
    const { ts, py, n } = results[i]!;
    const wall = py.wall / ts.wall, cpu = py.cpu / ts.cpu;
    const met = wall >= 1 && cpu >= 1;
    const verdict = w.target === "info" ? "info" : met ? "met" : `**missed** (${[wall < 1 ? "wall" : "", cpu < 1 ? "per CPU-second" : ""].filter(Boolean).join(" and ")})`;
    console.log(`${w.name}: statarb ${fmtMs(ts.wall)} ms (cpu ${fmtMs(ts.cpu)}), ${w.peer} ${fmtMs(py.wall)} ms (cpu ${fmtMs(py.cpu)}), ratio wall ${wall.toFixed(2)}× cpu ${cpu.toFixed(2)}×, target ${w.target}, ${verdict}`);
    table.push(`| ${w.name} | ${w.peer} | ${fmtMs(ts.wall)} | ${fmtMs(py.wall)} | ${wall.toFixed(2)}× | ${fmtMs(ts.cpu)} | ${fmtMs(py.cpu)} | ${cpu.toFixed(2)}× | ${w.target} | ${verdict} | ${n} |`);
    const partial = w.target !== "info" && (wall >= 1) !== (cpu >= 1) ? { note: wall >= 1 ? "met on the wall clock only" : "met per CPU-second only" } : {};
    rows.push({
      row: w.name, statarb: ts.wall, peer: py.wall, peerName: w.peer, ratio: lead(ts.wall, py.wall, "time"), unit: "ms", target: w.target === "info" ? null : w.target,
      verdict: w.target === "info" ? "info" : met ? "met" : "missed", load, cpu: { statarb: ts.cpu, peer: py.cpu, ratio: lead(ts.cpu, py.cpu, "time") }, ...partial,
    });
  });
  return { table, rows };
}
