/**
 * `await sweep({ notebook, params: { name: [values…] }, … })` in a notebook cell: the same sweep as the
 * command line, with its progress as a display that updates in place; interrupting the cell cancels the
 * sweep (its tasks, their kernels and the embedded Ray stop). Resolves to the sweep's outcome, which
 * displays as the heatmap and table of sweep.html.
 */
import type { SweepOptions } from "./options.js";
import { ProgressTracker, progressHtml } from "./progress.js";
import { sweepHeatmap } from "./report.js";
import { runSweep, type SweepOutcome } from "./run.js";

/** The slice of the kernel's display API the progress needs. */
export interface ProgressDisplay {
  html(html: string): { html(html: string): unknown };
}

export type SweepResult = SweepOutcome & { [Symbol.toStringTag]: string };

function withDisplay(outcome: SweepOutcome): SweepResult {
  const doc = outcome.document;
  const summary = doc ? Object.entries(doc.summary).map(([k, v]) => `${k} ${v}`).join(" · ") : "no sweep.json";
  return Object.defineProperties({ ...outcome } as SweepResult, {
    [Symbol.toStringTag]: { value: "SweepResult" },
    [Symbol.for("Jupyter.display")]: {
      value: () => ({
        "text/html": `<div><p>${summary} → <code>${outcome.htmlPath ?? outcome.jsonPath}</code></p>${doc ? sweepHeatmap(doc, {}) : ""}</div>`,
        "text/plain": `sweep: ${summary} → ${outcome.jsonPath}`,
      }),
    },
  });
}

export async function notebookSweep(options: SweepOptions, display: ProgressDisplay, onInterrupt: (listener: () => void) => () => void): Promise<SweepResult> {
  const progress = new ProgressTracker();
  const handle = display.html(progressHtml(progress.state));
  const abort = new AbortController();
  const off = onInterrupt(() => abort.abort());
  const timer = setInterval(() => handle.html(progressHtml(progress.tick())), 1000);
  try {
    const outcome = await runSweep(options, {
      signal: abort.signal,
      onEvent: (e) => handle.html(progressHtml(progress.apply(e))),
    });
    handle.html(progressHtml(progress.tick()));
    return withDisplay(outcome);
  } finally {
    clearInterval(timer);
    off();
  }
}
