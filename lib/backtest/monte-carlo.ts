/**
 * Monte Carlo by block bootstrap, deterministic given a seed.
 *
 * - `monteCarloStrategy`: resamples the strategy's daily returns in blocks (moving blocks of fixed
 *   length, or the stationary bootstrap of Politis & Romano (1994) with geometric block lengths of
 *   mean `blockSize`), keeping short-range autocorrelation and volatility clustering, and reports
 *   percentile bands of the metrics and of the final wealth.
 * - `monteCarloAssets`: resamples whole rows of ASSET returns in blocks (cross-sectional correlation
 *   kept), rebuilds price paths from the first row, and reruns the strategy on each path through
 *   `run(prices)`; the strategy is re-decided on every path, so the bands include its reaction to
 *   new paths, not only a reshuffle of its P&L.
 */
import { attachText, formatCell, opt, Panel, type ProgressCallback, readOptions, reportProgress, textTable } from "../data/index.js";
import { seededUniform } from "../stats/index.js";
import { BACKTEST_METRIC_KEYS, type BacktestMetrics, computeMetrics, pickMetrics } from "./metrics.js";
import { mapCalls, type ParallelMap } from "./parallel.js";
import type { BacktestResult } from "./result.js";
import { at, atInt, columnAt } from "./typed.js";

/** Options shared by both bootstraps. */
export interface BootstrapOptions {
  /** Number of resampled paths (default 1,000 for returns, 50 for assets). */
  simulations?: number;
  /** Block length, or mean block length for "stationary" (default 20 trading days). */
  blockSize?: number;
  /** Default "stationary". */
  method?: "stationary" | "moving";
  /** Seed (default 42). */
  seed?: number;
  /** Percentiles reported, in [0, 100] (default [5, 25, 50, 75, 95]). */
  percentiles?: readonly number[];
  /** Called as paths complete (`unit` "paths"; at most ~100 calls); e.g. `progressBar()`. */
  onProgress?: ProgressCallback;
}

/** Options of {@link monteCarloAssets}. */
export interface MonteCarloAssetsOptions extends BootstrapOptions {
  /**
   * Runs `run`'s calls elsewhere, e.g. `rayPool().map({ module, export })` of `statarb/sweep` over the
   * module that exports `run` (Ray tasks): the paths are drawn here, from the same seeded stream, and go
   * out as one map of `[path, simulation]` calls; the result equals the serial run's as long as `run` is
   * a pure function of its arguments. `run` is then not called in process; only the results' metrics
   * and `totalReturn` are read.
   */
  parallel?: ParallelMap;
}

/** Percentile band of one metric. */
export interface MetricBand {
  readonly mean: number;
  /** percentile → value, e.g. band.percentiles[5]. */
  readonly percentiles: Readonly<Record<number, number>>;
}

/** Result of a Monte Carlo run. */
export interface MonteCarloResult {
  readonly simulations: number;
  readonly blockSize: number;
  readonly method: "stationary" | "moving";
  readonly seed: number;
  /** Bands of every metric. */
  readonly metrics: Readonly<Record<keyof BacktestMetrics, MetricBand>>;
  /** Band of final wealth per unit invested. */
  readonly finalWealth: MetricBand;
  /** Probability that the path loses money overall. */
  readonly probabilityOfLoss: number;
}

function bootstrapSpec(defaultSims: number) {
  return {
    simulations: opt.integer(defaultSims, { min: 1 }),
    blockSize: opt.integer(20, { min: 1 }),
    method: opt.oneOf(["stationary", "moving"], "stationary"),
    seed: opt.number(42),
    percentiles: opt.custom<readonly number[]>(
      "an array of percentiles in [0, 100]",
      () => [5, 25, 50, 75, 95],
      (v): v is readonly number[] => Array.isArray(v) && v.every((p) => typeof p === "number" && p >= 0 && p <= 100),
      "range",
    ),
  };
}

type CheckedBootstrap = Required<Omit<BootstrapOptions, "onProgress">> & { readonly tick: (done: number) => void };

function checkBootstrap(where: string, options: BootstrapOptions, defaultSims: number): CheckedBootstrap {
  const { onProgress, ...o } = readOptions(where, options, { ...bootstrapSpec(defaultSims), onProgress: opt.callback<ProgressCallback>() });
  const every = Math.max(1, Math.floor(o.simulations / 100));
  const tick = (done: number): void => {
    if (done % every === 0 || done === o.simulations) reportProgress(onProgress, where, "paths", done, o.simulations);
  };
  return { ...o, tick };
}

/** Row indices of one bootstrap path of length `length` over `n` source rows. */
export function bootstrapIndices(n: number, length: number, blockSize: number, method: "stationary" | "moving", uniform: () => number): Int32Array {
  if (n < 1) throw new RangeError("bootstrapIndices: no rows to resample");
  const out = new Int32Array(length);
  let k = 0;
  if (method === "moving") {
    const b = Math.min(blockSize, n);
    while (k < length) {
      const s = Math.floor(uniform() * (n - b + 1));
      for (let t = 0; t < b && k < length; t++) out[k++] = s + t;
    }
    return out;
  }
  const p = 1 / blockSize;
  let cur = Math.floor(uniform() * n);
  for (; k < length; k++) {
    out[k] = cur;
    cur = uniform() < p ? Math.floor(uniform() * n) : (cur + 1) % n;
  }
  return out;
}

function band(values: Float64Array, percentiles: readonly number[]): MetricBand {
  const v = Float64Array.from(values.filter((x) => Number.isFinite(x))).sort();
  const m = v.length;
  let s = 0;
  for (const x of v) s += x;
  const pct: Record<number, number> = {};
  for (const p of percentiles) {
    if (m === 0) pct[p] = Number.NaN;
    else {
      const h = ((m - 1) * p) / 100;
      const lo = Math.floor(h);
      const hi = Math.min(lo + 1, m - 1);
      pct[p] = at(v, lo) + (h - lo) * (at(v, hi) - at(v, lo));
    }
  }
  return Object.freeze({ mean: m ? s / m : Number.NaN, percentiles: Object.freeze(pct) });
}

function summarize(all: BacktestMetrics[], wealth: Float64Array, o: Required<Omit<BootstrapOptions, "onProgress">>): MonteCarloResult {
  const metrics = {} as Record<keyof BacktestMetrics, MetricBand>;
  for (const key of BACKTEST_METRIC_KEYS) metrics[key] = band(Float64Array.from(all, (m) => m[key]), o.percentiles);
  let losses = 0;
  for (const w of wealth) if (w < 1) losses++;
  const result: MonteCarloResult = {
    simulations: o.simulations,
    blockSize: o.blockSize,
    method: o.method,
    seed: o.seed,
    metrics: Object.freeze(metrics),
    finalWealth: band(wealth, o.percentiles),
    probabilityOfLoss: losses / wealth.length,
  };
  return Object.freeze(attachText(result, monteCarloText));
}

/** The terminal text: one row per metric (mean and percentiles), final wealth, the probability of a loss. */
function monteCarloText(r: MonteCarloResult): string {
  const keys = [...(Object.keys(r.metrics) as (keyof BacktestMetrics)[])];
  const bands = [...keys.map((k) => r.metrics[k]), r.finalWealth];
  const pcts = Object.keys(r.finalWealth.percentiles).map(Number);
  return textTable({
    title: `MonteCarloResult: ${r.simulations} ${r.method} block-bootstrap paths (block ${r.blockSize}, seed ${r.seed}); P(loss) = ${formatCell(r.probabilityOfLoss, 4)}`,
    rows: bands.length,
    indexName: "metric",
    index: (i) => (i < keys.length ? keys[i]! : "finalWealth"),
    columns: [{ name: "mean", cell: (i) => bands[i]!.mean }, ...pcts.map((p) => ({ name: `p${p}`, cell: (i: number) => bands[i]!.percentiles[p]! }))],
    maxRows: 12,
  });
}

/** Block bootstrap of a strategy's daily returns (a `BacktestResult` or the returns themselves). */
export function monteCarloStrategy(source: BacktestResult | Float64Array, options: BootstrapOptions = {}): MonteCarloResult {
  const o = checkBootstrap("monteCarloStrategy", options, 1000);
  const raw = source instanceof Float64Array ? source : source.returns;
  const r = Float64Array.from(raw.filter((x) => Number.isFinite(x)));
  const bench = source instanceof Float64Array ? undefined : source.benchmarkReturns;
  const uniform = seededUniform(o.seed);
  const all: BacktestMetrics[] = [];
  const wealth = new Float64Array(o.simulations);
  const path = new Float64Array(r.length);
  const bpath = new Float64Array(r.length);
  for (let s = 0; s < o.simulations; s++) {
    const idx = bootstrapIndices(r.length, r.length, o.blockSize, o.method, uniform);
    let w = 1;
    for (let k = 0; k < idx.length; k++) {
      const row = atInt(idx, k);
      path[k] = at(r, row);
      w *= 1 + at(path, k);
      if (bench !== undefined) bpath[k] = at(bench, row);
    }
    wealth[s] = w;
    all.push(computeMetrics(path, bench === undefined ? undefined : bpath));
    o.tick(s + 1);
  }
  return summarize(all, wealth, o);
}

/**
 * Block bootstrap of asset returns: each path resamples rows of `prices`' returns jointly, rebuilds
 * prices from the first row, and calls `run(path)` (e.g. a new StatArbBacktester on it).
 */
export async function monteCarloAssets(prices: Panel, run: (path: Panel, simulation: number) => Promise<BacktestResult> | BacktestResult, options: MonteCarloAssetsOptions = {}): Promise<MonteCarloResult> {
  const { parallel, ...rest } = options;
  const o = checkBootstrap("monteCarloAssets", rest, 50);
  if (parallel !== undefined) opt.callback<ParallelMap>().check("monteCarloAssets", "parallel", parallel);
  const T = prices.nDates;
  if (T < 3) throw new RangeError(`monteCarloAssets: prices has ${T} dates; need at least 3`);
  const rets = prices.returns().columns;
  const uniform = seededUniform(o.seed);
  const all: BacktestMetrics[] = [];
  const wealth = new Float64Array(o.simulations);
  const path = (): Panel => {
    // Rows 1..T−1 hold returns; draw T−1 of them.
    const idx = bootstrapIndices(T - 1, T - 1, o.blockSize, o.method, uniform);
    const cols = prices.columns.map((c, j) => {
      const out = new Float64Array(T);
      let p = at(c, 0);
      out[0] = p;
      const rc = columnAt(rets, j);
      for (let k = 1; k < T; k++) {
        const r = at(rc, atInt(idx, k - 1) + 1);
        if (Number.isFinite(r) && p > 0) p *= 1 + r;
        out[k] = p;
      }
      return out;
    });
    return new Panel(prices.dates, prices.assets, cols, { validate: false });
  };
  const fanned = parallel === undefined ? undefined : await mapCalls<BacktestResult>("monteCarloAssets", parallel, Array.from({ length: o.simulations }, (_, s) => [path(), s]));
  for (let s = 0; s < o.simulations; s++) {
    const result = fanned !== undefined ? (fanned[s] as BacktestResult) : await run(path(), s);
    all.push(pickMetrics(result));
    wealth[s] = 1 + result.totalReturn;
    o.tick(s + 1);
  }
  return summarize(all, wealth, o);
}
