/**
 * Progress of long library calls (walk-forward, model fits, Monte Carlo, sweeps): each takes an
 * optional `onProgress` callback called with a {@link Progress}. {@link progressBar} makes one that
 * draws a bar — on the terminal (stderr, redrawn in place on a TTY, a line per tenth otherwise), or,
 * inside the statarb kernel, as one display that updates in place (the kernel registers a sink under
 * `Symbol.for("statarb.progress")`; lib never imports the kernel).
 */

/** One report: `done` of `total` units (folds, epochs, paths, runs) of `task`. */
export interface Progress {
  readonly task: string;
  readonly done: number;
  readonly total: number;
  readonly unit: string;
}

/** What `onProgress` options take. */
export type ProgressCallback = (progress: Progress) => void;

/**
 * What {@link progressBar} returns: a {@link ProgressCallback} that also takes the
 * `(day, days, fits)` form of `runBacktest`'s `onProgress`.
 */
export type ProgressBar = ProgressCallback & ((day: number, days: number, fits?: number) => void);

/** Where a bar is drawn: the kernel's updating display registers one of these. */
export interface ProgressSink {
  update(progress: Progress, text: string, html: string): void;
  close(): void;
}

const SINK_KEY = Symbol.for("statarb.progress");

/** The kernel's sink factory, if the code runs inside the statarb kernel. */
function kernelSink(): (() => ProgressSink) | undefined {
  const f = (globalThis as Record<symbol, unknown>)[SINK_KEY];
  return typeof f === "function" ? (f as () => ProgressSink) : undefined;
}

/** Calls `cb` with a report (no-op without a callback). */
export function reportProgress(cb: ProgressCallback | undefined, task: string, unit: string, done: number, total: number): void {
  if (cb !== undefined) cb({ task, done, total, unit });
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

/** `task ███████░░░░░  58% 7/12 folds  3.1s, ~2.2s left` */
export function progressText(p: Progress, elapsedMs: number, width = 24): string {
  const f = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const full = Math.round(f * width);
  const eta = f > 0 && f < 1 ? `, ~${seconds((elapsedMs / f) * (1 - f))} left` : "";
  return `${p.task} ${"█".repeat(full)}${"░".repeat(width - full)} ${String(Math.round(f * 100)).padStart(3)}% ${p.done}/${p.total} ${p.unit}  ${seconds(elapsedMs)}${eta}`;
}

function progressHtml(p: Progress, text: string): string {
  const f = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const label = text.replace(/ [█░]+ /, " ").replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] as string);
  return `<div class="statarb-progress"><progress value="${f.toFixed(4)}" max="1" style="width:16em;vertical-align:middle"></progress> <code>${label}</code></div>`;
}

function terminalSink(stream: NodeJS.WriteStream): ProgressSink {
  let lastTenth = -1;
  return {
    update(p, text) {
      if (stream.isTTY) {
        stream.write(`\r${text}\x1b[K`);
        return;
      }
      const tenth = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 0;
      if (tenth !== lastTenth) stream.write(`${text}\n`);
      lastTenth = tenth;
    },
    close() {
      if (stream.isTTY) stream.write("\n");
    },
  };
}

/**
 * A progress callback that draws a bar: pass it as `onProgress`. In a script the bar goes to stderr;
 * in the statarb kernel it is one output that updates in place. The bar closes when `done` reaches
 * `total`; a later report starts a new one.
 */
export function progressBar(options: { stream?: NodeJS.WriteStream } = {}): ProgressBar {
  let sink: ProgressSink | undefined;
  let start = 0;
  return ((a: Progress | number, days?: number) => {
    const p: Progress = typeof a === "number" ? { task: "runBacktest", done: a, total: days ?? a, unit: "days" } : a;
    if (sink === undefined) {
      const fromKernel = options.stream === undefined ? kernelSink() : undefined;
      sink = fromKernel ? fromKernel() : terminalSink(options.stream ?? process.stderr);
      start = performance.now();
    }
    const text = progressText(p, performance.now() - start);
    sink.update(p, text, progressHtml(p, text));
    if (p.done >= p.total) {
      sink.close();
      sink = undefined;
    }
  }) as ProgressBar;
}
