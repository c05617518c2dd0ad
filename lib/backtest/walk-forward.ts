/**
 * Walk-forward optimisation over a parameter grid: for each fold, every parameter set is run on the
 * training window, the best by the objective is kept, and that set alone is run on the following
 * test window. The test windows do not overlap; their returns are stitched into one out-of-sample
 * series whose metrics are the honest estimate (the in-sample scores are reported beside them).
 *
 * `evaluate(params, window)` runs one backtest; it is expected to trade only inside `window` but may
 * read data before it (history), which is how `StatArbBacktester` treats `startDate`.
 */
import { checkKeys, fromEpochDay, opt } from "../data/index.js";
import { BACKTEST_METRIC_KEYS, type BacktestMetrics, computeMetrics, pickMetrics } from "./metrics.js";
import type { BacktestResult } from "./result.js";
import { at, atInt } from "./typed.js";

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

const W = "walkForwardOptimize";

/** The checked options. */
interface WalkForwardPlan {
  readonly dates: Int32Array;
  readonly grid: OptimizationGrid;
  readonly sets: readonly OptimizationParams[];
  readonly evaluate: WalkForwardOptimizeOptions["evaluate"];
  readonly train: number;
  readonly test: number;
  readonly anchored: boolean;
  readonly start0: number;
  readonly score: (r: BacktestResult) => number;
}

function readPlan(options: WalkForwardOptimizeOptions): WalkForwardPlan {
  const o = checkKeys(W, options, ["dates", "grid", "evaluate", "trainDays", "testDays", "anchored", "objective", "startRow"]);
  const dates = o.get("dates");
  if (!(dates instanceof Int32Array)) throw new TypeError(`${W}: option dates must be an Int32Array of epoch days (e.g. data.dates), got ${opt.describeValue(dates)}`);
  const evaluate = o.get("evaluate");
  if (typeof evaluate !== "function") throw new TypeError(`${W}: option evaluate must be a function (params, window) => BacktestResult`);
  const days = (key: string, dflt: number): number => {
    const v = o.get(key);
    return v === undefined ? dflt : opt.integer(dflt, { min: 2 }).check(W, `option ${key}`, v);
  };
  const train = days("trainDays", 504);
  const test = days("testDays", 126);
  const start0 = opt.nonNegInt(W, "option startRow", o.get("startRow"), 0);
  const objective = o.get("objective") === undefined ? "sharpeRatio" : o.get("objective");
  if (typeof objective !== "function" && !(BACKTEST_METRIC_KEYS as readonly unknown[]).includes(objective)) {
    throw new RangeError(`${W}: option objective must be a function (result) => number or one of ${BACKTEST_METRIC_KEYS.map((k) => `"${k}"`).join(", ")}, got ${opt.describeValue(objective)}`);
  }
  const score = (r: BacktestResult): number => {
    const v = typeof objective === "function" ? (objective as (r: BacktestResult) => number)(r) : r[objective as keyof BacktestMetrics];
    return Number.isFinite(v) ? v : -Infinity;
  };
  const grid = o.get("grid");
  if (grid === null || typeof grid !== "object" || Array.isArray(grid)) throw new TypeError(`${W}: option grid must be an object of arrays of values, got ${opt.describeValue(grid)}`);
  const sets = expandGrid(grid as OptimizationGrid);
  if (start0 + train + test > dates.length) {
    throw new RangeError(`${W}: ${dates.length - start0} dates cannot hold one fold of trainDays ${train} + testDays ${test}`);
  }
  const anchored = o.get("anchored") === undefined ? false : opt.boolean(false).check(W, "option anchored", o.get("anchored"));
  return { dates, grid: grid as OptimizationGrid, sets, evaluate: evaluate as WalkForwardPlan["evaluate"], train, test, anchored, start0, score };
}

/** One fold: every grid point in sample on [trainStart, t0), the best out of sample on [t0, t1]. */
async function runFold(plan: WalkForwardPlan, t0: number): Promise<{ fold: WalkForwardFold; oos: BacktestResult }> {
  const { dates, sets } = plan;
  const trainStart = plan.anchored ? plan.start0 : t0 - plan.train;
  const t1 = Math.min(t0 + plan.test, dates.length) - 1;
  const iso = (i: number): string => fromEpochDay(atInt(dates, i));
  const scores: number[] = [];
  let best = -1;
  for (let s = 0; s < sets.length; s++) {
    const r = await plan.evaluate(sets[s] as OptimizationParams, { start: iso(trainStart), end: iso(t0 - 1) });
    scores.push(plan.score(r));
    if (best < 0 || (scores[s] as number) > (scores[best] as number)) best = s;
  }
  const bestParams = sets[best] as OptimizationParams;
  const oos = await plan.evaluate(bestParams, { start: iso(t0), end: iso(t1) });
  const fold = Object.freeze({
    trainStart: iso(trainStart),
    trainEnd: iso(t0 - 1),
    testStart: iso(t0),
    testEnd: iso(t1),
    bestParams,
    inSampleScore: scores[best] as number,
    scores: Object.freeze(scores),
    outOfSample: pickMetrics(oos),
  });
  return { fold, oos };
}

export async function walkForwardOptimize(options: WalkForwardOptimizeOptions): Promise<WalkForwardOptimizeResult> {
  const plan = readPlan(options);
  const folds: WalkForwardFold[] = [];
  const oosDates: number[] = [];
  const oosReturns: number[] = [];
  let inSample = 0;
  for (let t0 = plan.start0 + plan.train; t0 + 1 < plan.dates.length; t0 += plan.test) {
    const { fold, oos } = await runFold(plan, t0);
    for (let k = 0; k < oos.dates.length; k++) {
      oosDates.push(atInt(oos.dates, k));
      oosReturns.push(at(oos.returns, k));
    }
    inSample += fold.inSampleScore;
    folds.push(fold);
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
    grid: plan.grid,
  });
}
