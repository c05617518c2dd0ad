/**
 * Value-at-Risk and Expected Shortfall, as POSITIVE losses (DESIGN.md) — the one VaR/ES implementation
 * of statarb: `valueAtRisk`/`expectedShortfall` of a return series, `VaRAnalyzer` (a book and its
 * decomposition) and `RiskManager`'s VaR limit all compute through the functions of this file.
 *
 * α = 1 − confidence; NaN returns are dropped first; μ = mean, σ = sample std (ddof 1) except where
 * said otherwise (Cornish-Fisher).
 * - historical: VaR = −quantile(r, α) (linear interpolation, numpy default / R type 7);
 *   ES = −mean(r ≤ quantile(r, α)). Found without sorting: one pass keeps the values under a sampled
 *   threshold (≈ α·n of them), selection finds the quantile there, and ES adds the tail with a
 *   compensated sum (see {@link historicalTail}).
 * - gaussian: VaR = −(μ + z_α σ); ES = −μ + σ·φ(z_α)/α.
 * - cornish-fisher: PerformanceAnalytics "modified" VaR/ES (Favre & Galeano 2002; Boudt, Peterson &
 *   Croux 2008; PerformanceAnalytics' `VaR.CornishFisher` and `operES.CornishFisher`, which `VaR()`
 *   and `ES()` call for method "modified") on the central moments m_k = mean((r − μ)^k), all with 1/n:
 *   σ = √m2 (population), skewness S = m3/m2^{3/2}, excess kurtosis K = m4/m2² − 3;
 *   z_cf = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36, VaR = −(μ + z_cf σ);
 *   ES = −μ − σ·min(−E, z_cf) with E the Cornish-Fisher tail expectation of Boudt et al.
 *   `moments: "sample"` takes σ with ddof 1 instead (statarb's convention before issue 17; S and K
 *   unchanged), a factor √(n/(n − 1)) on σ.
 * - monte-carlo: `simulations` scenarios of N(μ, σ²) — for a book, of the multivariate normal with the
 *   assets' sample means and covariance through its Cholesky factor — drawn from lib/stats'
 *   `createRng(seed)`; VaR/ES historical on the scenarios. The same request gives the same number
 *   from `valueAtRisk` and from `VaRAnalyzer` (a single asset held at 1 is the same scenario stream).
 * Horizon h > 1: gaussian and monte-carlo use μh and σ√h; historical and cornish-fisher scale the
 * one-period figure by √h (square-root-of-time rule).
 */
import { type OptionRule, readOptions, opt, describeValue } from "../data/index.js";
import { choleskySemidefinite, covMatrix, createRng, mean, normalCdf, normalPdf, normalPpf, quantileLerp, selectInPlace, smallestValues, smallestValuesIfFinite, typedLength } from "../stats/index.js";

export type VaRMethod = "historical" | "gaussian" | "cornish-fisher" | "monte-carlo";
const METHODS: readonly VaRMethod[] = ["historical", "gaussian", "cornish-fisher", "monte-carlo"];

/** Options of {@link valueAtRisk} and {@link expectedShortfall}. */
export interface VaROptions {
  /** Confidence level in (0, 1) (default 0.95). */
  confidence?: number;
  /** Method (default "historical"). */
  method?: VaRMethod;
  /** Holding period in periods (default 1). */
  horizon?: number;
  /** Monte Carlo seed, a non-negative integer (default 42). */
  seed?: number;
  /** Monte Carlo draws, an integer ≥ 100 (default 100,000). */
  simulations?: number;
  /**
   * Cornish-Fisher's σ: "population" (default; √m2 with 1/n, as PerformanceAnalytics) or "sample"
   * (ddof 1). Skewness and kurtosis use 1/n moments either way; other methods ignore it.
   */
  moments?: CornishFisherMoments;
}

/** How Cornish-Fisher VaR/ES estimate σ (see {@link VaROptions.moments}). */
export type CornishFisherMoments = "population" | "sample";
const MOMENTS: readonly CornishFisherMoments[] = ["population", "sample"];

/** Default Monte Carlo draws and seed, shared by every entry point so the same request gives the same number. */
export const MONTE_CARLO_DEFAULTS = Object.freeze({ simulations: 100_000, seed: 42 });

/**
 * A confidence level in (lo, 1): a TypeError for a non-number, a RangeError naming the interval
 * otherwise ("confidence must be in (0, 1), e.g. 0.95 or 0.99, got 95").
 */
export function confidenceRule(dflt: number, lo = 0): OptionRule<number> {
  const allowed = `in (${lo}, 1), e.g. 0.95 or 0.99`;
  return {
    allowed,
    fallback: () => dflt,
    check(where, name, value) {
      if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be a number ${allowed}, got ${describeValue(value)}`);
      if (!(value > lo && value < 1)) throw new RangeError(`${where}: ${name} must be ${allowed}, got ${describeValue(value)}`);
      return value;
    },
  };
}

const SPEC = {
  confidence: confidenceRule(0.95),
  method: opt.oneOf(METHODS, "historical"),
  horizon: opt.number(1, { min: 0, open: "min" }),
  seed: opt.integer(MONTE_CARLO_DEFAULTS.seed, { min: 0 }),
  simulations: opt.integer(MONTE_CARLO_DEFAULTS.simulations, { min: 100 }),
  moments: opt.oneOf(MOMENTS, "population"),
};

/** A genuine Float64Array (a Proxy of one is not: its length and elements would go through its traps). */
function isFloat64Array(v: unknown): v is Float64Array {
  return ArrayBuffer.isView(v) && v instanceof Float64Array;
}

/**
 * The returns without NaN, refusing ±Infinity, and (`withSum`) their sum, left to right as
 * {@link meanSd} adds them (else NaN). A Float64Array without NaN is returned as is (never written to: the methods that reorder
 * work on copies); otherwise a compacted copy. The common case is one pass: a finite sum proves
 * there is no NaN and no ±Infinity.
 */
function clean(returns: Float64Array | readonly number[], where: string, withSum: boolean): { r: Float64Array; sum: number } {
  if (!isFloat64Array(returns) && !Array.isArray(returns)) throw new TypeError(`${where}: returns must be a Float64Array or number[], got ${describeValue(returns)}`);
  const r = isFloat64Array(returns) ? returns : Float64Array.from(returns as readonly number[]);
  const n = typedLength(r);
  let sum = 0;
  if (withSum) for (let i = 0; i < n; i++) sum += r[i]!;
  else sum = finiteCheckSum(r, n);
  if (n > 0 && Number.isFinite(sum)) return { r, sum };
  let nan = 0;
  for (let i = 0; i < n; i++) {
    const v = r[i]!;
    if (v !== v) nan++;
    else if (v === Infinity || v === -Infinity) throw new RangeError(`${where}: returns contain ±Infinity`);
  }
  if (nan === n) throw new RangeError(`${where}: no returns (empty or all NaN)`);
  const out = nan === 0 ? r : new Float64Array(n - nan);
  let k = 0;
  sum = 0;
  for (let i = 0; i < n; i++) {
    const v = r[i]!;
    if (v === v) (out[k++] = v), (sum += v);
  }
  return { r: out, sum };
}

/**
 * A sum of `r` in four interleaved partial sums (not {@link meanSd}'s order, so only its finiteness is
 * used: finite partial sums prove there is no NaN and no ±Infinity), a quarter of the latency of one.
 */
function finiteCheckSum(r: Float64Array, n: number): number {
  const n4 = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < n4; i += 4) (s0 += r[i]!), (s1 += r[i + 1]!), (s2 += r[i + 2]!), (s3 += r[i + 3]!);
  for (let i = n4; i < n; i++) s0 += r[i]!;
  return Number.isFinite(s0) && Number.isFinite(s1) && Number.isFinite(s2) && Number.isFinite(s3) ? 0 : Number.NaN;
}

/** Mean and sample standard deviation (ddof 1; NaN for one value), two passes; `sum` when already known. */
export function meanSd(r: Float64Array, sum?: number): { mu: number; sd: number } {
  const n = r.length;
  let s = 0;
  if (sum === undefined) for (let i = 0; i < n; i++) s += r[i]!;
  else s = sum;
  const mu = s / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const d = r[i]! - mu;
    m2 += d * d;
  }
  return { mu, sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN };
}

/**
 * Mean, sample standard deviation (ddof 1), population standard deviation √m2, and the skewness and
 * excess kurtosis from 1/n central moments.
 */
export function returnMoments(r: Float64Array): { mu: number; sd: number; sdPop: number; skew: number; exKurt: number } {
  const n = r.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i]!;
  const mu = s / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = r[i]! - mu;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mu, sd, sdPop: Math.sqrt(m2), skew: m3 / m2 ** 1.5, exKurt: m4 / (m2 * m2) - 3 };
}

/** Historical VaR and ES of scenarios (P&L or returns) at tail probability α. */
export interface HistoricalTail {
  /** −quantile(x, α), linear interpolation. */
  readonly varLoss: number;
  /** −mean(x ≤ quantile(x, α)); NaN when not asked for. */
  readonly es: number;
  /** The quantile's lower order statistic x₍k₎ (k = ⌊(n − 1)α⌋), its upper one x₍k+1₎ and the weight g of the upper one. */
  readonly lower: number;
  readonly upper: number;
  readonly g: number;
}

/**
 * Historical VaR (and ES when `withES`) of NaN-free scenarios `x` (not changed). Only the lowest
 * values are looked at: lib/stats' `smallestValues` keeps every value below a sampled threshold (one
 * pass, ≈ α·n values kept), selection in that small array gives x₍k₎ and x₍k+1₎ for VaR, and ES
 * adds the values ≤ the quantile with a compensated (Neumaier) sum — no sort at all; the result is
 * the correctly rounded tail mean up to an ulp or so, whatever order selection left them in.
 */
export function historicalTail(x: Float64Array, alpha: number, withES = true): HistoricalTail {
  const n = typedLength(x); // one length (the engine's, as smallestValues and the native pass see it)
  return tailOf(smallestValues(x, tailCount(n, alpha)), n, alpha, withES);
}

/**
 * {@link historicalTail} of `x` whose values were not checked, when the addon's one candidate pass
 * also proves every value finite (no finiteness pass of the caller's own); the same result bit for
 * bit (the same candidates in the same order). Null when x holds a NaN or ±Infinity, without the
 * addon, or when that pass does not decide: the caller then checks x and calls historicalTail.
 */
function historicalTailIfFinite(x: Float64Array, alpha: number, withES: boolean): HistoricalTail | null {
  const n = typedLength(x); // one length: the one the native pass scans (an own `length` getter on x never runs)
  const s = smallestValuesIfFinite(x, tailCount(n, alpha));
  return s && tailOf(s, n, alpha, withES);
}

/** How many of the lowest order statistics the tail of n scenarios at α needs (x₍k₎ and x₍k+1₎). */
function tailCount(n: number, alpha: number): number {
  const k = Math.floor((n - 1) * alpha);
  return k + 1 < n ? k + 2 : k + 1;
}

/** The tail statistics from `s`, every value of the n scenarios at or below some threshold (≥ tailCount of them; reordered). */
function tailOf(s: Float64Array, n: number, alpha: number, withES: boolean): HistoricalTail {
  const k = Math.floor((n - 1) * alpha);
  const g = (n - 1) * alpha - k;
  const hasUpper = k + 1 < n;
  selectInPlace(s, k);
  const lower = s[k]!;
  let upper = lower;
  if (hasUpper) {
    upper = s[k + 1]!;
    for (let i = k + 2; i < s.length; i++) if (s[i]! < upper) upper = s[i]!;
  }
  const q = quantileLerp(lower, upper, g);
  if (!withES) return { varLoss: -q, es: Number.NaN, lower, upper, g };
  // the tail: s[0..k] (all ≤ x₍k₎ ≤ q) and the values right of k that equal q, in selection order,
  // added with Neumaier's compensation (so the sum does not depend on that order beyond the last bit)
  let c = k + 1;
  for (let i = k + 1; i < s.length; i++) if (s[i]! <= q) c++;
  let sum = 0, comp = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (i > k && !(v <= q)) continue;
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return { varLoss: -q, es: -((sum + comp) / c), lower, upper, g };
}

/**
 * The scenario indices t₀, t₁ holding the order statistics x₍k₎ and x₍k+1₎ of a historical tail, as a
 * stable ascending sort would place them (ties in index order): the Euler allocation of a historical
 * VaR reads each asset's P&L in exactly those scenarios.
 */
export function orderStatisticIndices(x: Float64Array, alpha: number, tail: HistoricalTail): { t0: number; t1: number } {
  const n = x.length;
  const k = Math.floor((n - 1) * alpha);
  const kHi = Math.min(k + 1, n - 1);
  return { t0: indexOfRank(x, k, tail.lower), t1: indexOfRank(x, kHi, kHi === k ? tail.lower : tail.upper) };
}

/** Index of the value of rank `rank` (0-based, stable order) given that value `v`. */
function indexOfRank(x: Float64Array, rank: number, v: number): number {
  let below = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! < v) below++;
  let seen = below;
  for (let i = 0; i < x.length; i++) {
    if (x[i]!== v) continue;
    if (seen === rank) return i;
    seen++;
  }
  return -1;
}

/** Gaussian VaR −(μ + z_α σ). */
export function gaussianLoss(mu: number, sigma: number, alpha: number): number {
  return -(mu + normalPpf(alpha) * sigma);
}

/** Cornish-Fisher z. */
export function cornishFisherQuantile(z: number, skew: number, exKurt: number): number {
  return z + ((z * z - 1) * skew) / 6 + ((z ** 3 - 3 * z) * exKurt) / 24 - ((2 * z ** 3 - 5 * z) * skew * skew) / 36;
}

/** I_power(h) of Boudt, Peterson & Croux (2008), as PerformanceAnalytics' `Ipower`. */
function iPower(power: number, h: number): number {
  const phi = normalPdf(h);
  let full = 1;
  if (power % 2 === 0) {
    const ps = power / 2;
    for (let j = 1; j <= ps; j++) full *= 2 * j;
    let out = full * phi;
    let prod = 1;
    for (let i = 1; i <= ps; i++) {
      prod *= 2 * i;
      out += (full / prod) * h ** (2 * i) * phi;
    }
    return out;
  }
  const ps = (power - 1) / 2;
  for (let j = 0; j <= ps; j++) full *= 2 * j + 1;
  let out = -full * normalCdf(h);
  let prod = 1;
  for (let i = 0; i <= ps; i++) {
    prod *= 2 * i + 1;
    out += (full / prod) * h ** (2 * i + 1) * phi;
  }
  return out;
}

/**
 * One-period Cornish-Fisher ("modified") VaR and ES of NaN-free returns, σ as `moments` says
 * (default "population", PerformanceAnalytics'); NaN for constant returns.
 */
export function cornishFisherLoss(r: Float64Array, alpha: number, moments: CornishFisherMoments = "population"): { varLoss: number; es: number } {
  const m = returnMoments(r);
  const { mu, skew, exKurt } = m;
  const sd = moments === "population" ? m.sdPop : m.sd;
  if (!(sd > 0)) return { varLoss: Number.NaN, es: Number.NaN }; // constant returns: moments undefined
  const z = normalPpf(alpha);
  const h = cornishFisherQuantile(z, skew, exKurt);
  let e = normalPdf(h);
  e += ((iPower(4, h) - 6 * iPower(2, h) + 3 * normalPdf(h)) * exKurt) / 24;
  e += ((iPower(3, h) - 3 * iPower(1, h)) * skew) / 6;
  e += ((iPower(6, h) - 15 * iPower(4, h) + 45 * iPower(2, h) - 15 * normalPdf(h)) * skew * skew) / 72;
  e /= alpha;
  return { varLoss: -(mu + h * sd), es: -mu - sd * Math.min(-e, h) };
}

/**
 * Monte Carlo scenarios of complete return columns (no NaN): `simulations` draws of the
 * multivariate normal with the columns' sample means (× horizon) and covariance (ddof 1, × horizon)
 * through its lower Cholesky factor L (semidefinite: collinear assets are fine), scenario t being
 * μh + √h·L·z_t with z_t the next n standard normals of `createRng(seed)`.
 */
export function normalScenarios(columns: readonly Float64Array[], simulations: number, seed: number, horizon = 1): Float64Array[] {
  const n = columns.length;
  const cov = covMatrix(columns).data; // symmetric: its column-major data is also row-major
  const L = choleskySemidefinite(cov, n);
  const sq = Math.sqrt(horizon);
  if (horizon !== 1) for (let i = 0; i < L.length; i++) L[i] = L[i]! * sq;
  const means = Float64Array.from(columns, (c) => mean(c) * horizon);
  const rng = createRng(seed);
  const out = Array.from({ length: n }, () => new Float64Array(simulations));
  const z = new Float64Array(n);
  for (let t = 0; t < simulations; t++) {
    for (let k = 0; k < n; k++) z[k] = rng.normal();
    for (let i = 0; i < n; i++) {
      let s = means[i]!;
      const ri = i * n;
      for (let k = 0; k <= i; k++) s += L[ri + k]! * z[k]!;
      out[i]![t] = s;
    }
  }
  return out;
}

function compute(where: string, returns: Float64Array | readonly number[], options: VaROptions, withES: boolean): { varLoss: number; es: number } {
  const o = readOptions(where, options, SPEC);
  const alpha = 1 - o.confidence;
  const sq = Math.sqrt(o.horizon);
  if (o.method === "historical") {
    // finite returns (the common case) are checked inside the candidate pass, not in a pass of their own
    const fast = isFloat64Array(returns) ? historicalTailIfFinite(returns, alpha, withES) : null;
    const { varLoss, es } = fast ?? historicalTail(clean(returns, where, false).r, alpha, withES);
    return { varLoss: varLoss * sq, es: es * sq };
  }
  const { r, sum } = clean(returns, where, o.method === "gaussian");
  if (r.length < 2) throw new RangeError(`${where}: ${o.method} needs at least 2 returns`);
  switch (o.method) {
    case "gaussian": {
      const { mu, sd } = meanSd(r, sum);
      const z = normalPpf(alpha);
      const m = mu * o.horizon, s = sd * sq;
      return { varLoss: -(m + z * s), es: -m + (s * normalPdf(z)) / alpha };
    }
    case "cornish-fisher": {
      const { varLoss, es } = cornishFisherLoss(r, alpha, o.moments);
      return { varLoss: varLoss * sq, es: es * sq };
    }
    default: {
      const draws = normalScenarios([r], o.simulations, o.seed, o.horizon)[0]!;
      return historicalTail(draws, alpha, withES);
    }
  }
}

/** Value-at-Risk as a positive loss (see module doc for each method). */
export function valueAtRisk(returns: Float64Array | readonly number[], options: VaROptions = {}): number {
  return compute("valueAtRisk", returns, options, false).varLoss;
}

/** Expected Shortfall (CVaR) as a positive loss (see module doc for each method). */
export function expectedShortfall(returns: Float64Array | readonly number[], options: VaROptions = {}): number {
  return compute("expectedShortfall", returns, options, true).es;
}
