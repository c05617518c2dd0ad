/**
 * Library fan-out on Ray: a map of one exported function over argument lists, each chunk of calls a Ray
 * task running a Node process (statarb_sweep/fanout.py → fanout-worker.ts). lib/backtest takes such a
 * map as its `parallel` option (walk-forward evaluations, Monte Carlo paths): lib only knows the map's
 * shape (`ParallelMap`), so lib loads and runs without Python or Ray. The values cross as exact JSON
 * (codec.ts), so results are identical to the serial run of the same function.
 *
 * `rayPool({ workers })` keeps one Ray up for several maps (`pool.map({ module, export })`, then
 * `pool.close()`); `rayMap({ module, export, workers })` is a map with a Ray of its own per call. A pool
 * left open ends with the Node process: its Python side stops Ray when its stdin closes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ParallelMap } from "../../lib/backtest/index.js";
import { opt, readOptions } from "../../lib/data/index.js";
import { decodeValue, encodeValue } from "./codec.js";
import { statarbRoot } from "./options.js";
import { sweepPython } from "./run.js";

export type { ParallelMap };

export interface RayPoolOptions {
  /** Tasks at once on the embedded Ray (default: the machine's cores). */
  workers?: number;
  /** A running Ray cluster (default `RAY_ADDRESS`, else an embedded local Ray). */
  address?: string;
  /** Times a chunk whose worker died is run again (default 1). */
  retries?: number;
}

export interface RayMapTarget {
  /** The module exporting the function (a path; .js, or .ts through tsx). */
  module: string;
  /** The exported function's name. */
  export: string;
  /** Chunks the calls are cut into (default 2 × workers): one Node process each. */
  chunks?: number;
}

export type RayMapOptions = RayPoolOptions & RayMapTarget;

/** One Ray kept up for several maps. */
export interface RayPool {
  /** A map of `target`'s function, run on this pool's Ray. */
  map(target: RayMapTarget): ParallelMap;
  /** Stops Ray (waits until its processes are gone). */
  close(): Promise<void>;
}

type Reply = { id: number; results?: unknown[]; error?: string; ready?: boolean };

const POOL_KEYS = { workers: opt.integer(() => availableParallelism(), { min: 1, max: 4096 }), address: opt.optional(opt.string("", { nonEmpty: true })), retries: opt.integer(1, { min: 0, max: 100 }) };
const TARGET_KEYS = { module: opt.string("", { nonEmpty: true }), export: opt.string("", { nonEmpty: true }), chunks: opt.optional(opt.integer(1, { min: 1 })) };

function checkTarget(where: string, o: { module: string; export: string }): string {
  const module = isAbsolute(o.module) ? o.module : resolve(o.module);
  if (!existsSync(module)) throw new RangeError(`${where}: module ${JSON.stringify(o.module)} does not exist (looked at ${module})`);
  return module;
}

/** The Python session (started on the first map): one request at a time, answered in order. */
class Session {
  #child: ChildProcess | undefined;
  #pending = new Map<number, (r: Reply) => void>();
  #next = 1;
  #exit: Promise<number> | undefined;
  #stderr: string[] = [];
  constructor(private readonly config: { workers: number; address: string | null; retries: number }) {}

  #start(): ChildProcess {
    const root = statarbRoot();
    const child = spawn(sweepPython(root), ["-m", "statarb_sweep.fanout", "--replies-fd", "3"], { stdio: ["pipe", "ignore", "pipe", "pipe"], env: { ...process.env, STATARB_ROOT: root } });
    createInterface({ input: child.stderr as Readable }).on("line", (l) => this.#stderr.push(l) > 40 && this.#stderr.shift());
    createInterface({ input: child.stdio[3] as Readable }).on("line", (line) => {
      const r = JSON.parse(line) as Reply;
      this.#pending.get(r.id)?.(r);
      this.#pending.delete(r.id);
    });
    this.#exit = new Promise((res) => child.on("close", (code) => {
      for (const [id, settle] of this.#pending) settle({ id, error: `the Ray fan-out process exited (code ${code}): ${this.#stderr.slice(-4).join(" | ")}` });
      this.#pending.clear();
      res(code ?? 1);
    }));
    (child.stdin as Writable).write(`${JSON.stringify({ ...this.config, root })}\n`);
    this.#idle(child);
    return child;
  }

  /** Between maps the session holds no reference on Node's event loop: a script may end with it open. */
  #idle(child: ChildProcess, busy = false): void {
    for (const s of [child.stdin, child.stderr, child.stdio[3]] as (Writable & { ref?: () => void; unref?: () => void })[]) (busy ? s.ref : s.unref)?.call(s);
    if (busy) child.ref();
    else child.unref();
  }

  async request(module: string, exportName: string, calls: readonly (readonly unknown[])[], chunks: number | null): Promise<unknown[]> {
    const child = (this.#child ??= this.#start());
    if (this.#exit !== undefined && child.exitCode !== null) throw new Error(`the Ray fan-out process has exited: ${this.#stderr.slice(-4).join(" | ")}`);
    const id = this.#next++;
    this.#idle(child, true);
    const reply = new Promise<Reply>((res) => this.#pending.set(id, res));
    (child.stdin as Writable).write(`${JSON.stringify({ id, module, export: exportName, calls: calls.map((args) => encodeValue(args)), chunks })}\n`);
    try {
      const r = await reply;
      if (r.error !== undefined) throw new Error(r.error);
      return r.results as unknown[];
    } finally {
      if (this.#pending.size === 0) this.#idle(child);
    }
  }

  async close(): Promise<void> {
    if (this.#child === undefined) return;
    this.#idle(this.#child, true);
    (this.#child.stdin as Writable).end();
    await this.#exit;
    this.#child = undefined;
  }
}

/** One Ray (started on the first map) for several maps; `close()` stops it. */
export function rayPool(options: RayPoolOptions = {}): RayPool {
  const o = readOptions("rayPool", options, POOL_KEYS);
  const session = new Session({ workers: o.workers, address: o.address ?? null, retries: o.retries });
  return {
    map(target: RayMapTarget): ParallelMap {
      const t = readOptions("rayPool.map", target, TARGET_KEYS);
      const module = checkTarget("rayPool.map", t);
      return async (calls) => {
        if (calls.length === 0) return [];
        let results: unknown[];
        try {
          results = await session.request(module, t.export, calls, t.chunks ?? null);
        } catch (e) {
          throw new Error(`${t.export} on Ray: ${(e as Error).message}`);
        }
        if (results.length !== calls.length) throw new Error(`${t.export} on Ray: ${results.length} results for ${calls.length} calls`);
        return results.map(decodeValue);
      };
    },
    close: () => session.close(),
  };
}

/** A map of `module`'s `export` on a Ray of its own, started and stopped for each call. */
export function rayMap(options: RayMapOptions): ParallelMap {
  const { module, export: exportName, chunks, ...pool } = options;
  readOptions("rayMap", options, { ...POOL_KEYS, ...TARGET_KEYS });
  checkTarget("rayMap", { module, export: exportName });
  return async (calls) => {
    const p = rayPool(pool);
    try {
      return await p.map({ module, export: exportName, ...(chunks === undefined ? {} : { chunks }) })(calls);
    } finally {
      await p.close();
    }
  };
}
