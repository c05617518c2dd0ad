/**
 * The contract every alpha model in lib/signals keeps: `fit` on a view of the past, `predict`
 * cross-sectional scores at a date no later than the view's cut-off (NaN = no view on that asset).
 */
import type { DateLike, Panel, PanelView, ProgressCallback } from "../data/index.js";

/** Options accepted by every model's `fit`. */
export interface FitOptions {
  /** First date of the training window (default: the view's first date). */
  start?: DateLike;
  /** Models that train in steps (the neural models' epochs) report them here; e.g. `progressBar()`. */
  onProgress?: ProgressCallback;
}

/** A cross-sectional alpha model. Higher score = expected to outperform. */
export interface AlphaModel {
  /** A short name for reports, e.g. "pca-residual". */
  readonly name: string;
  /** The model's resolved parameters (defaults filled in), frozen. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Fits on the view (no-op for models without parameters to learn). */
  fit(data: PanelView | Panel, options?: FitOptions): void | Promise<void>;
  /** Scores over `data.assets` at `at` (≤ the cut-off). */
  predict(data: PanelView | Panel, at: DateLike): Float64Array | Promise<Float64Array>;
}

/** What a model can hand the registry to be saved (tfjs models add weight files). */
export interface SerializableModel extends AlphaModel {
  /** JSON-able state of a fitted model. */
  toJSON(): unknown;
}
