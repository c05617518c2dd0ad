/**
 * Runs a Python snippet in the project's `.venv` (statsmodels, numpy, empyrical, …) for peer
 * cross-checks. Input goes in as JSON on stdin (`json.load(sys.stdin)` → `data`), the snippet
 * prints one JSON document on stdout. NaN/Infinity are allowed in both directions.
 */
import { execa } from "execa";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const venvPython = `${repoRoot}.venv/bin/python`;

/** Whether `.venv` exists (scripts/setup makes it). */
export function hasVenv(): boolean {
  return existsSync(venvPython);
}

/** Encodes typed arrays as plain arrays so JSON.stringify keeps them. */
function replacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (typeof value === "number" && !Number.isFinite(value)) return { __float__: String(value) };
  return value;
}

const PRELUDE = `
import json, sys, math
def _decode(o):
    if isinstance(o, dict) and set(o) == {"__float__"}:
        return float(o["__float__"])
    return o
def _walk(o):
    if isinstance(o, dict):
        if set(o) == {"__float__"}: return float(o["__float__"])
        return {k: _walk(v) for k, v in o.items()}
    if isinstance(o, list): return [_walk(v) for v in o]
    return o
data = _walk(json.load(sys.stdin))
def emit(obj):
    import numpy as _np
    def conv(o):
        if isinstance(o, _np.ndarray): return o.tolist()
        if isinstance(o, (_np.floating,)): return float(o)
        if isinstance(o, (_np.integer,)): return int(o)
        if isinstance(o, (_np.bool_,)): return bool(o)
        raise TypeError(type(o))
    sys.stdout.write(json.dumps(obj, default=conv))
`;

/**
 * Runs `code` with `data` bound to the decoded input; the code calls `emit(result)`. The time limit is
 * generous: importing statsmodels or vectorbt (numba compiles on first use) on a 2-core machine shared
 * with other work takes minutes; a limit catches a hung interpreter, not a slow one.
 */
export async function runPython<T = unknown>(code: string, data: unknown = null, timeoutMs = 600_000): Promise<T> {
  const { stdout } = await execa(venvPython, ["-c", PRELUDE + "\n" + code], {
    input: JSON.stringify(data, replacer),
    timeout: timeoutMs,
    maxBuffer: 1 << 30,
    // vitest already keeps both cores busy: a second BLAS thread per interpreter only oversubscribes them
    env: { OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? "1" },
  });
  return JSON.parse(stdout.replace(/\bNaN\b/g, "null").replace(/-Infinity\b/g, "-1e999").replace(/\bInfinity\b/g, "1e999")) as T;
}

/** A test title that states the skip reason only when `.venv` is missing (so a passing test never says "skipped"). */
export function venvTitle(title: string): string {
  return hasVenv() ? title : `${title} (skipped: no .venv; run bash scripts/setup)`;
}
