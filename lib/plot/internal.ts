/**
 * Shared option rules, checks and conversions of the chart helpers (private to lib/plot). Every
 * helper reads its options once with the one option helper of lib/data (`readOptions`: unknown keys
 * are errors with a "did you mean"); the rules here convert series and dates as they read them.
 */
import { opt, type OptionRule } from "../data/index.js";

const MS_PER_DAY = 86_400_000;

/** Epoch days → epoch milliseconds (a utc x scale reads numbers as ms; no Date objects per point). */
export function epochDaysToMs(dates: Int32Array): Float64Array {
  const out = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) out[i] = dates[i]! * MS_PER_DAY;
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

/** Chart size options shared by every helper (read with {@link sizeRules}). */
export interface ChartSizeOptions {
  /** Width in px (default 720). */
  width?: number;
  /** Height in px (default depends on the chart). */
  height?: number;
}

/** The rules of the size options, with the chart's own default height. */
export function sizeRules(height: number) {
  return { width: opt.number(720, { min: 100, max: 4000 }), height: opt.number(height, { min: 60, max: 4000 }) };
}

/** The size rules of a chart whose default height depends on its data (`height` undefined when not given). */
export const SIZE_AUTO_HEIGHT = { width: opt.number(720, { min: 100, max: 4000 }), height: opt.optional(opt.number(60, { min: 60, max: 4000 })) };

/** A series option (Float64Array or number[], converted once); absent is `undefined`. */
export const SERIES: OptionRule<Float64Array | undefined> = {
  allowed: "a Float64Array or number[]",
  fallback: () => undefined,
  check: (where, name, v) => checkSeries(where, name, v),
};

/** The dates option (Int32Array of epoch days or integer[], converted once); absent is `undefined`. */
export const DATES: OptionRule<Int32Array | undefined> = {
  allowed: "an Int32Array of epoch days",
  fallback: () => undefined,
  check: (where, _name, v) => checkDates(where, v),
};

/** A required option that was absent. */
export function required<T>(where: string, name: string, v: T | undefined, allowed: string): T {
  if (v === undefined) throw new TypeError(`${where}: option ${name} is required (${allowed})`);
  return v;
}

/** A series of the same length as the dates. */
export function aligned(where: string, name: string, v: Float64Array | undefined, length: number): Float64Array {
  const s = required(where, name, v, "a Float64Array or number[]");
  if (s.length !== length) throw new RangeError(`${where}: option ${name} has ${s.length} values but dates has ${length}; align them`);
  return s;
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
