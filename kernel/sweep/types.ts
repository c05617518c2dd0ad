/** The JSON shapes shared with the Python driver (kernel/sweep/statarb_sweep/driver.py): events and sweep.json. */

export type RunStatus = "PENDING" | "RUNNING" | "FINISHED" | "FAILED" | "SKIPPED" | "CANCELLED";

/** One parameter set of a sweep, as sweep.json lists it. */
export interface SweepRun {
  readonly index: number;
  /** Hash of the notebook's content and the parameters: what a re-run skips when MLflow holds it FINISHED. */
  readonly key: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: RunStatus;
  readonly attempts: number;
  readonly runId?: string;
  /** Numeric values the notebook recorded (the last of each name); non-finite ones as "NaN"/"Infinity". */
  readonly metrics?: Readonly<Record<string, number | string>>;
  /** Other recorded values (strings, arrays, objects). */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly error?: string | null;
  readonly seconds?: number;
  /** The executed notebook (up to the failing cell when it failed) and its HTML export. */
  readonly notebook?: string | null;
  readonly html?: string | null;
  readonly host?: string;
  /** Process id of the Ray worker that ran it (a worker runs many: Python, papermill and nbconvert are imported once per worker). */
  readonly worker?: number;
  /** Seconds of the HTML export (in the task) and of writing the files and logging to MLflow (driver). */
  readonly timings?: Readonly<{ html: number; tracking: number }>;
}

/** DIR/sweep.json. */
export interface SweepDocument {
  readonly notebook: string;
  readonly sweepId: string;
  readonly experiment: string;
  readonly experimentId: string | null;
  readonly trackingUri: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly workers: number;
  readonly retries: number;
  readonly ray: Readonly<{ embedded?: boolean; address?: string; gcsAddress?: string; slots?: number; startSeconds?: number }>;
  readonly parameters: readonly string[];
  readonly summary: Readonly<Record<string, number>>;
  readonly runs: readonly SweepRun[];
}

/** Progress events, one JSON line each. */
export type SweepEvent =
  | { event: "plan"; total: number; toRun: number; skipped: number; out?: string; trackingUri?: string; experimentId?: string; sweepId?: string; workers?: number }
  | { event: "ray"; embedded: boolean; address: string; slots: number; startSeconds: number }
  | { event: "started"; index: number; key: string; attempt: number; params: Record<string, unknown> }
  | { event: "retry"; index: number; key: string; attempt: number; error: string }
  | { event: "run"; index: number; key: string; status: RunStatus; seconds?: number; metrics?: Record<string, number>; error?: string | null; runId?: string; attempts: number; notebook?: string | null }
  | { event: "refused"; message: string }
  /** The grid is valid and the sweep goes on (before MLflow and Ray start). */
  | { event: "accepted"; total: number }
  | { event: "done"; summary: Record<string, number>; sweepJson?: string; cancelled: boolean };
