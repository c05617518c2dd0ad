/**
 * MLflow logging for lib/signals' ModelRegistry: `modelRegistry(root, { onSave: mlflowModelLogger() })`
 * makes every saved version an MLflow run (params, metrics, training window, the version's files as
 * artifacts) and a version of the registered model of the same name (kernel/sweep/statarb_sweep/
 * models.py, in the .venv's Python). lib/ stays free of Python: the hook lives here.
 */
import { spawn } from "node:child_process";
import { opt, readOptions } from "../../lib/data/index.js";
import type { ModelRecord } from "../../lib/signals/index.js";
import { statarbRoot } from "./options.js";
import { sweepPython } from "./run.js";

export interface MlflowModelOptions {
  /** MLflow tracking URI (default `MLFLOW_TRACKING_URI`, else `sqlite:///<cwd>/out/mlflow.db`). */
  trackingUri?: string;
  /** Experiment of the models' runs (default "statarb-models"). */
  experiment?: string;
}

/** One MLflow model version mirroring a statarb registry version. */
export interface MlflowModelVersion {
  readonly name: string;
  readonly version: number;
  readonly runId: string;
  readonly trackingUri: string;
}

async function callModels<T>(request: Record<string, unknown>): Promise<T> {
  const child = spawn(sweepPython(statarbRoot()), ["-m", "statarb_sweep.models"], { stdio: ["pipe", "pipe", "pipe"] });
  child.stdin.end(JSON.stringify(request));
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number>((res) => child.on("close", (c) => res(c ?? 1)));
  if (code !== 0) throw new Error(`MLflow (${String(request.action)}) failed: ${err.trim().split("\n").slice(-3).join(" | ")}`);
  return JSON.parse(out) as T;
}

/** The hook: logs each saved version to MLflow; `versions` collects what it registered. */
export function mlflowModelLogger(options: MlflowModelOptions = {}): ((record: ModelRecord) => Promise<MlflowModelVersion>) & { readonly versions: MlflowModelVersion[] } {
  const o = readOptions("mlflowModelLogger", options, { trackingUri: opt.optional(opt.string("", { nonEmpty: true })), experiment: opt.string("statarb-models", { nonEmpty: true }) });
  const versions: MlflowModelVersion[] = [];
  const hook = async (record: ModelRecord): Promise<MlflowModelVersion> => {
    const v = Object.freeze(await callModels<MlflowModelVersion>({ action: "log", trackingUri: o.trackingUri ?? null, experiment: o.experiment, record }));
    versions.push(v);
    return v;
  };
  return Object.assign(hook, { versions });
}

/** The MLflow versions of a registered model, oldest first, with the metrics of their runs. */
export function mlflowModelVersions(name: string, options: Pick<MlflowModelOptions, "trackingUri"> = {}): Promise<{ version: number; runId: string; statarbVersion: number; metrics: Record<string, number> }[]> {
  const o = readOptions("mlflowModelVersions", options, { trackingUri: opt.optional(opt.string("", { nonEmpty: true })) });
  return callModels({ action: "versions", trackingUri: o.trackingUri ?? null, name });
}
