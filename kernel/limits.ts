/**
 * The kernel's limits, in one place: how much output one cell may show, how much memory the
 * TypeScript engine may use, and how long an interrupt waits before forcing runaway JavaScript to
 * stop. Each can be set by an environment variable (in the kernelspec's `env`, or the shell that
 * starts Jupyter); the defaults are documented in kernel/README.md.
 */
import { totalmem } from "node:os";

const MB = 1 << 20;

function envNumber(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  const v = Number(raw);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Bytes one output may hold (a cell's stdout, its stderr, one display or result): `STATARB_MAX_OUTPUT_MB`, default 16 MB. */
export function outputLimitBytes(): number {
  return Math.round((envNumber("STATARB_MAX_OUTPUT_MB") ?? 16) * MB);
}

/**
 * Memory the TypeScript engine may use, in MB: `STATARB_KERNEL_MEMORY_MB`, default half the machine's
 * memory, between 1 GB and 16 GB. Past it a running cell is stopped with a MemoryError (its variables
 * kept); the JavaScript heap's own hard limit sits a quarter above it.
 */
export function memoryLimitMb(): number {
  const given = envNumber("STATARB_KERNEL_MEMORY_MB");
  if (given !== undefined) return Math.max(64, Math.round(given));
  return Math.min(16384, Math.max(1024, Math.round(totalmem() / MB / 2)));
}

/** How long an interrupt waits for the engine's own event loop before forcing its JavaScript to stop (ms). */
export const INTERRUPT_GRACE_MS = 800;

/**
 * How long a cell may go on after an interrupt before the kernel restarts the engine (ms): the last
 * resort when neither the cell nor the forced stop ended it (e.g. native code that ignores both).
 */
export const INTERRUPT_RESTART_MS = 10_000;
