/**
 * Typed accessors for the backtester's hot loops: the one place that states that an index the loop
 * keeps in range reads a number (with `noUncheckedIndexedAccess`, `a[i]` is `number | undefined`).
 * They are tiny and inlined by V8, so the loops pay nothing for them.
 */

/** Element `i` of a Float64Array; `i` is in range by the caller's loop bounds. */
export function at(a: Float64Array, i: number): number {
  return a[i] as number;
}

/** Element `i` of an Int32Array (dates, indices); one accessor per array type keeps each call site monomorphic. */
export function atInt(a: Int32Array, i: number): number {
  return a[i] as number;
}

/** Column `j` of a panel's columns; `j` is in range by the caller's loop bounds. */
export function columnAt(columns: readonly Float64Array[], j: number): Float64Array {
  return columns[j] as Float64Array;
}

/**
 * Rows [0, rows) of a panel's columns as one row-major array (`out[t·n + j]` = column j at row t):
 * the day loop reads a date's row contiguously instead of gathering one value from each of n
 * columns (n pages apart: a TLB miss per value on a large universe). A blocked transpose, the
 * reads contiguous; the values are copied, not changed. `complete` (one per column, given as 1s):
 * set to 0 for each column with a NaN in those rows.
 */
export function rowMajor(columns: readonly Float64Array[], rows: number, complete?: Uint8Array): Float64Array {
  const n = columns.length;
  const out = new Float64Array(rows * n);
  const B = 64;
  for (let t0 = 0; t0 < rows; t0 += B) {
    const t1 = Math.min(rows, t0 + B);
    for (let j = 0; j < n; j++) {
      const col = columnAt(columns, j);
      let nan = false;
      for (let t = t0, o = t0 * n + j; t < t1; t++, o += n) {
        const v = at(col, t);
        out[o] = v;
        nan ||= v !== v;
      }
      if (nan && complete !== undefined) complete[j] = 0;
    }
  }
  return out;
}
