/** danfojs DataFrame and Series as HTML tables (head and tail rows when long) with a text fallback. */
import type { MimeBundle } from "../impl.js";

interface DanfoLike {
  columns?: string[];
  index: (string | number)[];
  values: unknown[];
  shape: number[];
  toString(): string;
}

const MAX_ROWS = 40;

export function isDanfoFrame(v: unknown): v is DanfoLike {
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  const d = v as Partial<DanfoLike>;
  return (name === "DataFrame" || name === "Series") && Array.isArray(d.index) && Array.isArray(d.values) && Array.isArray(d.shape);
}

function escape(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function cell(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/\.?0+$/, "");
  return escape(v);
}

export function dataFrameBundle(df: DanfoLike): MimeBundle {
  const isSeries = !df.columns || df.shape.length === 1 || (df as { constructor: { name: string } }).constructor.name === "Series";
  const columns = isSeries ? [String((df as { columns?: string[] }).columns?.[0] ?? "0")] : (df.columns ?? []);
  const rows = df.index.length;
  const pick = rows > MAX_ROWS ? [...Array(MAX_ROWS / 2).keys(), -1, ...Array.from({ length: MAX_ROWS / 2 }, (_, i) => rows - MAX_ROWS / 2 + i)] : [...Array(rows).keys()];
  const head = `<thead><tr><th></th>${columns.map((c) => `<th>${escape(c)}</th>`).join("")}</tr></thead>`;
  const body = pick
    .map((i) => {
      if (i < 0) return `<tr><th>…</th>${columns.map(() => "<td>…</td>").join("")}</tr>`;
      const row = isSeries ? [df.values[i]] : ((df.values[i] as unknown[]) ?? []);
      return `<tr><th>${escape(df.index[i])}</th>${row.map((v) => `<td>${cell(v)}</td>`).join("")}</tr>`;
    })
    .join("");
  const shape = isSeries ? `${rows} rows` : `${rows} rows × ${columns.length} columns`;
  let text: string;
  try {
    text = df.toString();
  } catch {
    text = shape;
  }
  return {
    "text/html": `<div class="statarb-frame"><table class="dataframe">${head}<tbody>${body}</tbody></table><p>${shape}</p></div>`,
    "text/plain": text,
  };
}

interface ArrowLike {
  numRows: number;
  schema: { fields: { name: string; type: unknown }[] };
  get(i: number): { toJSON(): Record<string, unknown> } | null;
}

export function isArrowTable(v: unknown): v is ArrowLike {
  const t = v as Partial<ArrowLike>;
  return typeof t.numRows === "number" && Array.isArray(t.schema?.fields) && typeof t.get === "function";
}

/** An apache-arrow Table as an HTML table (head and tail rows when long). */
export function arrowTableBundle(t: ArrowLike): MimeBundle {
  const names = t.schema.fields.map((f) => f.name);
  const rows = t.numRows;
  const pick = rows > MAX_ROWS ? [...Array(MAX_ROWS / 2).keys(), -1, ...Array.from({ length: MAX_ROWS / 2 }, (_, i) => rows - MAX_ROWS / 2 + i)] : [...Array(rows).keys()];
  const head = `<thead><tr><th></th>${names.map((c) => `<th>${escape(c)}</th>`).join("")}</tr></thead>`;
  const body = pick
    .map((i) => {
      if (i < 0) return `<tr><th>…</th>${names.map(() => "<td>…</td>").join("")}</tr>`;
      const row = t.get(i)?.toJSON() ?? {};
      return `<tr><th>${i}</th>${names.map((n) => `<td>${cell(row[n])}</td>`).join("")}</tr>`;
    })
    .join("");
  const shape = `${rows} rows × ${names.length} columns`;
  const types = t.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(", ");
  return {
    "text/html": `<div class="statarb-frame"><table class="dataframe">${head}<tbody>${body}</tbody></table><p>${shape}</p></div>`,
    "text/plain": `arrow Table ${shape} (${types})`,
  };
}
