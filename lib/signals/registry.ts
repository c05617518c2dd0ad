/**
 * Model registry: fitted models saved with their parameters, training window and metrics in a
 * versioned folder, `<root>/<name>/v0001/`, `v0002/`, … Each version holds `model.json` (kind and
 * fitted state), `meta.json` (the record) and, for tfjs networks, `topology.json` + `weights.bin`.
 * A version is written into a temporary folder and renamed into place, so a reader never sees a
 * half-written version and a crash leaves no partial one; two writers racing for a version number
 * both succeed (the loser retries with the next number).
 *
 * Names are one path segment of a safe character set (letters, digits, `.`, `-`, `_`, starting with a
 * letter or digit, no `..`, at most 128 characters); every path is resolved and must stay inside the
 * root (a name folder that is a symbolic link out of it is refused). The temporary folder of a process
 * killed mid-save (`<name>/.tmp-<pid>-<hex>`) is removed by the next save of that name, or by
 * {@link ModelRegistry.cleanOrphans}, once its process is gone or it is a day old.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { checkKeys, type DateLike, describeValue, fromEpochDay, opt, readOptions, toEpochDay } from "../data/index.js";
import type { AlphaModel } from "./alpha-model.js";
import { MODEL_KINDS } from "./models.js";
import { type NetworkArtifacts, SequenceModel } from "./sequence-model.js";
import { makeDirs } from "../fs/index.js";

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

const LOADERS = MODEL_KINDS;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const TMP = /^\.tmp-(\d+)-[0-9a-f]+$/;
/** A temporary folder older than this is an orphan even if a process with its pid runs (pids are reused). */
const ORPHAN_AGE_MS = 24 * 3600 * 1000;

function versionDir(v: number): string {
  return `v${String(v).padStart(4, "0")}`;
}

/** Whether a process with this pid runs on this machine (EPERM: it runs under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Called with each version once it is saved (e.g. kernel/sweep's `mlflowModelLogger`, which logs it to MLflow). */
export type ModelSavedHook = (record: ModelRecord) => unknown;

/** Options of {@link ModelRegistry}. */
export interface ModelRegistryOptions {
  /** Awaited after each save; its failure is reported, the saved version stays (default none). */
  onSave?: ModelSavedHook;
}

export class ModelRegistry {
  readonly root: string;
  readonly #absRoot: string;
  readonly #onSave: ModelSavedHook | undefined;

  constructor(root: string, options: ModelRegistryOptions = {}) {
    if (typeof root !== "string" || root.length === 0) throw new TypeError(`ModelRegistry: root must be a folder path, got ${describeValue(root)}`);
    this.root = root;
    this.#absRoot = resolve(root);
    this.#onSave = readOptions("ModelRegistry", options, { onSave: opt.callback<ModelSavedHook>() }).onSave;
  }

  /** Awaits the onSave hook; the saved version stays when it fails, and the error says so. */
  async #saved(record: ModelRecord): Promise<ModelRecord> {
    try {
      await this.#onSave?.(record);
    } catch (e) {
      throw new Error(`ModelRegistry.save: ${record.name} v${record.version} is saved at ${record.path}, but its onSave hook failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return record;
  }

  /** `root/...parts`, resolved, refused when it leaves the root. */
  #inside(...parts: string[]): string {
    const p = resolve(this.#absRoot, ...parts);
    if (p !== this.#absRoot && !p.startsWith(this.#absRoot + sep)) throw new RangeError(`ModelRegistry: ${p} is outside the registry root ${this.#absRoot}`);
    return p;
  }

  /** The folder of a (checked) name; refused when it is a link leading out of the root. */
  async #base(where: string, name: string): Promise<string> {
    checkName(where, name);
    const base = this.#inside(name);
    if (existsSync(base)) {
      const [real, realRoot] = await Promise.all([realpath(base), realpath(this.#absRoot)]);
      if (!real.startsWith(realRoot + sep)) throw new RangeError(`${where}: ${base} leads to ${real}, outside the registry root ${realRoot}`);
    }
    return base;
  }

  /** Saved versions of `name`, oldest first. */
  async versions(name: string): Promise<number[]> {
    const dir = await this.#base("ModelRegistry.versions", name);
    if (!existsSync(dir)) return [];
    return (await readdir(dir)).filter((d) => /^v\d{4,}$/.test(d)).map((d) => Number(d.slice(1))).sort((a, b) => a - b);
  }

  /** Names with at least one saved version. */
  async names(): Promise<string[]> {
    if (!existsSync(this.#absRoot)) return [];
    const out: string[] = [];
    for (const d of (await readdir(this.#absRoot)).sort()) if (isName(d) && (await this.versions(d)).length > 0) out.push(d);
    return out;
  }

  /**
   * Removes the temporary folders left by saves whose process died (of `name`, or of every name):
   * those whose pid no longer runs here, or older than a day. Returns the removed paths.
   */
  async cleanOrphans(name?: string): Promise<string[]> {
    const names = name === undefined ? (existsSync(this.#absRoot) ? (await readdir(this.#absRoot)).filter(isName) : []) : [name];
    const removed: string[] = [];
    for (const n of names) {
      const base = await this.#base("ModelRegistry.cleanOrphans", n);
      if (!existsSync(base)) continue;
      for (const d of await readdir(base)) {
        const m = TMP.exec(d);
        if (m === null) continue;
        const path = this.#inside(n, d);
        const old = Date.now() - (await stat(path)).mtimeMs > ORPHAN_AGE_MS;
        if (!old && processAlive(Number(m[1]))) continue;
        await rm(path, { recursive: true, force: true });
        removed.push(path);
      }
    }
    return removed;
  }

  /** Saves a fitted model as the next version of its name; returns the record. */
  async save(model: AlphaModel, options: SaveModelOptions): Promise<ModelRecord> {
    const W = "ModelRegistry.save";
    const kind = model.name;
    if (LOADERS[kind] === undefined) throw new RangeError(`${W}: no loader for model kind "${kind}"; known: ${Object.keys(LOADERS).join(", ")}`);
    const toJSON = (model as { toJSON?: () => unknown }).toJSON;
    if (typeof toJSON !== "function") throw new TypeError(`${W}: model "${kind}" has no toJSON()`);
    const o = checkKeys(W, options, ["name", "trainingWindow", "metrics", "notes"]);
    const name = (o.get("name") ?? kind) as string;
    const base = await this.#base(W, name);
    const window = o.get("trainingWindow") as SaveModelOptions["trainingWindow"] | undefined;
    if (window === undefined) throw new TypeError(`${W}: trainingWindow { start, end } is required`);
    const start = fromEpochDay(toEpochDay(window.start));
    const end = fromEpochDay(toEpochDay(window.end));
    const metrics = { ...((o.get("metrics") ?? {}) as Record<string, number>) };
    for (const [k, v] of Object.entries(metrics)) if (typeof v !== "number") throw new TypeError(`${W}: metrics.${k} must be a number, got ${typeof v}`);
    const notes = (o.get("notes") ?? "") as string;
    const state = toJSON.call(model);
    const files: Record<string, string | Uint8Array> = { "model.json": JSON.stringify({ formatVersion: 1, kind, state }, null, 1) };
    if (model instanceof SequenceModel) {
      const artifacts = await model.saveArtifacts();
      files["topology.json"] = JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs });
      files["weights.bin"] = new Uint8Array(artifacts.weightData);
    }
    await makeDirs(base);
    await this.cleanOrphans(name);
    const make = (version: number, path: string): ModelRecord => ({ name, version, kind, params: model.params, trainingWindow: { start, end }, metrics, notes, createdAt: new Date().toISOString(), path });
    return this.#writeVersion(name, files, make);
  }

  /** Writes `files` into a temporary folder and renames it to the next free version (atomic). */
  async #writeVersion(name: string, files: Record<string, string | Uint8Array>, make: (version: number, path: string) => ModelRecord): Promise<ModelRecord> {
    const tmp = this.#inside(name, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
    await mkdir(tmp);
    try {
      for (;;) {
        const version = ((await this.versions(name)).at(-1) ?? 0) + 1;
        const record = make(version, join(this.root, name, versionDir(version)));
        for (const [f, body] of Object.entries({ ...files, "meta.json": JSON.stringify(record, null, 1) })) await writeFile(join(tmp, f), body);
        try {
          await rename(tmp, this.#inside(name, versionDir(version)));
          return await this.#saved(Object.freeze(record));
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
    if (model instanceof SequenceModel) {
      const topo = JSON.parse(await readFile(join(path, "topology.json"), "utf8")) as { modelTopology: object; weightSpecs: NetworkArtifacts["weightSpecs"] };
      const bin = await readFile(join(path, "weights.bin"));
      const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer;
      await model.loadArtifacts(body.state as { mu: number; sd: number }, { modelTopology: topo.modelTopology, weightSpecs: topo.weightSpecs, weightData });
    }
    return { model, record: Object.freeze(record) };
  }

  async #path(name: string, version?: number): Promise<string> {
    if (version !== undefined && !(Number.isSafeInteger(version) && version >= 1)) throw new RangeError(`ModelRegistry: version must be an integer ≥ 1, got ${describeValue(version)}`);
    const vs = await this.versions(name);
    if (vs.length === 0) throw new RangeError(`ModelRegistry: no saved model named "${name}" under ${this.root}`);
    const v = version ?? (vs.at(-1) as number);
    if (!vs.includes(v)) throw new RangeError(`ModelRegistry: "${name}" has no version ${v}; saved versions: ${vs.join(", ")}`);
    return this.#inside(name, versionDir(v));
  }
}

function isName(name: unknown): name is string {
  return typeof name === "string" && NAME.test(name) && !name.includes("..");
}

function checkName(where: string, name: unknown): void {
  if (typeof name !== "string") throw new TypeError(`${where}: name must be a string, got ${describeValue(name)}`);
  if (!isName(name)) {
    throw new RangeError(
      `${where}: name must use letters, digits, ".", "-" or "_" only, start with a letter or digit, contain no ".." and have at most 128 characters (one folder inside the registry root), got ${describeValue(name)}`,
    );
  }
}

export function modelRegistry(root: string, options: ModelRegistryOptions = {}): ModelRegistry {
  return new ModelRegistry(root, options);
}
