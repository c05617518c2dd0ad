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
 * date (exact through lib/stats' `eigh` up to `exactLimit` assets, and on the first date of a wide
 * universe): a daily exact 500 × 500 eigen-decomposition costs ~14 ms in LAPACK, ~35 s per
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
import { asPanelView, type DateLike, opt, Panel, type PanelView, readOptions } from "../data/index.js";
import type { AlphaModel } from "./alpha-model.js";
import { ar1 } from "./internal/timeseries.js";
import { choleskyInPlace, choleskySolveInPlace, eigh, Matrix, NATIVE_LINALG_MISSING, nativePcaKernels, type PcaKernels } from "../stats/index.js";

/** Options of {@link PCAResidualModel} and {@link pcaResidualScores}. */
export interface PCAResidualOptions {
  /** Days of returns in the correlation matrix (default 252; at least 2: one return has no standard deviation). */
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
  /** Use the exact eigen-decomposition (lib/stats' `eigh`) up to this many assets, subspace tracking above (default 64). */
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

const SPEC = {
  correlationWindow: opt.integer(252, { min: 2 }),
  factors: opt.integer(15, { min: 0 }),
  ouWindow: opt.integer(60, { min: 1 }),
  kappaMin: opt.optional(opt.number(0, { min: 0 })),
  openThreshold: opt.number(1.25, { min: 0 }),
  closeLong: opt.number(0.5),
  closeShort: opt.number(0.75),
  output: opt.oneOf(["position", "score"], "position"),
  eigenRefresh: opt.integer(1, { min: 1 }),
  exactLimit: opt.integer(64, { min: 1 }),
  trackingIterations: opt.integer(2, { min: 1 }),
  periodsPerYear: opt.number(252, { min: 0, max: 1e6, open: true }),
  backend: opt.oneOf(["auto", "native", "ts"], "auto"),
};

function resolve(options: PCAResidualOptions): Readonly<Resolved> {
  const W = "PCAResidualModel";
  const o = readOptions(W, options, SPEC);
  if (o.ouWindow > o.correlationWindow) throw new RangeError(`${W}: ouWindow (${o.ouWindow}) must not exceed correlationWindow (${o.correlationWindow})`);
  if (o.ouWindow < o.factors + 5) throw new RangeError(`${W}: ouWindow (${o.ouWindow}) must exceed factors + 4 (${o.factors + 4}) for the residual regression`);
  return Object.freeze({ ...o, kappaMin: o.kappaMin ?? o.periodsPerYear / 30, backend: nativeBackend(W, o.backend) });
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
  for (let a = 0; a < nv; a++) buf.set(ret[valid[a]!]!.subarray(row0, row0 + rows), a * rows);
  return { kn, src: buf, ld: rows, cols: Int32Array.from({ length: nv }, (_, a) => a), row0: 0 };
}

/** The single column-major block the columns are consecutive views of, if they are. */
function blockOf(ret: readonly Float64Array[]): { block: Float64Array | null; ld: number } {
  const first = ret[0];
  if (first === undefined) return { block: null, ld: 0 };
  const ld = first.length;
  for (let j = 1; j < ret.length; j++) {
    const c = ret[j]!;
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
    const c = ret[j]!;
    for (let t = start; t <= i; t++) if (!Number.isFinite(c[t]!)) lastBad[j] = t;
  }
  st.lastBad = lastBad;
  st.scanned = i;
  let nv = 0;
  for (let j = 0; j < n; j++) if (lastBad[j]! < from) nv++;
  const valid = new Int32Array(nv);
  nv = 0;
  for (let j = 0; j < n; j++) if (lastBad[j]! < from) valid[nv++] = j;
  return valid;
}

function sameValid(a: Int32Array | null, b: Int32Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!== b[i]) return false;
  return true;
}

/**
 * The standardised return window of one date: its columns (rows [i − W + 1, i] of the valid assets),
 * their means μ, standard deviations σ and 1/σ (0 for a constant column), and the native view of the
 * same window when the Eigen kernels run.
 */
interface ReturnWindow {
  readonly columns: () => readonly Float64Array[];
  readonly nv: number;
  readonly W: number;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly inv: Float64Array;
  readonly native: NativeWindow | null;
}

/** The date's window and its moments: from the native kernel when it runs, else in TypeScript (two-pass, ddof 1). */
function returnWindow(ret: readonly Float64Array[], i: number, valid: Int32Array, W: number, kn: PcaKernels | null, st: EigenState): ReturnWindow {
  const nv = valid.length;
  const from = i - W + 1;
  const mu = new Float64Array(nv);
  const sigma = new Float64Array(nv);
  const inv = new Float64Array(nv);
  const columns = (): Float64Array[] => Array.from(valid, (j) => ret[j]!.subarray(from, i + 1));
  if (kn !== null) {
    const native = nativeWindow(kn, ret, valid, from, W, st);
    kn.windowMoments(native.src, native.ld, native.cols, native.row0, W, mu, sigma, inv);
    return { columns, nv, W, mu, sigma, inv, native };
  }
  const win = columns();
  for (let a = 0; a < nv; a++) {
    const c = win[a]!;
    let m = 0;
    for (let t = 0; t < W; t++) m += c[t]!;
    m /= W;
    let ss = 0;
    for (let t = 0; t < W; t++) ss += (c[t]! - m) ** 2;
    const sd = Math.sqrt(ss / (W - 1));
    sigma[a] = sd;
    mu[a] = m;
    inv[a] = sd > 0 ? 1 / sd : 0;
  }
  return { columns: () => win, nv, W, mu, sigma, inv, native: null };
}

/**
 * Top-k eigenvectors (nv × k row-major, column 0 the largest) of the window's correlation matrix:
 * exact (lib/stats' `eigh`) up to `exactLimit` assets, subspace tracking above it.
 */
function topEigenvectors(w: ReturnWindow, k: number, o: Readonly<Resolved>, st: EigenState, warm: boolean): Float64Array {
  if (w.nv <= o.exactLimit) {
    const v = new Float64Array(k * w.nv);
    exactTopK(w, k, v);
    return toRowMajor(v, w.nv, k);
  }
  const out = toRowMajor(trackSubspace(w, k, o.trackingIterations, warm ? st.basis : null), w.nv, k);
  st.basis = out;
  return out;
}

/** A k × nv column-major block (one contiguous vector per column) as nv × k row-major. */
function toRowMajor(v: Float64Array, nv: number, k: number): Float64Array {
  const out = new Float64Array(nv * k);
  for (let i = 0; i < nv; i++) for (let c = 0; c < k; c++) out[i * k + c] = v[c * nv + i]!;
  return out;
}

/**
 * Orthogonal (block power) iteration tracking the top-k subspace from the previous date's basis
 * (`prev`, nv × k row-major, or null for a cold start): the window moves by one row a day, so a few
 * products with Y per day keep the span current. A cold start takes the exact top-k instead — cheaper
 * than ~100 iterations from a random start, and exact on day one. Returns k × nv column-major.
 */
function trackSubspace(w: ReturnWindow, k: number, iterations: number, prev: Float64Array | null): Float64Array {
  const { nv } = w;
  const v = new Float64Array(k * nv);
  let iters = iterations;
  if (prev === null || prev.length !== nv * k) {
    exactTopK(w, k, v);
    iters = 0;
  } else for (let i = 0; i < nv; i++) for (let c = 0; c < k; c++) v[c * nv + i] = prev[i * k + c]!;
  if (w.native !== null) {
    const nw = w.native;
    nw.kn.pcaTrack(nw.src, nw.ld, nw.cols, nw.row0, w.W, w.mu, w.inv, v, k, iters);
    return v;
  }
  orthonormalizeColumnMajor(v, nv, k);
  if (iters === 0) return v;
  const win = w.columns();
  const z = new Float64Array(k * w.W);
  const vs = new Float64Array(k * nv);
  for (let iter = 0; iter < iters; iter++) {
    projectWindow(win, w, v, k, vs, z);
    backProject(win, w, k, z, v);
    orthonormalizeColumnMajor(v, nv, k);
  }
  return v;
}

/**
 * Z = Y·V without forming Y = (R − 1μᵀ)D⁻¹: Y·V = R·(D⁻¹V) − 1·(μᵀD⁻¹V). Vectors are column-major so
 * every inner loop runs over a contiguous return column, four columns of V at a time so each return
 * is loaded once per block.
 */
function projectWindow(win: readonly Float64Array[], w: ReturnWindow, v: Float64Array, k: number, vs: Float64Array, z: Float64Array): void {
  const { nv, W, mu, inv } = w;
  for (let c = 0; c < k; c++) {
    let shift = 0;
    const cb = c * nv;
    for (let i = 0; i < nv; i++) {
      const x = v[cb + i]! * inv[i]!;
      vs[cb + i] = x;
      shift += mu[i]! * x;
    }
    z.fill(-shift, c * W, (c + 1) * W);
  }
  for (let i = 0; i < nv; i++) {
    const col = win[i]!;
    let c = 0;
    for (; c + 4 <= k; c += 4) {
      const a0 = vs[c * nv + i]!;
      const a1 = vs[(c + 1) * nv + i]!;
      const a2 = vs[(c + 2) * nv + i]!;
      const a3 = vs[(c + 3) * nv + i]!;
      const b0 = c * W;
      const b1 = b0 + W;
      const b2 = b1 + W;
      const b3 = b2 + W;
      for (let t = 0; t < W; t++) {
        const x = col[t]!;
        z[b0 + t] = z[b0 + t]! + a0 * x;
        z[b1 + t] = z[b1 + t]! + a1 * x;
        z[b2 + t] = z[b2 + t]! + a2 * x;
        z[b3 + t] = z[b3 + t]! + a3 * x;
      }
    }
    for (; c < k; c++) {
      const a = vs[c * nv + i]!;
      const zb = c * W;
      for (let t = 0; t < W; t++) z[zb + t] = z[zb + t]! + a * col[t]!;
    }
  }
}

/** V = Yᵀ·Z = D⁻¹·Rᵀ·Z (the columns of Z sum to zero, so the mean term drops), four columns at a time. */
function backProject(win: readonly Float64Array[], w: ReturnWindow, k: number, z: Float64Array, v: Float64Array): void {
  const { nv, W, inv } = w;
  for (let i = 0; i < nv; i++) {
    const col = win[i]!;
    const f = inv[i]!;
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
        const x = col[t]!;
        d0 += x * z[b0 + t]!;
        d1 += x * z[b1 + t]!;
        d2 += x * z[b2 + t]!;
        d3 += x * z[b3 + t]!;
      }
      v[c * nv + i] = d0 * f;
      v[(c + 1) * nv + i] = d1 * f;
      v[(c + 2) * nv + i] = d2 * f;
      v[(c + 3) * nv + i] = d3 * f;
    }
    for (; c < k; c++) {
      const zb = c * W;
      let d = 0;
      for (let t = 0; t < W; t++) d += col[t]! * z[zb + t]!;
      v[c * nv + i] = d * f;
    }
  }
}

/** Top-k eigenvectors of the window's correlation matrix, by lib/stats' `eigh` (native Eigen when built), into v (k × nv column-major). */
function exactTopK(w: ReturnWindow, k: number, v: Float64Array): void {
  const { nv, W, mu, inv } = w;
  const y = w.columns().map((c, a) => {
    const m = mu[a]!;
    const f = inv[a]!;
    const out = new Float64Array(W);
    for (let t = 0; t < W; t++) out[t] = (c[t]! - m) * f;
    return out;
  });
  const c = new Float64Array(nv * nv);
  for (let a = 0; a < nv; a++) {
    const ya = y[a]!;
    for (let b = a; b < nv; b++) {
      const yb = y[b]!;
      let d = 0;
      for (let t = 0; t < W; t++) d += ya[t]! * yb[t]!;
      c[a * nv + b] = c[b * nv + a] = d / (W - 1);
    }
  }
  const vd = eigh(new Matrix(nv, nv, c)).vectors.data;
  for (let q = 0; q < k; q++) {
    const src = (nv - 1 - q) * nv; // ascending order: the largest eigenvalue is the last column
    for (let i = 0; i < nv; i++) v[q * nv + i] = vd[src + i]!;
  }
}

/** Modified Gram–Schmidt on k contiguous columns of length n (column-major), in place. */
function orthonormalizeColumnMajor(m: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    const cb = c * n;
    for (let q = 0; q < c; q++) {
      const qb = q * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += m[cb + i]! * m[qb + i]!;
      for (let i = 0; i < n; i++) m[cb + i] = m[cb + i]! - dot * m[qb + i]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += m[cb + i]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) m[cb + i] = m[cb + i]! / norm;
  }
}

/**
 * s-scores at row `i` from return columns (rows 0..i visible). `ret[j][t]` is the simple return of
 * asset j from t−1 to t.
 */
function sScoresAt(ret: readonly Float64Array[], i: number, o: Readonly<Resolved>, st: EigenState): SRow {
  const n = ret.length;
  const s = new Float64Array(n).fill(Number.NaN);
  const kappa = new Float64Array(n).fill(Number.NaN);
  if (i - o.correlationWindow + 1 < 1) return { s, kappa };
  const valid = validAssets(ret, i, o.correlationWindow, st);
  if (valid.length < 2) return { s, kappa };
  const kn = kernelsFor(o);
  const q = eigenportfoliosAt(ret, i, valid, o, st, kn);
  const fit = kn !== null ? residualScoresNative(kn, ret, i, valid, q, o, st) : residualScoresTs(ret, i, valid, q, o);
  if (fit !== null) {
    for (let a = 0; a < valid.length; a++) {
      const j = valid[a]!;
      s[j] = fit.s[a]!;
      kappa[j] = fit.kappa[a]!;
    }
  }
  return { s, kappa };
}

/** The eigenportfolio weights for date i: recomputed on a refresh (new universe or `eigenRefresh` days), else the held ones. */
function eigenportfoliosAt(ret: readonly Float64Array[], i: number, valid: Int32Array, o: Readonly<Resolved>, st: EigenState, kn: PcaKernels | null): Float64Array {
  const warm = sameValid(st.valid, valid);
  if (st.q !== null && warm && st.age + 1 < o.eigenRefresh) {
    st.age++;
    return st.q;
  }
  const nv = valid.length;
  const k = Math.min(o.factors, nv - 1);
  const w = returnWindow(ret, i, valid, o.correlationWindow, kn, st);
  const vecs = k > 0 ? topEigenvectors(w, k, o, st, warm) : new Float64Array(0);
  const q = eigenportfolios(vecs, w.sigma, nv, k);
  st.q = q;
  st.valid = valid;
  st.age = 0;
  return q;
}

/** s-scores and κ of the valid assets (in their order), by the native residual kernel over the OU window. */
function residualScoresNative(kn: PcaKernels, ret: readonly Float64Array[], i: number, valid: Int32Array, q: Float64Array, o: Readonly<Resolved>, st: EigenState): SRow {
  const nv = valid.length;
  const L = o.ouWindow;
  const nw = nativeWindow(kn, ret, valid, i - L + 1, L, st);
  const s = new Float64Array(nv);
  const kappa = new Float64Array(nv);
  kn.pcaResiduals(nw.src, nw.ld, nw.cols, nw.row0, L, q, q.length / nv, o.periodsPerYear, o.kappaMin, s, kappa);
  return { s, kappa };
}

/**
 * s-scores and κ of the valid assets (NaN where undefined), in TypeScript: each asset's returns over
 * the OU window regressed on [1, factor returns] (normal equations, Cholesky), the residuals
 * cumulated, the AR(1)/OU fit of {@link ouScore}. Null when the factor returns are collinear.
 */
function residualScoresTs(ret: readonly Float64Array[], i: number, valid: Int32Array, q: Float64Array, o: Readonly<Resolved>): SRow | null {
  const nv = valid.length;
  const L = o.ouWindow;
  const t0 = i - L + 1;
  const k = q.length / nv;
  const p = k + 1;
  const xc = factorRegressors(ret, valid, q, t0, L, k);
  const xtx = new Float64Array(p * p);
  for (let u = 0; u < p; u++) for (let v = u; v < p; v++) {
    let d = 0;
    for (let t = 0; t < L; t++) d += xc[u * L + t]! * xc[v * L + t]!;
    xtx[u * p + v] = d;
    xtx[v * p + u] = d;
  }
  if (!choleskyInPlace(xtx, p)) return null;
  const s = new Float64Array(nv).fill(Number.NaN);
  const kappa = new Float64Array(nv).fill(Number.NaN);
  const beta = new Float64Array(p);
  const xcum = new Float64Array(L);
  for (let a = 0; a < nv; a++) {
    const r = ret[valid[a]!]!.subarray(t0, i + 1);
    for (let u = 0; u < p; u++) {
      let d = 0;
      const base = u * L;
      for (let t = 0; t < L; t++) d += xc[base + t]! * r[t]!;
      beta[u] = d;
    }
    choleskySolveInPlace(xtx, p, beta);
    xcum.set(r);
    for (let u = 0; u < p; u++) {
      const bu = beta[u]!;
      const base = u * L;
      for (let t = 0; t < L; t++) xcum[t] = xcum[t]! - bu * xc[base + t]!;
    }
    for (let t = 1; t < L; t++) xcum[t] = xcum[t]! + xcum[t - 1]!;
    const fit = ouScore(xcum, o);
    kappa[a] = fit.kappa;
    s[a] = fit.s;
  }
  return { s, kappa };
}

/** Regressors over the OU window, column-major: xc[0..L) = 1, xc[(1+j)L ..) = factor j's returns Σ_a Q_aj R_a. */
function factorRegressors(ret: readonly Float64Array[], valid: Int32Array, q: Float64Array, t0: number, L: number, k: number): Float64Array {
  const xc = new Float64Array((k + 1) * L);
  xc.fill(1, 0, L);
  for (let a = 0; a < valid.length; a++) {
    const r = ret[valid[a]!]!.subarray(t0, t0 + L);
    for (let j = 0; j < k; j++) {
      const w = q[a * k + j]!;
      const base = (1 + j) * L;
      for (let t = 0; t < L; t++) xc[base + t] = xc[base + t]! + w * r[t]!;
    }
  }
  return xc;
}

/**
 * AR(1) X_{k+1} = a + b·X_k + ζ by OLS on the cumulated residuals, then κ = −ln(b)·periodsPerYear and,
 * when 0 < b < 1 and κ > κ_min, s = (X_L − m)/σ_eq with m = a/(1 − b), σ_eq = √(Var ζ/(1 − b²)).
 */
function ouScore(xcum: Float64Array, o: Readonly<Resolved>): { s: number; kappa: number } {
  const L = xcum.length;
  const m = L - 1;
  const { a, b } = ar1(xcum);
  if (!(b > 0 && b < 1)) return { s: Number.NaN, kappa: Number.NaN };
  let sz = 0;
  for (let t = 0; t < m; t++) sz += (xcum[t + 1]! - a - b * xcum[t]!) ** 2;
  const varZ = sz / m;
  const kap = -Math.log(b) * o.periodsPerYear;
  if (!(kap > o.kappaMin)) return { s: Number.NaN, kappa: kap };
  const sigEq = Math.sqrt(varZ / (1 - b * b));
  return { s: (xcum[L - 1]! - a / (1 - b)) / sigEq, kappa: kap };
}

/** Eigenportfolio weights Q_ai = v_ai / σ_a (nv × k row-major; 0 for a constant asset). */
function eigenportfolios(vecs: Float64Array, sigma: Float64Array, nv: number, k: number): Float64Array {
  const q = new Float64Array(nv * k);
  for (let a = 0; a < nv; a++) {
    const inv = sigma[a]! > 0 ? 1 / sigma[a]! : 0;
    for (let j = 0; j < k; j++) q[a * k + j] = vecs[a * k + j]! * inv;
  }
  return q;
}

/** Simple returns of each price column, as views of one block (the native kernels read it in place). */
function returnsOf(columns: readonly Float64Array[]): Float64Array[] {
  const out = blockColumns(columns.length, columns[0]?.length ?? 0);
  return columns.map((p, j) => {
    const r = out[j]!;
    if (p.length > 0) r[0] = Number.NaN;
    for (let t = 1; t < p.length; t++) r[t] = p[t]! / p[t - 1]! - 1;
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
      sc[j]![i] = row.s[j]!;
      kc[j]![i] = row.kappa[j]!;
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
    const x = s[j]!;
    const p = prev[j]!;
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
    for (let j = 0; j < n; j++) s[j] = sScore.columns[j]![i]!;
    pos = stepPositions(pos, s, o);
    for (let j = 0; j < n; j++) cols[j]![i] = pos[j]!;
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
  const cap = m.ret.length === 0 ? 0 : m.ret[0]!.length;
  if (cap < i + 1) {
    const next = Math.max(i + 1, 2 * cap);
    const grown = blockColumns(cols.length, next);
    m.ret = grown.map((r, j) => {
      r.fill(Number.NaN);
      if (cap > 0) r.set(m.ret[j]!.subarray(0, m.filled));
      return r;
    });
  }
  cols.forEach((p, j) => {
    const r = m.ret[j]!;
    for (let t = Math.max(m.filled, 1); t <= i; t++) r[t] = p[t]! / p[t - 1]! - 1;
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
    if (i >= o.correlationWindow) for (let j = 0; j < res.length; j++) res[j] = out[j]!;
    return res;
  }

  #position(view: PanelView, i: number): Float64Array {
    const o = this.params;
    const cols = view.columns;
    let memo = this.#memo;
    const same =
      memo !== null &&
      memo.key.length === cols.length &&
      memo.key.every((c, j) => c.buffer === cols[j]!.buffer && c.byteOffset === cols[j]!.byteOffset);
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
