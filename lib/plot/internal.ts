/** Shared checks and conversions of the chart helpers (private to lib/plot). */
const MS_PER_DAY = 86_400_000;

/** Epoch days → epoch milliseconds (a utc x scale reads numbers as ms; no Date objects per point). */
export function epochDaysToMs(dates: ArrayLike<number>): Float64Array {
  const out = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) out[i] = (dates[i] as number) * MS_PER_DAY;
  return out;
}

export function checkSeries(where: string, name: string, values: unknown, length?: number): Float64Array {
  let v: Float64Array;
  if (values instanceof Float64Array) v = values;
  else if (Array.isArray(values) && values.every((x) => typeof x === "number")) v = Float64Array.from(values as number[]);
  else throw new TypeError(`${where}: option ${name} must be a Float64Array or number[]`);
  if (length !== undefined && v.length !== length) throw new RangeError(`${where}: option ${name} has ${v.length} values but dates has ${length}; align them`);
  return v;
}

export function checkDates(where: string, dates: unknown): Int32Array {
  if (dates instanceof Int32Array) return dates;
  if (Array.isArray(dates) && dates.every((x) => Number.isInteger(x))) return Int32Array.from(dates as number[]);
  throw new TypeError(`${where}: option dates must be an Int32Array of epoch days (a Panel's or BacktestResult's dates)`);
}

/** Chart size options shared by every helper. */
export interface ChartSizeOptions {
  /** Width in px (default 720). */
  width?: number;
  /** Height in px (default depends on the chart). */
  height?: number;
}

export function size(where: string, o: ChartSizeOptions, height: number): { width: number; height: number } {
  const w = o.width ?? 720;
  const h = o.height ?? height;
  if (!(w >= 100 && w <= 4000)) throw new RangeError(`${where}: option width must be in [100, 4000] px, got ${w}`);
  if (!(h >= 60 && h <= 4000)) throw new RangeError(`${where}: option height must be in [60, 4000] px, got ${h}`);
  return { width: w, height: h };
}

/** Long-format series for multi-line charts: x (ms), y, and the series name of each point. */
export function longSeries(ms: Float64Array, series: readonly (readonly [string, Float64Array])[]): { x: Float64Array; y: Float64Array; z: string[] } {
  const n = ms.length;
  const x = new Float64Array(n * series.length);
  const y = new Float64Array(n * series.length);
  const z: string[] = new Array<string>(n * series.length);
  series.forEach(([name, v], s) => {
    x.set(ms, s * n);
    y.set(v, s * n);
    z.fill(name, s * n, (s + 1) * n);
  });
  return { x, y, z };
}

export const PALETTE = ["#1f5fa8", "#d1495b", "#2e8b57", "#edae49", "#6a4c93", "#00798c"] as const;
