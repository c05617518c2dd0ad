/**
 * Model registry: fitted models saved with their parameters, training window and metrics in a
 * versioned folder, `<root>/<name>/v0001/`, `v0002/`, … Each version holds `model.json` (kind and
 * fitted state), `meta.json` (the record) and, for tfjs networks, `topology.json` + `weights.bin`.
 * A version is written into a temporary folder and renamed into place, so a reader never sees a
 * half-written version and a crash leaves no partial one; two writers racing for a version number
 * both succeed (the loser retries with the next number).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type DateLike, fromEpochDay, toEpochDay } from "../data/index.js";
import type { AlphaModel } from "./alpha-model.js";
import { GradientBoostingAlphaModel } from "./gbt.js";
import { LSTMAlphaModel } from "./lstm.js";
import { PairsModel } from "./pairs.js";
import { PCAResidualModel } from "./pca-residual.js";
import { ReversalModel } from "./reversal.js";
import { RidgeAlphaModel } from "./ridge.js";
import { type NetworkArtifacts, SequenceAlphaModel } from "./sequence-model.js";
import { TransformerAlphaModel } from "./transformer.js";

/** What is recorded with a saved model. */
export interface SaveModelOptions {
  /** Registry name (default: the model's `name`). Letters, digits, `-`, `_`, `.`. */
  name?: string;
  /** First and last dates of the training window. */
  trainingWindow: { start: DateLike; end: DateLike };
  /** Evaluation metrics, e.g. `{ oosRankIC: 0.02 }` (default {}). */
  metrics?: Readonly<Record<string, number>>;
  /** Free-form notes (default ""). */
  notes?: string;
}

/** One saved version. */
export interface ModelRecord {
  readonly name: string;
  readonly version: number;
  readonly kind: string;
  readonly params: unknown;
  readonly trainingWindow: { readonly start: string; readonly end: string };
  readonly metrics: Readonly<Record<string, number>>;
  readonly notes: string;
  readonly createdAt: string;
  readonly path: string;
}

type Loader = (state: unknown) => AlphaModel;

const LOADERS: Readonly<Record<string, Loader>> = {
  reversal: (s) => ReversalModel.fromJSON(s as Parameters<typeof ReversalModel.fromJSON>[0]),
  pairs: (s) => PairsModel.fromJSON(s as Parameters<typeof PairsModel.fromJSON>[0]),
  "pca-residual": (s) => PCAResidualModel.fromJSON(s as Parameters<typeof PCAResidualModel.fromJSON>[0]),
  ridge: (s) => RidgeAlphaModel.fromJSON(s as Parameters<typeof RidgeAlphaModel.fromJSON>[0]),
  gbt: (s) => GradientBoostingAlphaModel.fromJSON(s as Parameters<typeof GradientBoostingAlphaModel.fromJSON>[0]),
  lstm: (s) => new LSTMAlphaModel((s as { params: object }).params),
  transformer: (s) => new TransformerAlphaModel((s as { params: object }).params),
};

const NAME = /^[A-Za-z0-9._-]+$/;

function versionDir(v: number): string {
  return `v${String(v).padStart(4, "0")}`;
}

export class ModelRegistry {
  readonly root: string;

  constructor(root: string) {
    if (typeof root !== "string" || root.length === 0) throw new TypeError("ModelRegistry: root must be a folder path");
    this.root = root;
  }

  /** Saved versions of `name`, oldest first. */
  async versions(name: string): Promise<number[]> {
    checkName(name);
    const dir = join(this.root, name);
    if (!existsSync(dir)) return [];
    return (await readdir(dir)).filter((d) => /^v\d{4,}$/.test(d)).map((d) => Number(d.slice(1))).sort((a, b) => a - b);
  }

  /** Names with at least one saved version. */
  async names(): Promise<string[]> {
    if (!existsSync(this.root)) return [];
    const out: string[] = [];
    for (const d of (await readdir(this.root)).sort()) if (NAME.test(d) && (await this.versions(d)).length > 0) out.push(d);
    return out;
  }

  /** Saves a fitted model as the next version of its name; returns the record. */
  async save(model: AlphaModel, options: SaveModelOptions): Promise<ModelRecord> {
    const kind = model.name;
    if (LOADERS[kind] === undefined) throw new RangeError(`ModelRegistry.save: no loader for model kind "${kind}"; known: ${Object.keys(LOADERS).join(", ")}`);
    const toJSON = (model as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON !== "function") throw new TypeError(`ModelRegistry.save: model "${kind}" has no toJSON()`);
    const name = options.name ?? kind;
    checkName(name);
    if (options.trainingWindow === undefined) throw new TypeError("ModelRegistry.save: trainingWindow { start, end } is required");
    const start = fromEpochDay(toEpochDay(options.trainingWindow.start));
    const end = fromEpochDay(toEpochDay(options.trainingWindow.end));
    const metrics = { ...(options.metrics ?? {}) };
    for (const [k, v] of Object.entries(metrics)) if (typeof v !== "number") throw new TypeError(`ModelRegistry.save: metrics.${k} must be a number, got ${typeof v}`);
    const state = toJSON.call(model);
    let artifacts: NetworkArtifacts | null = null;
    if (model instanceof SequenceAlphaModel) artifacts = await model.saveArtifacts();
    const base = join(this.root, name);
    await mkdir(base, { recursive: true });
    const tmp = join(base, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
    await mkdir(tmp);
    try {
      const files: Record<string, string | Uint8Array> = { "model.json": JSON.stringify({ formatVersion: 1, kind, state }, null, 1) };
      if (artifacts !== null) {
        files["topology.json"] = JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs });
        files["weights.bin"] = new Uint8Array(artifacts.weightData);
      }
      for (;;) {
        const version = ((await this.versions(name)).at(-1) ?? 0) + 1;
        const path = join(base, versionDir(version));
        const record: ModelRecord = { name, version, kind, params: model.params, trainingWindow: { start, end }, metrics, notes: options.notes ?? "", createdAt: new Date().toISOString(), path };
        for (const [f, body] of Object.entries({ ...files, "meta.json": JSON.stringify(record, null, 1) })) await writeFile(join(tmp, f), body);
        try {
          await rename(tmp, path);
          return Object.freeze(record);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== "EEXIST" && code !== "ENOTEMPTY") throw e;
        }
      }
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** The record of a version (default: the latest). */
  async record(name: string, version?: number): Promise<ModelRecord> {
    const path = await this.#path(name, version);
    return Object.freeze(JSON.parse(await readFile(join(path, "meta.json"), "utf8")) as ModelRecord);
  }

  /** Loads a saved model (default: the latest version), ready to predict. */
  async load(name: string, version?: number): Promise<{ model: AlphaModel; record: ModelRecord }> {
    const path = await this.#path(name, version);
    const record = JSON.parse(await readFile(join(path, "meta.json"), "utf8")) as ModelRecord;
    const body = JSON.parse(await readFile(join(path, "model.json"), "utf8")) as { formatVersion: number; kind: string; state: unknown };
    if (body.formatVersion !== 1) throw new RangeError(`ModelRegistry.load: ${path} has format version ${body.formatVersion}; this statarb reads version 1`);
    const loader = LOADERS[body.kind];
    if (loader === undefined) throw new RangeError(`ModelRegistry.load: unknown model kind "${body.kind}" in ${path}`);
    const model = loader(body.state);
    if (model instanceof SequenceAlphaModel) {
      const topo = JSON.parse(await readFile(join(path, "topology.json"), "utf8")) as { modelTopology: object; weightSpecs: NetworkArtifacts["weightSpecs"] };
      const bin = await readFile(join(path, "weights.bin"));
      const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
      await model.loadArtifacts(body.state as { mu: number; sd: number }, { modelTopology: topo.modelTopology, weightSpecs: topo.weightSpecs, weightData });
    }
    return { model, record: Object.freeze(record) };
  }

  async #path(name: string, version?: number): Promise<string> {
    const vs = await this.versions(name);
    if (vs.length === 0) throw new RangeError(`ModelRegistry: no saved model named "${name}" under ${this.root}`);
    const v = version ?? (vs.at(-1) as number);
    if (!vs.includes(v)) throw new RangeError(`ModelRegistry: "${name}" has no version ${v}; saved versions: ${vs.join(", ")}`);
    return join(this.root, name, versionDir(v));
  }
}

function checkName(name: string): void {
  if (typeof name !== "string" || !NAME.test(name)) throw new RangeError(`ModelRegistry: name must use letters, digits, ".", "-" or "_" only, got ${JSON.stringify(name)}`);
}

export function modelRegistry(root: string): ModelRegistry {
  return new ModelRegistry(root);
}
