/**
 * Walk-forward scoring: the model is refitted every `retrainEvery` dates on a view that ends
 * `embargo` dates before the decision date (a rolling `trainWindow` or an expanding window), and at
 * every decision date it predicts from a view cut at that date. Only predictions made after the
 * first fit are kept, so every score is out of sample: no score at date t depended on data after t,
 * and no training label overlapped the `embargo` days before the scored date (López de Prado 2018,
 * "Advances in Financial Machine Learning", §7.4 purging and embargo).
 *
 * lib/backtest's `walkForwardOptimize` is the other walk-forward: it picks parameter sets by
 * backtest metrics; this one produces the model's out-of-sample score panel.
 */
import { attachText, type ProgressCallback, reportProgress, type DateLike, fromEpochDay, opt, Panel, PanelView, type PanelViewOptions, toEpochDay } from "../data/index.js";
import type { AlphaModel } from "./alpha-model.js";

/** Options of {@link walkForward}: a rolling `trainWindow`, or `expanding: true` (then `trainWindow` is the first window's length). */
export interface WalkForwardOptions {
  /** Rolling training window in dates; with `expanding`, the minimum first window (default 504). */
  trainWindow?: number;
  /** Train on everything up to the cut-off instead of a rolling window (default false). */
  expanding?: boolean;
  /** Refit every this many dates (default 21). */
  retrainEvery?: number;
  /** Dates between the training cut-off and the first scored date (default 1: the label of the last training row ends the day before scoring). */
  embargo?: number;
  /** First date that may be scored (default: the earliest date with a full training window). */
  start?: DateLike;
  /** Last date scored (default: the panel's last date). */
  end?: DateLike;
  /** Extra fields passed to every view (e.g. `{ volume }`). */
  fields?: PanelViewOptions["fields"];
  /** Called after each scored date (`unit` "dates"; at most ~100 calls); e.g. `progressBar()`. */
  onProgress?: ProgressCallback;
}

/** One refit. */
export interface WalkForwardFit {
  /** Last date of the training view. */
  readonly trainEnd: string;
  /** First date of the training window. */
  readonly trainStart: string;
  /** First and last dates scored by this fit. */
  readonly firstScored: string;
  readonly lastScored: string;
}

/** Result of {@link walkForward}. */
export interface WalkForwardScores {
  /** Out-of-sample scores (dates × assets of the input; NaN before the first scored date). */
  readonly scores: Panel;
  /** Rows of `scores` that were scored. */
  readonly firstRow: number;
  readonly lastRow: number;
  readonly fits: readonly WalkForwardFit[];
  readonly model: string;
}

const WALK_FORWARD_KEYS = opt.optionKeys<WalkForwardOptions>()(["trainWindow", "expanding", "retrainEvery", "embargo", "start", "end", "fields", "onProgress"]);

export async function walkForward(model: AlphaModel, data: Panel, options: WalkForwardOptions = {}): Promise<WalkForwardScores> {
  const W = "walkForward";
  const given = opt.knownKeys(W, options, WALK_FORWARD_KEYS);
  if (typeof model?.fit !== "function" || typeof model?.predict !== "function") throw new TypeError(`${W}: model must be an AlphaModel (fit(view, options) and predict(view, at))`);
  if (!(data instanceof Panel)) throw new TypeError(`${W}: data must be a Panel of prices (lib/data)`);
  const expanding = given.expanding ?? false;
  if (typeof expanding !== "boolean") throw new TypeError(`${W}: expanding must be true or false, got ${JSON.stringify(given.expanding)}`);
  const trainWindow = opt.positiveInt(W, "trainWindow", given.trainWindow, 504);
  const retrainEvery = opt.positiveInt(W, "retrainEvery", given.retrainEvery, 21);
  const embargo = opt.nonNegInt(W, "embargo", given.embargo, 1);
  const T = data.nDates;
  // expanding windows also wait for trainWindow dates before the first fit, then grow from row 0
  const minTrain = trainWindow;
  let first = embargo + minTrain - 1 + 1;
  if (given.start !== undefined) first = Math.max(first, data.dateIndex(given.start));
  let last = T - 1;
  if (given.end !== undefined) last = Math.min(last, data.dateIndex(toEpochDay(given.end) + 1) - 1);
  if (first > last) throw new RangeError(`${W}: nothing to score — ${T} dates cannot hold a training window of ${minTrain} + embargo ${embargo} before ${given.start ?? "the end"}; shorten trainWindow or give more data`);
  const cols = data.assets.map(() => new Float64Array(T).fill(Number.NaN));
  const fits: WalkForwardFit[] = [];
  let lastFit = -Infinity;
  let fitStartRow = 0;
  let fitEndRow = 0;
  const iso = (r: number): string => fromEpochDay(data.dates[r]!);
  const onProgress = opt.callback<ProgressCallback>().check(W, "onProgress", given.onProgress ?? (() => {}));
  const every = Math.max(1, Math.floor((last - first + 1) / 100));
  for (let i = first; i <= last; i++) {
    if (i - lastFit >= retrainEvery) {
      if (fits.length > 0) closeFit(fits, iso(i - 1));
      fitEndRow = i - embargo;
      fitStartRow = expanding ? 0 : Math.max(0, fitEndRow - trainWindow + 1);
      const trainView = new PanelView(data, data.dates[fitEndRow]!, optionsOf(given.fields));
      await model.fit(trainView, { start: data.dates[fitStartRow]! });
      lastFit = i;
      fits.push({ trainEnd: iso(fitEndRow), trainStart: iso(fitStartRow), firstScored: iso(i), lastScored: iso(i) });
    }
    const view = new PanelView(data, data.dates[i]!, optionsOf(given.fields));
    const s = await model.predict(view, data.dates[i]!);
    if (!(s instanceof Float64Array) || s.length !== data.nAssets) throw new TypeError(`${W}: ${model.name}.predict must return a Float64Array of ${data.nAssets} scores`);
    for (let j = 0; j < s.length; j++) (cols[j] as Float64Array)[i] = s[j]!;
    if ((i - first + 1) % every === 0 || i === last) reportProgress(onProgress, W, "dates", i - first + 1, last - first + 1);
  }
  closeFit(fits, iso(last));
  const result: WalkForwardScores = { scores: new Panel(data.dates, data.assets, cols, { validate: false }), firstRow: first, lastRow: last, fits: Object.freeze(fits.map((f) => Object.freeze(f))), model: model.name };
  return Object.freeze(attachText(result, (r) => `WalkForwardScores of ${r.model}: ${r.fits.length} fits, rows ${r.firstRow}…${r.lastRow} scored\n${r.scores.toString()}`));
}

function optionsOf(fields: PanelViewOptions["fields"]): PanelViewOptions {
  return fields === undefined ? {} : { fields };
}

function closeFit(fits: WalkForwardFit[], lastScored: string): void {
  const f = fits[fits.length - 1];
  if (f !== undefined) fits[fits.length - 1] = { ...f, lastScored };
}
