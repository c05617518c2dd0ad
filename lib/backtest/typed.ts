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
