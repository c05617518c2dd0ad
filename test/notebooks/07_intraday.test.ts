/**
 * notebooks/07_intraday under papermill with two parameter sets: clean run; the as-of join on the real
 * pandas TAQ sample equals pandas' expected rows; the simulated market is labelled simulated; the paced
 * replay with live risk and the fast replay see every stored tick; the risk panel was shown and updated.
 */
import { describe, expect, it } from "vitest";
import { assertClean, codeOutputs, keyNumbers, NOTEBOOK_TIMEOUT_MS, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();
const PARAMETER_SETS: Record<string, unknown>[] = [{}, { seconds: 60, symbols: ["AAA", "BBB"], seed: 3, speed: 40, maxPosition: 300 }];

interface Key07 {
  taq: { trades: number; matches: number; vwapRows: number };
  sim: { trades: number; quotes: number; provenance: string; symbols: number };
  bars: number;
  effectiveHalfSpread: number;
  paced: { events: number; trades: number; quotes: number; fills: number; positions: Record<string, number> };
  fast: { events: number; fills: number; positions: Record<string, number> };
  risk: { updates: number; p50: number; p99: number; breaches: number; lastPositions: Record<string, number> };
}

describe.skipIf(!env.ok)(`notebook 07_intraday${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it.each(PARAMETER_SETS.map((p, i) => [i, p] as const))("parameter set %i runs: real join equals pandas, replay sees every tick, risk panel updates", async (_i, params) => {
    const run = await runNotebook("07_intraday", params);
    assertClean(run);
    const k = keyNumbers<Key07>(run.notebook);
    const nSymbols = ((params.symbols as string[] | undefined) ?? ["SIMA", "SIMB", "SIMC"]).length;
    expect(k.taq).toEqual({ trades: 27, matches: 27, vwapRows: 3 });
    expect(k.sim.provenance).toBe("simulated");
    expect(k.sim.symbols).toBe(nSymbols);
    expect(k.paced.events).toBe(k.sim.trades + k.sim.quotes);
    expect(k.fast.events).toBe(k.paced.events);
    expect(k.paced.trades).toBe(k.sim.trades);
    expect(k.bars).toBeGreaterThanOrEqual(nSymbols);
    expect(k.effectiveHalfSpread).toBeGreaterThan(0); // takers pay to cross
    expect(k.risk.updates).toBeGreaterThan(1);
    expect(k.risk.lastPositions).toEqual(k.paced.positions); // the monitor's book is the run's book
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(4);
    const panels = codeOutputs(run.notebook).filter((o) => o.output_type === "display_data" && String((o.data as Record<string, unknown> | undefined)?.["text/html"] ?? "").includes("Risk monitor"));
    expect(panels.length).toBe(1); // updated in place, not appended
    removeRun(run);
  }, NOTEBOOK_TIMEOUT_MS);
});
