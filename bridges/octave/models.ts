/**
 * Typed wrappers of bridges/octave/: `octaveMonteCarlo` (statarb_mc_portfolio.m: block bootstrap or GBM
 * paths of a daily-rebalanced portfolio) and `octaveMeanVariance` (statarb_mv_qp.m: constrained
 * mean-variance with core Octave's `qp`; `quadprog` is in the optim package, which Debian's octave does
 * not bring). Data go to Octave as float64 blobs.
 */
import { checkKeys, opt, Panel } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";
import type { OctaveSession } from "./session.js";

/** Options of {@link octaveMonteCarlo}. */
export interface OctaveMonteCarloOptions {
  /** "block" (moving-block bootstrap of whole days, default) or "gbm". */
  method?: "block" | "gbm";
  /** Paths (default 1,000). */
  simulations?: number;
  /** Days per path (default: the data's length). */
  horizon?: number;
  /** Block length in days (default 20). */
  blockSize?: number;
  /** Octave's rand/randn seed (default 42). */
  seed?: number;
  /** Wealth paths returned in full (default 20). */
  keepPaths?: number;
}

/** Result of {@link octaveMonteCarlo}: one entry per simulated path. */
export interface OctaveMonteCarloResult {
  readonly finalWealth: Float64Array;
  readonly annualReturn: Float64Array;
  readonly annualVolatility: Float64Array;
  /** Compounded maximum drawdown of each path (≤ 0). */
  readonly maxDrawdown: Float64Array;
  /** horizon × keepPaths wealth paths. */
  readonly paths: Matrix;
}

function returnsMatrix(returns: Panel | Matrix): Matrix {
  if (returns instanceof Matrix) return returns;
  return new Matrix(returns.nDates, returns.nAssets, returns.toMatrix());
}

const vec = (v: unknown): Float64Array => (v instanceof Float64Array ? v : v instanceof Matrix ? v.data : Float64Array.of(Number(v)));

/** Monte Carlo of a daily-rebalanced portfolio's wealth in Octave. */
export async function octaveMonteCarlo(o: OctaveSession, returns: Panel | Matrix, weights: Float64Array, options: OctaveMonteCarloOptions = {}): Promise<OctaveMonteCarloResult> {
  const where = "octaveMonteCarlo";
  const given = checkKeys(where, options, ["method", "simulations", "horizon", "blockSize", "seed", "keepPaths"]);
  const method = given.get("method") ?? "block";
  if (method !== "block" && method !== "gbm") throw new RangeError(`${where}: option method must be "block" or "gbm", got ${JSON.stringify(method)}`);
  const R = returnsMatrix(returns);
  if (weights.length !== R.cols) throw new RangeError(`${where}: ${weights.length} weights for ${R.cols} assets`);
  const opts: Record<string, unknown> = {
    method,
    simulations: opt.positiveInt(where, "simulations", given.get("simulations"), 1000),
    horizon: opt.positiveInt(where, "horizon", given.get("horizon"), R.rows),
    blockSize: opt.positiveInt(where, "blockSize", given.get("blockSize"), 20),
    seed: opt.finiteIn(where, "seed", given.get("seed"), 42, -Number.MAX_VALUE, Number.MAX_VALUE),
    keepPaths: opt.positiveInt(where, "keepPaths", given.get("keepPaths"), 20),
  };
  const out = (await o.call("statarb_mc_portfolio", [R, weights, opts])) as Record<string, unknown>;
  const paths = out.paths instanceof Matrix ? out.paths : new Matrix(vec(out.paths).length, 1, vec(out.paths));
  return Object.freeze({
    finalWealth: vec(out.finalWealth),
    annualReturn: vec(out.annualReturn),
    annualVolatility: vec(out.annualVolatility),
    maxDrawdown: vec(out.maxDrawdown),
    paths,
  });
}

/** Options of {@link octaveMeanVariance}. */
export interface OctaveMeanVarianceOptions {
  /** γ in (γ/2) w'Σw − μ'w (default 1). */
  riskAversion?: number;
  /** Lower bound of every weight (default 0: long only). */
  lb?: number;
  /** Upper bound of every weight (default 1). */
  ub?: number;
  /** Required expected return μ'w (default: none). */
  target?: number;
}

/** Result of {@link octaveMeanVariance}. */
export interface OctaveMeanVarianceResult {
  readonly weights: Float64Array;
  readonly objective: number;
  readonly expectedReturn: number;
  readonly variance: number;
  readonly iterations: number;
}

/** Fully invested mean-variance weights under bounds, solved by Octave's `qp`. */
export async function octaveMeanVariance(o: OctaveSession, mu: Float64Array, sigma: Matrix, options: OctaveMeanVarianceOptions = {}): Promise<OctaveMeanVarianceResult> {
  if (sigma.rows !== mu.length || sigma.cols !== mu.length) throw new RangeError(`octaveMeanVariance: Sigma is ${sigma.rows} × ${sigma.cols}, expected ${mu.length} × ${mu.length}`);
  const where = "octaveMeanVariance";
  const given = checkKeys(where, options, ["riskAversion", "lb", "ub", "target"]);
  const g = (given.get("riskAversion") ?? 1) as number;
  if (!(g > 0)) throw new RangeError(`${where}: option riskAversion must be > 0, got ${g}`);
  // a bound may be ±Infinity (unbounded), never NaN
  const bound = (name: string, dflt: number): number => {
    const v = given.get(name);
    if (v === undefined) return dflt;
    if (typeof v !== "number" || Number.isNaN(v)) throw new TypeError(`${where}: option ${name} must be a number (±Infinity for no bound), got ${String(v)}`);
    return v;
  };
  const opts: Record<string, unknown> = { riskAversion: g, lb: bound("lb", 0), ub: bound("ub", 1) };
  const target = given.get("target");
  if (target !== undefined) opts.target = bound("target", 0);
  const out = (await o.call("statarb_mv_qp", [mu, sigma, opts])) as Record<string, unknown>;
  return Object.freeze({
    weights: vec(out.weights),
    objective: Number(out.objective),
    expectedReturn: Number(out.expectedReturn),
    variance: Number(out.variance),
    iterations: Number(out.iterations),
  });
}
