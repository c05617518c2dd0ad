/**
 * Paired test of the difference between two Sharpe ratios measured on the same dates: Jobson & Korkie
 * (1981) with the corrected asymptotic variance of Memmel (2003).
 *
 * Null hypothesis: the two strategies have equal Sharpe ratios (μ_a/σ_a = μ_b/σ_b). With sample means
 * μ̂, standard deviations σ̂ (ddof 1, as the Sharpe ratio of DESIGN.md) and covariance σ̂_ab over T paired
 * observations,
 *
 *   z = (σ̂_b μ̂_a − σ̂_a μ̂_b) / √θ̂,
 *   θ̂ = (2σ̂_a²σ̂_b² − 2σ̂_aσ̂_bσ̂_ab + ½μ̂_a²σ̂_b² + ½μ̂_b²σ̂_a² − μ̂_aμ̂_b σ̂_ab² / (σ̂_aσ̂_b)) / T,
 *
 * is asymptotically standard normal under the null (returns i.i.d. jointly normal); the p-value is
 * two-sided. Serial correlation or fat tails make it optimistic; a block bootstrap is the robust
 * alternative (Ledoit & Wolf 2008).
 *
 * References: J. D. Jobson and B. M. Korkie (1981), "Performance Hypothesis Testing with the Sharpe
 * and Treynor Measures", Journal of Finance 36(4), 889–908; C. Memmel (2003), "Performance Hypothesis
 * Testing with the Sharpe Ratio", Finance Letters 1, 21–23.
 */
import { normalCdf } from "./distributions.js";

/** Result of {@link sharpeDifferenceTest}; its shape never depends on the inputs. */
export interface SharpeDifferenceResult {
  /** The z statistic (positive when a's Sharpe ratio is the larger). */
  readonly statistic: number;
  /** Two-sided p-value from the standard normal. */
  readonly pValue: number;
  /** Annualised Sharpe ratios (× √periodsPerYear) and their difference a − b. */
  readonly sharpeA: number;
  readonly sharpeB: number;
  readonly difference: number;
  /** Correlation of the two return series. */
  readonly correlation: number;
  /** Paired observations used. */
  readonly nobs: number;
  readonly method: "Jobson-Korkie (Memmel 2003)";
  readonly nullHypothesis: "equal Sharpe ratios";
}

/** Options of {@link sharpeDifferenceTest}. */
export interface SharpeDifferenceOptions {
  /** Periods per year for the reported Sharpe ratios (default 252; the test itself is scale-free). */
  periodsPerYear?: number;
}

function series(name: string, v: unknown): Float64Array {
  if (v instanceof Float64Array) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "number")) return Float64Array.from(v);
  throw new TypeError(`sharpeDifferenceTest: ${name} must be a Float64Array or number[] of returns`);
}

/** Tests H0: equal Sharpe ratios of two return series over the same dates (pairs with a NaN are dropped). */
export function sharpeDifferenceTest(a: Float64Array | readonly number[], b: Float64Array | readonly number[], options: SharpeDifferenceOptions = {}): SharpeDifferenceResult {
  const ra = series("a", a);
  const rb = series("b", b);
  if (ra.length !== rb.length) throw new RangeError(`sharpeDifferenceTest: a and b must be paired (same length), got ${ra.length} and ${rb.length}`);
  const ppy = options.periodsPerYear ?? 252;
  if (!(Number.isFinite(ppy) && ppy > 0)) throw new RangeError(`sharpeDifferenceTest: periodsPerYear must be a finite number > 0, got ${ppy}`);
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let t = 0; t < ra.length; t++) {
    const x = ra[t] as number;
    const y = rb[t] as number;
    if (x === x && y === y) {
      n++;
      sa += x;
      sb += y;
    }
  }
  if (n < 3) throw new RangeError(`sharpeDifferenceTest: needs at least 3 paired observations without NaN, got ${n}`);
  const ma = sa / n;
  const mb = sb / n;
  let vaa = 0;
  let vbb = 0;
  let vab = 0;
  for (let t = 0; t < ra.length; t++) {
    const x = (ra[t] as number) - ma;
    const y = (rb[t] as number) - mb;
    if (x === x && y === y) {
      vaa += x * x;
      vbb += y * y;
      vab += x * y;
    }
  }
  vaa /= n - 1;
  vbb /= n - 1;
  vab /= n - 1;
  const da = Math.sqrt(vaa);
  const db = Math.sqrt(vbb);
  // A constant series leaves rounding noise (~1e-18) as its deviation: relative to its mean, that is zero.
  if (!(da > 1e-12 * Math.abs(ma)) || !(db > 1e-12 * Math.abs(mb)) || da === 0 || db === 0) throw new RangeError("sharpeDifferenceTest: a return series has zero variance; its Sharpe ratio is undefined");
  const theta = (2 * vaa * vbb - 2 * da * db * vab + 0.5 * ma * ma * vbb + 0.5 * mb * mb * vaa - ((ma * mb) / (da * db)) * vab * vab) / n;
  const z = (db * ma - da * mb) / Math.sqrt(theta);
  const root = Math.sqrt(ppy);
  return Object.freeze({
    statistic: z,
    pValue: 2 * normalCdf(-Math.abs(z)),
    sharpeA: (ma / da) * root,
    sharpeB: (mb / db) * root,
    difference: (ma / da - mb / db) * root,
    correlation: vab / (da * db),
    nobs: n,
    method: "Jobson-Korkie (Memmel 2003)",
    nullHypothesis: "equal Sharpe ratios",
  });
}
