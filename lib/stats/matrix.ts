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
 * 2×2 register blocking: each pass over the rows loads four columns and updates four sums.
 */
export function gram(cols: readonly Float64Array[], n: number): Float64Array {
  const m = cols.length;
  const g = new Float64Array(m * m);
  const put = (a: number, b: number, v: number) => {
    g[b * m + a] = v;
    g[a * m + b] = v;
  };
  let a = 0;
  for (; a + 1 < m; a += 2) {
    const x0 = cols[a]!, x1 = cols[a + 1]!;
    let b = a;
    for (; b + 1 < m; b += 2) {
      const y0 = cols[b]!, y1 = cols[b + 1]!;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let i = 0; i < n; i++) {
        const u0 = x0[i]!, u1 = x1[i]!, v0 = y0[i]!, v1 = y1[i]!;
        s00 += u0 * v0;
        s01 += u0 * v1;
        s10 += u1 * v0;
        s11 += u1 * v1;
      }
      put(a, b, s00);
      put(a, b + 1, s01);
      put(a + 1, b, s10);
      put(a + 1, b + 1, s11);
    }
    if (b < m) {
      const y = cols[b]!;
      put(a, b, dot(x0, 0, y, 0, n));
      put(a + 1, b, dot(x1, 0, y, 0, n));
    }
  }
  if (a < m) for (let b = a; b < m; b++) put(a, b, dot(cols[a]!, 0, cols[b]!, 0, n));
  return g;
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
