/**
 * How results print in a terminal (`console.log`, `util.inspect`, `String(x)`), pandas-like: a title
 * line with the shape, then the head and tail rows of a right-aligned table with ISO dates as the
 * index, or a summary of a result's fields — never more than about 30 lines, whatever the size.
 * Classes implement `[INSPECT]` and `toString`; plain result objects get both from
 * {@link attachText} (non-enumerable, so equality and JSON are unchanged).
 */
import { fromEpochDay } from "./dates.js";

/** Node's `util.inspect.custom` (a registered symbol: no import of node:util needed). */
export const INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** One column of {@link textTable}: a header and a cell per row (numbers are formatted per column). */
export interface TextColumn {
  readonly name: string;
  readonly cell: (row: number) => number | string;
}

export interface TextTableSpec {
  /** First line, e.g. `Panel: 250 dates × 4 assets, 2024-01-02 … 2024-12-31`. */
  readonly title: string;
  readonly rows: number;
  /** Header of the index column (default "date"). */
  readonly indexName?: string;
  readonly index: (row: number) => string;
  readonly columns: readonly TextColumn[];
  /** Rows shown: head and tail halves around a "…" row (default 10). */
  readonly maxRows?: number;
  /** Columns shown: first and last halves around a "…" column (default 8). */
  readonly maxColumns?: number;
  /** Decimals of non-integer numbers (default 4). */
  readonly digits?: number;
}

/** Positions shown out of `n`: all, or the first ⌈max/2⌉ and last ⌊max/2⌋ around a `null` gap. */
export function headTail(n: number, max: number): (number | null)[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const h = Math.ceil(max / 2);
  return [...Array.from({ length: h }, (_, i) => i), null, ...Array.from({ length: max - h }, (_, i) => n - (max - h) + i)];
}

/**
 * A number as a table cell: NaN, ±inf, exponent form outside [1e-digits, 1e9), else `digits`
 * fixed decimals (`digits` 0 or `integers: "plain"`: integers print as integers).
 */
export function formatCell(x: number, digits = 4, integers: "plain" | "fixed" = "fixed"): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if ((digits === 0 || integers === "plain") && Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const ax = Math.abs(x);
  if (ax !== 0 && (ax >= 1e9 || ax < 10 ** -digits)) return x.toExponential(digits - 1);
  return x.toFixed(digits);
}

function columnCells(col: TextColumn | null, rows: (number | null)[], digits: number): string[] {
  if (col === null) return ["…", ...rows.map(() => "…")];
  const values = rows.map((i) => (i === null ? null : col.cell(i)));
  // a column whose shown numbers are all integers prints without decimals, like pandas
  const integral = values.every((v) => typeof v !== "number" || !Number.isFinite(v) || Number.isInteger(v));
  // about 7 significant digits for the column's largest magnitude: 16800079.79 → 16800080, 185.64 → 185.6400
  let maxAbs = 0;
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  const d = integral ? 0 : Math.max(0, Math.min(digits, 7 - (maxAbs >= 1 ? Math.floor(Math.log10(maxAbs)) + 1 : 0)));
  return [col.name, ...values.map((v) => (v === null ? "…" : typeof v === "number" ? formatCell(v, d, d === 0 ? "plain" : "fixed") : v))];
}

/** A pandas-like text table (title, header, head/tail rows, a `[rows × columns]` footer). */
export function textTable(spec: TextTableSpec): string {
  const { maxRows = 10, maxColumns = 8, digits = 4 } = spec;
  const rows = headTail(spec.rows, maxRows);
  const cols = headTail(spec.columns.length, maxColumns).map((j) => (j === null ? null : spec.columns[j]!));
  const index = [spec.indexName ?? "date", ...rows.map((i) => (i === null ? "…" : spec.index(i)))];
  const body = cols.map((c) => columnCells(c, rows, digits));
  const iw = Math.max(...index.map((s) => s.length));
  const widths = body.map((cells) => Math.max(...cells.map((s) => s.length)));
  const lines = index.map((label, r) => [label.padEnd(iw), ...body.map((cells, k) => cells[r]!.padStart(widths[k]!))].join("  ").trimEnd());
  return [spec.title, ...lines, `[${spec.rows} rows × ${spec.columns.length} columns]`].join("\n");
}

const MAX_LINE = 100;

function clip(s: string): string {
  const one = s.split("\n")[0]!;
  return one.length > MAX_LINE ? `${one.slice(0, MAX_LINE - 1)}…` : one;
}

function isDateField(key: string, v: ArrayLike<number>): boolean {
  return v instanceof Int32Array && /dates?$/i.test(key);
}

/** One line for a field's value: numbers formatted, arrays by length and first values, dates as ISO. */
export function summarizeValue(key: string, v: unknown): string {
  if (typeof v === "number") return formatCell(v, 4, "plain");
  if (typeof v === "string") return clip(JSON.stringify(v));
  if (typeof v === "boolean" || typeof v === "bigint" || v === null || v === undefined) return String(v);
  if (typeof v === "function") return "[function]";
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number>;
    if (isDateField(key, a)) return a.length === 0 ? "(no dates)" : `${fromEpochDay(a[0]!)} … ${fromEpochDay(a[a.length - 1]!)} (${a.length} dates)`;
    const first = Array.from({ length: Math.min(4, a.length) }, (_, i) => formatCell(Number(a[i]), 4, "plain"));
    return clip(`${v.constructor.name}(${a.length}) [${first.join(", ")}${a.length > 4 ? ", …" : ""}]`);
  }
  if (Array.isArray(v)) {
    const first = v.slice(0, 4).map((x) => (typeof x === "object" && x !== null ? (Array.isArray(x) ? `[${x.length}]` : "{…}") : summarizeValue("", x)));
    return clip(`Array(${v.length}) [${first.join(", ")}${v.length > 4 ? ", …" : ""}]`);
  }
  if (v instanceof Map) return `Map(${v.size})`;
  const own = (v as { toString?: () => string }).toString;
  if (typeof own === "function" && own !== Object.prototype.toString) return clip(String(v));
  const keys = Object.keys(v as object);
  return clip(`{ ${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", …" : ""} }`);
}

/** A result's fields, one per line (`name  value`), at most `maxLines` of them. */
export function fieldLines(value: object, options: { skip?: readonly string[]; maxLines?: number } = {}): string[] {
  const skip = new Set(options.skip ?? []);
  const keys = Object.keys(value).filter((k) => !skip.has(k));
  const max = options.maxLines ?? 26;
  const shown = keys.length > max ? keys.slice(0, max - 1) : keys;
  const w = Math.max(0, ...shown.map((k) => k.length));
  const lines = shown.map((k) => `  ${k.padEnd(w)}  ${summarizeValue(k, (value as Record<string, unknown>)[k])}`);
  if (shown.length < keys.length) lines.push(`  … ${keys.length - shown.length} more fields: ${clip(keys.slice(shown.length).join(", "))}`);
  return lines;
}

/** The text of a plain result: its title, then {@link fieldLines}. */
export function describeFields(title: string, value: object, options?: { skip?: readonly string[]; maxLines?: number }): string {
  return [title, ...fieldLines(value, options)].join("\n");
}

/**
 * Gives a plain result object a `toString` and a `util.inspect.custom` returning `text()`
 * (non-enumerable; call before freezing). Returns the object.
 */
export function attachText<T extends object>(value: T, text: (v: T) => string): T {
  const render = () => text(value);
  Object.defineProperty(value, "toString", { value: render, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(value, INSPECT, { value: render, enumerable: false, configurable: true, writable: true });
  return value;
}
