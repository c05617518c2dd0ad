/**
 * Small time-series estimators used inside per-pair loops (AR(1) half-life, an Engle–Granger
 * residual ADF t-statistic). Private: they return bare numbers for speed; the tested public
 * versions with p-values live in lib/stats.
 */

/** AR(1) x_{t+1} = a + b x_t + e by OLS over x[0..n): returns { a, b, halfLife } with halfLife = −ln 2 / ln b (NaN unless 0 < b < 1). */
export function ar1(x: ArrayLike<number>, from = 0, to = x.length): { a: number; b: number; halfLife: number } {
  const m = to - from - 1;
  let sx = 0;
  let sy = 0;
  for (let t = from; t < to - 1; t++) (sx += x[t]!), (sy += x[t + 1]!);
  const mx = sx / m;
  const my = sy / m;
  let sxx = 0;
  let sxy = 0;
  for (let t = from; t < to - 1; t++) {
    const dx = x[t]! - mx;
    sxx += dx * dx;
    sxy += dx * (x[t + 1]! - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  return { a, b, halfLife: b > 0 && b < 1 ? -Math.LN2 / Math.log(b) : Number.NaN };
}

/** Simple regression y = α + β x: { alpha, beta, residuals }. */
export function simpleOLS(y: ArrayLike<number>, x: ArrayLike<number>): { alpha: number; beta: number; residuals: Float64Array } {
  const n = y.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) (sx += x[i]!), (sy += y[i]!);
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    sxx += dx * dx;
    sxy += dx * (y[i]! - my);
  }
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = y[i]! - alpha - beta * x[i]!;
  return { alpha, beta, residuals };
}

/**
 * ADF t-statistic of ρ in Δe_t = c + ρ e_{t−1} + Σ_{k=1..lags} φ_k Δe_{t−k} + u_t (regression with a
 * constant, as statsmodels `adfuller(regression="c")` with a fixed lag count).
 */
export function adfTStat(e: ArrayLike<number>, lags: number): number {
  const n = e.length;
  const rows = n - 1 - lags;
  const p = 2 + lags;
  if (rows <= p + 2) return Number.NaN;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  const xr = new Float64Array(p);
  for (let t = lags + 1; t < n; t++) {
    const dy = e[t]! - e[t - 1]!;
    xr[0] = 1;
    xr[1] = e[t - 1]!;
    for (let k = 1; k <= lags; k++) xr[1 + k] = e[t - k]! - e[t - k - 1]!;
    for (let a = 0; a < p; a++) {
      xty[a] = xty[a]! + xr[a]! * dy;
      for (let b = 0; b < p; b++) xtx[a * p + b] = xtx[a * p + b]! + xr[a]! * xr[b]!;
    }
  }
  const inv = invertSmall(xtx, p);
  if (inv === null) return Number.NaN;
  const beta = new Float64Array(p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) beta[a] = beta[a]! + inv[a * p + b]! * xty[b]!;
  let ssr = 0;
  for (let t = lags + 1; t < n; t++) {
    const dy = e[t]! - e[t - 1]!;
    let fit = beta[0]! + beta[1]! * e[t - 1]!;
    for (let k = 1; k <= lags; k++) fit += beta[1 + k]! * (e[t - k]! - e[t - k - 1]!);
    ssr += (dy - fit) ** 2;
  }
  const s2 = ssr / (rows - p);
  return beta[1]! / Math.sqrt(s2 * inv[1 * p + 1]!);
}

function invertSmall(a: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
    const pv = m[piv * n + c]!;
    if (Math.abs(pv) < 1e-300) return null;
    for (let k = 0; k < n; k++) {
      const t1 = m[c * n + k]!;
      m[c * n + k] = m[piv * n + k]!;
      m[piv * n + k] = t1;
      const t2 = inv[c * n + k]!;
      inv[c * n + k] = inv[piv * n + k]!;
      inv[piv * n + k] = t2;
    }
    for (let k = 0; k < n; k++) {
      m[c * n + k] = m[c * n + k]! / pv;
      inv[c * n + k] = inv[c * n + k]! / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] = m[r * n + k]! - f * m[c * n + k]!;
        inv[r * n + k] = inv[r * n + k]! - f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}
