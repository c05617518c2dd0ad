/**
 * Optional adapter to the `native/linalg` addon (Eigen / LAPACK symmetric eigen-decomposition).
 * When the addon is not built every function returns `null` and lib/stats uses its TypeScript
 * path, which gives the same numbers up to rounding. The loaded addon is memoised: loading a
 * `.node` file is idempotent process-wide, so this cache is not state a backtest could observe.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

interface LinalgAddon {
  /** Lower triangle of the column-major n×n `a` is read; writes ascending values and column-major vectors. */
  eigh(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): void;
  backend?: string;
}

const memo: { addon?: LinalgAddon | null } = {};

function candidates(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out: string[] = [];
  const env = process.env.STATARB_LINALG_ADDON;
  if (env) out.push(env);
  // lib/stats (source, via tsx/vitest) or dist/lib/stats (built)
  for (const up of ["../..", "../../.."]) {
    const root = path.resolve(here, up);
    for (const rel of ["native/build/Release/statarb_linalg.node", "native/build-linalg/Release/statarb_linalg.node"]) {
      out.push(path.join(root, rel));
    }
  }
  return out;
}

/** The addon, or null when it is not built (or disabled with STATARB_NATIVE_LINALG=0). */
export function linalgAddon(): LinalgAddon | null {
  if (memo.addon !== undefined) return memo.addon;
  memo.addon = null;
  if (process.env.STATARB_NATIVE_LINALG === "0") return null;
  const require = createRequire(import.meta.url);
  for (const file of candidates()) {
    if (!existsSync(file)) continue;
    try {
      const mod = require(file) as LinalgAddon;
      if (typeof mod.eigh === "function") {
        memo.addon = mod;
        break;
      }
    } catch {
      // a stale or foreign build: fall back to TypeScript
    }
  }
  return memo.addon;
}

/** Whether the native linalg addon is available. */
export function hasNativeLinalg(): boolean {
  return linalgAddon() !== null;
}

/** Native symmetric eigen-decomposition, or null when the addon is not built. */
export function nativeEigh(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } | null {
  const addon = linalgAddon();
  if (!addon) return null;
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  addon.eigh(a, n, values, vectors);
  return { values, vectors };
}
