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
  for (let t = from; t < to - 1; t++) (sx += x[t] as number), (sy += x[t + 1] as number);
  const mx = sx / m;
  const my = sy / m;
  let sxx = 0;
  let sxy = 0;
  for (let t = from; t < to - 1; t++) {
    const dx = (x[t] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((x[t + 1] as number) - my);
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
  for (let i = 0; i < n; i++) (sx += x[i] as number), (sy += y[i] as number);
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    sxx += dx * dx;
    sxy += dx * ((y[i] as number) - my);
  }
  const beta = sxy / sxx;
  const alpha = my - beta * mx;
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = (y[i] as number) - alpha - beta * (x[i] as number);
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
    const dy = (e[t] as number) - (e[t - 1] as number);
    xr[0] = 1;
    xr[1] = e[t - 1] as number;
    for (let k = 1; k <= lags; k++) xr[1 + k] = (e[t - k] as number) - (e[t - k - 1] as number);
    for (let a = 0; a < p; a++) {
      xty[a] = (xty[a] as number) + (xr[a] as number) * dy;
      for (let b = 0; b < p; b++) xtx[a * p + b] = (xtx[a * p + b] as number) + (xr[a] as number) * (xr[b] as number);
    }
  }
  const inv = invertSmall(xtx, p);
  if (inv === null) return Number.NaN;
  const beta = new Float64Array(p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) beta[a] = (beta[a] as number) + (inv[a * p + b] as number) * (xty[b] as number);
  let ssr = 0;
  for (let t = lags + 1; t < n; t++) {
    const dy = (e[t] as number) - (e[t - 1] as number);
    let fit = (beta[0] as number) + (beta[1] as number) * (e[t - 1] as number);
    for (let k = 1; k <= lags; k++) fit += (beta[1 + k] as number) * ((e[t - k] as number) - (e[t - k - 1] as number));
    ssr += (dy - fit) ** 2;
  }
  const s2 = ssr / (rows - p);
  return (beta[1] as number) / Math.sqrt(s2 * (inv[1 * p + 1] as number));
}

function invertSmall(a: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c] as number) > Math.abs(m[piv * n + c] as number)) piv = r;
    const pv = m[piv * n + c] as number;
    if (Math.abs(pv) < 1e-300) return null;
    for (let k = 0; k < n; k++) {
      const t1 = m[c * n + k] as number;
      m[c * n + k] = m[piv * n + k] as number;
      m[piv * n + k] = t1;
      const t2 = inv[c * n + k] as number;
      inv[c * n + k] = inv[piv * n + k] as number;
      inv[piv * n + k] = t2;
    }
    for (let k = 0; k < n; k++) {
      m[c * n + k] = (m[c * n + k] as number) / pv;
      inv[c * n + k] = (inv[c * n + k] as number) / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c] as number;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k] = (m[r * n + k] as number) - f * (m[c * n + k] as number);
        inv[r * n + k] = (inv[r * n + k] as number) - f * (inv[c * n + k] as number);
      }
    }
  }
  return inv;
}
