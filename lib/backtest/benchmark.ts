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

/**
 * The mean of the finite simple returns of each row: columns outer (contiguous reads), rows inner;
 * each row's sum still adds the assets in column order, as a row-by-row loop would.
 */
function equalWeighted(close: Panel, i0: number, T: number): Float64Array {
  const out = new Float64Array(T);
  const count = new Float64Array(T);
  const cols = close.columns;
  const k0 = i0 > 0 ? 0 : 1;
  for (let j = 0; j < cols.length; j++) {
    const col = columnAt(cols, j);
    for (let k = k0; k < T; k++) {
      const i = i0 + k;
      const r = at(col, i) / at(col, i - 1) - 1;
      if (r - r === 0) {
        out[k] = at(out, k) + r;
        count[k] = at(count, k) + 1;
      }
    }
  }
  for (let k = 0; k < T; k++) {
    const m = at(count, k);
    out[k] = m > 0 ? at(out, k) / m : k === 0 ? 0 : Number.NaN;
  }
  return out;
}
