/** The kernel's own magics: %time/%%time, %timeit, %who, %typecheck, %cd, %pwd, %env, %lsmagic and %%sh. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import process from "node:process";
import { parseMagicLine } from "./args.js";
import type { Magics } from "./registry.js";
import type { MagicContext } from "./types.js";

export type TypecheckMode = "off" | "on" | "strict";

/** What the built-in magics need from the TypeScript engine. */
export interface MagicEngine {
  /** Runs TypeScript like a cell (declarations persist); resolves to the last expression's value. */
  run(code: string): Promise<{ value: unknown; hasValue: boolean }>;
  /** Compiles statements into a function run in the global scope (async when they use await). */
  compileFunction(code: string): () => unknown;
  /** Runs synchronous code so that an interrupt stops it. */
  guarded<T>(fn: () => T): T;
  userNames(): string[];
  getTypecheck(): TypecheckMode;
  setTypecheck(mode: TypecheckMode): void;
  describeMagics(): string;
  /** Resolves when plug-in magics (bridges) are registered. */
  pluginsLoaded(): Promise<void>;
}

export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(3)} s`;
  if (ms >= 1) return `${ms.toFixed(3)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toFixed(3)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

export function registerBuiltinMagics(magics: Magics, engine: MagicEngine): void {
  registerTimingMagics(magics, engine);
  registerEnvironmentMagics(magics);
  registerSessionMagics(magics, engine);
  const sh = {
    help: "runs the cell with bash in the notebook's folder, streaming its output",
    run: (args: string, body: string, ctx: MagicContext) => runShell(args, body, ctx),
  };
  magics.registerCell({ name: "sh", ...sh });
  magics.registerCell({ name: "bash", ...sh });
}

/** %time, %%time and %timeit. */
function registerTimingMagics(magics: Magics, engine: MagicEngine): void {
  // %time and %%time: run TypeScript, then print the wall time whether it returned or threw.
  const timed = async (code: string, ctx: MagicContext): Promise<unknown> => {
    const t0 = performance.now();
    try {
      const r = await engine.run(code);
      return r.hasValue ? r.value : undefined;
    } finally {
      ctx.stdout(`Wall time: ${formatDuration(performance.now() - t0)}\n`);
    }
  };
  magics.registerLine({
    name: "time",
    help: "runs the rest of the line as TypeScript and prints the wall time",
    run: (args, ctx) => timed(args, ctx),
  });
  magics.registerCell({
    name: "time",
    help: "runs the cell as TypeScript and prints the wall time",
    run: (_args, body, ctx) => timed(`\n${body}`, ctx), // the body starts on the cell's line 2
  });
  magics.registerLine({
    name: "timeit",
    help: "times a TypeScript statement over many loops: %timeit [-n LOOPS] [-r RUNS] statement",
    run: (args, ctx) => timeit(engine, args, ctx),
  });
}

/** %timeit: like IPython's, the loop count grows until one run takes ≥ 0.2 s unless -n fixes it. */
async function timeit(engine: MagicEngine, args: string, ctx: MagicContext): Promise<undefined> {
  const { loops: fixedLoops, runs, code } = parseTimeitArgs(args);
  const fn = engine.compileFunction(code);
  const isAsync = fn.constructor.name === "AsyncFunction";
  const timeLoops = async (n: number): Promise<number> => {
    if (isAsync) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        await fn();
      }
      return performance.now() - t0;
    }
    return engine.guarded(() => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      return performance.now() - t0;
    });
  };
  let loops = fixedLoops ?? 1;
  if (fixedLoops === undefined) {
    // Grow the loop count until one run takes ≥ 0.2 s (as IPython does), at most 1e7 loops.
    for (;;) {
      const t = await timeLoops(loops);
      if (t >= 200 || loops >= 1e7) break;
      loops *= t < 20 ? 10 : Math.ceil(200 / Math.max(t, 1e-3));
      loops = Math.min(loops, 1e7);
    }
  }
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push((await timeLoops(loops)) / loops);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const sd = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, times.length - 1));
  ctx.stdout(`${formatDuration(mean)} ± ${formatDuration(sd)} per loop (mean ± std. dev. of ${runs} run${runs > 1 ? "s" : ""}, ${loops} loop${loops > 1 ? "s" : ""} each)\n`);
  return undefined;
}

/** %cd, %pwd and %env: the kernel process's working directory and environment. */
function registerEnvironmentMagics(magics: Magics): void {
  magics.registerLine({
    name: "cd",
    help: "changes the working directory (relative imports and %%sh follow it)",
    async run(args, ctx) {
      const dir = args.trim().replace(/^~(?=$|\/)/, process.env.HOME ?? "~");
      if (dir) process.chdir(resolve(ctx.cwd, dir));
      ctx.stdout(`${process.cwd()}\n`);
      return undefined;
    },
  });
  magics.registerLine({
    name: "pwd",
    help: "prints the working directory",
    async run() {
      return process.cwd();
    },
  });
  magics.registerLine({
    name: "env",
    help: "%env (all), %env NAME (one), %env NAME=value (sets it for the kernel and %%sh)",
    async run(args, ctx) {
      const a = args.trim();
      const set = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(a);
      if (set) {
        process.env[set[1] as string] = set[2] as string;
        ctx.stdout(`env: ${set[1]}=${set[2]}\n`);
        return undefined;
      }
      if (a) return process.env[a];
      return { ...process.env };
    },
  });
}

/** %who, %typecheck and %lsmagic: what the session holds and how it checks. */
function registerSessionMagics(magics: Magics, engine: MagicEngine): void {
  magics.registerLine({
    name: "who",
    help: "lists the variables the cells declared",
    async run(_args, ctx) {
      const names = engine.userNames();
      ctx.stdout(names.length ? `${names.join("\t")}\n` : "Interactive namespace is empty.\n");
      return undefined;
    },
  });
  magics.registerLine({
    name: "typecheck",
    help: "%typecheck on (type errors as warnings) | strict (type errors stop the cell) | off (default)",
    async run(args, ctx) {
      const mode = args.trim();
      if (mode === "") {
        ctx.stdout(`typecheck: ${engine.getTypecheck()}\n`);
        return undefined;
      }
      if (mode !== "on" && mode !== "off" && mode !== "strict") {
        throw new Error(`%typecheck: unknown mode ${JSON.stringify(mode)}; use on, strict or off`);
      }
      engine.setTypecheck(mode);
      ctx.stdout(`typecheck: ${mode}\n`);
      return undefined;
    },
  });
  magics.registerLine({
    name: "lsmagic",
    help: "lists the magics",
    async run(_args, ctx) {
      await engine.pluginsLoaded();
      ctx.stdout(engine.describeMagics());
      return undefined;
    },
  });
}

const TIMEIT_FLAGS = { loops: { names: ["-n"], kind: "count" }, runs: { names: ["-r"], kind: "count" } } as const;

function parseTimeitArgs(args: string): { loops: number | undefined; runs: number; code: string } {
  const { flags, rest } = parseMagicLine("%timeit", args, TIMEIT_FLAGS, { usage: "%timeit [-n LOOPS] [-r RUNS] statement", rest: true });
  if (!rest) throw new Error("%timeit: give a statement to time, e.g. %timeit Math.sqrt(2)");
  return { loops: flags.loops, runs: flags.runs ?? 7, code: rest };
}

class CalledProcessError extends Error {
  override name = "CalledProcessError";
}

function runShell(args: string, body: string, ctx: MagicContext): Promise<undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", body, "bash", ...(args ? args.split(/\s+/) : [])], { cwd: ctx.cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (t: string) => ctx.stdout(t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => ctx.stderr(t));
    const onAbort = () => child.kill("SIGINT");
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (err) => reject(new Error(`%%sh: cannot run bash: ${err.message}`)));
    child.on("close", (code, signal) => {
      ctx.signal.removeEventListener("abort", onAbort);
      if (code === 0) resolve(undefined);
      else reject(new CalledProcessError(signal ? `the shell was stopped by ${signal}` : `the shell exited with status ${code}`));
    });
  });
}
