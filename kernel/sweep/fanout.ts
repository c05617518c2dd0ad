/**
 * Library fan-out on Ray: `rayMap({ module, export })` is a map of one exported function over argument
 * lists, each chunk of calls a Ray task running a Node process (statarb_sweep/fanout.py →
 * fanout-worker.ts). lib/backtest takes it as its `parallel` option (walk-forward evaluations, Monte
 * Carlo paths): lib only knows the function's shape, so lib loads and runs without Python or Ray. The
 * values cross as exact JSON (codec.ts), so results are identical to the serial run of the same function.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { opt, readOptions } from "../../lib/data/index.js";
import { decodeValue, encodeValue } from "./codec.js";
import { statarbRoot } from "./options.js";
import { sweepPython } from "./run.js";

export interface RayMapOptions {
  /** The module exporting the function (a path; .js, or .ts through tsx). */
  module: string;
  /** The exported function's name. */
  export: string;
  /** Tasks at once on the embedded Ray (default: the machine's cores). */
  workers?: number;
  /** A running Ray cluster (default `RAY_ADDRESS`, else an embedded local Ray for the call). */
  address?: string;
  /** Chunks the calls are cut into (default 2 × workers): one Node process each. */
  chunks?: number;
  /** Times a chunk whose worker died is run again (default 1). */
  retries?: number;
}

/** A map run elsewhere: argument lists in, results in the same order out. */
export type ParallelMap = (calls: readonly (readonly unknown[])[]) => Promise<unknown[]>;

export function rayMap(options: RayMapOptions): ParallelMap {
  const o = readOptions("rayMap", options, {
    module: opt.string("", { nonEmpty: true }),
    export: opt.string("", { nonEmpty: true }),
    workers: opt.integer(() => availableParallelism(), { min: 1, max: 4096 }),
    address: opt.optional(opt.string("", { nonEmpty: true })),
    chunks: opt.optional(opt.integer(1, { min: 1 })),
    retries: opt.integer(1, { min: 0, max: 100 }),
  });
  const module = isAbsolute(o.module) ? o.module : resolve(o.module);
  if (!existsSync(module)) throw new RangeError(`rayMap: module ${JSON.stringify(o.module)} does not exist (looked at ${module})`);
  return async (calls) => {
    if (calls.length === 0) return [];
    const root = statarbRoot();
    const request = { module, export: o.export, calls: calls.map((args) => encodeValue(args)), workers: o.workers, address: o.address ?? null, chunks: o.chunks ?? null, retries: o.retries, root };
    const child = spawn(sweepPython(root), ["-m", "statarb_sweep.fanout"], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, STATARB_ROOT: root } });
    child.stdin.end(JSON.stringify(request));
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number>((res) => child.on("close", (c) => res(c ?? 1)));
    if (code !== 0) throw new Error(`rayMap(${o.export}): the Ray fan-out failed (exit ${code}): ${err.trim().split("\n").slice(-4).join(" | ")}`);
    const results = JSON.parse(Buffer.concat(out).toString("utf8")) as unknown[];
    if (results.length !== calls.length) throw new Error(`rayMap(${o.export}): ${results.length} results for ${calls.length} calls`);
    return results.map(decodeValue);
  };
}
