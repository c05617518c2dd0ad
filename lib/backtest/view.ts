/**
 * The model's window on the data: lib/signals' `PanelView` cut at the decision date, so only rows
 * ≤ that date are reachable. `makeView` is the one place the backtester builds it.
 */
import { type Panel, PanelView } from "../data/index.js";

/** What the backtester needs of an alpha model (lib/signals' `AlphaModel` satisfies it). */
export interface AlphaModelLike {
  readonly name?: string;
  fit(view: never, options?: never): unknown;
  predict(view: never, at: never): Float64Array | Promise<Float64Array>;
}

/** A view of `panel` (and `volume`, as the field "volume") ending at row `row` (inclusive). */
export function makeView(panel: Panel, row: number, volume?: Panel): never {
  return new PanelView(panel, panel.dates[row] as number, volume === undefined ? {} : { fields: { volume } }) as never;
}
