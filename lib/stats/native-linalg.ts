/**
 * Optional adapter to the `native/linalg` addon (Eigen): the symmetric eigen-decomposition behind
 * `eigh`, and the per-date dense kernels of lib/signals' PCA residual s-scores (window moments,
 * subspace-tracking iterations, residual OLS + OU fits). When the addon is not built every function
 * returns `null` and the callers use their TypeScript paths, which give the same numbers up to
 * rounding. Eigen's GEMM and OpenBLAS run on one thread unless STATARB_LINALG_THREADS (or, for
 * OpenBLAS, OPENBLAS_NUM_THREADS / GOTO_NUM_THREADS / OMP_NUM_THREADS) says otherwise (read
 * when the addon loads). The loaded addon is memoised: loading a
 * `.node` file is idempotent process-wide, so this cache is not state a backtest could observe.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

interface LinalgAddon {
  /**
   * Lower triangle of the column-major n×n `a` is read; writes values and column-major vectors.
   * Returns true when the values ascend and each vector's sign is already eigh's convention (the
   * LAPACK path), else undefined (values unsorted: the caller sorts and fixes signs).
   */
  eigh(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array): boolean | undefined;
  /** True when eigh throws a RangeError for a NaN or ±Infinity anywhere in a (older builds checked the lower triangle only). */
  eighChecksFinite?: boolean;
  backend?: string;
  // The PCA kernels read a window of a column-major source (leading dimension ld): rows
  // [row0, row0 + rows) of the columns listed in cols; nv = cols.length.
  /** Column means, sample sds (ddof 1) and 1/sd (0 when constant) of the W-row window. */
  windowMoments?(src: Float64Array, ld: number, cols: Int32Array, row0: number, W: number, mu: Float64Array, sigma: Float64Array, inv: Float64Array): void;
  /** Orthonormalises v (nv×k column-major), then `iters` orthogonal iterations with the window's correlation matrix. */
  pcaTrack?(src: Float64Array, ld: number, cols: Int32Array, row0: number, W: number, mu: Float64Array, inv: Float64Array, v: Float64Array, k: number, iters: number): void;
  /**
   * The correlation eigen-decomposition of a returns window (LAPACK, OpenBLAS builds only): each
   * column standardised (sds into sigma), then every eigenvalue of the smaller of C = YᵀY/(W − 1)
   * and YYᵀ/(W − 1), descending, and the top k unit eigenvectors of C as rows (k × nv).
   */
  windowEigen?(src: Float64Array, ld: number, cols: Int32Array, row0: number, W: number, k: number, values: Float64Array, vectors: Float64Array, sigma: Float64Array): void;
  /** RᵀR (m × m, both triangles) of the window R = rows [row0, row0 + rows) of the columns cols of src (BLAS dsyrk; OpenBLAS builds only). */
  gram?(src: Float64Array, ld: number, cols: Int32Array, row0: number, rows: number, out: Float64Array): void;
  /** smallestValues' candidate pass (see {@link nativeSmallestCandidates}). */
  smallestCandidates?(x: Float64Array, count: number, stride: number, r: number, cap: number): Float64Array | undefined;
  /** True when smallestCandidates gives undefined for a NaN or ±Infinity anywhere in x (older builds looked at the sample only). */
  smallestCandidatesChecksFinite?: boolean;
  // lib/stats/ols.ts' kernels (native/linalg/ols.cc): the same sums in the same order, so the same bits
  olsGram?(x: Float64Array, n: number, p: number, y: Float64Array, out: Float64Array): boolean;
  olsRefineRhs?(x: Float64Array, n: number, p: number, y: Float64Array, coef: Float64Array, scale: Float64Array, out: Float64Array): void;
  olsResiduals?(x: Float64Array, n: number, p: number, y: Float64Array, params: Float64Array, fitted: Float64Array, resid: Float64Array): number;
  olsHac?(x: Float64Array, n: number, p: number, resid: Float64Array, w: Float64Array, L: number, g: Float64Array, g0: Float64Array): void;
  /** lib/backtest's built-in rank construction over `rows` rows (default 1) of scores into out (rank.cc; no overlap). */
  rankWeights?: RankWeightsKernel;
  /** lib/ticks' as-of join (asof.cc): see {@link AsofJoinKernel}. */
  asofJoin?: AsofJoinKernel;
  /** lib/ticks' columnar DuckDB read (duck_read.cc): see {@link DuckReadKernel}. */
  duckReadColumns?: DuckReadKernel;
  /** A 2 MiB-aligned ArrayBuffer advised for huge pages (huge_buffer.cc), undefined below 1 MiB or when mapping fails. */
  hugeBuffer?: (bytes: number) => ArrayBuffer | undefined;
  /**
   * residualSignals' fits for one design (q: k × nv row-major): betas (nv × k, intercept dropped), κ
   * per period, m, σ_eq (NaN unless 0 < b < 1) and the last cumulated residual; false when the
   * regressors are collinear (outputs untouched). The five outputs may share memory with src, cols
   * or q (copied before any write: the same values), never with one another (a RangeError naming both).
   */
  residualFits?(src: Float64Array, ld: number, cols: Int32Array, row0: number, L: number, q: Float64Array, k: number, beta: Float64Array, kappa: Float64Array, m: Float64Array, sigmaEq: Float64Array, last: Float64Array): boolean;
  /** Residual OLS on [1, window·q] over the L-row window, AR(1)/OU fit, s-scores and κ; false when the regressors are collinear. */
  pcaResiduals?(src: Float64Array, ld: number, cols: Int32Array, row0: number, L: number, q: Float64Array, k: number, periodsPerYear: number, kappaMin: number, s: Float64Array, kappa: Float64Array): boolean;
}

/** The PCA residual kernels of the addon (lib/signals/pca-residual.ts). */
export type PcaKernels = Required<Pick<LinalgAddon, "windowMoments" | "pcaTrack" | "pcaResiduals">>;

const memo: { addon?: LinalgAddon | null } = {};

function candidates(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const out: string[] = [];
  const env = process.env.STATARB_LINALG_ADDON;
  if (env) out.push(env);
  // lib/stats (source, via tsx/vitest) or dist/lib/stats (built)
  for (const up of ["../..", "../../.."]) {
    const root = path.resolve(here, up);
    for (const rel of ["native/build/Release/statarb_linalg.node", "native/build-linalg/Release/statarb_linalg.node"]) {
      out.push(path.join(root, rel));
    }
  }
  return out;
}

/** The addon, or null when it is not built (or disabled with STATARB_NATIVE_LINALG=0). */
export function linalgAddon(): LinalgAddon | null {
  if (memo.addon !== undefined) return memo.addon;
  memo.addon = null;
  if (process.env.STATARB_NATIVE_LINALG === "0") return null;
  const require = createRequire(import.meta.url);
  // prefer a build that has every kernel (an older build elsewhere may only have eigh)
  for (const file of candidates()) {
    if (!existsSync(file)) continue;
    try {
      const mod = require(file) as LinalgAddon;
      if (typeof mod.eigh !== "function") continue;
      if (memo.addon === null) memo.addon = mod;
      if (typeof mod.pcaTrack === "function") {
        memo.addon = mod;
        break;
      }
    } catch {
      // a stale or foreign build: fall back to TypeScript
    }
  }
  return memo.addon;
}

/** The rank construction's kernel: weights of `rows` row-major rows of scores into `out` (same length, no overlap). */
export type RankWeightsKernel = (scores: Float64Array, gross: number, out: Float64Array, rows?: number) => void;

/** The addon's rank-construction kernel (native/linalg/rank.cc), or null without the addon or in a build without it. */
export function nativeRankWeights(): RankWeightsKernel | null {
  const f = linalgAddon()?.rankWeights;
  return typeof f === "function" ? f : null;
}

/**
 * lib/ticks' as-of join in one pass (native/linalg/asof.cc): trades (ts, sym codes, price) against
 * quotes (ts, sym codes, bid, ask, sizes), both time-ordered, codes in [0, nSymbols); writes every
 * value of pick (quote row or −1), quoteTs, out (bid, ask, bid_size, ask_size, mid, spread: six blocks
 * of n) and sign; returns the number of trades without a quote. An output sharing memory with another
 * array, a time out of order or a code outside [0, nSymbols) is a RangeError naming it (the symbol
 * table is sized by the quote codes present, so nSymbols may be large).
 */
export type AsofJoinKernel = (
  tts: BigInt64Array, tsym: Int32Array, tprice: Float64Array,
  qts: BigInt64Array, qsym: Int32Array, qbid: Float64Array, qask: Float64Array, qbidSize: Int32Array | Float64Array, qaskSize: Int32Array | Float64Array,
  nSymbols: number, exact: boolean, tol: number,
  pick: Int32Array, quoteTs: BigInt64Array, out: Float64Array, sign: Int8Array,
) => number;

/** The addon's as-of join kernel (native/linalg/asof.cc), or null without the addon or in a build without it. */
export function nativeAsofJoin(): AsofJoinKernel | null {
  const f = linalgAddon()?.asofJoin;
  return typeof f === "function" ? f : null;
}

/**
 * lib/ticks' columnar read of a materialized DuckDB result (native/linalg/duck_read.cc): `result` is
 * @duckdb/node-bindings' result external, `libduckdb` the path of the libduckdb those bindings loaded,
 * `out` one typed array per column (its element type, the result's row count). 1: read; 0: the value or
 * the library is not one it recognises (nothing read; the caller reads through the bindings). With
 * `order` (first and last columns ts and rowid) 2 when the rows are not in (ts, rowid) order. With
 * `release` a result it read is destroyed at once (DuckDB's memory back now, not at V8's next
 * collection): a released result passed again is a RangeError. `out` arrays must not share memory.
 */
export type DuckReadKernel = (result: unknown, libduckdb: string, out: ArrayBufferView[], order?: boolean, release?: boolean) => 0 | 1 | 2;

/** The addon's DuckDB column reader, or null without the addon or in a build without it. */
export function nativeDuckRead(): DuckReadKernel | null {
  const f = linalgAddon()?.duckReadColumns;
  return typeof f === "function" ? f : null;
}

/**
 * An ArrayBuffer of `bytes` for large output columns that the caller fills completely: mapped by the
 * addon on huge pages when it can (native/linalg/huge_buffer.cc: ~5,000 fewer page faults per 20 MB),
 * else Node's allocation without zero-filling. Offset 0, its own memory.
 */
export function outputBuffer(bytes: number): ArrayBuffer {
  const f = linalgAddon()?.hugeBuffer;
  return (typeof f === "function" ? f(bytes) : undefined) ?? (Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer);
}

/** Whether the native linalg addon is available. */
export function hasNativeLinalg(): boolean {
  return linalgAddon() !== null;
}

/**
 * Native symmetric eigen-decomposition, or null when the addon is not built; `final`: ascending with
 * eigh's signs already. With `unchecked` (a not yet checked for NaN/±Infinity) also null when this
 * build of the addon does not check every value itself (the caller then checks and calls again).
 */
export function nativeEigh(a: Float64Array, n: number, unchecked = false): { values: Float64Array; vectors: Float64Array; final: boolean } | null {
  const addon = linalgAddon();
  if (!addon || (unchecked && addon.eighChecksFinite !== true)) return null;
  const values = new Float64Array(n);
  // the addon writes every element: skip zero-filling n² doubles (allocUnsafeSlow: own buffer, offset 0)
  const vectors = new Float64Array(Buffer.allocUnsafeSlow(8 * n * n).buffer, 0, n * n);
  const final = addon.eigh(a, n, values, vectors) === true;
  return { values, vectors, final };
}

/**
 * Native {@link LinalgAddon.windowEigen} over rows [row0, row0 + W) of the columns `cols` of the
 * column-major `src` (leading dimension ld): every eigenvalue (descending) of the window's
 * correlation matrix (or its Gram matrix when nv > W), its top k unit eigenvectors (k × nv, eigh's
 * sign convention on the smaller matrix) and the columns' sample sds; null when the addon (or its
 * LAPACK) is not built.
 */
export function nativeWindowEigen(src: Float64Array, ld: number, cols: Int32Array, row0: number, W: number, k: number): { values: Float64Array; vectors: Float64Array; sigma: Float64Array } | null {
  const addon = linalgAddon();
  if (!addon || typeof addon.windowEigen !== "function") return null;
  const nv = cols.length;
  const values = new Float64Array(Math.min(W, nv));
  const vectors = new Float64Array(k * nv);
  const sigma = new Float64Array(nv);
  addon.windowEigen(src, ld, cols, row0, W, k, values, vectors, sigma);
  return { values, vectors, sigma };
}

/** lib/stats/ols.ts' kernels in C++ (native/linalg/ols.cc; the same bits as its TypeScript loops). */
export type OlsKernels = Required<Pick<LinalgAddon, "olsGram" | "olsRefineRhs" | "olsResiduals" | "olsHac">>;

/** The addon's OLS kernels, or null without the addon or in a build without them. */
export function nativeOlsKernels(): OlsKernels | null {
  const a = linalgAddon();
  return a && typeof a.olsGram === "function" && typeof a.olsRefineRhs === "function" && typeof a.olsResiduals === "function" && typeof a.olsHac === "function" ? (a as OlsKernels) : null;
}

/**
 * Native Gram matrix RᵀR (m × m column-major, both triangles) of the first m columns of the
 * column-major `src` with `rows` rows each (leading dimension rows), or null without the addon's BLAS.
 */
export function nativeGram(src: Float64Array, rows: number, m: number): Float64Array | null {
  const addon = linalgAddon();
  if (!addon || typeof addon.gram !== "function") return null;
  const out = new Float64Array(m * m);
  const cols = new Int32Array(m);
  for (let j = 0; j < m; j++) cols[j] = j;
  addon.gram(src, rows, cols, 0, rows, out);
  return out;
}

/**
 * The candidate pass of lib/stats smallestValues in C++: the values ≤ the r-th smallest of the
 * sample x[0], x[stride], …, in order, when at least `count` and fewer than `cap`; null otherwise, when
 * x holds a NaN or ±Infinity (every value is checked in the same pass) or without the addon (the
 * caller then runs its own pass, which gives the same values). With `unchecked` (x not yet checked
 * for NaN/±Infinity) also null when this build of the addon does not check every value.
 */
export function nativeSmallestCandidates(x: Float64Array, count: number, stride: number, r: number, cap: number, unchecked = false): Float64Array | null {
  const addon = linalgAddon();
  if (!addon || typeof addon.smallestCandidates !== "function") return null;
  if (unchecked && addon.smallestCandidatesChecksFinite !== true) return null; // an older build: the caller checks x itself
  return addon.smallestCandidates(x, count, stride, r, cap) ?? null;
}

/** Outputs of {@link nativeResidualFits}. */
export interface NativeResidualFits {
  readonly beta: Float64Array;
  readonly kappa: Float64Array;
  readonly m: Float64Array;
  readonly sigmaEq: Float64Array;
  readonly last: Float64Array;
}

/**
 * Native {@link LinalgAddon.residualFits} over rows [row0, row0 + L) of the columns `cols` of the
 * column-major `src` (leading dimension ld); null when the addon lacks it or the regressors are collinear.
 */
export function nativeResidualFits(src: Float64Array, ld: number, cols: Int32Array, row0: number, L: number, q: Float64Array, k: number): NativeResidualFits | null {
  const addon = linalgAddon();
  if (!addon || typeof addon.residualFits !== "function") return null;
  const nv = cols.length;
  const out = { beta: new Float64Array(nv * k), kappa: new Float64Array(nv), m: new Float64Array(nv), sigmaEq: new Float64Array(nv), last: new Float64Array(nv) };
  return addon.residualFits(src, ld, cols, row0, L, q, k, out.beta, out.kappa, out.m, out.sigmaEq, out.last) ? out : null;
}

/** The addon's PCA residual kernels, or null when the addon is not built (or predates them). */
export function nativePcaKernels(): PcaKernels | null {
  const a = linalgAddon();
  if (!a || typeof a.windowMoments !== "function" || typeof a.pcaTrack !== "function" || typeof a.pcaResiduals !== "function") return null;
  return a as PcaKernels;
}

/** One line for users who asked for the native path when it is missing. */
export const NATIVE_LINALG_MISSING =
  "the native linalg addon (native/linalg, Eigen) is not built: run `node native/linalg/build.mjs` (needs cmake and Debian's libeigen3-dev), or use backend \"ts\"";
