/**
 * Benchmark daily returns on the backtest's rows i0..i1: from a price Panel (first column, aligned
 * by date), from returns aligned with the data's rows, or (default) the equal-weighted universe
 * rebalanced daily (the mean of the assets' finite simple returns).
 */
import type { Panel } from "../data/index.js";
import { at, atInt } from "./typed.js";

/** `rows`: the closes row-major up to row i1 at least (`rowMajor`), for the default benchmark. */
export function benchmarkReturns(close: Panel, benchmark: Panel | Float64Array | undefined, i0: number, i1: number, rows: Float64Array): Float64Array {
  const T = i1 - i0 + 1;
  if (benchmark === undefined) return equalWeighted(rows, close.nAssets, i0, T);
  if (benchmark instanceof Float64Array) {
    if (benchmark.length !== close.nDates) throw new RangeError(`StatArbBacktester: option benchmark has ${benchmark.length} values; give one return per data row (${close.nDates}) or a Panel`);
    return benchmark.slice(i0, i1 + 1);
  }
  const col = benchmark.columns[0];
  if (col === undefined) throw new RangeError("StatArbBacktester: option benchmark is an empty Panel");
  const out = new Float64Array(T);
  for (let k = 0; k < T; k++) {
    const r = benchmark.indexOfDate(atInt(close.dates, i0 + k));
    out[k] = r > 0 ? at(col, r) / at(col, r - 1) - 1 : Number.NaN;
  }
  return out;
}

/**
 * The mean of the finite simple returns of each row, from the row-major closes: each row's sum
 * adds the assets in column order.
 */
function equalWeighted(rows: Float64Array, n: number, i0: number, T: number): Float64Array {
  const out = new Float64Array(T);
  for (let k = i0 > 0 ? 0 : 1; k < T; k++) {
    const now = (i0 + k) * n;
    const before = now - n;
    let sum = 0;
    let m = 0;
    for (let j = 0; j < n; j++) {
      const r = at(rows, now + j) / at(rows, before + j) - 1;
      if (r - r === 0) {
        sum += r;
        m++;
      }
    }
    out[k] = m > 0 ? sum / m : k === 0 ? 0 : Number.NaN;
  }
  return out;
}
