/**
 * Performance metrics of a return series with DESIGN.md's conventions (empyrical definitions).
 * The bridge between the backtester and lib/analytics' metrics lives here, so BacktestResult gets
 * one frozen, typed block of numbers.
 */
const PERIODS = 252;

/** The metrics block of a `BacktestResult`. */
export interface BacktestMetrics {
  readonly annualReturn: number;
  readonly annualVolatility: number;
  readonly sharpeRatio: number;
  readonly sortinoRatio: number;
  /** Compounded, a negative number (0 when the equity never fell). */
  readonly maxDrawdown: number;
  readonly calmarRatio: number;
  /** Against the benchmark (NaN when none). */
  readonly informationRatio: number;
  /** Fraction of non-zero-return days with a positive return. */
  readonly winRate: number;
  readonly totalReturn: number;
  readonly days: number;
}

/** The keys of {@link BacktestMetrics}, in display order. */
export const BACKTEST_METRIC_KEYS: readonly (keyof BacktestMetrics)[] = Object.freeze([
  "annualReturn", "annualVolatility", "sharpeRatio", "sortinoRatio", "maxDrawdown", "calmarRatio", "informationRatio", "winRate", "totalReturn", "days",
]);

/** The metrics block of a result (its top-level metric fields), as a frozen object of its own. */
export function pickMetrics(result: BacktestMetrics): BacktestMetrics {
  const out: Record<string, number> = {};
  for (const k of BACKTEST_METRIC_KEYS) out[k] = result[k];
  return Object.freeze(out) as unknown as BacktestMetrics;
}

/**
 * The returns as a Float64Array, refused when one is NaN, ±Infinity or ≤ −1 (a book that lost
 * everything): metrics are never computed over those (DESIGN.md, failure behaviour).
 */
function checkedReturns(x: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(x);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (!(v > -1 && v < Infinity)) {
      throw new RangeError(
        `backtestMetrics: returns[${i}] is ${v}; metrics are not computed over ${v <= -1 ? "a bankrupt book (a return ≤ −100%)" : "NaN or infinite returns"} — ` +
          "drop or fill the missing periods first, or find the day that produced it (a backtest refuses such a day with its date and asset)",
      );
    }
  }
  return out;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return x.length ? s / x.length : Number.NaN;
}

function std1(x: Float64Array): number {
  if (x.length < 2) return Number.NaN;
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return Math.sqrt(s / (x.length - 1));
}

/**
 * Computes the metrics of daily simple `returns` (each finite and > −1, else a RangeError naming the
 * period), optionally against `benchmark` (the information ratio uses the periods where the
 * benchmark is present; NaN marks a missing benchmark period).
 */
export function computeMetrics(returns: ArrayLike<number>, benchmark?: ArrayLike<number>): BacktestMetrics {
  const r = checkedReturns(returns);
  const n = r.length;
  let growth = 1;
  let peak = 1;
  let mdd = 0;
  let wins = 0;
  let nonzero = 0;
  let down = 0;
  for (const v of r) {
    growth *= 1 + v;
    peak = Math.max(peak, growth);
    mdd = Math.min(mdd, growth / peak - 1);
    if (v !== 0) nonzero++;
    if (v > 0) wins++;
    if (v < 0) down += v * v;
  }
  const annualReturn = n ? growth ** (PERIODS / n) - 1 : Number.NaN;
  const sd = std1(r);
  const m = mean(r);
  const downside = Math.sqrt(down / n) * Math.sqrt(PERIODS);
  let ir = Number.NaN;
  if (benchmark !== undefined) {
    const a: number[] = [];
    for (let i = 0; i < returns.length; i++) {
      const x = (returns[i] as number) - (benchmark[i] as number);
      if (Number.isFinite(x)) a.push(x);
    }
    const act = Float64Array.from(a);
    ir = (mean(act) / std1(act)) * Math.sqrt(PERIODS);
  }
  return Object.freeze({
    annualReturn,
    annualVolatility: sd * Math.sqrt(PERIODS),
    sharpeRatio: (m / sd) * Math.sqrt(PERIODS),
    sortinoRatio: (m * PERIODS) / downside,
    maxDrawdown: mdd,
    calmarRatio: mdd < 0 ? annualReturn / Math.abs(mdd) : Number.NaN,
    informationRatio: ir,
    winRate: nonzero ? wins / nonzero : Number.NaN,
    totalReturn: growth - 1,
    days: n,
  });
}
