/**
 * Walk-forward optimisation over a parameter grid: for each fold, every parameter set is run on the
 * training window, the best by the objective is kept, and that set alone is run on the following
 * test window. The test windows do not overlap; their returns are stitched into one out-of-sample
 * series whose metrics are the honest estimate (the in-sample scores are reported beside them).
 *
 * `evaluate(params, window)` runs one backtest; it is expected to trade only inside `window` but may
 * read data before it (history), which is how `StatArbBacktester` treats `startDate`.
 */
import { attachText, checkKeys, fieldLines, formatCell, fromEpochDay, opt, type ProgressCallback, reportProgress, textTable } from "../data/index.js";
import { BACKTEST_METRIC_KEYS, type BacktestMetrics, computeMetrics, pickMetrics } from "./metrics.js";
import { mapCalls, type ParallelMap } from "./parallel.js";
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
  /** Called after each evaluation (`unit` "evaluations": folds × (grid size + 1)); e.g. `progressBar()`. */
  onProgress?: ProgressCallback;
  /**
   * Runs `evaluate`'s calls elsewhere, e.g. `rayPool().map({ module, export })` of `statarb/sweep` over
   * the module that exports `evaluate` (Ray tasks). Every fold's in-sample calls go out as one map, then
   * the folds' out-of-sample calls as a second; the result equals the serial run's (same calls, same
   * choices) as long as `evaluate` is a pure function of its arguments. `evaluate` is then not called in
   * process. Only the objective, `dates`, `returns` and the metrics of the results are read, so the
   * remote function may return just those.
   */
  parallel?: ParallelMap;
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
  readonly parallel: ParallelMap | undefined;
  /** Counts evaluations for `onProgress` (a no-op without one). */
  readonly tick: (evaluations: number) => void;
  readonly evaluations: number;
}

function readPlan(options: WalkForwardOptimizeOptions): WalkForwardPlan {
  const o = checkKeys(W, options, ["dates", "grid", "evaluate", "trainDays", "testDays", "anchored", "objective", "startRow", "parallel", "onProgress"]);
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
  const parallel = o.get("parallel") === undefined ? undefined : opt.callback<ParallelMap>().check(W, "option parallel", o.get("parallel"));
  const onProgress = o.get("onProgress") === undefined ? undefined : opt.callback<ProgressCallback>().check(W, "option onProgress", o.get("onProgress"));
  let folds = 0;
  for (let t0 = start0 + train; t0 + 1 < dates.length; t0 += test) folds++;
  const evaluations = folds * (sets.length + 1);
  let done = 0;
  const tick = (k: number): void => reportProgress(onProgress, W, "evaluations", (done += k), evaluations);
  return { dates, grid: grid as OptimizationGrid, sets, evaluate: evaluate as WalkForwardPlan["evaluate"], train, test, anchored, start0, score, parallel, tick, evaluations };
}

/** The windows of the fold whose test starts at row t0: in sample [trainStart, t0), out of sample [t0, t1]. */
function foldWindows(plan: WalkForwardPlan, t0: number): { train: { start: string; end: string }; test: { start: string; end: string } } {
  const iso = (i: number): string => fromEpochDay(atInt(plan.dates, i));
  const trainStart = plan.anchored ? plan.start0 : t0 - plan.train;
  const t1 = Math.min(t0 + plan.test, plan.dates.length) - 1;
  return { train: { start: iso(trainStart), end: iso(t0 - 1) }, test: { start: iso(t0), end: iso(t1) } };
}

/** The first of the highest scores. */
function bestOf(scores: readonly number[]): number {
  let best = -1;
  for (let s = 0; s < scores.length; s++) if (best < 0 || (scores[s] as number) > (scores[best] as number)) best = s;
  return best;
}

type FoldOutcome = { fold: WalkForwardFold; oos: BacktestResult };

function foldOf(plan: WalkForwardPlan, t0: number, scores: number[], oos: BacktestResult): FoldOutcome {
  const w = foldWindows(plan, t0);
  const best = bestOf(scores);
  const fold = Object.freeze({
    trainStart: w.train.start,
    trainEnd: w.train.end,
    testStart: w.test.start,
    testEnd: w.test.end,
    bestParams: plan.sets[best] as OptimizationParams,
    inSampleScore: scores[best] as number,
    scores: Object.freeze(scores),
    outOfSample: pickMetrics(oos),
  });
  return { fold, oos };
}

/** One fold: every grid point in sample, the best out of sample. */
async function runFold(plan: WalkForwardPlan, t0: number): Promise<FoldOutcome> {
  const w = foldWindows(plan, t0);
  const scores: number[] = [];
  for (const set of plan.sets) {
    scores.push(plan.score(await plan.evaluate(set, w.train)));
    plan.tick(1);
  }
  const oos = await plan.evaluate(plan.sets[bestOf(scores)] as OptimizationParams, w.test);
  plan.tick(1);
  return foldOf(plan, t0, scores, oos);
}

/** Every fold through `parallel`: all in-sample calls as one map (fold by fold, grid order), then each fold's best out of sample as a second. */
async function runFoldsInParallel(plan: WalkForwardPlan, parallel: ParallelMap, starts: readonly number[]): Promise<FoldOutcome[]> {
  const windows = starts.map((t0) => foldWindows(plan, t0));
  const n = plan.sets.length;
  const inSample = await mapCalls<BacktestResult>(W, parallel, windows.flatMap((w) => plan.sets.map((set) => [set, w.train])));
  plan.tick(inSample.length);
  const scores = windows.map((_, f) => inSample.slice(f * n, (f + 1) * n).map((r) => plan.score(r)));
  const oos = await mapCalls<BacktestResult>(W, parallel, windows.map((w, f) => [plan.sets[bestOf(scores[f] as number[])], w.test]));
  plan.tick(oos.length);
  return starts.map((t0, f) => foldOf(plan, t0, scores[f] as number[], oos[f] as BacktestResult));
}

export async function walkForwardOptimize(options: WalkForwardOptimizeOptions): Promise<WalkForwardOptimizeResult> {
  const plan = readPlan(options);
  const folds: WalkForwardFold[] = [];
  const oosDates: number[] = [];
  const oosReturns: number[] = [];
  let inSample = 0;
  const starts: number[] = [];
  for (let t0 = plan.start0 + plan.train; t0 + 1 < plan.dates.length; t0 += plan.test) starts.push(t0);
  const fanned = plan.parallel === undefined ? undefined : await runFoldsInParallel(plan, plan.parallel, starts);
  for (let f = 0; f < starts.length; f++) {
    const { fold, oos } = fanned !== undefined ? (fanned[f] as FoldOutcome) : await runFold(plan, starts[f] as number);
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
  const result: WalkForwardOptimizeResult = {
    folds: Object.freeze(folds),
    dates: Int32Array.from(oosDates),
    returns,
    equityCurve,
    metrics: computeMetrics(returns),
    meanInSampleScore: inSample / folds.length,
    grid: plan.grid,
  };
  return Object.freeze(attachText(result, walkForwardText));
}

/** The terminal text: one row per fold (test window, chosen parameters, in/out-of-sample), then the stitched metrics. */
function walkForwardText(r: WalkForwardOptimizeResult): string {
  const folds = textTable({
    title: `WalkForwardOptimizeResult: ${r.folds.length} folds, ${r.dates.length} out-of-sample days; mean in-sample score ${formatCell(r.meanInSampleScore, 4)}`,
    rows: r.folds.length,
    indexName: "test window",
    index: (k) => `${r.folds[k]!.testStart} … ${r.folds[k]!.testEnd}`,
    columns: [
      { name: "best params", cell: (k) => JSON.stringify(r.folds[k]!.bestParams) },
      { name: "in-sample", cell: (k) => r.folds[k]!.inSampleScore },
      { name: "OOS Sharpe", cell: (k) => r.folds[k]!.outOfSample.sharpeRatio },
      { name: "OOS return", cell: (k) => r.folds[k]!.outOfSample.totalReturn },
    ],
  });
  return [folds, "out-of-sample metrics:", ...fieldLines(r.metrics, { maxLines: 10 })].join("\n");
}
