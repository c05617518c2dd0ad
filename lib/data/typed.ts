/**
 * Typed accessors for hot loops: the one place that states that an index a loop keeps in range reads
 * a number (with `noUncheckedIndexedAccess`, `a[i]` is `number | undefined`), instead of an
 * `as number` cast at every read. They are tiny and inlined by V8, so loops pay nothing for them.
 */

/**
 * Element `i` of a typed array; `i` is in range by the caller's loop bounds. Only the two element kinds
 * of panels and dates, so the one load site V8 inlines everywhere stays monomorphic or 2-way polymorphic.
 */
export function at(a: Float64Array | Int32Array, i: number): number {
  return a[i] as number;
}

/** Column `j` of a panel's columns; `j` is in range by the caller's loop bounds. */
export function columnAt(columns: readonly Float64Array[], j: number): Float64Array {
  return columns[j] as Float64Array;
}
