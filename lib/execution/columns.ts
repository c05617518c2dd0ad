/**
 * Typed-array columns (struct of arrays) that grow by doubling — the order table (`OrderColumns`), a
 * day's fills (`CloseFills`) and the backtester's trade log keep their rows this way, so a row
 * written in a loop allocates nothing until the columns are full. These are the two steps every such
 * set of columns shares: its first capacity checked, and a column copied into a larger one.
 */

/** The element types a set of columns holds. */
export type GrowableColumn = Int8Array | Uint8Array | Int32Array | Float64Array;

/** `capacity` as the first size of a set of columns: an integer ≥ 1, else a RangeError naming `where`. */
export function columnCapacity(where: string, capacity: number): number {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`${where}: capacity must be an integer ≥ 1, got ${capacity}`);
  return capacity;
}

/** A new column of `a`'s element type with room for `capacity` (≥ a.length) rows: `a`'s rows first, zeros after. */
export function grownColumn<T extends GrowableColumn>(a: T, capacity: number): T {
  const b = new (a.constructor as new (length: number) => T)(capacity);
  b.set(a);
  return b;
}
