/**
 * Avellaneda & Lee (2010), "Statistical arbitrage in the US equities market", Quantitative Finance
 * 10(7): PCA residual mean reversion.
 *
 * At each date t: standardise the last `correlationWindow` daily returns of every asset with a full
 * window, take the top `factors` eigenvectors v_j of their correlation matrix, form eigenportfolios
 * Q_ji = v_ji / σ_i and their returns F_j = Σ_i Q_ji R_i. Over the last `ouWindow` days regress each
 * asset's returns on [1, F] (OLS), cumulate the residuals X_k, fit the AR(1) X_{k+1} = a + b X_k + ζ,
 * and read the OU parameters κ = −ln(b)·252, m = a/(1−b), σ_eq = √(Var ζ / (1−b²)) (Var ζ with
 * ddof 0). The s-score is s = (X_L − m)/σ_eq; it is only defined when 0 < b < 1 and κ > κ_min.
 * Positions: open long s < −1.25, open short s > 1.25, close long s > −0.5, close short s < 0.75.
 *
 * Only the span of the top eigenvectors matters for the residuals, so for wide universes the
 * eigenvectors come from warm-started orthogonal iteration that tracks the top-k subspace date to
 * date (exact Jacobi up to `exactLimit` assets; the first date of a wide universe is exact through
 * lib/stats' `eigh`): a daily exact 500 × 500 eigen-decomposition costs ~14 ms in LAPACK, ~35 s per
 * decade. One tracking iteration is two products with the 252 × 500 window (≈ 3.8 M multiply-adds),
 * so 500 assets × 2,520 days cost ≈ 20 G multiply-adds at the default 2 iterations — tens of seconds
 * in JavaScript. `eigenRefresh` > 1 holds the eigenportfolios between recomputations, trading
 * accuracy of the s-scores for time.
 *
 * Speed: when native/linalg is built, each date's dense work (window moments, the tracking
 * iterations, the residual regressions and OU fits) runs in three Eigen kernels over contiguous
 * windows gathered into a reused scratch block (one N-API crossing per kernel per date); the
 * TypeScript below is the fallback and the reference, same algorithm, equal to rounding
 * (test/signals/pca-native.test.ts). The valid universe is kept incrementally (each asset's last
 * non-finite row), so a sweep does O(n) bookkeeping a date instead of rescanning O(nW) returns.
 * 500 × 2,520 at the defaults: ≈ 2–3 s native vs ≈ 60–120 s TypeScript (bench/results/signals.md).
 */
import { asPanelView, type DateLike, opt, Panel, type PanelView } from "../data/index.js";
import type { AlphaModel } from "./alpha-model.js";
import { cholesky, choleskySolve, jacobiEigen } from "./internal/linalg.js";
import { eigh, Matrix } from "../stats/index.js";
import { NATIVE_LINALG_MISSING, nativePcaKernels, type PcaKernels } from "../stats/native-linalg.js";

/** Options of {@link PCAResidualModel} and {@link pcaResidualScores}. */
export interface PCAResidualOptions {
  /** Days of returns in the correlation matrix (default 252). */
  correlationWindow?: number;
  /** Number of eigenportfolios (factors) (default 15). */
  factors?: number;
  /** Days of the residual regression and OU fit (default 60). */
  ouWindow?: number;
  /** Minimum mean-reversion speed κ per year (default 252/30: half-life under ~30 days/ln 2). */
  kappaMin?: number;
  /** Open a position when |s| exceeds this (default 1.25). */
  openThreshold?: number;
  /** Close a long when s rises above −closeLong (default 0.5). */
  closeLong?: number;
  /** Close a short when s falls below closeShort (default 0.75). */
  closeShort?: number;
  /** What `predict` returns: `"position"` (+1 long / −1 short / 0 flat by the rules) or `"score"` (−s) (default "position"). */
  output?: "position" | "score";
  /** Recompute the eigenportfolios every this many days; 1 = daily as in the paper (default 1). */
  eigenRefresh?: number;
  /** Use the exact (Jacobi) eigen-decomposition up to this many assets, subspace tracking above (default 64). */
  exactLimit?: number;
  /**
   * Above `exactLimit`: orthogonal iterations per date, warm-started from the previous date's
   * subspace (the first date runs 100). More = closer to the exact top-k span (default 2).
   */
  trackingIterations?: number;
  /** Periods per year for κ (default 252). */
  periodsPerYear?: number;
  /**
   * Where the per-date dense work runs: "auto" (default: the native Eigen kernels of native/linalg
   * when built, else TypeScript), "native" (throws when the addon is not built) or "ts". Both run
   * the same algorithm and agree to rounding (~1e-12 relative).
   */
  backend?: "auto" | "native" | "ts";
}

type Resolved = Required<PCAResidualOptions>;

function resolve(o: PCAResidualOptions): Readonly<Resolved> {
  const W = "PCAResidualModel";
  const correlationWindow = opt.positiveInt(W, "correlationWindow", o.correlationWindow, 252);
  const ouWindow = opt.positiveInt(W, "ouWindow", o.ouWindow, 60);
  const factors = opt.nonNegInt(W, "factors", o.factors, 15);
  if (ouWindow > correlationWindow) throw new RangeError(`${W}: ouWindow (${ouWindow}) must not exceed correlationWindow (${correlationWindow})`);
  if (ouWindow < factors + 5) throw new RangeError(`${W}: ouWindow (${ouWindow}) must exceed factors + 4 (${factors + 4}) for the residual regression`);
  const periodsPerYear = opt.finiteIn(W, "periodsPerYear", o.periodsPerYear, 252, 0, 1e6, true);
  return Object.freeze({
    correlationWindow,
    factors,
    ouWindow,
    kappaMin: opt.finiteIn(W, "kappaMin", o.kappaMin, periodsPerYear / 30, 0, Number.MAX_VALUE),
    openThreshold: opt.finiteIn(W, "openThreshold", o.openThreshold, 1.25, 0, Number.MAX_VALUE),
    closeLong: opt.finiteIn(W, "closeLong", o.closeLong, 0.5, -Number.MAX_VALUE, Number.MAX_VALUE),
    closeShort: opt.finiteIn(W, "closeShort", o.closeShort, 0.75, -Number.MAX_VALUE, Number.MAX_VALUE),
    output: opt.oneOfValue(W, "output", o.output, "position", ["position", "score"] as const),
    eigenRefresh: opt.positiveInt(W, "eigenRefresh", o.eigenRefresh, 1),
    exactLimit: opt.positiveInt(W, "exactLimit", o.exactLimit, 64),
    trackingIterations: opt.positiveInt(W, "trackingIterations", o.trackingIterations, 2),
    periodsPerYear,
    backend: nativeBackend(W, opt.oneOfValue(W, "backend", o.backend, "auto", ["auto", "native", "ts"] as const)),
  });
}

function nativeBackend(W: string, b: "auto" | "native" | "ts"): "auto" | "native" | "ts" {
  if (b === "native" && nativePcaKernels() === null) throw new Error(`${W}: backend "native": ${NATIVE_LINALG_MISSING}`);
  return b;
}

/** The native kernels this configuration uses, or null for the TypeScript path. */
function kernelsFor(o: Readonly<Resolved>): PcaKernels | null {
  return o.backend === "ts" ? null : nativePcaKernels();
}

/** Per-date s-score output for the valid assets (NaN elsewhere). */
interface SRow {
  s: Float64Array;
  kappa: Float64Array;
}

/** Eigenportfolio state carried from one date to the next (warm start, refresh cadence). */
interface EigenState {
  valid: Int32Array | null;
  basis: Float64Array | null; // nv × p, row-major, orthonormal columns (subspace iteration)
  q: Float64Array | null; // nv × k eigenportfolio weights
  age: number;
  /** Per asset, the last row ≤ `scanned` whose return is not finite (−1: none); rows scanned so far. */
  lastBad: Int32Array | null;
  scanned: number;
  /** Scratch for the native kernels' windows when the returns are not one block (reused date to date). */
  scratch: Float64Array;
  /** The return columns last seen and, when they are one column-major block, that block. */
  source: { ret: readonly Float64Array[]; block: Float64Array | null; ld: number } | null;
}

/** A window of return rows for the native kernels: rows [row0, row0 + rows) of columns `cols` of `src` (leading dimension ld). */
interface NativeWindow {
  kn: PcaKernels;
  src: Float64Array;
  ld: number;
  cols: Int32Array;
  row0: number;
}

/**
 * The window [row0, row0 + rows) of the valid columns as the kernels take it: straight from the
 * returns when they are one column-major block (returnsOf and the replay memo allocate them so),
 * else gathered into the state's scratch.
 */
function nativeWindow(kn: PcaKernels, ret: readonly Float64Array[], valid: Int32Array, row0: number, rows: number, st: EigenState): NativeWindow {
  if (st.source === null || st.source.ret !== ret) st.source = { ret, ...blockOf(ret) };
  const { block, ld } = st.source;
  if (block !== null) return { kn, src: block, ld, cols: valid, row0 };
  const nv = valid.length;
  const buf = scratchOf(st, rows * nv);
  for (let a = 0; a < nv; a++) buf.set((ret[valid[a] as number] as Float64Array).subarray(row0, row0 + rows), a * rows);
  return { kn, src: buf, ld: rows, cols: Int32Array.from({ length: nv }, (_, a) => a), row0: 0 };
}

/** The single column-major block the columns are consecutive views of, if they are. */
function blockOf(ret: readonly Float64Array[]): { block: Float64Array | null; ld: number } {
  const first = ret[0];
  if (first === undefined) return { block: null, ld: 0 };
  const ld = first.length;
  for (let j = 1; j < ret.length; j++) {
    const c = ret[j] as Float64Array;
    if (c.buffer !== first.buffer || c.length !== ld || c.byteOffset !== first.byteOffset + j * ld * 8) return { block: null, ld: 0 };
  }
  return { block: new Float64Array(first.buffer, first.byteOffset, ld * ret.length), ld };
}

/** n columns of length len, allocated as consecutive views of one column-major block. */
function blockColumns(n: number, len: number): Float64Array[] {
  const block = new Float64Array(n * len);
  return Array.from({ length: n }, (_, j) => block.subarray(j * len, (j + 1) * len));
}

function newState(): EigenState {
  return { valid: null, basis: null, q: null, age: 0, lastBad: null, scanned: -1, scratch: new Float64Array(0), source: null };
}

/** A reusable scratch block of at least `len` values (contents undefined). */
function scratchOf(st: EigenState, len: number): Float64Array {
  if (st.scratch.length < len) st.scratch = new Float64Array(Math.max(len, 2 * st.scratch.length));
  return st.scratch.subarray(0, len);
}

/**
 * Assets whose returns are finite on every row of [i − W + 1, i]. The state remembers each asset's
 * last non-finite row, so a date-by-date sweep scans each new row once (O(n) a date, not O(nW)).
 */
function validAssets(ret: readonly Float64Array[], i: number, W: number, st: EigenState): Int32Array {
  const n = ret.length;
  const from = i - W + 1;
  let lastBad = st.lastBad;
  let start = st.scanned + 1;
  if (lastBad === null || lastBad.length !== n || st.scanned > i || st.scanned < from - 1) {
    lastBad = new Int32Array(n).fill(-1);
    start = from;
  }
  for (let j = 0; j < n; j++) {
    const c = ret[j] as Float64Array;
    for (let t = start; t <= i; t++) if (!Number.isFinite(c[t] as number)) lastBad[j] = t;
  }
  st.lastBad = lastBad;
  st.scanned = i;
  let nv = 0;
  for (let j = 0; j < n; j++) if ((lastBad[j] as number) < from) nv++;
  const valid = new Int32Array(nv);
  nv = 0;
  for (let j = 0; j < n; j++) if ((lastBad[j] as number) < from) valid[nv++] = j;
  return valid;
}

function sameValid(a: Int32Array | null, b: Int32Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Top-k eigenvectors (as nv×k row-major) of the correlation of the W×nv standardised matrix Y. */
function topEigenvectors(columns: () => readonly Float64Array[], nv: number, mu: Float64Array, inv: Float64Array, W: number, k: number, o: Readonly<Resolved>, st: EigenState, warm: boolean, nw: NativeWindow | null): Float64Array {
  if (nv <= o.exactLimit) {
    const win = columns();
    const y = new Float64Array(W * nv);
    for (let a = 0; a < nv; a++) {
      const c = win[a] as Float64Array;
      const m = mu[a] as number;
      const f = inv[a] as number;
      for (let t = 0; t < W; t++) y[t * nv + a] = ((c[t] as number) - m) * f;
    }
    const c = new Float64Array(nv * nv);
    for (let t = 0; t < W; t++) {
      const base = t * nv;
      for (let a = 0; a < nv; a++) {
        const ya = y[base + a] as number;
        if (ya === 0) continue;
        const row = a * nv;
        for (let b = a; b < nv; b++) c[row + b] = (c[row + b] as number) + ya * (y[base + b] as number);
      }
    }
    for (let a = 0; a < nv; a++) for (let b = a; b < nv; b++) c[b * nv + a] = c[a * nv + b] = (c[a * nv + b] as number) / (W - 1);
    const { vectors } = jacobiEigen(c, nv);
    const out = new Float64Array(nv * k);
    for (let i = 0; i < nv; i++) for (let j = 0; j < k; j++) out[i * k + j] = vectors[i * nv + j] as number;
    return out;
  }
  // Orthogonal (block power) iteration tracking the top-k subspace from the previous date: the
  // window moves by one row a day, so a few products with Y per day keep the span current.
  // Y = (R − 1μᵀ)D⁻¹ is never formed: Y V = R (D⁻¹V) − 1 (μᵀD⁻¹V), and Yᵀ Z = D⁻¹ Rᵀ Z because
  // the columns of Z = Y V sum to zero. Vectors are held column-major here so that every inner
  // loop runs over a contiguous return column (axpy / dot of length W).
  const prev = warm && st.basis !== null && st.basis.length === nv * k ? st.basis : null;
  let iters = o.trackingIterations;
  const v = new Float64Array(k * nv);
  if (prev === null) {
    // cold start: the exact top-k from lib/stats' eigh (native Eigen when built) of the correlation
    // matrix — cheaper than ~100 orthogonal iterations from a random start, and exact on day one
    exactTopK(columns(), mu, inv, W, k, v);
    iters = 0;
  } else for (let i = 0; i < nv; i++) for (let c = 0; c < k; c++) v[c * nv + i] = prev[i * k + c] as number;
  const win = nw === null && iters > 0 ? columns() : [];
  if (nw !== null) {
    nw.kn.pcaTrack(nw.src, nw.ld, nw.cols, nw.row0, W, mu, inv, v, k, iters);
    iters = 0;
  } else orthonormalizeColumnMajor(v, nv, k);
  const z = new Float64Array(k * W);
  const vs = new Float64Array(k * nv);
  for (let iter = 0; iter < iters; iter++) {
    for (let c = 0; c < k; c++) {
      let shift = 0;
      const cb = c * nv;
      for (let i = 0; i < nv; i++) {
        const x = (v[cb + i] as number) * (inv[i] as number);
        vs[cb + i] = x;
        shift += (mu[i] as number) * x;
      }
      z.fill(-shift, c * W, (c + 1) * W);
    }
    // Z += R·Vs and V = D⁻¹RᵀZ, four columns at a time so each return is loaded once per block
    for (let i = 0; i < nv; i++) {
      const col = win[i] as Float64Array;
      let c = 0;
      for (; c + 4 <= k; c += 4) {
        const a0 = vs[c * nv + i] as number;
        const a1 = vs[(c + 1) * nv + i] as number;
        const a2 = vs[(c + 2) * nv + i] as number;
        const a3 = vs[(c + 3) * nv + i] as number;
        const b0 = c * W;
        const b1 = b0 + W;
        const b2 = b1 + W;
        const b3 = b2 + W;
        for (let t = 0; t < W; t++) {
          const x = col[t] as number;
          z[b0 + t] = (z[b0 + t] as number) + a0 * x;
          z[b1 + t] = (z[b1 + t] as number) + a1 * x;
          z[b2 + t] = (z[b2 + t] as number) + a2 * x;
          z[b3 + t] = (z[b3 + t] as number) + a3 * x;
        }
      }
      for (; c < k; c++) {
        const a = vs[c * nv + i] as number;
        const zb = c * W;
        for (let t = 0; t < W; t++) z[zb + t] = (z[zb + t] as number) + a * (col[t] as number);
      }
    }
    for (let i = 0; i < nv; i++) {
      const col = win[i] as Float64Array;
      const f = inv[i] as number;
      let c = 0;
      for (; c + 4 <= k; c += 4) {
        const b0 = c * W;
        const b1 = b0 + W;
        const b2 = b1 + W;
        const b3 = b2 + W;
        let d0 = 0;
        let d1 = 0;
        let d2 = 0;
        let d3 = 0;
        for (let t = 0; t < W; t++) {
          const x = col[t] as number;
          d0 += x * (z[b0 + t] as number);
          d1 += x * (z[b1 + t] as number);
          d2 += x * (z[b2 + t] as number);
          d3 += x * (z[b3 + t] as number);
        }
        v[c * nv + i] = d0 * f;
        v[(c + 1) * nv + i] = d1 * f;
        v[(c + 2) * nv + i] = d2 * f;
        v[(c + 3) * nv + i] = d3 * f;
      }
      for (; c < k; c++) {
        const zb = c * W;
        let d = 0;
        for (let t = 0; t < W; t++) d += (col[t] as number) * (z[zb + t] as number);
        v[c * nv + i] = d * f;
      }
    }
    orthonormalizeColumnMajor(v, nv, k);
  }
  const out = new Float64Array(nv * k);
  for (let i = 0; i < nv; i++) for (let c = 0; c < k; c++) out[i * k + c] = v[c * nv + i] as number;
  st.basis = out;
  return out;
}

/** Top-k eigenvectors of the window's correlation matrix into v (column-major k × nv). */
function exactTopK(win: readonly Float64Array[], mu: Float64Array, inv: Float64Array, W: number, k: number, v: Float64Array): void {
  const nv = win.length;
  const y = win.map((c, a) => {
    const m = mu[a] as number;
    const f = inv[a] as number;
    const out = new Float64Array(W);
    for (let t = 0; t < W; t++) out[t] = ((c[t] as number) - m) * f;
    return out;
  });
  const c = new Float64Array(nv * nv);
  for (let a = 0; a < nv; a++) {
    const ya = y[a] as Float64Array;
    for (let b = a; b < nv; b++) {
      const yb = y[b] as Float64Array;
      let d = 0;
      for (let t = 0; t < W; t++) d += (ya[t] as number) * (yb[t] as number);
      c[a * nv + b] = c[b * nv + a] = d / (W - 1);
    }
  }
  const { vectors } = eigh(new Matrix(nv, nv, c));
  const vd = vectors.data;
  for (let q = 0; q < k; q++) {
    const src = (nv - 1 - q) * nv; // ascending order: the largest eigenvalue is the last column
    for (let i = 0; i < nv; i++) v[q * nv + i] = vd[src + i] as number;
  }
}

/** Modified Gram–Schmidt on k contiguous columns of length n (column-major), in place. */
function orthonormalizeColumnMajor(m: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    const cb = c * n;
    for (let q = 0; q < c; q++) {
      const qb = q * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (m[cb + i] as number) * (m[qb + i] as number);
      for (let i = 0; i < n; i++) m[cb + i] = (m[cb + i] as number) - dot * (m[qb + i] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (m[cb + i] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) m[cb + i] = (m[cb + i] as number) / norm;
  }
}

/**
 * s-scores at row `i` from return columns (rows 0..i visible). `ret[j][t]` is the simple return of
 * asset j from t−1 to t.
 */
function sScoresAt(ret: readonly Float64Array[], i: number, o: Readonly<Resolved>, st: EigenState): SRow {
  const n = ret.length;
  const W = o.correlationWindow;
  const L = o.ouWindow;
  const s = new Float64Array(n).fill(Number.NaN);
  const kappa = new Float64Array(n).fill(Number.NaN);
  if (i - W + 1 < 1) return { s, kappa };
  const valid = validAssets(ret, i, W, st);
  const nv = valid.length;
  const k = Math.min(o.factors, Math.max(nv - 1, 0));
  if (nv < 2) return { s, kappa };
  const sigma = new Float64Array(nv);
  let q: Float64Array;
  const refresh = st.q === null || !sameValid(st.valid, valid) || st.age + 1 >= o.eigenRefresh;
  const kn = kernelsFor(o);
  if (refresh && kn !== null) {
    const nw = nativeWindow(kn, ret, valid, i - W + 1, W, st);
    const mu = new Float64Array(nv);
    const inv = new Float64Array(nv);
    kn.windowMoments(nw.src, nw.ld, nw.cols, nw.row0, W, mu, sigma, inv);
    const warm = sameValid(st.valid, valid);
    const columns = (): Float64Array[] => Array.from(valid, (j) => (ret[j] as Float64Array).subarray(i - W + 1, i + 1));
    const vecs = k > 0 ? topEigenvectors(columns, nv, mu, inv, W, k, o, st, warm, nw) : new Float64Array(0);
    q = eigenportfolios(vecs, sigma, nv, k);
    st.q = q;
    st.valid = valid;
    st.age = 0;
  } else if (refresh) {
    const win: Float64Array[] = [];
    const mu = new Float64Array(nv);
    const inv = new Float64Array(nv);
    for (let a = 0; a < nv; a++) {
      const c = (ret[valid[a] as number] as Float64Array).subarray(i - W + 1, i + 1);
      win.push(c);
      let m = 0;
      for (let t = 0; t < W; t++) m += c[t] as number;
      m /= W;
      let ss = 0;
      for (let t = 0; t < W; t++) ss += ((c[t] as number) - m) ** 2;
      const sd = Math.sqrt(ss / (W - 1));
      sigma[a] = sd;
      mu[a] = m;
      inv[a] = sd > 0 ? 1 / sd : 0;
    }
    const warm = sameValid(st.valid, valid);
    const vecs = k > 0 ? topEigenvectors(() => win, nv, mu, inv, W, k, o, st, warm, null) : new Float64Array(0);
    q = eigenportfolios(vecs, sigma, nv, k);
    st.q = q;
    st.valid = valid;
    st.age = 0;
  } else {
    q = st.q as Float64Array;
    st.age++;
  }
  // regressors over the OU window, column-major: xc[0..L) = 1, xc[(1+j)L ..) = factor j's returns,
  // so every inner loop below runs over L contiguous values
  const t0 = i - L + 1;
  if (kn !== null) {
    const nw = nativeWindow(kn, ret, valid, t0, L, st);
    const sv = new Float64Array(nv);
    const kv = new Float64Array(nv);
    kn.pcaResiduals(nw.src, nw.ld, nw.cols, nw.row0, L, q, k, o.periodsPerYear, o.kappaMin, sv, kv);
    for (let a = 0; a < nv; a++) {
      const j = valid[a] as number;
      s[j] = sv[a] as number;
      kappa[j] = kv[a] as number;
    }
    return { s, kappa };
  }
  const p = k + 1;
  const xc = new Float64Array(p * L);
  xc.fill(1, 0, L);
  for (let a = 0; a < nv; a++) {
    const r = (ret[valid[a] as number] as Float64Array).subarray(t0, i + 1);
    for (let j = 0; j < k; j++) {
      const w = q[a * k + j] as number;
      const base = (1 + j) * L;
      for (let t = 0; t < L; t++) xc[base + t] = (xc[base + t] as number) + w * (r[t] as number);
    }
  }
  const xtx = new Float64Array(p * p);
  for (let u = 0; u < p; u++) for (let v = u; v < p; v++) {
    let d = 0;
    for (let t = 0; t < L; t++) d += (xc[u * L + t] as number) * (xc[v * L + t] as number);
    xtx[u * p + v] = d;
    xtx[v * p + u] = d;
  }
  if (!cholesky(xtx, p)) return { s, kappa };
  const beta = new Float64Array(p);
  const xcum = new Float64Array(L);
  for (let a = 0; a < nv; a++) {
    const j = valid[a] as number;
    const r = (ret[j] as Float64Array).subarray(t0, i + 1);
    for (let u = 0; u < p; u++) {
      let d = 0;
      const base = u * L;
      for (let t = 0; t < L; t++) d += (xc[base + t] as number) * (r[t] as number);
      beta[u] = d;
    }
    choleskySolve(xtx, p, beta);
    xcum.set(r);
    for (let u = 0; u < p; u++) {
      const bu = beta[u] as number;
      const base = u * L;
      for (let t = 0; t < L; t++) xcum[t] = (xcum[t] as number) - bu * (xc[base + t] as number);
    }
    for (let t = 1; t < L; t++) xcum[t] = (xcum[t] as number) + (xcum[t - 1] as number);
    // AR(1) by OLS on (X_k, X_{k+1})
    const m = L - 1;
    let sx = 0;
    let sy = 0;
    for (let t = 0; t < m; t++) (sx += xcum[t] as number), (sy += xcum[t + 1] as number);
    const mx = sx / m;
    const my = sy / m;
    let sxx = 0;
    let sxy = 0;
    for (let t = 0; t < m; t++) {
      const dx = (xcum[t] as number) - mx;
      sxx += dx * dx;
      sxy += dx * ((xcum[t + 1] as number) - my);
    }
    const b = sxy / sxx;
    const a0 = my - b * mx;
    let sz = 0;
    for (let t = 0; t < m; t++) sz += ((xcum[t + 1] as number) - a0 - b * (xcum[t] as number)) ** 2;
    const varZ = sz / m;
    if (!(b > 0 && b < 1)) continue;
    const kap = -Math.log(b) * o.periodsPerYear;
    kappa[j] = kap;
    if (!(kap > o.kappaMin)) continue;
    const mean = a0 / (1 - b);
    const sigEq = Math.sqrt(varZ / (1 - b * b));
    s[j] = ((xcum[L - 1] as number) - mean) / sigEq;
  }
  return { s, kappa };
}

/** Eigenportfolio weights Q_ai = v_ai / σ_a (nv × k row-major; 0 for a constant asset). */
function eigenportfolios(vecs: Float64Array, sigma: Float64Array, nv: number, k: number): Float64Array {
  const q = new Float64Array(nv * k);
  for (let a = 0; a < nv; a++) {
    const inv = (sigma[a] as number) > 0 ? 1 / (sigma[a] as number) : 0;
    for (let j = 0; j < k; j++) q[a * k + j] = (vecs[a * k + j] as number) * inv;
  }
  return q;
}

/** Simple returns of each price column, as views of one block (the native kernels read it in place). */
function returnsOf(columns: readonly Float64Array[]): Float64Array[] {
  const out = blockColumns(columns.length, columns[0]?.length ?? 0);
  return columns.map((p, j) => {
    const r = out[j] as Float64Array;
    if (p.length > 0) r[0] = Number.NaN;
    for (let t = 1; t < p.length; t++) r[t] = (p[t] as number) / (p[t - 1] as number) - 1;
    return r;
  });
}

/** Frozen result of {@link pcaResidualScores}. */
export interface PCAResidualScores {
  /** s-score per date and asset (NaN where undefined or κ ≤ κ_min). */
  readonly sScore: Panel;
  /** Mean-reversion speed κ per year (NaN where the AR(1) coefficient is outside (0, 1)). */
  readonly kappa: Panel;
}

/** s-scores and κ for every date of a price panel, computed date by date (each from data up to that date only). */
export function pcaResidualScores(prices: Panel, options: PCAResidualOptions = {}): PCAResidualScores {
  const o = resolve(options);
  const ret = returnsOf(prices.columns);
  const st = newState();
  const n = prices.nAssets;
  const T = prices.nDates;
  const sc = Array.from({ length: n }, () => new Float64Array(T).fill(Number.NaN));
  const kc = Array.from({ length: n }, () => new Float64Array(T).fill(Number.NaN));
  for (let i = o.correlationWindow; i < T; i++) {
    const row = sScoresAt(ret, i, o, st);
    for (let j = 0; j < n; j++) {
      (sc[j] as Float64Array)[i] = row.s[j] as number;
      (kc[j] as Float64Array)[i] = row.kappa[j] as number;
    }
  }
  return Object.freeze({ sScore: new Panel(prices.dates, prices.assets, sc, { validate: false }), kappa: new Panel(prices.dates, prices.assets, kc, { validate: false }) });
}

/** One step of the Avellaneda–Lee open/close rules for every asset (no s-score → flat). */
export function avellanedaLeeStep(prev: Float64Array, s: Float64Array, options: PCAResidualOptions = {}): Float64Array {
  const o = resolve(options);
  return stepPositions(prev, s, o);
}

function stepPositions(prev: Float64Array, s: Float64Array, o: Readonly<Resolved>): Float64Array {
  const out = new Float64Array(s.length);
  for (let j = 0; j < s.length; j++) {
    const x = s[j] as number;
    const p = prev[j] as number;
    if (!Number.isFinite(x)) out[j] = 0;
    else if (p > 0) out[j] = x > -o.closeLong ? 0 : 1;
    else if (p < 0) out[j] = x < o.closeShort ? 0 : -1;
    else out[j] = x < -o.openThreshold ? 1 : x > o.openThreshold ? -1 : 0;
  }
  return out;
}

/** Positions (+1/−1/0) from a panel of s-scores by the open/close rules, starting flat. */
export function avellanedaLeePositions(sScore: Panel, options: PCAResidualOptions = {}): Panel {
  const o = resolve(options);
  const n = sScore.nAssets;
  const cols = Array.from({ length: n }, () => new Float64Array(sScore.nDates));
  let pos = new Float64Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < sScore.nDates; i++) {
    for (let j = 0; j < n; j++) s[j] = (sScore.columns[j] as Float64Array)[i] as number;
    pos = stepPositions(pos, s, o);
    for (let j = 0; j < n; j++) (cols[j] as Float64Array)[i] = pos[j] as number;
  }
  return new Panel(sScore.dates, sScore.assets, cols, { validate: false });
}

/** Replay memo, valid for one underlying price buffer (rows ≤ r never change for a given buffer). */
interface Memo {
  key: readonly Float64Array[];
  ret: Float64Array[];
  /** Rows of `ret` filled (0..filled−1). */
  filled: number;
  lastRow: number;
  position: Float64Array;
  byRow: Map<number, Float64Array>;
  st: EigenState;
}

/** Fills memo returns up to row i from the visible columns (capacity grows geometrically). */
function extendReturns(m: Memo, cols: readonly Float64Array[], i: number): void {
  if (m.filled > i) return;
  const cap = m.ret.length === 0 ? 0 : (m.ret[0] as Float64Array).length;
  if (cap < i + 1) {
    const next = Math.max(i + 1, 2 * cap);
    const grown = blockColumns(cols.length, next);
    m.ret = grown.map((r, j) => {
      r.fill(Number.NaN);
      if (cap > 0) r.set((m.ret[j] as Float64Array).subarray(0, m.filled));
      return r;
    });
  }
  cols.forEach((p, j) => {
    const r = m.ret[j] as Float64Array;
    for (let t = Math.max(m.filled, 1); t <= i; t++) r[t] = (p[t] as number) / (p[t - 1] as number) - 1;
    r[0] = Number.NaN;
  });
  m.filled = i + 1;
}

export class PCAResidualModel implements AlphaModel {
  readonly name = "pca-residual";
  readonly params: Readonly<Resolved>;
  #memo: Memo | null = null;

  constructor(options: PCAResidualOptions = {}) {
    this.params = resolve(options);
  }

  /** Nothing to learn: every estimate is re-made from the trailing windows at predict time. */
  fit(): void {}

  /** s-scores and κ at `at` (the model's diagnostic view). */
  sScores(data: PanelView | Panel, at: DateLike): { readonly s: Float64Array; readonly kappa: Float64Array } {
    const view = asPanelView(data);
    const i = view.rowAt(at);
    const row = sScoresAt(returnsOf(view.columns), i, this.params, newState());
    return Object.freeze({ s: row.s, kappa: row.kappa });
  }

  predict(data: PanelView | Panel, at: DateLike): Float64Array {
    const view = asPanelView(data);
    const i = view.rowAt(at);
    const o = this.params;
    if (o.output === "score") {
      const { s } = this.sScores(view, at);
      return s.map((x) => (Number.isFinite(x) ? -x : Number.NaN));
    }
    const out = this.#position(view, i);
    const res = new Float64Array(view.nAssets).fill(Number.NaN);
    if (i >= o.correlationWindow) for (let j = 0; j < res.length; j++) res[j] = out[j] as number;
    return res;
  }

  #position(view: PanelView, i: number): Float64Array {
    const o = this.params;
    const cols = view.columns;
    let memo = this.#memo;
    const same =
      memo !== null &&
      memo.key.length === cols.length &&
      memo.key.every((c, j) => c.buffer === (cols[j] as Float64Array).buffer && c.byteOffset === (cols[j] as Float64Array).byteOffset);
    if (!same) {
      memo = { key: cols.map((c) => c), ret: [], filled: 0, lastRow: o.correlationWindow - 1, position: new Float64Array(cols.length), byRow: new Map(), st: newState() };
      this.#memo = memo;
    }
    const m = memo as Memo;
    const hit = m.byRow.get(i);
    if (hit !== undefined) return hit;
    if (i < m.lastRow) {
      // earlier than the memo reaches: replay from the start (pure function of rows ≤ i)
      this.#memo = null;
      const fresh = this.#position(view, i);
      return fresh;
    }
    // returns over the rows we are allowed to see now (prices up to i), extended incrementally so
    // a walk-forward over T dates costs O(T) return computations, not O(T²)
    extendReturns(m, cols, i);
    for (let r = m.lastRow + 1; r <= i; r++) {
      const row = sScoresAt(m.ret, r, o, m.st);
      m.position = stepPositions(m.position, row.s, o);
      m.byRow.set(r, m.position);
    }
    m.lastRow = Math.max(m.lastRow, i);
    return m.byRow.get(i) ?? new Float64Array(cols.length);
  }

  toJSON(): unknown {
    return { params: this.params };
  }

  static fromJSON(state: { params: PCAResidualOptions }): PCAResidualModel {
    return new PCAResidualModel(state.params);
  }
}

export function pcaResidualModel(options?: PCAResidualOptions): PCAResidualModel {
  return new PCAResidualModel(options);
}
