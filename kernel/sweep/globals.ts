/**
 * The globals statarb adds to every cell for sweeps: `record(name, value)` (kernel/display/record.ts)
 * and `sweep(options)`, which loads the sweep machinery only when first called (kernel start-up stays
 * light). The TypeScript language registers them with one call.
 */
import { createRecord } from "../display/record.js";
import type { MimeBundle } from "../impl.js";
import type { SweepOptions } from "./options.js";
import type { ProgressDisplay, SweepResult } from "./notebook.js";

export interface SweepGlobalsHost {
  /** Defines a hidden global. */
  define(name: string, value: unknown): void;
  /** The cell's display API (its raw-bundle method and its html method). */
  display: ProgressDisplay & { bundle(bundle: MimeBundle, options: { metadata: Record<string, unknown> }): unknown };
  /** Registers a listener called when the user interrupts the kernel; returns its removal. */
  onInterrupt(listener: () => void): () => void;
}

export function installSweepGlobals(host: SweepGlobalsHost): void {
  host.define("record", createRecord((bundle, options) => host.display.bundle(bundle, options)));
  host.define("sweep", async (options: SweepOptions): Promise<SweepResult> => {
    const { notebookSweep } = await import("./notebook.js");
    return notebookSweep(options, host.display, host.onInterrupt);
  });
}

/** Declarations of these globals for type checking and completion of cells. */
export const SWEEP_GLOBALS_DTS = `
/** Records a named value of this run (a metric when it is a number) in the output's metadata, for \`statarb sweep\` and MLflow. */
declare function record(name: string, value: number | boolean | string | null | readonly unknown[] | Record<string, unknown> | ArrayLike<number>): void;
/** Runs a notebook over a parameter grid on Ray, every run tracked in MLflow (the \`statarb sweep\` command); shows its progress. */
declare function sweep(options: {
  notebook: string; params?: Record<string, readonly unknown[]> | readonly string[]; grid?: string | readonly Record<string, unknown>[];
  workers?: number; address?: string; experiment?: string; trackingUri?: string; out?: string; retries?: number; timeout?: number;
  metric?: string; axes?: readonly string[]; cwd?: string;
}): Promise<{ readonly document: { readonly runs: readonly { readonly index: number; readonly params: Record<string, unknown>; readonly status: string; readonly runId?: string; readonly metrics?: Record<string, number | string>; readonly error?: string | null; readonly notebook?: string | null }[]; readonly summary: Record<string, number> } | undefined; readonly jsonPath: string; readonly htmlPath: string | undefined; readonly exitCode: number; readonly cancelled: boolean }>;
`;
