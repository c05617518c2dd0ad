/**
 * `Panel`: dates × assets of float64, one `Float64Array` per asset, dates as an `Int32Array`
 * of epoch days, NaN = missing (DESIGN.md, data model). Immutable by convention: methods return
 * new panels (slices share their columns' buffers through `subarray`, so they are cheap).
 */
import { type DateLike, fromEpochDay, lowerBound, toEpochDay, toEpochDays, upperBound } from "./dates.js";
import { opt } from "../options/index.js";
import { INSPECT, textTable } from "./text.js";

/** Options of the `Panel` constructor. */
export interface PanelOptions {
  /** Check dates strictly increasing, assets unique and column lengths (default `true`). */
  validate?: boolean;
}

/** A date range and/or asset subset, as taken by {@link Panel.slice}. */
export interface PanelSliceOptions {
  /** First date kept, inclusive (default: the panel's first date). */
  start?: DateLike;
  /** Last date kept, inclusive (default: the panel's last date). */
  end?: DateLike;
  /** Assets kept, in this order (default: all). */
  assets?: readonly string[];
}

/** Kind of return computed by {@link Panel.returns}. */
export type ReturnKind = "simple" | "log";

const PANEL_OPTIONS = { validate: opt.boolean(true) } satisfies Record<keyof PanelOptions, opt.OptionRule<unknown>>;
const SLICE_KEYS = opt.optionKeys<PanelSliceOptions>()(["start", "end", "assets"]);
const HTML_OPTIONS = { maxRows: opt.positiveInteger(10), maxColumns: opt.positiveInteger(12), digits: opt.integer(4, { min: 0, max: 100 }) };

export class Panel {
  /** Trading dates as epoch days, strictly increasing. */
  readonly dates: Int32Array;
  /** Asset names, unique, in column order. */
  readonly assets: readonly string[];
  /** One column per asset, each of length `dates.length`. */
  readonly columns: readonly Float64Array[];
  readonly #index: Map<string, number>;

  constructor(dates: Int32Array | readonly DateLike[], assets: readonly string[], columns: readonly Float64Array[], options: PanelOptions = {}) {
    this.dates = toEpochDays(dates as ArrayLike<DateLike>);
    this.assets = Object.freeze([...assets]);
    this.columns = Object.freeze([...columns]);
    this.#index = new Map(this.assets.map((a, i) => [a, i]));
    if (opt.readOptions("Panel", options, PANEL_OPTIONS).validate) this.#validate();
  }

  /** Builds a panel from `{ asset: values }` columns (any array-like of numbers; copied to float64). */
  static fromColumns(dates: Int32Array | readonly DateLike[], columns: Record<string, ArrayLike<number>>, options?: PanelOptions): Panel {
    const assets = Object.keys(columns);
    const cols = assets.map((a) => Float64Array.from(columns[a] as ArrayLike<number>));
    return new Panel(dates, assets, cols, options);
  }

  /**
   * Builds a panel from a column-major block (`values[j * nDates + i]` is date i, asset j),
   * the layout {@link Panel.toMatrix} returns. Columns are views into `values` (no copy).
   */
  static fromMatrix(dates: Int32Array | readonly DateLike[], assets: readonly string[], values: Float64Array, options?: PanelOptions): Panel {
    const n = dates.length;
    if (values.length !== n * assets.length) {
      throw new RangeError(`Panel.fromMatrix: values has ${values.length} elements, expected ${n} dates × ${assets.length} assets = ${n * assets.length}`);
    }
    const cols = assets.map((_, j) => values.subarray(j * n, (j + 1) * n));
    return new Panel(dates, assets, cols, options);
  }

  /** Number of dates (rows). */
  get nDates(): number {
    return this.dates.length;
  }

  /** Number of assets (columns). */
  get nAssets(): number {
    return this.assets.length;
  }

  /** First and last date as ISO strings (`undefined` for an empty panel). */
  get dateRange(): [string, string] | undefined {
    if (this.nDates === 0) return undefined;
    return [fromEpochDay(this.dates[0]!), fromEpochDay(this.dates[this.nDates - 1]!)];
  }

  /** Dates as ISO `YYYY-MM-DD` strings. */
  dateStrings(): string[] {
    return Array.from(this.dates, fromEpochDay);
  }

  /** Column position of an asset, or -1. */
  assetIndex(asset: string): number {
    return this.#index.get(asset) ?? -1;
  }

  /** Whether the panel holds this asset. */
  has(asset: string): boolean {
    return this.#index.has(asset);
  }

  /** The column of one asset; throws naming the known assets when it is absent. */
  column(asset: string | number): Float64Array {
    const j = typeof asset === "number" ? asset : this.assetIndex(asset);
    const col = this.columns[j];
    if (col === undefined) {
      const known = this.assets.length > 12 ? `${this.assets.slice(0, 12).join(", ")}, … (${this.assets.length} in all)` : this.assets.join(", ");
      throw new RangeError(`Panel.column: no asset ${JSON.stringify(asset)}; known: ${known}`);
    }
    return col;
  }

  /** Value at row `i`, column `j` (NaN when missing). */
  get(i: number, j: number): number {
    return this.columns[j]?.[i] ?? Number.NaN;
  }

  /** Row position of the first date ≥ `date` (the panel's length when none). */
  dateIndex(date: DateLike): number {
    return lowerBound(this.dates, toEpochDay(date));
  }

  /** Row position of exactly `date`, or -1. */
  indexOfDate(date: DateLike): number {
    const d = toEpochDay(date);
    const i = lowerBound(this.dates, d);
    return this.dates[i] === d ? i : -1;
  }

  /** One row (all assets on date row `i`) as a new array. */
  row(i: number): Float64Array {
    if (i < 0 || i >= this.nDates) throw new RangeError(`Panel.row: row ${i} outside 0..${this.nDates - 1}`);
    const out = new Float64Array(this.nAssets);
    for (let j = 0; j < this.nAssets; j++) out[j] = (this.columns[j] as Float64Array)[i]!;
    return out;
  }

  /** Rows `[i0, i1)` as a panel sharing this panel's buffers. */
  sliceRows(i0: number, i1: number): Panel {
    const a = Math.max(0, Math.min(i0, this.nDates));
    const b = Math.max(a, Math.min(i1, this.nDates));
    return new Panel(this.dates.subarray(a, b), this.assets, this.columns.map((c) => c.subarray(a, b)), { validate: false });
  }

  /** A date range (inclusive at both ends) and/or asset subset. */
  slice(options: PanelSliceOptions = {}): Panel {
    const given = opt.knownKeys("Panel.slice", options, SLICE_KEYS);
    const i0 = given.start === undefined ? 0 : lowerBound(this.dates, toEpochDay(given.start));
    const i1 = given.end === undefined ? this.nDates : upperBound(this.dates, toEpochDay(given.end));
    const rows = this.sliceRows(i0, i1);
    return given.assets === undefined ? rows : rows.select(given.assets);
  }

  /** The given assets, in the given order (shares buffers). */
  select(assets: readonly string[]): Panel {
    return new Panel(this.dates, assets, assets.map((a) => this.column(a)), { validate: true });
  }

  /** A new panel with `fn` applied to every column (`fn` returns a new array of the same length). */
  mapColumns(fn: (column: Float64Array, asset: string, j: number) => Float64Array): Panel {
    return new Panel(this.dates, this.assets, this.columns.map((c, j) => fn(c, this.assets[j] as string, j)), { validate: false });
  }

  /**
   * Period returns on the same dates; the first row is NaN (as pandas `pct_change`).
   * A return next to a missing price is NaN.
   */
  returns(kind: ReturnKind = "simple"): Panel {
    if (kind !== "simple" && kind !== "log") throw new TypeError(`Panel.returns: kind must be "simple" or "log", got ${JSON.stringify(kind)}`);
    return this.mapColumns((p) => {
      const r = new Float64Array(p.length);
      if (p.length > 0) r[0] = Number.NaN;
      for (let i = 1; i < p.length; i++) {
        const a = p[i - 1]!;
        const b = p[i]!;
        r[i] = kind === "simple" ? b / a - 1 : Math.log(b / a);
      }
      return r;
    });
  }

  /** Column-major copy: element (i, j) at `j * nDates + i`. */
  toMatrix(): Float64Array {
    const n = this.nDates;
    const out = new Float64Array(n * this.nAssets);
    this.columns.forEach((c, j) => out.set(c, j * n));
    return out;
  }

  /** Renders the panel as an HTML table (head and tail rows when it is long). */
  toHTML(options: { maxRows?: number; maxColumns?: number; digits?: number } = {}): string {
    return panelToHTML(this, opt.readOptions("Panel.toHTML", options, HTML_OPTIONS));
  }

  /**
   * pandas-like text: the shape and date range, then the head and tail rows (ISO dates) of at most
   * 8 columns — at most 13 lines whatever the panel's size. Also what `console.log(panel)` prints.
   */
  toString(): string {
    const range = this.dateRange;
    return textTable({
      title: `Panel ${this.nDates} dates × ${this.nAssets} assets${range ? ` (${range[0]} … ${range[1]})` : ""}`,
      rows: this.nDates,
      index: (i) => fromEpochDay(this.dates[i]!),
      columns: this.assets.map((name, j) => ({ name, cell: (i: number) => this.columns[j]![i]! })),
    });
  }

  /** `util.inspect` / `console.log`: the same text as {@link toString}. */
  [INSPECT](): string {
    return this.toString();
  }

  /** Jupyter rich display (Deno-compatible protocol; the statarb kernel honours it). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/html": this.toHTML(), "text/plain": this.toString() };
  }

  #validate(): void {
    const n = this.dates.length;
    for (let i = 1; i < n; i++) {
      if (this.dates[i]! <= this.dates[i - 1]!) {
        throw new RangeError(
          `Panel: dates must be strictly increasing; row ${i} (${fromEpochDay(this.dates[i]!)}) does not follow row ${i - 1} (${fromEpochDay(this.dates[i - 1]!)}). Sort and de-duplicate the dates first.`,
        );
      }
    }
    if (this.#index.size !== this.assets.length) {
      const seen = new Set<string>();
      const dup = this.assets.find((a) => (seen.has(a) ? true : (seen.add(a), false)));
      throw new RangeError(`Panel: duplicate asset ${JSON.stringify(dup)}; asset names must be unique`);
    }
    if (this.columns.length !== this.assets.length) {
      throw new RangeError(`Panel: ${this.assets.length} assets but ${this.columns.length} columns`);
    }
    this.columns.forEach((c, j) => {
      if (!(c instanceof Float64Array)) throw new TypeError(`Panel: column ${JSON.stringify(this.assets[j])} is not a Float64Array`);
      if (c.length !== n) throw new RangeError(`Panel: column ${JSON.stringify(this.assets[j])} has ${c.length} values for ${n} dates`);
    });
  }
}

/**
 * Aligns two panels on their common dates (inner join on dates; assets untouched).
 * Returns copies restricted to the shared dates, in date order.
 */
export function alignPanels(a: Panel, b: Panel): [Panel, Panel] {
  const ia: number[] = [];
  const ib: number[] = [];
  let i = 0;
  let k = 0;
  while (i < a.nDates && k < b.nDates) {
    const da = a.dates[i]!;
    const db = b.dates[k]!;
    if (da === db) {
      ia.push(i++);
      ib.push(k++);
    } else if (da < db) i++;
    else k++;
  }
  return [takeRows(a, ia), takeRows(b, ib)];
}

/** A panel made of the given rows (copied). */
export function takeRows(p: Panel, rows: readonly number[]): Panel {
  const dates = Int32Array.from(rows, (r) => p.dates[r]!);
  const cols = p.columns.map((c) => Float64Array.from(rows, (r) => c[r]!));
  return new Panel(dates, p.assets, cols, { validate: false });
}

function formatNumber(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const ax = Math.abs(x);
  if (ax !== 0 && (ax >= 1e6 || ax < 10 ** -digits)) return x.toExponential(digits - 1);
  return x.toFixed(digits);
}

function escapeHTML(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] as string);
}

function panelToHTML(p: Panel, { maxRows = 10, maxColumns = 12, digits = 4 }: { maxRows?: number; maxColumns?: number; digits?: number }): string {
  const n = p.nDates;
  const rowIdx: (number | null)[] = [];
  if (n <= maxRows) for (let i = 0; i < n; i++) rowIdx.push(i);
  else {
    const h = Math.ceil(maxRows / 2);
    for (let i = 0; i < h; i++) rowIdx.push(i);
    rowIdx.push(null);
    for (let i = n - (maxRows - h); i < n; i++) rowIdx.push(i);
  }
  const colIdx: (number | null)[] = [];
  if (p.nAssets <= maxColumns) for (let j = 0; j < p.nAssets; j++) colIdx.push(j);
  else {
    const h = Math.ceil(maxColumns / 2);
    for (let j = 0; j < h; j++) colIdx.push(j);
    colIdx.push(null);
    for (let j = p.nAssets - (maxColumns - h); j < p.nAssets; j++) colIdx.push(j);
  }
  const th = colIdx.map((j) => `<th>${j === null ? "…" : escapeHTML(p.assets[j] as string)}</th>`).join("");
  const body = rowIdx
    .map((i) => {
      if (i === null) return `<tr><th>…</th>${colIdx.map(() => "<td>…</td>").join("")}</tr>`;
      const tds = colIdx.map((j) => `<td>${j === null ? "…" : formatNumber(p.get(i, j), digits)}</td>`).join("");
      return `<tr><th>${fromEpochDay(p.dates[i]!)}</th>${tds}</tr>`;
    })
    .join("");
  const caption = `${n} dates × ${p.nAssets} assets`;
  return `<table class="statarb-panel"><caption>${caption}</caption><thead><tr><th>date</th>${th}</tr></thead><tbody>${body}</tbody></table>`;
}
