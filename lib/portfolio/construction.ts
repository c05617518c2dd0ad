/**
 * The contract of lib/portfolio: a construction turns cross-sectional scores (NaN = no view) into
 * target weights (fractions of equity, + long / − short, 0 where there is no view), optionally using
 * risk inputs from a {@link ConstructionContext}. Every construction is a class with checked options
 * and a lowercase factory; `weights` returns a new Float64Array over the same assets.
 */

/** Risk inputs some constructions need (all over the same assets, in the same order as the scores). */
export interface ConstructionContext {
  /** Covariance of per-period returns, n × n row-major. */
  readonly covariance?: Float64Array;
  /** Market betas. */
  readonly betas?: Float64Array;
  /** Sector label of each asset. */
  readonly sectors?: readonly (string | number)[];
  /** Per-period return volatility of each asset (used when no covariance is given). */
  readonly volatilities?: Float64Array;
}

/** Scores → target weights. */
export interface PortfolioConstruction {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  weights(scores: Float64Array, context?: ConstructionContext): Float64Array;
}

/** Checks the covariance size and that it is finite on the used assets; returns it. */
export function requireCovariance(where: string, context: ConstructionContext | undefined, n: number): Float64Array {
  const c = context?.covariance;
  if (c === undefined) throw new TypeError(`${where}: context.covariance (n × n row-major Float64Array of return covariances) is required; build one with trailingCovariance(view, window)`);
  if (!(c instanceof Float64Array) || c.length !== n * n) throw new RangeError(`${where}: context.covariance must be a Float64Array of ${n} × ${n} = ${n * n} values, got ${(c as { length?: number }).length}`);
  return c;
}

/** Indices of the finite scores. */
export function validIndex(scores: Float64Array): number[] {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (Number.isFinite(scores[i]!)) idx.push(i);
  return idx;
}

/** Scales `w` in place so that Σ|w| = gross (no-op for an all-zero vector). */
export function scaleToGross(w: Float64Array, gross: number): Float64Array {
  let g = 0;
  for (let i = 0; i < w.length; i++) g += Math.abs(w[i]!);
  if (g > 0) for (let i = 0; i < w.length; i++) w[i] = (w[i]! * gross) / g;
  return w;
}

/** Sub-matrix of a row-major n × n matrix on `idx`. */
export function subMatrix(c: Float64Array, n: number, idx: readonly number[]): Float64Array {
  const k = idx.length;
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) out[a * k + b] = c[(idx[a] as number) * n + (idx[b] as number)]!;
  return out;
}
