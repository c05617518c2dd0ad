/**
 * Options of a sweep (`statarb sweep` and the notebook's `await sweep(…)`), read with the one option
 * helper of lib/data. They become the JSON spec that `python -m statarb_sweep` runs (kernel/sweep/
 * statarb_sweep/); the grid itself is checked there, against the notebook's parameters cell, with the
 * papermill translator's parsing.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { opt, readOptions } from "../../lib/data/index.js";

/** A grid as an object: each parameter lists its values (their product is swept). */
export type GridObject = Readonly<Record<string, readonly unknown[]>>;

export interface SweepOptions {
  /** The notebook to run (path; relative to `cwd`). */
  notebook: string;
  /** The grid: `{ name: [values…] }`, or `-p` texts `["name=V1,V2", …]` parsed as papermill parses them. */
  params?: GridObject | readonly string[];
  /** A grid file (JSON or YAML: `{ name: [values…] }` or a list of parameter sets), or such a list; instead of `params`. */
  grid?: string | readonly Readonly<Record<string, unknown>>[];
  /** Tasks run at once (default: the machine's cores; with `address`, the cluster's CPUs). */
  workers?: number;
  /** A running Ray cluster (`host:port`, `ray://host:10001`; default `RAY_ADDRESS`, else an embedded local Ray). */
  address?: string;
  /** MLflow experiment (default: the notebook's file name without extension). */
  experiment?: string;
  /** MLflow tracking URI (default `MLFLOW_TRACKING_URI`, else `sqlite:///<cwd>/out/mlflow.db`, artifacts in `out/mlartifacts`). */
  trackingUri?: string;
  /** Where sweep.json, sweep.html and the executed notebooks go (default `out/sweeps/<notebook name>`). */
  out?: string;
  /** Times a task whose Ray worker died is run again (default 1). */
  retries?: number;
  /** Seconds a cell may run before the run fails (default: no limit). */
  timeout?: number;
  /** Metric of the heatmap in sweep.html (default: the first recorded metric). */
  metric?: string;
  /** The two parameters of the heatmap (default: the first two that vary). */
  axes?: readonly string[];
  /** Working directory of relative paths and of the default `out/` (default `process.cwd()`). */
  cwd?: string;
}

const isStringArray = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
const isGridObject = (v: unknown): v is GridObject =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => Array.isArray(x) && x.length > 0);
const isSets = (v: unknown): v is readonly Record<string, unknown>[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "object" && s !== null && !Array.isArray(s));

/** The repository root (where package.json and .venv are), found from this module's location. */
export function statarbRoot(from: string = dirname(new URL(import.meta.url).pathname)): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "kernel", "sweep"))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`statarb sweep: cannot find the statarb checkout above ${from}`);
}

/** The options, checked and defaulted, and the spec handed to the Python driver. */
export function sweepSpec(options: SweepOptions): { spec: Record<string, unknown>; out: string; metric: string | undefined; axes: readonly string[] | undefined } {
  const W = "sweep";
  const o = readOptions(W, options, {
    notebook: opt.string("", { nonEmpty: true }),
    params: opt.optional(opt.custom<GridObject | readonly string[]>('an object { name: [values…] } or an array of "name=V1,V2" texts', () => [], (v): v is GridObject | readonly string[] => isStringArray(v) || isGridObject(v))),
    grid: opt.optional(opt.custom<string | readonly Record<string, unknown>[]>("a grid file path or a non-empty array of parameter sets", () => "", (v): v is string | readonly Record<string, unknown>[] => (typeof v === "string" && v.length > 0) || isSets(v))),
    workers: opt.optional(opt.integer(1, { min: 1, max: 4096 })),
    address: opt.optional(opt.string("", { nonEmpty: true })),
    experiment: opt.optional(opt.string("", { nonEmpty: true })),
    trackingUri: opt.optional(opt.string("", { nonEmpty: true })),
    out: opt.optional(opt.string("", { nonEmpty: true })),
    retries: opt.integer(1, { min: 0, max: 100 }),
    timeout: opt.optional(opt.number(0, { min: 0, open: "min" })),
    metric: opt.optional(opt.string("", { nonEmpty: true })),
    axes: opt.optional(opt.custom<readonly string[]>("two parameter names", () => [], (v): v is readonly string[] => isStringArray(v) && v.length === 2, "range")),
    cwd: opt.string(process.cwd(), { nonEmpty: true }),
  });
  if (o.notebook === "") throw new TypeError(`${W}: notebook is required (the path of a .ipynb)`);
  const notebook = resolve(o.cwd, o.notebook);
  if (!existsSync(notebook)) throw new RangeError(`${W}: notebook ${JSON.stringify(o.notebook)} does not exist (looked at ${notebook})`);
  if (o.params !== undefined && o.grid !== undefined) throw new RangeError(`${W}: give the grid with params or with grid, not both`);
  if (o.params === undefined && o.grid === undefined) throw new RangeError(`${W}: no grid: give params ({ name: [values…] } or -p NAME=V1,V2,…) or grid (a JSON/YAML file)`);
  const stem = basename(notebook, extname(notebook));
  const out = resolve(o.cwd, o.out ?? join("out", "sweeps", stem));
  const grid = typeof o.grid === "string" ? { grid: resolve(o.cwd, o.grid) } : o.grid !== undefined ? { gridSets: o.grid } : {};
  const params = isStringArray(o.params) ? { params: o.params } : o.params !== undefined ? { gridObject: o.params } : {};
  const spec = {
    notebook, ...params, ...grid,
    workers: o.workers ?? (o.address !== undefined || process.env.RAY_ADDRESS ? 1_000_000 : availableParallelism()),
    workersGiven: o.workers !== undefined,
    address: o.address ?? null,
    experiment: o.experiment ?? stem,
    trackingUri: o.trackingUri ?? null,
    out, retries: o.retries, timeout: o.timeout ?? null,
    cwd: dirname(notebook), root: statarbRoot(), invokedFrom: o.cwd, kernel: "statarb",
  };
  return { spec, out, metric: o.metric, axes: o.axes };
}
