/**
 * A numeric CSV parser into a `Panel`: first column ISO dates, the rest float64 (empty, `NA` or
 * `NaN` = missing). Hand-written because danfojs' `readCSV` needs a browser and a general CSV library
 * builds per-row objects; this one scans the string once and fills one `Float64Array` per column.
 */
import { readFile } from "node:fs/promises";
import { toEpochDay } from "./dates.js";
import { opt } from "../options/index.js";
import { Panel } from "./panel.js";

/** Options of {@link parsePanelCSV} and {@link readPanelCSV}. */
export interface PanelCSVOptions {
  /** Field separator (default `","`). */
  delimiter?: string;
  /** Name shown in error messages (default `"CSV"`; the file path for {@link readPanelCSV}). */
  source?: string;
  /** Sort rows by date when they are not in order, instead of failing (default `false`). */
  sort?: boolean;
}

const MISSING = new Set(["", "NA", "NaN", "nan", "null", "NULL", "#N/A"]);

const CSV_OPTIONS = {
  delimiter: opt.string(",", { nonEmpty: true }),
  source: opt.string("CSV"),
  sort: opt.boolean(false),
} satisfies Record<keyof PanelCSVOptions, opt.OptionRule<unknown>>;

/** Parses CSV text whose first column holds dates and the others numbers into a `Panel`. */
export function parsePanelCSV(text: string, options: PanelCSVOptions = {}): Panel {
  const { delimiter, source, sort } = opt.readOptions("parsePanelCSV", options, CSV_OPTIONS);
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new RangeError(`${source}: empty file (expected a header line "date,<asset>,…")`);
  const header = (lines[0] as string).split(delimiter).map((h) => h.trim());
  const assets = header.slice(1);
  if (assets.length === 0) throw new RangeError(`${source}: the header has no asset columns after the date column`);
  const n = lines.length - 1;
  const dates = new Int32Array(n);
  const columns = assets.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const line = lines[i + 1] as string;
    let start = 0;
    let field = 0;
    for (let k = 0; k <= line.length; k++) {
      if (k < line.length && line[k] !== delimiter) continue;
      const cell = line.slice(start, k);
      if (field === 0) {
        try {
          dates[i] = toEpochDay(cell.trim());
        } catch {
          throw new TypeError(`${source}: line ${i + 2}, column 1 (date): "${cell}" is not a YYYY-MM-DD date`);
        }
      } else if (field <= assets.length) {
        const t = cell.trim();
        let v: number;
        if (MISSING.has(t)) v = Number.NaN;
        else {
          v = Number(t);
          if (Number.isNaN(v)) {
            throw new TypeError(`${source}: line ${i + 2}, column ${field + 1} (${assets[field - 1]}): "${cell}" is not a number (write an empty cell or NA for a missing value)`);
          }
        }
        (columns[field - 1] as Float64Array)[i] = v;
      }
      field++;
      start = k + 1;
    }
    if (field !== header.length) {
      throw new RangeError(`${source}: line ${i + 2} has ${field} fields, the header has ${header.length}`);
    }
  }
  if (sort) return sortPanelRows(dates, assets, columns);
  return new Panel(dates, assets, columns);
}

/** Reads a CSV file (first column dates, others numbers) into a `Panel`. */
export async function readPanelCSV(path: string, options: PanelCSVOptions = {}): Promise<Panel> {
  const text = await readFile(path, "utf8");
  return parsePanelCSV(text, { source: path, ...options });
}

function sortPanelRows(dates: Int32Array, assets: string[], columns: Float64Array[]): Panel {
  const order = Array.from(dates.keys()).sort((a, b) => dates[a]! - dates[b]!);
  const sortedDates = Int32Array.from(order, (r) => dates[r]!);
  const sortedCols = columns.map((c) => Float64Array.from(order, (r) => c[r]!));
  return new Panel(sortedDates, assets, sortedCols);
}
