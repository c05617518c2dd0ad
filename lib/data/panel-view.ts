/**
 * `PanelView`: a panel seen from a cut-off date. Only rows dated ≤ the cut-off are reachable through
 * it (dates and columns are `subarray`s, so building a view copies nothing), which is how every
 * model in lib/signals is kept from reading the future: models take a view, never the full panel.
 */
import { type DateLike, fromEpochDay, lowerBound, toEpochDay, upperBound } from "./dates.js";
import { opt } from "../options/index.js";
import { Panel } from "./panel.js";

/** Options of {@link PanelView}. */
export interface PanelViewOptions {
  /**
   * Extra fields on the same dates and assets (e.g. `{ volume }`), cut at the same row
   * (default: none). The main panel holds prices.
   */
  fields?: Readonly<Record<string, Panel>>;
}

const isPanelRecord = (x: unknown): x is Readonly<Record<string, Panel>> =>
  typeof x === "object" && x !== null && !Array.isArray(x) && Object.values(x).every((v) => v instanceof Panel);

const VIEW_OPTIONS = {
  fields: opt.optional(opt.custom("an object of Panels by field name, e.g. { volume }", () => undefined, isPanelRecord)),
} satisfies Record<keyof PanelViewOptions, opt.OptionRule<unknown>>;

export class PanelView {
  /** Cut-off as an epoch day: no row after it is visible. */
  readonly cutoff: number;
  /** Visible trading dates (epoch days), all ≤ `cutoff`. */
  readonly dates: Int32Array;
  readonly assets: readonly string[];
  /** Visible price columns, one per asset. */
  readonly columns: readonly Float64Array[];
  readonly #fields: ReadonlyMap<string, readonly Float64Array[]>;
  readonly #panel: Panel;

  constructor(panel: Panel, cutoff: DateLike, options: PanelViewOptions = {}) {
    if (!(panel instanceof Panel)) throw new TypeError("PanelView: panel must be a Panel (lib/data)");
    this.cutoff = toEpochDay(cutoff);
    const end = upperBound(panel.dates, this.cutoff);
    this.#panel = panel.sliceRows(0, end);
    this.dates = this.#panel.dates;
    this.assets = panel.assets;
    this.columns = this.#panel.columns;
    const fields = new Map<string, readonly Float64Array[]>();
    const { fields: given } = opt.readOptions("PanelView", options, VIEW_OPTIONS);
    for (const [name, f] of Object.entries(given ?? {})) {
      if (f.nAssets !== panel.nAssets || f.nDates !== panel.nDates) {
        throw new RangeError(`PanelView: field "${name}" is ${f.nDates} × ${f.nAssets}, the panel is ${panel.nDates} × ${panel.nAssets}; align it first (alignPanels)`);
      }
      fields.set(name, Object.freeze(f.columns.map((c) => c.subarray(0, end))));
    }
    this.#fields = fields;
  }

  /** A view of the whole panel (cut-off = its last date). */
  static of(panel: Panel, options?: PanelViewOptions): PanelView {
    const last = panel.nDates > 0 ? panel.dates[panel.nDates - 1]! : -1e9;
    return new PanelView(panel, last, options);
  }

  get nDates(): number {
    return this.dates.length;
  }

  get nAssets(): number {
    return this.assets.length;
  }

  /** The visible rows as a `Panel` (shares buffers). */
  toPanel(): Panel {
    return this.#panel;
  }

  /** Names of the extra fields. */
  fieldNames(): string[] {
    return [...this.#fields.keys()];
  }

  /** Visible columns of an extra field; throws naming the known fields. */
  field(name: string): readonly Float64Array[] {
    const f = this.#fields.get(name);
    if (f === undefined) throw new RangeError(`PanelView.field: no field "${name}"; known: ${[...this.#fields.keys()].join(", ") || "(none)"}`);
    return f;
  }

  hasField(name: string): boolean {
    return this.#fields.has(name);
  }

  /**
   * Row of the last visible date ≤ `at`. Asking about a date after the cut-off is an error: that
   * is the look-ahead the view exists to prevent.
   */
  rowAt(at: DateLike): number {
    const d = toEpochDay(at);
    if (d > this.cutoff) throw new RangeError(`PanelView: date ${fromEpochDay(d)} is after the cut-off ${fromEpochDay(this.cutoff)}; a model may only predict at or before its view's cut-off`);
    return upperBound(this.dates, d) - 1;
  }

  /** Row of the first visible date ≥ `from` (the first row of a window starting at `from`; nDates if none). */
  rowFrom(from: DateLike): number {
    return lowerBound(this.dates, toEpochDay(from));
  }

  /** A narrower view ending at an earlier (or the same) cut-off. */
  until(cutoff: DateLike): PanelView {
    const d = Math.min(toEpochDay(cutoff), this.cutoff);
    const fields: Record<string, Panel> = {};
    for (const [name, cols] of this.#fields) fields[name] = new Panel(this.dates, this.assets, cols, { validate: false });
    return new PanelView(this.#panel, d, { fields });
  }
}

/** Accepts a `PanelView` or a `Panel` (taken whole, e.g. the backtester's already-cut panel). */
export function asPanelView(data: PanelView | Panel): PanelView {
  if (data instanceof PanelView) return data;
  if (data instanceof Panel) return PanelView.of(data);
  throw new TypeError("expected a PanelView or a Panel of prices");
}
