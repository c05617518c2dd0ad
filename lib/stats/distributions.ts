/**
 * Distribution functions at full double accuracy (tails in RELATIVE precision, as p-values need):
 * normal pdf/cdf/sf/ppf, Student t cdf/sf/ppf, log-gamma, regularised incomplete beta.
 * Hand-written so lib/stats has no dependency; checked against scipy.stats in test/peers.
 *
 * - Normal cdf: |x| ≤ 3 by the all-positive series erf(y) = 2/√π·e^{−y²}·Σ (2y²)ⁿ y / (2n+1)!!
 *   (no cancellation), |x| > 3 by the Laplace continued fraction of Mills' ratio (modified Lentz).
 * - Normal ppf: Abramowitz & Stegun 26.2.23 start, then Halley steps on the accurate cdf
 *   (cubic convergence; 1 − p is exact for p ≥ ½, so the upper half is −ppf(1 − p)).
 * - Student t: via I_x(df/2, ½), Lentz continued fraction (Numerical Recipes §6.4 form).
 */

const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const LN_SQRT_2PI = 0.9189385332046728;

/** Standard normal density. */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Mills' ratio (1 − Φ(t)) / φ(t) for t > 0, continued fraction t + 1/(t + 2/(t + 3/(t + …))). */
function millsRatio(t: number): number {
  const tiny = 1e-300;
  // f = t + 1/(t + 2/(t + …)); Lentz on b_0 = t, a_k = k, b_k = t
  let f = t;
  let c = f;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    d = t + k * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = t + k / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/** erf(y) for |y| ≤ ~2.2 by the positive series. */
function erfSeries(yIn: number): number {
  const y = Math.abs(yIn);
  const y2 = 2 * y * y;
  let term = y;
  let sum = y;
  for (let n = 1; n < 500; n++) {
    term *= y2 / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  const r = TWO_OVER_SQRT_PI * Math.exp(-y * y) * sum;
  return yIn < 0 ? -r : r;
}

/** Standard normal cdf Φ(x), relative accuracy ~1e-15 in both tails. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (x < -3) return normalPdf(x) * millsRatio(-x);
  if (x > 3) return 1 - normalPdf(x) * millsRatio(x);
  return 0.5 + 0.5 * erfSeries(x / SQRT2);
}

/** Standard normal survival function 1 − Φ(x), accurate in the upper tail. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/** Standard normal quantile Φ⁻¹(p) (scipy.stats.norm.ppf); ±∞ at 0 and 1, NaN outside [0, 1]. */
export function normalPpf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalPpf(1 - p);
  if (p === 0.5) return 0;
  // A&S 26.2.23 (|error| < 4.5e-4)
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let it = 0; it < 12; it++) {
    const pdf = normalPdf(x);
    if (pdf === 0) break;
    const e = (normalCdf(x) - p) / pdf;
    const step = e / (1 + 0.5 * x * e);
    x -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(x)) break;
  }
  return x;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; Stirling series for x ≥ 10 for better large-x accuracy). */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) {
    if (Number.isInteger(x)) return Infinity;
    // reflection
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  if (x >= 10) {
    const z = 1 / (x * x);
    const series = (1 / 12 - z * (1 / 360 - z * (1 / 1260 - z * (1 / 1680 - z * (1 / 1188 - z * (691 / 360360 - z / 156)))))) / x;
    return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
  }
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = LANCZOS[0]!;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (xm + i);
  return LN_SQRT_2PI + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction for I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularised incomplete beta I_x(a, b). `y` = 1 − x may be passed when it is known more accurately
 * than `1 - x` (e.g. t²/(df+t²)).
 */
export function incompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (Number.isNaN(x) || Number.isNaN(a) || Number.isNaN(b) || a <= 0 || b <= 0) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const lnFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, y)) / b;
}

/** Student t survival function P(T > t) with `df` degrees of freedom (scipy.stats.t.sf). */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  if (df === Infinity) return normalSf(t);
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const tail = 0.5 * incompleteBeta(x, 0.5 * df, 0.5, y);
  return t > 0 ? tail : 1 - tail;
}

/** Student t cdf P(T ≤ t) (scipy.stats.t.cdf). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}

/** Two-sided p-value 2·P(T > |t|). */
export function studentTTwoSided(t: number, df: number): number {
  return Number.isNaN(t) ? Number.NaN : 2 * studentTSf(Math.abs(t), df);
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  return Math.exp(logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Student t quantile (scipy.stats.t.ppf): normal start, Newton steps on the accurate cdf. */
export function studentTPpf(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -studentTPpf(1 - p, df);
  if (p === 0.5) return 0;
  // Cornish-Fisher-style start (Hill 1970 first terms), then safeguarded Newton in log space
  const z = normalPpf(p);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  let x = z + g1 / df + g2 / (df * df);
  if (!Number.isFinite(x) || x >= 0) x = z;
  // far tail: P(T < −t) ≈ K·t^(−df)/df with K = Γ((df+1)/2)·df^((df+1)/2) / (√(df·π)·Γ(df/2))
  const lnK = logGamma((df + 1) / 2) + ((df + 1) / 2) * Math.log(df) - 0.5 * Math.log(df * Math.PI) - logGamma(df / 2);
  const tail = -Math.exp((lnK - Math.log(df) - Math.log(p)) / df);
  if (df <= 20 && Number.isFinite(tail) && tail < x) x = tail;
  for (let it = 0; it < 100; it++) {
    const f = studentTCdf(x, df);
    const pdf = studentTPdf(x, df);
    if (pdf === 0 || f === 0) break;
    // Newton on ln F(x) − ln p converges in the far tail where F is tiny
    const step = (Math.log(f) - Math.log(p)) * (f / pdf);
    let xn = x - step;
    if (xn >= 0) xn = x / 2;
    if (Math.abs(xn - x) <= 1e-15 * Math.abs(x)) {
      x = xn;
      break;
    }
    x = xn;
  }
  return x;
}
