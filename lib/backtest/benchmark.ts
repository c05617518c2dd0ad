/**
 * Benchmark daily returns on the backtest's rows i0..i1: from a price Panel (first column, aligned
 * by date), from returns aligned with the data's rows, or (default) the equal-weighted universe
 * rebalanced daily (the mean of the assets' finite simple returns).
 */
import type { Panel } from "../data/index.js";
import { at, atInt, columnAt } from "./typed.js";

export function benchmarkReturns(close: Panel, benchmark: Panel | Float64Array | undefined, i0: number, i1: number): Float64Array {
  const T = i1 - i0 + 1;
  if (benchmark === undefined) return equalWeighted(close, i0, T);
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

function equalWeighted(close: Panel, i0: number, T: number): Float64Array {
  const out = new Float64Array(T);
  const cols = close.columns;
  for (let k = 0; k < T; k++) {
    const i = i0 + k;
    let s = 0;
    let m = 0;
    if (i > 0) {
      for (let j = 0; j < cols.length; j++) {
        const col = columnAt(cols, j);
        const r = at(col, i) / at(col, i - 1) - 1;
        if (Number.isFinite(r)) {
          s += r;
          m++;
        }
      }
    }
    out[k] = m > 0 ? s / m : k === 0 ? 0 : Number.NaN;
  }
  return out;
}
