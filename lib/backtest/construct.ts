/**
 * Scores → target weights for the backtester when no construction function is given: a
 * dollar-neutral long/short book (the statarb default). Kept here, small, because the backtester
 * needs one fixed, documented default; richer construction (mean-variance, risk parity, beta
 * neutrality) is lib/portfolio's and is passed in as `portfolio: (scores, context) => weights`.
 *
 * - "rank": wᵢ ∝ rank(sᵢ) − mean rank (cross-sectional, NaN scores get 0), scaled to Σ|w| = gross.
 * - "zscore": wᵢ ∝ (sᵢ − mean s) / std s, scaled to Σ|w| = gross.
 * - "topk": +gross/2k on the k highest scores, −gross/2k on the k lowest.
 * - "proportional": wᵢ = sᵢ / Σ|s| · gross, for scores that already are positions (pairs legs ±1,
 *   Avellaneda-Lee open/close states); not demeaned, so the signal's own hedging is kept.
 */

/** Options of the built-in construction. */
export interface BuiltinConstructionOptions {
  /** Default "rank". */
  method?: "rank" | "zscore" | "topk" | "proportional";
  /** Σ|w| of the book (default 1). */
  gross?: number;
  /** Names per side for "topk" (default: a fifth of the valid scores, at least 1). */
  k?: number;
}

/** Checks construction options (errors name the option). */
export function checkConstruction(options: BuiltinConstructionOptions): Required<Omit<BuiltinConstructionOptions, "k">> & { k: number | undefined } {
  const method = options.method ?? "rank";
  if (method !== "rank" && method !== "zscore" && method !== "topk" && method !== "proportional") {
    throw new TypeError(`portfolio.method must be "rank", "zscore", "topk" or "proportional", got ${JSON.stringify(method)}`);
  }
  const gross = options.gross ?? 1;
  if (!(gross >= 0 && Number.isFinite(gross))) throw new RangeError(`portfolio.gross must be a finite number ≥ 0, got ${gross}`);
  if (options.k !== undefined && !(Number.isInteger(options.k) && options.k >= 1)) throw new RangeError(`portfolio.k must be an integer ≥ 1, got ${options.k}`);
  return { method, gross, k: options.k };
}

/** Dollar-neutral weights from scores (a new array; NaN scores get weight 0). */
export function scoresToWeights(scores: Float64Array, options: BuiltinConstructionOptions = {}, out = new Float64Array(scores.length)): Float64Array {
  const { method, gross, k } = checkConstruction(options);
  const n = scores.length;
  out.fill(0);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(scores[i] as number)) idx.push(i);
  const m = idx.length;
  if (method === "proportional") {
    let g = 0;
    for (const i of idx) g += Math.abs(scores[i] as number);
    if (g > 0) for (const i of idx) out[i] = ((scores[i] as number) * gross) / g;
    return out;
  }
  if (m < 2) return out;
  if (method === "topk") {
    idx.sort((a, b) => (scores[a] as number) - (scores[b] as number));
    const kk = Math.min(k ?? Math.max(1, Math.floor(m / 5)), Math.floor(m / 2));
    if (kk < 1) return out;
    const w = gross / (2 * kk);
    for (let q = 0; q < kk; q++) {
      out[idx[q] as number] = -w;
      out[idx[m - 1 - q] as number] = w;
    }
    return out;
  }
  if (method === "rank") {
    idx.sort((a, b) => (scores[a] as number) - (scores[b] as number));
    // Average ranks for ties, so equal scores get equal weights.
    let q = 0;
    while (q < m) {
      let e = q;
      while (e + 1 < m && scores[idx[e + 1] as number] === scores[idx[q] as number]) e++;
      const r = (q + e) / 2;
      for (let t = q; t <= e; t++) out[idx[t] as number] = r - (m - 1) / 2;
      q = e + 1;
    }
  } else {
    let s = 0;
    for (const i of idx) s += scores[i] as number;
    const mu = s / m;
    let ss = 0;
    for (const i of idx) ss += ((scores[i] as number) - mu) ** 2;
    const sd = Math.sqrt(ss / (m - 1));
    if (!(sd > 0)) return out;
    for (const i of idx) out[i] = ((scores[i] as number) - mu) / sd;
  }
  let g = 0;
  for (const i of idx) g += Math.abs(out[i] as number);
  if (g > 0) for (const i of idx) out[i] = ((out[i] as number) * gross) / g;
  return out;
}
