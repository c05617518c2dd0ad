/**
 * The edges of `Panel` (DESIGN.md, data model): danfojs `DataFrame` for display and pandas-like
 * verbs, apache-arrow `Table` for exchange. Both are conversions, never the core representation.
 * danfojs pulls in tfjs, so it is loaded on first use only.
 */
import { DateDay, Field, Float64, makeData, RecordBatch, Schema, Struct, Table, type Vector } from "apache-arrow";
import type { DataFrame } from "danfojs";
import { toEpochDays } from "./dates.js";
import { opt } from "../options/index.js";
import { Panel } from "./panel.js";

const DATE_COLUMN_OPTION = { dateColumn: opt.optional(opt.string("", { nonEmpty: true })) };

/**
 * The parts of a danfojs `DataFrame` that {@link panelFromDataFrame} reads (a danfojs `DataFrame`
 * is one). danfojs is an optional peer dependency, and its own declaration files do not type-check,
 * so statarb's published types never name its types.
 */
export interface DataFrameLike {
  readonly columns: readonly unknown[];
  readonly index: readonly unknown[];
  column(name: string): { readonly values: unknown };
}

/** The name of the date column in an Arrow table or a danfojs frame's index. */
export const DATE_COLUMN = "date";

/**
 * An Arrow table with a `date` column (`DateDay`, epoch days) and one `Float64` column per asset.
 * NaN stays NaN (Arrow's null is not used, so values round-trip bit for bit).
 */
export function panelToArrow(panel: Panel): Table {
  const fields = [new Field(DATE_COLUMN, new DateDay(), false), ...panel.assets.map((a) => new Field(a, new Float64(), false))];
  const children = [
    makeData({ type: new DateDay(), data: panel.dates }),
    ...panel.columns.map((c) => makeData({ type: new Float64(), data: c })),
  ];
  const struct = makeData({ type: new Struct(fields), length: panel.nDates, nullCount: 0, children });
  const schema = new Schema(fields);
  return new Table(schema, new RecordBatch(schema, struct));
}

/**
 * A `Panel` from an Arrow table with a date column (`DateDay`, `DateMillisecond`, a timestamp or ISO
 * strings) and numeric columns; nulls become NaN. Throws naming the columns that are not numeric.
 */
export function panelFromArrow(table: Table, options: { dateColumn?: string } = {}): Panel {
  const dateName = opt.readOptions("panelFromArrow", options, DATE_COLUMN_OPTION).dateColumn ?? DATE_COLUMN;
  const dateVec = table.getChild(dateName);
  if (dateVec === null) {
    throw new RangeError(`panelFromArrow: no date column "${dateName}"; columns: ${table.schema.fields.map((f) => f.name).join(", ")} (pass { dateColumn })`);
  }
  const dates = toEpochDays(Array.from({ length: dateVec.length }, (_, i) => arrowDate(dateVec.get(i))));
  const assets: string[] = [];
  const columns: Float64Array[] = [];
  const bad: string[] = [];
  for (const f of table.schema.fields) {
    if (f.name === dateName) continue;
    const v = table.getChild(f.name) as Vector | null;
    if (v === null) continue;
    const col = new Float64Array(v.length);
    let ok = true;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v.get(i);
      if (x === null || x === undefined) col[i] = Number.NaN;
      else if (typeof x === "number") col[i] = x;
      else if (typeof x === "bigint") col[i] = Number(x);
      else {
        ok = false;
        break;
      }
    }
    if (ok) {
      assets.push(f.name);
      columns.push(col);
    } else bad.push(`${f.name} (${String(f.type)})`);
  }
  if (bad.length > 0) throw new TypeError(`panelFromArrow: columns that are not numeric: ${bad.join(", ")}; drop them or select numeric columns first`);
  return new Panel(dates, assets, columns);
}

function arrowDate(x: unknown): string | number | Date {
  if (x instanceof Date) return x;
  if (typeof x === "string") return x;
  // DateDay and DateMillisecond vectors yield epoch milliseconds.
  if (typeof x === "number") return new Date(x);
  if (typeof x === "bigint") return new Date(Number(x));
  throw new TypeError(`panelFromArrow: date value ${String(x)} is not a date`);
}

/** @internal the danfojs-typed signature, for statarb's own sources (stripped from the published types) */
export function panelToDataFrame(panel: Panel): Promise<DataFrame>;
/**
 * A danfojs `DataFrame` indexed by ISO date strings, one column per asset (NaN kept). danfojs is an
 * optional peer dependency (`npm install danfojs`); name its type to get it typed:
 * `panelToDataFrame<dfd.DataFrame>(panel)`.
 */
export function panelToDataFrame<F = DataFrameLike>(panel: Panel): Promise<F>;
export async function panelToDataFrame(panel: Panel): Promise<DataFrame> {
  let dfd: typeof import("danfojs");
  try {
    dfd = await import("danfojs");
  } catch (e) {
    throw new Error(`panelToDataFrame: danfojs is not installed (an optional peer dependency of statarb: npm install danfojs): ${(e as Error).message.split("\n")[0]}`);
  }
  const data: Record<string, number[]> = {};
  panel.assets.forEach((a, j) => {
    data[a] = Array.from(panel.columns[j] as Float64Array);
  });
  return new dfd.DataFrame(data, { index: panel.dateStrings(), columns: [...panel.assets] });
}

/**
 * A `Panel` from a danfojs `DataFrame` whose index holds dates (ISO strings or `Date`s), or whose
 * `dateColumn` does. Every other column must be numeric.
 */
export function panelFromDataFrame(df: DataFrameLike, options: { dateColumn?: string } = {}): Panel {
  const cols = df.columns.map(String);
  const dateCol = opt.readOptions("panelFromDataFrame", options, DATE_COLUMN_OPTION).dateColumn;
  let rawDates: unknown[];
  if (dateCol !== undefined) {
    if (!cols.includes(dateCol)) throw new RangeError(`panelFromDataFrame: no column "${dateCol}"; columns: ${cols.join(", ")}`);
    rawDates = df.column(dateCol).values as unknown[];
  } else rawDates = df.index as unknown[];
  const dates = toEpochDays(rawDates.map((d) => (d instanceof Date || typeof d === "string" ? d : String(d))));
  const assets = cols.filter((c) => c !== dateCol);
  const columns = assets.map((a) => {
    const values = df.column(a).values as unknown[];
    const out = new Float64Array(values.length);
    values.forEach((v, i) => {
      if (v === null || v === undefined) out[i] = Number.NaN;
      else if (typeof v === "number") out[i] = v;
      else throw new TypeError(`panelFromDataFrame: column "${a}" row ${i} is ${JSON.stringify(v)}, not a number`);
    });
    return out;
  });
  return new Panel(dates, assets, columns);
}
