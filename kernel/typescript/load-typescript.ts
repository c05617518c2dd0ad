/**
 * The TypeScript compiler, loaded on first use (it is 9 MB of JavaScript; kernel start must stay fast)
 * through `require` semantics, with V8's code cache: compiling the bundle takes most of its load time
 * (≈ 0.8 s of ≈ 1 s for load and a first transpile on this machine; ≈ 0.25 s with the cache), and
 * Node 20 has no compile cache of its own (`module.enableCompileCache` came in Node 22). The cache is
 * written once, after the first use has compiled the functions a transpile needs, to
 * `$STATARB_CACHE_DIR` (default `$XDG_CACHE_HOME/statarb` or `~/.cache/statarb`), one file per
 * TypeScript version, Node version and V8 options; V8 checks it against the source and its own
 * flags and rejects a stale one, which is then rewritten. Without a writable cache the compiler loads
 * as before.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { setTimeout } from "node:timers";
import vm from "node:vm";
import type * as TS from "typescript";
import { makeDirsSync } from "../../lib/fs/index.js";

const require = createRequire(import.meta.url);
let loaded: typeof TS | undefined;

export function typescript(): typeof TS {
  return (loaded ??= loadCached());
}

export function typescriptLoaded(): boolean {
  return loaded !== undefined;
}

/** The installed TypeScript's version without loading the compiler. */
export function typescriptVersion(): string {
  try {
    return (require("typescript/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Where the code cache of this TypeScript, Node and V8 options lives. */
function cacheFile(): string {
  const dir = process.env.STATARB_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir() || tmpdir(), ".cache"), "statarb");
  const key = createHash("sha256").update(`${typescriptVersion()}\0${process.version}\0${process.arch}\0${process.execArgv.join(" ")}`).digest("hex").slice(0, 16);
  return join(dir, `typescript-${typescriptVersion()}-${key}.v8cache`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Loads the compiler as `require` would (same file, same module object in require's cache), compiled with the code cache. */
function loadCached(): typeof TS {
  const filename = require.resolve("typescript");
  if (require.cache[filename]) return require("typescript") as typeof TS;
  let source: string;
  try {
    source = wrappedSource(filename);
  } catch {
    return require("typescript") as typeof TS;
  }
  const file = cacheFile();
  const cachedData = readCache(file);
  const script = new vm.Script(source, { filename, cachedData });
  const mod = new Module(filename);
  mod.filename = filename;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(filename));
  require.cache[filename] = mod;
  try {
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
    wrapper.call(mod.exports, mod.exports, createRequire(filename), mod, filename, dirname(filename));
  } catch (err) {
    delete require.cache[filename];
    throw err;
  }
  mod.loaded = true;
  // after the first use (which compiles what a transpile needs, so the cache holds it too)
  if (cachedData === undefined || script.cachedDataRejected === true) setTimeout(() => writeCache(file, script), 0).unref();
  return mod.exports as typeof TS;
}

/**
 * The module's source in Node's CommonJS wrapper, made as one string from the file's bytes: reading
 * the file as a string and wrapping it (`Module.wrap`) left a second 9 MB string behind in the old
 * generation, which made V8's first full collection come early — during the kernel's first cell.
 */
function wrappedSource(filename: string): string {
  const [head, tail] = Module.wrap("\0").split("\0") as [string, string];
  return Buffer.concat([Buffer.from(head), readFileSync(filename), Buffer.from(tail)]).toString("utf8");
}

/** Writes the cache beside a temporary name and renames it in place (engines starting together never read half a file). */
function writeCache(file: string, script: vm.Script): void {
  try {
    makeDirsSync(dirname(file), 0o700);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // no writable cache: the compiler loads without it
  }
}
