/**
 * An array of plain row objects (`[{ date, ticker, pnl }, …]`, what `map` over records gives) shown
 * as an HTML table: one column per key in order of first appearance, head and tail rows when long,
 * with the inspect text as the plain fallback.
 */
const MAX_COLUMNS = 50;
const HEAD = 10;
const TAIL = 5;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isCell(v: unknown): boolean {
  return v === null || v === undefined || v instanceof Date || ["number", "string", "boolean", "bigint"].includes(typeof v);
}

/** The table's columns when `value` is a non-empty array of plain objects with scalar values, else undefined. */
export function rowColumns(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const columns = new Set<string>();
  for (const row of value) {
    if (!isPlainObject(row)) return undefined;
    for (const [k, v] of Object.entries(row)) {
      if (!isCell(v)) return undefined;
      columns.add(k);
    }
    if (columns.size > MAX_COLUMNS) return undefined;
  }
  return columns.size > 0 ? [...columns] : undefined;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);

function cell(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "Invalid Date" : v.toISOString().replace(/T00:00:00\.000Z$/, "");
  if (typeof v === "number") return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/** The HTML table of rows whose columns {@link rowColumns} found. */
export function rowsHtml(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const n = rows.length;
  const shown = n <= HEAD + TAIL ? rows.map((_, i) => i) : [...Array.from({ length: HEAD }, (_, i) => i), -1, ...Array.from({ length: TAIL }, (_, i) => n - TAIL + i)];
  const body = shown
    .map((i) => {
      if (i < 0) return `<tr><th>…</th>${columns.map(() => "<td>…</td>").join("")}</tr>`;
      const row = rows[i]!;
      return `<tr><th>${i}</th>${columns.map((c) => `<td>${esc(cell(row[c]))}</td>`).join("")}</tr>`;
    })
    .join("");
  return `<table class="statarb-rows"><caption>${n} rows × ${columns.length} columns</caption><thead><tr><th></th>${columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table>`;
}
