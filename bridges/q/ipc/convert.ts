/**
 * Friendly TypeScript values ↔ q objects.
 *
 * toQ (TS → q): null/undefined → `::`; NA → 0n (float null); boolean → boolean; number → float;
 * bigint → long; string → char vector (a q string); Date → timestamp; Float64Array → float vector;
 * Float32Array → real; Int32Array → int; Int16Array → short; Uint8Array → byte; BigInt64Array → long;
 * number[] → float vector; boolean[] → boolean vector; string[] → symbol vector; Matrix → list of
 * float rows (q's matrix); Panel → table with a `date` column of q dates and one float column per
 * asset; plain object → dictionary of symbols; other arrays → general list; q objects pass as they are.
 *
 * fromQ (q → TS): float/real atoms → number; boolean → boolean; short/int/long → number (nulls → NaN;
 * a long beyond 2^53 stays bigint); char/symbol → string; guid → string; date → "YYYY-MM-DD";
 * month → "YYYY-MM"; timestamp/datetime → Date; timespan → nanoseconds (number); minute/second/time →
 * minutes/seconds/milliseconds (number). Vectors → typed arrays (float, real→float64, int, long→float64
 * with nulls NaN), string[] (symbols), string (char), boolean[], string[] (guids, ISO dates/months),
 * Date[] (timestamps). A table (or keyed table) whose first date/timestamp column is followed by
 * numeric columns → Panel; any other table → object of columns; dictionary with symbol keys → object;
 * list → array; error → throws QError; functions → their q text where known.
 */
import { Panel } from "../../../lib/data/index.js";
import { Matrix } from "../../../lib/stats/index.js";
import { NA } from "../../core/values.js";
import { atom, dict, GENERIC_NULL, list, Q_NULL, type QObject, table, vector } from "./types.js";

const DAY_MS = 86_400_000;
/** Days from 1970-01-01 to q's epoch 2000-01-01. */
export const Q_EPOCH_DAYS = 10957;
const Q_EPOCH_MS = Q_EPOCH_DAYS * DAY_MS;

function isQObject(v: unknown): v is QObject {
  if (typeof v !== "object" || v === null) return false;
  const k = (v as { kind?: unknown }).kind;
  return k === "atom" || k === "vector" || k === "list" || k === "dict" || k === "table" || k === "error" || k === "lambda" || k === "function";
}

/** TS → q (see module doc). */
export function toQ(v: unknown, path = "value"): QObject {
  if (v === null || v === undefined) return GENERIC_NULL;
  if (v === NA) return atom(9, Number.NaN);
  if (isQObject(v)) return v;
  if (typeof v === "boolean") return atom(1, v);
  if (typeof v === "number") return atom(9, v);
  if (typeof v === "bigint") return atom(7, v);
  if (typeof v === "string") return vector(10, v);
  if (v instanceof Date) return atom(12, BigInt(v.getTime() - Q_EPOCH_MS) * 1_000_000n);
  if (v instanceof Float64Array) return vector(9, v);
  if (v instanceof Float32Array) return vector(8, v);
  if (v instanceof Int32Array) return vector(6, v);
  if (v instanceof Int16Array) return vector(5, v);
  if (v instanceof Uint8Array) return vector(4, v);
  if (v instanceof BigInt64Array) return vector(7, v);
  if (v instanceof Matrix) {
    const rows: QObject[] = [];
    for (let i = 0; i < v.rows; i++) {
      const r = new Float64Array(v.cols);
      for (let j = 0; j < v.cols; j++) r[j] = v.get(i, j);
      rows.push(vector(9, r));
    }
    return list(rows);
  }
  if (v instanceof Panel) {
    const dates = new Int32Array(v.nDates);
    for (let i = 0; i < v.nDates; i++) dates[i] = (v.dates[i] as number) - Q_EPOCH_DAYS;
    return table(["date", ...v.assets], [vector(14, dates), ...v.columns.map((c) => vector(9, c))]);
  }
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === "number")) return vector(9, Float64Array.from(v as number[]));
    if (v.length > 0 && v.every((x) => typeof x === "boolean")) return vector(1, Uint8Array.from(v as boolean[], (b) => (b ? 1 : 0)));
    if (v.length > 0 && v.every((x) => typeof x === "string")) return vector(11, [...(v as string[])]);
    return list(v.map((x, i) => toQ(x, `${path}[${i}]`)));
  }
  if (typeof v === "object" && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    const keys = Object.keys(v);
    return dict(vector(11, keys), list(keys.map((k) => toQ((v as Record<string, unknown>)[k], `${path}.${k}`))));
  }
  throw new TypeError(`q: cannot send ${typeof v === "object" ? ((v as object).constructor?.name ?? "object") : typeof v} at ${path}`);
}

function civil(days: number): string {
  return new Date((days + Q_EPOCH_DAYS) * DAY_MS).toISOString().slice(0, 10);
}
function monthText(m: number): string {
  const y = 2000 + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${y}-${String(mm + 1).padStart(2, "0")}`;
}
function tsDate(ns: bigint): Date | null {
  if (ns === Q_NULL.long) return null;
  return new Date(Number(ns / 1_000_000n) + Q_EPOCH_MS);
}
function longToNumber(x: bigint): number | bigint {
  if (x === Q_NULL.long) return Number.NaN;
  const n = Number(x);
  return Number.isSafeInteger(n) ? n : x;
}
function intToNumber(x: number, nul: number): number {
  return x === nul ? Number.NaN : x;
}

/** Raised when q answers with an error. */
export class QError extends Error {
  constructor(message: string) {
    super(`'${message}`);
    this.name = "QError";
  }
}

/** q → TS (see module doc). */
export function fromQ(x: QObject): unknown {
  switch (x.kind) {
    case "atom":
      return atomFromQ(x);
    case "vector":
      return vectorFromQ(x);
    case "list":
      return x.items.map(fromQ);
    case "dict":
      return dictFromQ(x);
    case "table": {
      const p = tableToPanel(x.columns, x.data);
      if (p) return p;
      const out: Record<string, unknown> = {};
      x.columns.forEach((c, i) => {
        out[c] = fromQ(x.data[i] as QObject);
      });
      return out;
    }
    case "error":
      throw new QError(x.message);
    case "lambda":
      return x.body;
    case "function":
      return x.type === 101 && x.code === 0 ? null : `<q function type ${x.type}>`;
  }
}

type QAtom = Extract<QObject, { kind: "atom" }>;
type QVector = Extract<QObject, { kind: "vector" }>;
type QDict = Extract<QObject, { kind: "dict" }>;

function atomFromQ(x: QAtom): unknown {
  const v = x.value;
  switch (x.type) {
    case 5:
      return intToNumber(v as number, Q_NULL.short);
    case 6:
    case 17:
    case 18:
    case 19:
      return intToNumber(v as number, Q_NULL.int);
    case 7:
    case 16:
      return longToNumber(v as bigint);
    case 12:
      return tsDate(v as bigint);
    case 14:
      return v === Q_NULL.int ? null : civil(v as number);
    case 13:
      return v === Q_NULL.int ? null : monthText(v as number);
    case 15:
      return Number.isNaN(v as number) ? null : new Date((v as number) * DAY_MS + Q_EPOCH_MS);
    default:
      return v;
  }
}

function vectorFromQ(x: QVector): unknown {
  const a = x.values;
  switch (x.type) {
    case 1:
      return Array.from(a as Uint8Array, (b) => b !== 0);
    case 2: {
      const b = a as Uint8Array;
      const out: string[] = [];
      for (let i = 0; i < b.length; i += 16) out.push(guidToStringAt(b, i));
      return out;
    }
    case 5:
      return Float64Array.from(a as Int16Array, (v) => intToNumber(v, Q_NULL.short));
    case 7:
    case 16:
      return Float64Array.from(a as BigInt64Array, (v) => (v === Q_NULL.long ? Number.NaN : Number(v)));
    case 8:
      return Float64Array.from(a as Float32Array);
    case 12:
      return Array.from(a as BigInt64Array, tsDate);
    case 13:
      return Array.from(a as Int32Array, (m) => (m === Q_NULL.int ? null : monthText(m)));
    case 14:
      return Array.from(a as Int32Array, (d) => (d === Q_NULL.int ? null : civil(d)));
    case 15:
      return Array.from(a as Float64Array, (d) => (Number.isNaN(d) ? null : new Date(d * DAY_MS + Q_EPOCH_MS)));
    default:
      // byte, int (and minute/second/time), float, char, symbol: as they travelled
      return a;
  }
}

function dictFromQ(x: QDict): unknown {
  if (x.keys.kind === "table" && x.values.kind === "table") {
    return fromQ(table([...x.keys.columns, ...x.values.columns], [...x.keys.data, ...x.values.data]));
  }
  if (x.keys.kind === "vector" && x.keys.type === 11) {
    const keys = x.keys.values as string[];
    const vals = valuesOf(x.values, keys.length);
    const out: Record<string, unknown> = {};
    keys.forEach((k, i) => {
      out[k] = vals[i];
    });
    return out;
  }
  return { keys: fromQ(x.keys), values: fromQ(x.values) };
}

function guidToStringAt(b: Uint8Array, off: number): string {
  let h = "";
  for (let i = 0; i < 16; i++) {
    h += (b[off + i] as number).toString(16).padStart(2, "0");
    if (i === 3 || i === 5 || i === 7 || i === 9) h += "-";
  }
  return h;
}

function valuesOf(v: QObject, n: number): unknown[] {
  if (v.kind === "list") return v.items.map(fromQ);
  const js = fromQ(v);
  if (typeof js === "string") return Array.from(js);
  if (Array.isArray(js)) return js;
  if (ArrayBuffer.isView(js)) return Array.from(js as unknown as ArrayLike<unknown>);
  return Array.from({ length: n }, () => js);
}

function tableToPanel(columns: readonly string[], data: readonly QObject[]): Panel | undefined {
  const di = data.findIndex((c) => c.kind === "vector" && (c.type === 14 || c.type === 12 || c.type === 15));
  if (di < 0) return undefined;
  const numericTypes = new Set([4, 5, 6, 7, 8, 9]);
  const rest = data.map((_, i) => i).filter((i) => i !== di);
  if (rest.length === 0 || !rest.every((i) => data[i]?.kind === "vector" && numericTypes.has((data[i] as { type: number }).type))) return undefined;
  const dc = data[di] as QObject & { kind: "vector" };
  const n = dc.type === 14 ? (dc.values as Int32Array).length : (dc.values as BigInt64Array | Float64Array).length;
  const dates = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (dc.type === 14) dates[i] = ((dc.values as Int32Array)[i] as number) + Q_EPOCH_DAYS;
    else if (dc.type === 12) dates[i] = Number(((dc.values as BigInt64Array)[i] as bigint) / 86_400_000_000_000n) + Q_EPOCH_DAYS;
    else dates[i] = Math.floor((dc.values as Float64Array)[i] as number) + Q_EPOCH_DAYS;
  }
  for (let i = 1; i < n; i++) if ((dates[i] as number) <= (dates[i - 1] as number)) return undefined;
  const cols = rest.map((i) => {
    const v = fromQ(data[i] as QObject);
    return v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
  });
  return new Panel(dates, rest.map((i) => columns[i] as string), cols, { validate: false });
}
