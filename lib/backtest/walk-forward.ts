/**
 * Walk-forward optimisation over a parameter grid: for each fold, every parameter set is run on the
 * training window, the best by the objective is kept, and that set alone is run on the following
 * test window. The test windows do not overlap; their returns are stitched into one out-of-sample
 * series whose metrics are the honest estimate (the in-sample scores are reported beside them).
 *
 * `evaluate(params, window)` runs one backtest; it is expected to trade only inside `window` but may
 * read data before it (history), which is how `StatArbBacktester` treats `startDate`.
 */
import { fromEpochDay } from "../data/index.js";
import type { BacktestResult } from "./backtester.js";
import { type BacktestMetrics, computeMetrics } from "./metrics.js";

/** A parameter grid: each key lists the values to try. */
export type OptimizationGrid = Readonly<Record<string, readonly unknown[]>>;
/** One point of the grid. */
export type OptimizationParams = Readonly<Record<string, unknown>>;

/** Options of {@link walkForwardOptimize}. */
export interface WalkForwardOptimizeOptions {
  /** Trading dates (epoch days) the folds are cut from, e.g. `data.dates`. */
  dates: Int32Array;
  grid: OptimizationGrid;
  /** Runs one backtest on [start, end] (ISO dates, inclusive). */
  evaluate: (params: OptimizationParams, window: { start: string; end: string }) => Promise<BacktestResult> | BacktestResult;
  /** Training window in trading days (default 504). */
  trainDays?: number;
  /** Test window in trading days (default 126). */
  testDays?: number;
  /** Training window grows from the first date (default false: rolling). */
  anchored?: boolean;
  /** Metric maximised in sample (default "sharpeRatio"). */
  objective?: keyof BacktestMetrics | ((result: BacktestResult) => number);
  /** First row a training window may start at (default 0). */
  startRow?: number;
}

/** One fold. */
export interface WalkForwardFold {
  readonly trainStart: string;
  readonly trainEnd: string;
  readonly testStart: string;
  readonly testEnd: string;
  readonly bestParams: OptimizationParams;
  readonly inSampleScore: number;
  /** Scores of every grid point in sample, in grid order. */
  readonly scores: readonly number[];
  readonly outOfSample: BacktestMetrics;
}

/** Result of {@link walkForwardOptimize}. */
export interface WalkForwardOptimizeResult {
  readonly folds: readonly WalkForwardFold[];
  /** Stitched out-of-sample dates and returns. */
  readonly dates: Int32Array;
  readonly returns: Float64Array;
  readonly equityCurve: Float64Array;
  readonly metrics: BacktestMetrics;
  /** Mean in-sample objective of the chosen sets (compare with the out-of-sample one). */
  readonly meanInSampleScore: number;
  readonly grid: OptimizationGrid;
}

/** Every combination of the grid's values, in key order then value order. */
export function expandGrid(grid: OptimizationGrid): OptimizationParams[] {
  const keys = Object.keys(grid);
  let sets: Record<string, unknown>[] = [{}];
  for (const k of keys) {
    const values = grid[k] as readonly unknown[];
    if (!Array.isArray(values) || values.length === 0) throw new RangeError(`walkForwardOptimize: grid.${k} must be a non-empty array of values`);
    sets = sets.flatMap((s) => values.map((v) => ({ ...s, [k]: v })));
  }
  return sets.map((s) => Object.freeze(s));
}

export async function walkForwardOptimize(options: WalkForwardOptimizeOptions): Promise<WalkForwardOptimizeResult> {
  const { dates, grid, evaluate } = options;
  const train = options.trainDays ?? 504;
  const test = options.testDays ?? 126;
  const start0 = options.startRow ?? 0;
  for (const [k, v] of [["trainDays", train], ["testDays", test]] as const) {
    if (!Number.isInteger(v) || v < 2) throw new RangeError(`walkForwardOptimize: option ${k} must be an integer ≥ 2, got ${v}`);
  }
  if (typeof evaluate !== "function") throw new TypeError("walkForwardOptimize: option evaluate must be a function (params, window) => BacktestResult");
  const objective = options.objective ?? "sharpeRatio";
  const score = (r: BacktestResult): number => {
    const v = typeof objective === "function" ? objective(r) : (r[objective] as number);
    return Number.isFinite(v) ? v : -Infinity;
  };
  const sets = expandGrid(grid);
  if (start0 + train + test > dates.length) {
    throw new RangeError(`walkForwardOptimize: ${dates.length - start0} dates cannot hold one fold of trainDays ${train} + testDays ${test}`);
  }
  const folds: WalkForwardFold[] = [];
  const oosDates: number[] = [];
  const oosReturns: number[] = [];
  let inSample = 0;
  for (let t0 = start0 + train; t0 + 1 < dates.length; t0 += test) {
    const trainStart = options.anchored ? start0 : t0 - train;
    const t1 = Math.min(t0 + test, dates.length) - 1;
    const iso = (i: number): string => fromEpochDay(dates[i] as number);
    const scores: number[] = [];
    let best = -1;
    for (let s = 0; s < sets.length; s++) {
      const r = await evaluate(sets[s] as OptimizationParams, { start: iso(trainStart), end: iso(t0 - 1) });
      scores.push(score(r));
      if (best < 0 || (scores[s] as number) > (scores[best] as number)) best = s;
    }
    const bestParams = sets[best] as OptimizationParams;
    const oos = await evaluate(bestParams, { start: iso(t0), end: iso(t1) });
    for (let k = 0; k < oos.dates.length; k++) {
      oosDates.push(oos.dates[k] as number);
      oosReturns.push(oos.returns[k] as number);
    }
    inSample += scores[best] as number;
    folds.push(
      Object.freeze({
        trainStart: iso(trainStart),
        trainEnd: iso(t0 - 1),
        testStart: iso(t0),
        testEnd: iso(t1),
        bestParams,
        inSampleScore: scores[best] as number,
        scores: Object.freeze(scores),
        outOfSample: oos.metrics,
      }),
    );
  }
  const returns = Float64Array.from(oosReturns);
  const equityCurve = new Float64Array(returns.length);
  let e = 1;
  returns.forEach((r, k) => {
    e *= 1 + r;
    equityCurve[k] = e;
  });
  return Object.freeze({
    folds: Object.freeze(folds),
    dates: Int32Array.from(oosDates),
    returns,
    equityCurve,
    metrics: computeMetrics(returns),
    meanInSampleScore: inSample / folds.length,
    grid,
  });
}
