/** Time-order checks on nanosecond timestamp columns (no BigInt arithmetic: 32-bit halves). */

/** The first i with ts[i] < ts[i − 1] (compared on 32-bit halves), or −1. */
export function firstDisorder(ts: BigInt64Array): number {
  const hi = new Int32Array(ts.buffer, ts.byteOffset, ts.length * 2);
  const lo = new Uint32Array(ts.buffer, ts.byteOffset, ts.length * 2);
  for (let i = 1, n = ts.length; i < n; i++) {
    const h0 = hi[2 * i - 1] as number, h1 = hi[2 * i + 1] as number;
    if (h1 < h0 || (h1 === h0 && (lo[2 * i] as number) < (lo[2 * i - 2] as number))) return i;
  }
  return -1;
}

/** True when seq strictly rises (row ids: non-negative, compared on 32-bit halves). */
export function rising(seq: BigInt64Array): boolean {
  const hi = new Int32Array(seq.buffer, seq.byteOffset, seq.length * 2);
  const lo = new Uint32Array(seq.buffer, seq.byteOffset, seq.length * 2);
  for (let i = 1, n = seq.length; i < n; i++) {
    const h0 = hi[2 * i - 1] as number, h1 = hi[2 * i + 1] as number;
    if (h1 < h0 || (h1 === h0 && (lo[2 * i] as number) <= (lo[2 * i - 2] as number))) return false;
  }
  return true;
}
