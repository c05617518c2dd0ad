/**
 * `Matrix`: a dense float64 matrix stored COLUMN-MAJOR in one `Float64Array`
 * (`data[j * rows + i]` is row i, column j) — the same layout as `Panel.fromMatrix`/`toMatrix`,
 * so a panel's columns (assets) are contiguous and regressions read whole columns without copies.
 * Hand-written (not ml-matrix etc.) because every statistic in lib/stats needs the exact same
 * float64 arithmetic order as the numpy/LAPACK peers it is cross-checked against, and no per-element objects.
 */
import { Panel } from "../data/index.js";

/** Anything lib/stats accepts where a matrix is meant. */
export type MatrixLike = Matrix | Panel | readonly (readonly number[])[] | readonly Float64Array[];

/** Anything lib/stats accepts where a series is meant. */
export type SeriesLike = Float64Array | readonly number[];

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Column-major values, length `rows * cols`. */
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new RangeError(`Matrix: rows and cols must be non-negative integers, got ${rows} × ${cols}`);
    }
    if (data && data.length !== rows * cols) {
      throw new RangeError(`Matrix: data has ${data.length} elements, expected ${rows} × ${cols} = ${rows * cols}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** Element (i, j). */
  get(i: number, j: number): number {
    return this.data[j * this.rows + i]!;
  }

  set(i: number, j: number, v: number): void {
    this.data[j * this.rows + i] = v;
  }

  /** Column j as a view (no copy). */
  column(j: number): Float64Array {
    return this.data.subarray(j * this.rows, (j + 1) * this.rows);
  }

  /** Row i as a new array. */
  row(i: number): Float64Array {
    const out = new Float64Array(this.cols);
    for (let j = 0; j < this.cols; j++) out[j] = this.data[j * this.rows + i]!;
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  transpose(): Matrix {
    const { rows, cols, data } = this;
    const out = new Float64Array(rows * cols);
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = data[j * rows + i]!;
    return new Matrix(cols, rows, out);
  }

  /** Row-major nested arrays (for display, JSON and tests). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** `this · other`. */
  multiply(other: Matrix): Matrix {
    return matmul(this, other);
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** From columns (each copied). */
  static fromColumns(columns: readonly ArrayLike<number>[]): Matrix {
    const cols = columns.length;
    const rows = cols === 0 ? 0 : (columns[0] as ArrayLike<number>).length;
    const m = new Matrix(rows, cols);
    for (let j = 0; j < cols; j++) {
      const c = columns[j] as ArrayLike<number>;
      if (c.length !== rows) throw new RangeError(`Matrix.fromColumns: column ${j} has ${c.length} values, column 0 has ${rows}`);
      if (c instanceof Float64Array) m.data.set(c, j * rows);
      else for (let i = 0; i < rows; i++) m.data[j * rows + i] = c[i]!;
    }
    return m;
  }

  /** From row-major nested arrays. */
  static fromRows(rowsIn: readonly (ArrayLike<number>)[]): Matrix {
    const rows = rowsIn.length;
    const cols = rows === 0 ? 0 : (rowsIn[0] as ArrayLike<number>).length;
    const m = new Matrix(rows, cols);
    for (let i = 0; i < rows; i++) {
      const r = rowsIn[i] as ArrayLike<number>;
      if (r.length !== cols) throw new RangeError(`Matrix.fromRows: row ${i} has ${r.length} values, row 0 has ${cols}`);
      for (let j = 0; j < cols; j++) m.data[j * rows + i] = r[j]!;
    }
    return m;
  }
}

/** Lowercase factory: `matrix(rows, cols, columnMajorData?)`. */
export function matrix(rows: number, cols: number, data?: Float64Array | readonly number[]): Matrix {
  return new Matrix(rows, cols, data ? Float64Array.from(data) : undefined);
}

/**
 * Converts a `Matrix` (returned as is), a `Panel` (dates × assets, columns copied into one block),
 * nested row arrays (`number[][]`, row-major) or an array of `Float64Array` COLUMNS into a `Matrix`.
 */
export function toMatrix(x: MatrixLike, where = "matrix"): Matrix {
  if (x instanceof Matrix) return x;
  if (x instanceof Panel) return Matrix.fromColumns(x.columns);
  if (!Array.isArray(x)) throw new TypeError(`${where}: expected a Matrix, a Panel, number[][] (rows) or Float64Array[] (columns)`);
  if (x.length === 0) return new Matrix(0, 0);
  if (x[0] instanceof Float64Array) return Matrix.fromColumns(x as readonly Float64Array[]);
  return Matrix.fromRows(x as readonly number[][]);
}

/** Copies a series into a fresh `Float64Array` (checked: array-like of numbers). */
export function toSeries(x: SeriesLike, where: string, name = "x"): Float64Array {
  if (x instanceof Float64Array) return x;
  if (!Array.isArray(x)) throw new TypeError(`${where}: ${name} must be a Float64Array or number[]`);
  return Float64Array.from(x);
}

/** `a · b` (column-major, j-k-i loop order so the inner loop is contiguous). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`matmul: shapes ${a.rows}×${a.cols} and ${b.rows}×${b.cols} do not align`);
  const m = a.rows, n = b.cols, p = a.cols;
  const out = new Float64Array(m * n);
  const ad = a.data, bd = b.data;
  for (let j = 0; j < n; j++) {
    const oj = j * m;
    for (let k = 0; k < p; k++) {
      const bkj = bd[j * p + k]!;
      if (bkj === 0) continue;
      const ak = k * m;
      for (let i = 0; i < m; i++) out[oj + i] = out[oj + i]! + ad[ak + i]! * bkj;
    }
  }
  return new Matrix(m, n, out);
}

/** `aᵀ · b` without forming the transpose (both column-major: every entry is a dot of two columns). */
export function crossprod(a: Matrix, b: Matrix = a): Matrix {
  if (a.rows !== b.rows) throw new RangeError(`crossprod: ${a.rows} and ${b.rows} rows differ`);
  const n = a.rows, p = a.cols, q = b.cols;
  const out = new Matrix(p, q);
  const sym = a === b;
  for (let j = 0; j < q; j++) {
    const bj = j * n;
    for (let i = sym ? j : 0; i < p; i++) {
      const ai = i * n;
      let s = 0;
      for (let t = 0; t < n; t++) s += a.data[ai + t]! * b.data[bj + t]!;
      out.data[j * p + i] = s;
      if (sym) out.data[i * p + j] = s;
    }
  }
  return out;
}

/**
 * Dot product of a[ao .. ao+n) and b[bo .. bo+n) with four accumulators (breaks the floating-point
 * add dependency chain, ~3× faster in V8 than one accumulator).
 */
export function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[ao + i]! * b[bo + i]!;
    s1 += a[ao + i + 1]! * b[bo + i + 1]!;
    s2 += a[ao + i + 2]! * b[bo + i + 2]!;
    s3 += a[ao + i + 3]! * b[bo + i + 3]!;
  }
  for (; i < n; i++) s0 += a[ao + i]! * b[bo + i]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Gram matrix CᵀC of equal-length columns (first `n` entries), column-major m×m, symmetric.
 * 3×3 register blocking: each pass over the rows loads six columns and updates nine sums (~25 %
 * less CPU than 2×2 blocking on 252 columns of 452). Every entry is one sequential sum over the
 * rows except those of the last column when m is odd, which use `dot` — the same summation order,
 * and so the same bits, as the earlier 2×2 kernel.
 */
export function gram(cols: readonly Float64Array[], n: number): Float64Array {
  const m = cols.length;
  const g = new Float64Array(m * m);
  const me = m - (m & 1); // columns summed sequentially; the odd last one goes through dot
  let a = 0;
  for (; a + 2 < me; a += 3) {
    let b = a;
    for (; b + 2 < me; b += 3) gramBlock3(cols, n, a, b, g, m);
    for (let r = a; r < a + 3; r++) for (let c = b; c < me; c++) putSym(g, m, r, c, seqDot(cols[r]!, cols[c]!, n));
  }
  for (let r = a; r < me; r++) for (let c = r; c < me; c++) putSym(g, m, r, c, seqDot(cols[r]!, cols[c]!, n));
  if (me < m) for (let r = 0; r < m; r++) putSym(g, m, r, m - 1, dot(cols[r]!, 0, cols[m - 1]!, 0, n));
  return g;
}

function putSym(g: Float64Array, m: number, r: number, c: number, v: number): void {
  g[c * m + r] = v;
  g[r * m + c] = v;
}

/** Σ_i x_i y_i over the first n entries, one accumulator in row order. */
function seqDot(x: Float64Array, y: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! * y[i]!;
  return s;
}

/** The 3×3 block of sums of columns a..a+2 with b..b+2, each one sequential sum in row order. */
function gramBlock3(cols: readonly Float64Array[], n: number, a: number, b: number, g: Float64Array, m: number): void {
  const x0 = cols[a]!, x1 = cols[a + 1]!, x2 = cols[a + 2]!;
  const y0 = cols[b]!, y1 = cols[b + 1]!, y2 = cols[b + 2]!;
  let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0;
  for (let i = 0; i < n; i++) {
    const v0 = y0[i]!, v1 = y1[i]!, v2 = y2[i]!;
    const u0 = x0[i]!, u1 = x1[i]!, u2 = x2[i]!;
    s00 += u0 * v0; s01 += u0 * v1; s02 += u0 * v2;
    s10 += u1 * v0; s11 += u1 * v1; s12 += u1 * v2;
    s20 += u2 * v0; s21 += u2 * v1; s22 += u2 * v2;
  }
  putSym(g, m, a, b, s00); putSym(g, m, a, b + 1, s01); putSym(g, m, a, b + 2, s02);
  putSym(g, m, a + 1, b, s10); putSym(g, m, a + 1, b + 1, s11); putSym(g, m, a + 1, b + 2, s12);
  putSym(g, m, a + 2, b, s20); putSym(g, m, a + 2, b + 1, s21); putSym(g, m, a + 2, b + 2, s22);
}

/** `A · x` for a vector x. */
export function matvec(a: Matrix, x: ArrayLike<number>): Float64Array {
  if (x.length !== a.cols) throw new RangeError(`matvec: matrix has ${a.cols} columns, vector has ${x.length}`);
  const out = new Float64Array(a.rows);
  for (let j = 0; j < a.cols; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    const o = j * a.rows;
    for (let i = 0; i < a.rows; i++) out[i] = out[i]! + a.data[o + i]! * xj;
  }
  return out;
}
