/**
 * `statarb/sweep`: notebook sweeps on Ray tracked in MLflow (the `statarb sweep` command, and
 * `runSweep` for scripts), the sweep report, and MLflow logging of lib/signals' model registry.
 */
export { runSweep, SweepRefused, type RunSweepHooks, type SweepOutcome } from "./run.js";
export type { SweepOptions, GridObject } from "./options.js";
export type { SweepDocument, SweepRun, SweepEvent, RunStatus } from "./types.js";
export { writeSweepReport, sweepHeatmap } from "./report.js";
export { ProgressTracker, progressLine, progressHtml } from "./progress.js";
export { mlflowModelLogger, mlflowModelVersions, type MlflowModelOptions, type MlflowModelVersion } from "./mlflow-models.js";
export { rayMap, rayPool, type RayMapOptions, type RayMapTarget, type RayPool, type RayPoolOptions, type ParallelMap } from "./fanout.js";
export { encodeValue, decodeValue } from "./codec.js";
