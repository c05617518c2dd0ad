/**
 * A table shown for the last value of a %%R / %%octave cell (an R data.frame or matrix, an Octave
 * matrix): the servers send its first rows as a `table` wire node of the bridge's own frames (columns as
 * float64/int32 blobs, strings and logicals in the JSON header), never as printed text. This module
 * decodes that node and renders it as an HTML table with a text/plain twin, both bounded.
 *
 * Numbers are shown exactly: the shortest text that reads back as the same float64 (JavaScript's
 * `String(x)`); R's NA_real_ and NA_integer_ as `NA`, NaN as `NaN`, ±Inf as `Inf` / `-Inf`, a missing
 * string as `<NA>` and a missing logical as `NA`, as R prints them.
 */
import { decodeValue, isRNAAt, type WireNode } from "./values.js";

/** One column of a table: the first rows only. */
export type TableColumn = Float64Array | Int32Array | readonly (boolean | null)[] | readonly (string | null)[];

/** The head of a table-like value of the other language. */
export interface BridgeTable {
  /** What it is in its language ("data.frame", "matrix"). */
  readonly kind: string;
  /** The variable it was displayed as (Octave's `x = …`, `ans`), when known. */
  readonly name: string | undefined;
  /** Size of the whole value (the columns hold at most the first rows / columns of it). */
  readonly nrow: number;
  readonly ncol: number;
  /** Row names of the rows sent; `undefined`: none (R's automatic 1…n, a matrix without rownames). */
  readonly rowNames: readonly string[] | undefined;
  /** Column names of the columns sent; `undefined`: none. */
  readonly colNames: readonly string[] | undefined;
  readonly columns: readonly TableColumn[];
  /** The type of each column sent. */
  readonly types: readonly ColumnType[];
}

/** The wire form: `{ t: "table", kind, nrow, ncol, rownames?, colnames?, cols, seq? }`. */
export interface TableNode {
  t: "table";
  kind: string;
  name?: string;
  nrow: number;
  ncol: number;
  rownames?: string[] | null;
  colnames?: string[] | null;
  cols: WireNode[];
  /** Octave: the number of the display segment it replaces (see StdioBridgeSession). */
  seq?: number;
}

/** Options of the table an eval asks for. */
export interface TableRequest {
  /** At most this many rows are sent (default 50). */
  maxRows?: number;
  /** At most this many columns are sent (default 50). */
  maxCols?: number;
}

const asStrings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map((s) => (s === null ? "NA" : String(s))) : typeof v === "string" ? [v] : undefined);

/** What a column holds (from its wire node), which decides how a missing value prints. */
export type ColumnType = "double" | "integer" | "logical" | "character";

const COLUMN_TYPES: Partial<Record<WireNode["t"], ColumnType>> = { f64: "double", num: "double", i32: "integer", lgl: "logical", bool: "logical", na: "logical", strs: "character", str: "character", null: "character" };

/** Decodes a table node of a response frame; throws when the frame is not shaped as documented. */
export function decodeTable(node: TableNode, blobs: readonly Uint8Array[]): BridgeTable {
  const cols = Array.isArray(node.cols) ? node.cols : [node.cols];
  const types: ColumnType[] = [];
  const columns = cols.map((c, j) => {
    const type = COLUMN_TYPES[c.t];
    if (type === undefined) throw new Error(`bridge table: column ${j + 1} is not a vector (${c.t})`);
    types.push(type);
    const v = decodeValue(c, blobs);
    if (typeof v === "number") return Float64Array.of(v);
    if (typeof v === "string" || typeof v === "boolean") return [v] as string[] | boolean[];
    if (v === null || typeof v === "symbol") return v === null ? [] : [null];
    return v as TableColumn;
  });
  return { kind: String(node.kind), name: typeof node.name === "string" && node.name !== "" ? node.name : undefined, nrow: Number(node.nrow), ncol: Number(node.ncol), rowNames: asStrings(node.rownames), colNames: asStrings(node.colnames), columns, types };
}

/** The text of cell `i` of a column, as described at the top. */
export function cellText(col: TableColumn, i: number, type: ColumnType): string {
  if (col instanceof Float64Array) {
    const x = col[i] as number;
    if (Number.isNaN(x)) return isRNAAt(col, i) ? "NA" : "NaN";
    if (x === Number.POSITIVE_INFINITY) return "Inf";
    if (x === Number.NEGATIVE_INFINITY) return "-Inf";
    return Object.is(x, -0) ? "0" : String(x);
  }
  if (col instanceof Int32Array) return col[i] === -2147483648 ? "NA" : String(col[i]);
  const v = col[i];
  if (v === null || v === undefined) return type === "character" ? "<NA>" : "NA";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  return v;
}

interface Grid {
  corner: string;
  head: string[];
  rows: { name: string; cells: string[] }[];
  numeric: boolean[];
  notes: string[];
}

function grid(t: BridgeTable, language: string): Grid {
  const shown = t.columns.reduce((n, c) => Math.max(n, c.length), 0);
  const octave = language === "Octave";
  const head = t.columns.map((_, j) => t.colNames?.[j] ?? (t.kind === "data.frame" ? `V${j + 1}` : octave ? String(j + 1) : `[,${j + 1}]`));
  const rows = Array.from({ length: shown }, (_, i) => ({
    name: t.rowNames?.[i] ?? (t.kind === "matrix" && !octave ? `[${i + 1},]` : String(i + 1)),
    cells: t.columns.map((c, j) => (i < c.length ? cellText(c, i, t.types[j] ?? "character") : "")),
  }));
  const numeric = t.columns.map((c) => c instanceof Float64Array || c instanceof Int32Array);
  const notes: string[] = [];
  if (t.nrow > shown) notes.push(`… ${t.nrow - shown} more row${t.nrow - shown === 1 ? "" : "s"}`);
  if (t.ncol > t.columns.length) notes.push(`… ${t.ncol - t.columns.length} more column${t.ncol - t.columns.length === 1 ? "" : "s"}`);
  return { corner: "", head, rows, numeric, notes };
}

/** "x: Octave matrix: 3 rows × 4 columns". */
function shapeText(t: BridgeTable, language: string): string {
  const rows = `${t.nrow} row${t.nrow === 1 ? "" : "s"} × ${t.ncol} column${t.ncol === 1 ? "" : "s"}`;
  return `${t.name ? `${t.name}: ` : ""}${language} ${t.kind}: ${rows}`;
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The table as HTML: a `<table class="dataframe">` like pandas', then the shape and what was left out. */
export function tableHtml(t: BridgeTable, language: string): string {
  const g = grid(t, language);
  const align = (j: number): string => (g.numeric[j] ? ' style="text-align: right;"' : "");
  const head = `<tr style="text-align: right;"><th>${esc(g.corner)}</th>${g.head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>`;
  const body = g.rows.map((r) => `<tr><th>${esc(r.name)}</th>${r.cells.map((c, j) => `<td${align(j)}>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  const shape = esc(shapeText(t, language));
  const notes = g.notes.length > 0 ? `${g.notes.join(", ")}; ` : "";
  return `<div class="statarb-bridge-table"><table class="dataframe" border="1">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>\n<p>${esc(notes)}${shape}</p></div>`;
}

/** The same table as aligned text (cells cut at 40 characters). */
export function tableText(t: BridgeTable, language: string): string {
  const g = grid(t, language);
  const cut = (s: string): string => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const cols = [[g.corner, ...g.rows.map((r) => r.name)], ...g.head.map((h, j) => [h, ...g.rows.map((r) => r.cells[j] ?? "")])].map((c) => c.map(cut));
  const widths = cols.map((c) => c.reduce((w, s) => Math.max(w, s.length), 0));
  const lines = (cols[0] ?? []).map((_, i) => cols.map((c, j) => (j > 0 && g.numeric[j - 1] ? (c[i] ?? "").padStart(widths[j] ?? 0) : (c[i] ?? "").padEnd(widths[j] ?? 0))).join(" ").trimEnd());
  const shape = `[${shapeText(t, language)}${g.notes.length > 0 ? `; ${g.notes.join(", ")}` : ""}]`;
  return `${lines.join("\n")}\n${shape}`;
}

/** A value the kernel displays as the table (text/html with a text/plain fallback): Jupyter's display protocol. */
export function tableDisplay(t: BridgeTable, language: string): { readonly table: BridgeTable; toString(): string } {
  return {
    table: t,
    [Symbol.for("Jupyter.display")]: () => ({ "text/html": tableHtml(t, language), "text/plain": tableText(t, language) }),
    toString: () => tableText(t, language),
  };
}
