/**
 * Principal components by eigen-decomposition of the correlation (standardize, default) or covariance
 * matrix — the Avellaneda & Lee (2010) construction — with eigenvalues descending and each
 * eigenvector's sign fixed so its largest-magnitude entry is positive (deterministic across runs and
 * across the TypeScript / native backends).
 */
import { checkKeys, Panel } from "../data/index.js";
import { corrMatrix, covMatrix } from "./descriptive.js";
import { eigh, type EighOptions } from "./eigen.js";
import { Matrix, type MatrixLike, toMatrix } from "./matrix.js";
import { withPcaSummary } from "./summary.js";
import type { PCAResult } from "./results.js";

export type { PCAResult } from "./results.js";

/** Options of {@link pca}. */
export interface PCAOptions {
  /** Number of components kept (default: all). */
  k?: number;
  /** Use the correlation matrix (default `true`) instead of the covariance matrix. */
  standardize?: boolean;
  /**
   * What the input is: "data" (default; rows = observations, columns = variables, e.g. a Panel of
   * returns) or "matrix" (an already computed symmetric covariance/correlation matrix).
   */
  input?: "data" | "matrix";
  /** Rows with NaN in "data" input: "raise" (default) or "drop". */
  missing?: "raise" | "drop";
  /** Eigen backend (default "auto": native Eigen when built). */
  backend?: EighOptions["backend"];
}


export function pca(data: MatrixLike, options: PCAOptions = {}): PCAResult {
  const o = Object.fromEntries(checkKeys("pca", options, ["standardize", "input", "k", "missing", "backend"])) as PCAOptions;
  const standardize = o.standardize ?? true;
  const input = o.input ?? "data";
  if (input !== "data" && input !== "matrix") throw new RangeError(`pca: input must be "data" or "matrix", got ${String(input)}`);
  const missing = o.missing ?? "raise";
  if (missing !== "raise" && missing !== "drop") throw new RangeError(`pca: missing must be "raise" or "drop", got ${String(missing)}`);
  let x = toMatrix(data, "pca");
  const names = data instanceof Panel ? [...data.assets] : Array.from({ length: x.cols }, (_, j) => `x${j}`);
  const p = x.cols;
  if (p === 0) throw new RangeError("pca: no variables");
  const k = o.k ?? p;
  if (!Number.isInteger(k) || k < 1 || k > p) throw new RangeError(`pca: k must be an integer in [1, ${p}], got ${o.k}`);
  let c: Matrix;
  const means = new Float64Array(p).fill(Number.NaN);
  const stds = new Float64Array(p).fill(Number.NaN);
  if (input === "matrix") {
    if (x.rows !== p) throw new RangeError(`pca: input "matrix" must be square, got ${x.rows}×${p}`);
    c = x;
    if (standardize) {
      const d = new Float64Array(p);
      for (let i = 0; i < p; i++) d[i] = Math.sqrt(x.data[i * p + i]!);
      c = new Matrix(p, p);
      for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) c.data[j * p + i] = x.data[j * p + i]! / (d[i]! * d[j]!);
    }
  } else {
    x = missing === "drop" ? dropNaNRows(x) : x;
    for (let i = 0; i < x.data.length; i++) {
      if (Number.isNaN(x.data[i]!)) throw new RangeError(`pca: data contains NaN (row ${i % x.rows}); pass { missing: "drop" } or clean the data`);
    }
    if (x.rows < 2) throw new RangeError(`pca: need at least 2 observations, got ${x.rows}`);
    c = standardize ? corrMatrix(x) : covMatrix(x);
    const cov = standardize ? covMatrix(x) : c;
    for (let j = 0; j < p; j++) {
      const col = x.column(j);
      let s = 0;
      for (let i = 0; i < col.length; i++) s += col[i]!;
      means[j] = s / col.length;
      stds[j] = Math.sqrt(cov.data[j * p + j]!);
      if (standardize && !(stds[j]! > 0)) throw new RangeError(`pca: variable ${names[j]} is constant; drop it or use standardize: false`);
    }
  }
  const { values, vectors } = eigh(c, { backend: o.backend ?? "auto" });
  let trace = 0;
  for (let i = 0; i < p; i++) trace += values[i]!;
  const ev = new Float64Array(k);
  const vec = new Matrix(p, k);
  const explained = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const src = p - 1 - j;
    ev[j] = values[src]!;
    explained[j] = values[src]! / trace;
    vec.data.set(vectors.data.subarray(src * p, (src + 1) * p), j * p);
  }
  return Object.freeze(withPcaSummary({ eigenvalues: ev, eigenvectors: vec, explained, means, stds, names: Object.freeze(names) }));
}

function dropNaNRows(x: Matrix): Matrix {
  const keep: number[] = [];
  for (let i = 0; i < x.rows; i++) {
    let ok = true;
    for (let j = 0; ok && j < x.cols; j++) ok = !Number.isNaN(x.data[j * x.rows + i]!);
    if (ok) keep.push(i);
  }
  const out = new Matrix(keep.length, x.cols);
  for (let j = 0; j < x.cols; j++) for (let r = 0; r < keep.length; r++) out.data[j * keep.length + r] = x.data[j * x.rows + keep[r]!]!;
  return out;
}
