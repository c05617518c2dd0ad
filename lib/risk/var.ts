/**
 * Value-at-Risk and Expected Shortfall of a return series, as POSITIVE losses (DESIGN.md).
 * α = 1 − confidence; NaN returns are dropped first; μ = mean, σ = sample std (ddof 1).
 * - historical: VaR = −quantile(r, α) (linear interpolation, numpy default / R type 7);
 *   ES = −mean(r ≤ quantile(r, α)).
 * - gaussian: VaR = −(μ + z_α σ); ES = −μ + σ·φ(z_α)/α.
 * - cornish-fisher: PerformanceAnalytics "modified" VaR/ES (Favre & Galeano 2002; Boudt, Peterson &
 *   Croux 2008, `mVaR.MM`/`mES.MM`) with sample skewness S = m3/m2^{3/2} and excess kurtosis
 *   K = m4/m2² − 3 (central moments m_k with 1/n):
 *   z_cf = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36, VaR = −(μ + z_cf σ);
 *   ES = −μ − σ·min(−E, z_cf) with E the Cornish-Fisher tail expectation of Boudt et al.
 * - monte-carlo: `simulations` draws of N(μ, σ²) from `createRng(seed)`; VaR/ES historical on the draws.
 * Horizon h > 1: gaussian and monte-carlo use μh and σ√h; historical and cornish-fisher scale the
 * one-period figure by √h (square-root-of-time rule).
 */
import { createRng, normalCdf, normalPdf, normalPpf } from "../stats/index.js";

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
  /** Monte Carlo seed (default 42). */
  seed?: number;
  /** Monte Carlo draws (default 100,000). */
  simulations?: number;
}

interface Resolved {
  alpha: number;
  method: VaRMethod;
  horizon: number;
  seed: number;
  simulations: number;
}

function resolve(where: string, o: VaROptions): Resolved {
  const confidence = o.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${where}: confidence must be in (0, 1), e.g. 0.95 or 0.99, got ${confidence}`);
  const method = o.method ?? "historical";
  if (!METHODS.includes(method)) throw new RangeError(`${where}: method must be one of ${METHODS.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(method)}`);
  const horizon = o.horizon ?? 1;
  if (!(horizon > 0) || !Number.isFinite(horizon)) throw new RangeError(`${where}: horizon must be a positive number of periods, got ${horizon}`);
  const seed = o.seed ?? 42;
  const simulations = o.simulations ?? 100_000;
  if (!Number.isInteger(simulations) || simulations < 100) throw new RangeError(`${where}: simulations must be an integer ≥ 100, got ${simulations}`);
  return { alpha: 1 - confidence, method, horizon, seed, simulations };
}

function clean(returns: Float64Array | readonly number[], where: string): Float64Array {
  if (!(returns instanceof Float64Array) && !Array.isArray(returns)) throw new TypeError(`${where}: returns must be a Float64Array or number[]`);
  const r = Float64Array.from(returns as ArrayLike<number>).filter((v) => v === v);
  if (r.length === 0) throw new RangeError(`${where}: no returns (empty or all NaN)`);
  for (let i = 0; i < r.length; i++) if (!Number.isFinite(r[i] as number)) throw new RangeError(`${where}: returns contain ±Infinity`);
  return r;
}

function moments(r: Float64Array): { mu: number; sd: number; skew: number; exKurt: number } {
  const n = r.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += r[i] as number;
  const mu = s / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (r[i] as number) - mu;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : Number.NaN;
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mu, sd, skew: m3 / m2 ** 1.5, exKurt: m4 / (m2 * m2) - 3 };
}

function quantileType7(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number, b = sorted[hi] as number;
  const g = h - lo;
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

function historical(sorted: Float64Array, alpha: number): { varLoss: number; es: number } {
  const q = quantileType7(sorted, alpha);
  let s = 0, c = 0;
  for (let i = 0; i < sorted.length && (sorted[i] as number) <= q; i++) (s += sorted[i] as number), c++;
  return { varLoss: -q, es: -(s / c) };
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

function compute(where: string, returns: Float64Array | readonly number[], options: VaROptions): { varLoss: number; es: number } {
  const o = resolve(where, options);
  const r = clean(returns, where);
  const sq = Math.sqrt(o.horizon);
  switch (o.method) {
    case "historical": {
      const s = r.slice().sort();
      const { varLoss, es } = historical(s, o.alpha);
      return { varLoss: varLoss * sq, es: es * sq };
    }
    case "gaussian": {
      if (r.length < 2) throw new RangeError(`${where}: gaussian needs at least 2 returns`);
      const { mu, sd } = moments(r);
      const z = normalPpf(o.alpha);
      const m = mu * o.horizon, s = sd * sq;
      return { varLoss: -(m + z * s), es: -m + (s * normalPdf(z)) / o.alpha };
    }
    case "cornish-fisher": {
      if (r.length < 2) throw new RangeError(`${where}: cornish-fisher needs at least 2 returns`);
      const { mu, sd, skew, exKurt } = moments(r);
      if (!(sd > 0)) return { varLoss: Number.NaN, es: Number.NaN }; // constant returns: moments undefined
      const z = normalPpf(o.alpha);
      const h = cornishFisherQuantile(z, skew, exKurt);
      let e = normalPdf(h);
      e += ((iPower(4, h) - 6 * iPower(2, h) + 3 * normalPdf(h)) * exKurt) / 24;
      e += ((iPower(3, h) - 3 * iPower(1, h)) * skew) / 6;
      e += ((iPower(6, h) - 15 * iPower(4, h) + 45 * iPower(2, h) - 15 * normalPdf(h)) * skew * skew) / 72;
      e /= o.alpha;
      return { varLoss: -(mu + h * sd) * sq, es: (-mu - sd * Math.min(-e, h)) * sq };
    }
    default: {
      if (r.length < 2) throw new RangeError(`${where}: monte-carlo needs at least 2 returns`);
      const { mu, sd } = moments(r);
      const rng = createRng(o.seed);
      const draws = new Float64Array(o.simulations);
      const m = mu * o.horizon, s = sd * sq;
      for (let i = 0; i < draws.length; i++) draws[i] = m + s * rng.normal();
      draws.sort();
      return historical(draws, o.alpha);
    }
  }
}

/** Value-at-Risk as a positive loss (see module doc for each method). */
export function valueAtRisk(returns: Float64Array | readonly number[], options: VaROptions = {}): number {
  return compute("valueAtRisk", returns, options).varLoss;
}

/** Expected Shortfall (CVaR) as a positive loss (see module doc for each method). */
export function expectedShortfall(returns: Float64Array | readonly number[], options: VaROptions = {}): number {
  return compute("expectedShortfall", returns, options).es;
}
