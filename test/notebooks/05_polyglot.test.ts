/**
 * notebooks/05_polyglot under papermill with two pairs: R's urca Johansen statistics equal lib/stats',
 * Octave's block-bootstrap distribution agrees with lib/backtest's, data crossed with %put/%get, and
 * the q step ran when kdb+ is present or said in one line why it was skipped.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { johansen, loadDataset } from "../../lib/index.js";
import { assertClean, chartCount, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, outputsWithMime, runNotebook, tableCount } from "./harness.js";

function polyglotEnvironment(): { ok: boolean; reason: string } {
  const nb = notebookEnvironment();
  if (!nb.ok) return nb;
  const r = spawnSync("Rscript", ["-e", "library(urca)"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return { ok: false, reason: "R with urca is not installed (Debian r-base-core, r-cran-urca; bash scripts/setup)" };
  const o = spawnSync("octave-cli", ["--version"], { encoding: "utf8" });
  if (o.error || o.status !== 0) return { ok: false, reason: "octave-cli is not installed (Debian octave; bash scripts/setup)" };
  return { ok: true, reason: "" };
}
const env = polyglotEnvironment();

const DEFAULTS = { pairA: "KO", pairB: "PEP", start: "2015-01-01", end: "2019-12-31", simulations: 1000 };
const PARAMETER_SETS: Record<string, unknown>[] = [
  {},
  { pairA: "XOM", pairB: "CVX", start: "2012-01-01", end: "2016-12-31", simulations: 600, blockSize: 10, zWindow: 40 },
];

interface Key05 {
  johansen: { traceTS: number[]; traceR: number[]; maxEigTS: number[]; maxEigR: number[]; maxAbsDiff: number };
  strategy: { days: number; sharpe: number };
  monteCarlo: { wealthOctave: number[]; wealthTS: number[]; lossOctave: number; lossTS: number };
  q: { available: boolean; reason: string; ran: boolean };
}

describe.skipIf(!env.ok)(`notebook 05_polyglot${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i: R, Octave (and q when present) agree with lib", async (_i, params) => {
    const p = { ...DEFAULTS, ...params } as typeof DEFAULTS;
    const run = await runNotebook("05_polyglot", params);
    assertClean(run);
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(3);
    expect(chartCount(run.notebook).svg + chartCount(run.notebook).htmlFigures).toBeGreaterThanOrEqual(1);
    const rPlots = outputsWithMime(run.notebook, "image/png"); // R's base graphics, through the %%R magic
    expect(rPlots.length).toBe(1);
    expect(Buffer.from(rPlots[0] as string, "base64").subarray(1, 4).toString("latin1")).toBe("PNG");
    const k = keyNumbers<Key05>(run.notebook);

    // Johansen: TypeScript = urca, and TypeScript = lib recomputed here
    expect(k.johansen.traceR).toHaveLength(2);
    for (let r = 0; r < 2; r++) {
      expect(k.johansen.traceR[r]).toBeCloseTo(k.johansen.traceTS[r] as number, 6);
      expect(k.johansen.maxEigR[r]).toBeCloseTo(k.johansen.maxEigTS[r] as number, 6);
    }
    const prices = (await loadDataset("skfolio-sp500")).slice({ start: p.start, end: p.end, assets: [p.pairA, p.pairB] });
    const jo = johansen(prices.mapColumns((c) => c.map(Math.log)), { detOrder: 0, kArDiff: 1 });
    expect(k.johansen.traceTS[0]).toBeCloseTo(jo.trace[0] as number, 10);

    // Monte Carlo: two random streams, one distribution
    const o = k.monteCarlo.wealthOctave;
    const t = k.monteCarlo.wealthTS;
    expect(o).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(o[i] as number).toBeGreaterThanOrEqual(o[i - 1] as number);
    const iqr = (t[3] as number) - (t[1] as number);
    expect(Math.abs((o[2] as number) - (t[2] as number))).toBeLessThan(Math.max(0.25 * iqr, 0.01)); // medians
    expect(Math.abs(k.monteCarlo.lossOctave - k.monteCarlo.lossTS)).toBeLessThan(0.08);

    // q: ran when kdb+ is reachable, otherwise a one-line reason shown in the notebook
    if (k.q.available) expect(k.q.ran).toBe(true);
    else {
      expect(k.q.ran).toBe(false);
      expect(k.q.reason.length).toBeGreaterThan(10);
      expect(outputsWithMime(run.notebook, "text/markdown").some((m) => m.includes("q skipped"))).toBe(true);
    }
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
