/**
 * The dataset cache on disk (`datasets/.cache/<name>/`, written by `scripts/fetch-datasets.mjs`):
 * every file is read together with `meta.json` and checked against the size and sha256 recorded there
 * when it was fetched, so a truncated or edited cache is refused with an error that names the file and
 * the command that repairs it, and never returns altered rows. The check hashes the very bytes that are
 * then parsed (about 10 ms for 3 MB), so an edit between a check and a read cannot slip through.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** What meta.json records of one cached file. */
interface FileDigest {
  readonly sha256: string;
  readonly bytes?: number;
}

/** The part of a dataset's meta.json the loader relies on. */
export interface CacheMeta {
  readonly name: string;
  readonly source: string;
  readonly rows: number;
  readonly sha256: string;
  readonly files?: Readonly<Record<string, FileDigest>>;
}

/** How to describe a dataset in cache errors. */
export interface CacheSubject {
  readonly name: string;
  readonly source: { readonly registry: string; readonly package: string; readonly version: string };
}

/** The command that rebuilds one dataset's cache. */
export function repairCommand(name: string): string {
  return `node scripts/fetch-datasets.mjs --force --only ${name}`;
}

function notMaterialised(ds: CacheSubject, file: string): Error {
  const s = ds.source;
  return new Error(
    `Dataset "${ds.name}" is not materialised (no ${file}). It comes from the ${s.registry} package ${s.package} ${s.version}; ` +
      `fetch it with: node scripts/fetch-datasets.mjs --only ${ds.name}   (or: bash scripts/setup)`,
  );
}

function corrupt(ds: CacheSubject, path: string, what: string): Error {
  return new Error(
    `Dataset "${ds.name}": the cached file ${path} ${what}, so it was truncated or edited after it was fetched; nothing of it was loaded. ` +
      `Repair the cache with: ${repairCommand(ds.name)}`,
  );
}

function parseMeta(ds: CacheSubject, path: string, text: string): CacheMeta {
  let meta: CacheMeta;
  try {
    meta = JSON.parse(text) as CacheMeta;
  } catch {
    throw corrupt(ds, path, "is not valid JSON");
  }
  if (typeof meta.sha256 !== "string" && meta.files === undefined) throw corrupt(ds, path, "records no sha256");
  return meta;
}

function digestOf(meta: CacheMeta, file: string): FileDigest | undefined {
  if (meta.files !== undefined) return meta.files[file];
  return file === "data.csv" ? { sha256: meta.sha256 } : undefined;
}

/** Checks `body` (the bytes of `file`) against meta.json; returns it as text. */
function verify(ds: CacheSubject, meta: CacheMeta, file: string, path: string, body: Buffer): string {
  const want = digestOf(meta, file);
  if (want === undefined) throw corrupt(ds, path, "is not listed in meta.json");
  if (want.bytes !== undefined && body.length !== want.bytes) throw corrupt(ds, path, `has ${body.length} bytes where meta.json records ${want.bytes}`);
  const sha = createHash("sha256").update(body).digest("hex");
  if (sha !== want.sha256) throw corrupt(ds, path, `has sha256 ${sha.slice(0, 12)}… where meta.json records ${want.sha256.slice(0, 12)}…`);
  return body.toString("utf8");
}

/** Reads `file` of a cached dataset, checked against its meta.json (asynchronously). */
export async function readCachedFile(ds: CacheSubject, cacheDir: string, file: string): Promise<{ text: string; meta: CacheMeta }> {
  const dir = join(cacheDir, ds.name);
  const path = join(dir, file);
  let metaText: string;
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    throw notMaterialised(ds, path);
  }
  try {
    metaText = await readFile(join(dir, "meta.json"), "utf8");
  } catch {
    throw corrupt(ds, join(dir, "meta.json"), "is missing");
  }
  const meta = parseMeta(ds, join(dir, "meta.json"), metaText);
  return { text: verify(ds, meta, file, path, body), meta };
}

/** Synchronous {@link readCachedFile}, for small files read by getters. */
export function readCachedFileSync(ds: CacheSubject, cacheDir: string, file: string): { text: string; meta: CacheMeta } {
  const dir = join(cacheDir, ds.name);
  const path = join(dir, file);
  let body: Buffer;
  let metaText: string;
  try {
    body = readFileSync(path);
  } catch {
    throw notMaterialised(ds, path);
  }
  try {
    metaText = readFileSync(join(dir, "meta.json"), "utf8");
  } catch {
    throw corrupt(ds, join(dir, "meta.json"), "is missing");
  }
  const meta = parseMeta(ds, join(dir, "meta.json"), metaText);
  return { text: verify(ds, meta, file, path, body), meta };
}

/** Refuses a parsed file whose row count differs from meta.json's (a second line of defence after the hash). */
export function checkRows(ds: CacheSubject, path: string, meta: CacheMeta, rows: number): void {
  if (rows !== meta.rows) throw corrupt(ds, path, `has ${rows} rows where meta.json records ${meta.rows}`);
}
