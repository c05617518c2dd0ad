/**
 * sweep.html and the progress display, from a sweep.json / event stream built here (no Ray): the heatmap
 * of a chosen metric over two chosen parameters averages over the others and leaves failed runs out; a
 * metric or axis the sweep does not have is said in words; the progress counts and ETA follow the events.
 */
import { describe, expect, it } from "vitest";
import { ProgressTracker, progressHtml, progressLine } from "../../kernel/sweep/progress.js";
import { sweepHeatmap, writeSweepReport } from "../../kernel/sweep/report.js";
import type { SweepDocument, SweepRun } from "../../kernel/sweep/types.js";

function sweepDoc(): SweepDocument {
  const runs: SweepRun[] = [];
  for (const a of [1, 2]) {
    for (const b of ["x", "y"]) {
      for (const c of [10, 20]) {
        const failed = a === 2 && b === "y" && c === 20;
        runs.push({
          index: runs.length, key: `k${runs.length}`, params: { a, b, c }, status: failed ? "FAILED" : "FINISHED", attempts: 1,
          metrics: failed ? {} : { m: a * 100 + (b === "y" ? 10 : 0) + c / 10, n: 1 }, error: failed ? "Error: boom" : null, seconds: 1.5,
        });
      }
    }
  }
  return {
    notebook: "/tmp/nb.ipynb", sweepId: "s1", experiment: "e", experimentId: "1", trackingUri: "sqlite:///tmp/m.db", startedAt: "2026-01-01T00:00:00+00:00",
    finishedAt: null, workers: 2, retries: 1, ray: { address: "local", slots: 2 }, parameters: ["a", "b", "c"], summary: { FINISHED: 7, FAILED: 1 }, runs,
  };
}

describe("sweep.html", () => {
  it("draws the chosen metric over the chosen axes, averaged over the other parameters, failed runs left out", () => {
    const html = sweepHeatmap(sweepDoc(), { metric: "m", axes: ["a", "b"] });
    expect(html).toMatch(/<b>m<\/b> over <code>a<\/code> × <code>b<\/code> \(mean over <code>c<\/code>\)/);
    expect(html).toContain("101.50 (n=2)"); // a=1, b=x: (101 + 102) / 2
    expect(html).toContain("211.00"); // a=2, b=y: only c=10 finished
    expect(html).not.toContain("211.50");
    const other = sweepHeatmap(sweepDoc(), { metric: "m", axes: ["c", "a"] });
    expect(other).toMatch(/over <code>c<\/code> × <code>a<\/code> \(mean over <code>b<\/code>\)/);
  });

  it("says why there is no heatmap for a metric or an axis the sweep does not have", () => {
    expect(sweepHeatmap(sweepDoc(), { metric: "sharpe" })).toMatch(/No run recorded the metric <code>sharpe<\/code> \(recorded: m, n\)/);
    expect(sweepHeatmap(sweepDoc(), { metric: "m", axes: ["a", "zz"] })).toMatch(/Unknown heatmap parameter <code>zz<\/code>/);
  });

  it("lists every run in the table, with the failed run's error", () => {
    const page = writeSweepReport(sweepDoc(), { out: "/tmp" });
    expect(page.match(/<tr><td>/g)).toHaveLength(8);
    expect(page).toContain("Error: boom");
    expect(page).toMatch(/FINISHED 7 · FAILED 1/);
  });
});

describe("the progress of a sweep", () => {
  it("counts done, failed, running and skipped runs and estimates the time left from the throughput", () => {
    let now = 0;
    const p = new ProgressTracker(() => now);
    p.apply({ event: "plan", total: 5, toRun: 4, skipped: 1 });
    p.apply({ event: "ray", embedded: true, address: "local", slots: 2, startSeconds: 3 });
    p.apply({ event: "started", index: 1, key: "a", attempt: 1, params: {} });
    p.apply({ event: "started", index: 2, key: "b", attempt: 1, params: {} });
    now = 10_000;
    const s = p.apply({ event: "run", index: 1, key: "a", status: "FINISHED", attempts: 1 });
    expect([s.finished, s.running, s.skipped, s.failed]).toEqual([1, 1, 1, 0]);
    expect(s.eta).toBe(30); // 10 s per completed run since the first start, 3 runs to go
    expect(progressLine(s)).toMatch(/^\[#{10}\.{14}\] 2\/5 {2}done 1 · failed 0 · running 1 · skipped 1 · ETA 0:30 \(0:10\)$/);
    now = 12_000;
    const f = p.apply({ event: "run", index: 2, key: "b", status: "FAILED", attempts: 1, error: "Error: x" });
    expect(f.note).toBe("run 2 failed: Error: x");
    expect(progressHtml(f)).toContain("run 2 failed: Error: x");
    expect(p.apply({ event: "done", summary: {}, cancelled: true }).phase).toBe("cancelled");
  });
});
