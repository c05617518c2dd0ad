/**
 * `mkdir -p` that always returns. Node 20's `mkdir(path, { recursive: true })` (sync and async) never
 * returns for a path under /proc whose parent does not exist (e.g. "/proc/none/out"): libuv's recursive
 * walk retries ENOENT forever, spinning a core — so a mistyped output folder or cache directory hung the
 * caller (an engine's main thread, or a thread-pool thread behind a promise that never settles). These
 * walk the path's prefixes themselves, one non-recursive mkdir each: at most one attempt per component,
 * and the first error other than "already exists" is thrown (EEXIST on a non-directory is ENOTDIR).
 */
import { mkdirSync, statSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { resolve, sep } from "node:path";

/** The absolute prefixes of `path`, shortest first ("/a", "/a/b", "/a/b/c"). */
function prefixes(path: string): string[] {
  const abs = resolve(path);
  const parts = abs.split(sep).filter((p) => p !== "");
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) out.push(sep + parts.slice(0, i).join(sep));
  return out;
}

function notADirectory(dir: string): Error {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}' (a file of that name is in the way)`), { code: "ENOTDIR", path: dir });
}

/** Creates `path` and any missing parents; returns once it is a directory, throws the first real error. */
export function makeDirsSync(path: string, mode?: number): void {
  for (const dir of prefixes(path)) {
    try {
      mkdirSync(dir, mode === undefined ? undefined : { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (!statSync(dir).isDirectory()) throw notADirectory(dir);
    }
  }
}

/** The asynchronous form of {@link makeDirsSync}. */
export async function makeDirs(path: string, mode?: number): Promise<void> {
  for (const dir of prefixes(path)) {
    try {
      await mkdir(dir, mode === undefined ? undefined : { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (!(await stat(dir)).isDirectory()) throw notADirectory(dir);
    }
  }
}
