/**
 * Stage 1, targets: on each rebalance day t, after the close, the model sees only rows ≤ t (a view
 * that ends at t) and returns scores (or the scores panel's row t is read); the construction turns
 * them into weights. The model is refitted every `retrainEvery` trading days.
 */
import { checkKeys, fromEpochDay, opt, type Panel } from "../data/index.js";
import { TestClock } from "../execution/index.js";
import type { RiskManager } from "../risk/index.js";
import { type BuiltinConstructionOptions, checkConstruction, Construction } from "./construct.js";
import { checkScorePanel, checkWeights } from "./solvency.js";
import { type AlphaModelLike, makeView } from "./view.js";
import { at, atInt, columnAt, rowMajor } from "./typed.js";

/** A construction function: scores → weights, one per asset. */
export type ConstructionFunction = (scores: Float64Array, context: { date: number; row: number; assets: readonly string[] }) => Float64Array;

/** What to trade. Give `alphaModel` or `scores`. */
export interface RunBacktestOptions {
  /** A model with fit(view) and predict(view, at) (lib/signals' AlphaModel). */
  alphaModel?: AlphaModelLike;
  /** Precomputed scores, a Panel on the data's dates and assets: the row of date t must use data ≤ t only. */
  scores?: Panel;
  /** Applied to every target book (default: none). */
  riskManager?: RiskManager;
  /** Default "daily". Weekly = first trading day of each ISO week, monthly = of each month. */
  rebalanceFrequency?: "daily" | "weekly" | "monthly";
  /** Refit the model every this many trading days (default 21 ≈ monthly); predictions are made at each rebalance. */
  retrainEvery?: number;
  /** Scores → weights: options of the built-in dollar-neutral construction, or a function (default { method: "rank", gross: 1 }). */
  portfolio?: BuiltinConstructionOptions | ConstructionFunction;
  /** The run's clock, advanced to each date's epoch day (default: a new TestClock per run). */
  clock?: TestClock;
  /** Called after each model fit with (day, days in the backtest, fits so far) (default: none). */
  onProgress?: (day: number, days: number, fits: number) => void;
}

/** The run options, read and checked once. */
export interface RunPlan {
  readonly alphaModel: AlphaModelLike | undefined;
  readonly scores: Panel | undefined;
  readonly riskManager: RiskManager | undefined;
  readonly frequency: "daily" | "weekly" | "monthly";
  readonly retrainEvery: number;
  readonly construct: ConstructionFunction;
  /** The construction is the built-in one, which keeps no reference to the scores it is given. */
  readonly builtin: boolean;
  readonly clock: TestClock | undefined;
  readonly onProgress: ((day: number, days: number, fits: number) => void) | undefined;
}

const W = "runBacktest";
const KEYS = ["alphaModel", "scores", "riskManager", "rebalanceFrequency", "retrainEvery", "portfolio", "clock", "onProgress"];

/** Reads `runBacktest`'s options against the data `close`. */
export function readRunPlan(options: RunBacktestOptions, close: Panel): RunPlan {
  const o = checkKeys(W, options, KEYS);
  const alphaModel = o.get("alphaModel") as AlphaModelLike | undefined;
  const scores = o.get("scores") as Panel | undefined;
  if ((alphaModel === undefined) === (scores === undefined)) throw new TypeError(`${W}: give exactly one of alphaModel or scores`);
  if (alphaModel !== undefined && (typeof alphaModel.fit !== "function" || typeof alphaModel.predict !== "function")) {
    throw new TypeError(`${W}: alphaModel must have fit(view) and predict(view, at) methods`);
  }
  if (scores !== undefined && (scores.nDates !== close.nDates || scores.nAssets !== close.nAssets || scores.dates[0] !== close.dates[0])) {
    throw new RangeError(`${W}: scores is ${scores.nDates} × ${scores.nAssets} but data is ${close.nDates} × ${close.nAssets}; give scores on the data's dates and assets`);
  }
  if (scores !== undefined) checkScorePanel(W, scores);
  const clock = o.get("clock");
  if (clock !== undefined && !(clock instanceof TestClock)) throw new TypeError(`${W}: clock must be a TestClock, got ${opt.describeValue(clock)}`);
  const onProgress = o.get("onProgress");
  if (onProgress !== undefined && typeof onProgress !== "function") throw new TypeError(`${W}: onProgress must be a function (day, days, fits) => void`);
  return Object.freeze({
    alphaModel,
    scores,
    riskManager: o.get("riskManager") as RiskManager | undefined,
    frequency: opt.oneOfValue(W, "rebalanceFrequency", o.get("rebalanceFrequency"), "daily", ["daily", "weekly", "monthly"]),
    retrainEvery: opt.positiveInt(W, "retrainEvery (trading days)", o.get("retrainEvery"), 21),
    construct: constructionOf(o.get("portfolio"), close.nAssets),
    builtin: typeof o.get("portfolio") !== "function",
    clock,
    onProgress: onProgress as RunPlan["onProgress"],
  });
}

function constructionOf(portfolio: unknown, n: number): ConstructionFunction {
  if (typeof portfolio === "function") return portfolio as ConstructionFunction;
  const checked = checkConstruction((portfolio ?? {}) as BuiltinConstructionOptions, `${W}: option portfolio`);
  const buf = new Float64Array(n);
  const construction = new Construction(checked, n);
  return (s: Float64Array) => construction.weights(s, buf);
}

/** Whether row `i` opens a rebalance period (`i0`, the first row of the run, always does). */
export function isRebalanceDay(frequency: RunPlan["frequency"], dates: Int32Array, i: number, i0: number): boolean {
  if (frequency === "daily" || i === i0) return true;
  const d = atInt(dates, i);
  const dp = atInt(dates, i - 1);
  if (frequency === "weekly") return Math.floor((d + 3) / 7) !== Math.floor((dp + 3) / 7); // ISO weeks start on Monday (epoch day 0 was a Thursday)
  const a = new Date(d * 86_400_000);
  const b = new Date(dp * 86_400_000);
  return a.getUTCMonth() !== b.getUTCMonth() || a.getUTCFullYear() !== b.getUTCFullYear();
}

/** The built-in construction reads no context (its closure takes the scores only). */
const CONTEXT_UNUSED = Object.freeze({ date: 0, row: 0, assets: [] as readonly string[] });

/** Scores → weights at a row: reads the scores panel or fits/predicts the model. */
export class TargetStage {
  fits = 0;
  #lastFit = -Infinity;
  readonly #plan: RunPlan;
  readonly #close: Panel;
  readonly #volume: Panel | undefined;
  /** The scores row, reused day after day when the built-in construction reads it (a function gets a new array each day: it may keep it). */
  readonly #row: Float64Array | undefined;
  /** With daily rebalancing, the scores panel's rows up to `lastRow`, row-major (a date's row is read contiguously). */
  readonly #rows: Float64Array | undefined;

  constructor(plan: RunPlan, close: Panel, volume: Panel | undefined, lastRow: number) {
    this.#plan = plan;
    this.#row = plan.builtin && plan.scores !== undefined ? new Float64Array(close.nAssets) : undefined;
    this.#rows = plan.scores !== undefined && plan.frequency === "daily" ? rowMajor(plan.scores.columns, lastRow + 1) : undefined;
    this.#close = close;
    this.#volume = volume;
  }

  /**
   * The constructed (not yet risk-managed) weights decided at row `i` (`day` of `days` in the run,
   * for onProgress): at once from a scores panel, or a promise of them from an alpha model (which
   * may be asynchronous) — a day read from a panel costs no promise.
   */
  weightsAt(i: number, day: number, days: number): Float64Array | Promise<Float64Array> {
    if (this.#plan.scores !== undefined) return this.#construct(i, this.#panelScores(i));
    return this.#modelScores(i, day, days).then((s) => this.#construct(i, s));
  }

  #construct(i: number, s: Float64Array): Float64Array {
    const close = this.#close;
    const date = atInt(close.dates, i);
    const w = this.#plan.builtin ? this.#plan.construct(s, CONTEXT_UNUSED) : this.#plan.construct(s, { date, row: i, assets: close.assets });
    return checkWeights(W, "option portfolio (the construction)", w, date, close.assets);
  }

  /** Row `i` of the scores panel (the reused row for the built-in construction, else a new array the function may keep). */
  #panelScores(i: number): Float64Array {
    const n = this.#close.nAssets;
    const s = this.#row ?? new Float64Array(n);
    const rows = this.#rows;
    if (rows !== undefined) for (let j = 0, o = i * n; j < n; j++, o++) s[j] = at(rows, o);
    else {
      const columns = (this.#plan.scores as Panel).columns;
      for (let j = 0; j < n; j++) s[j] = at(columnAt(columns, j), i);
    }
    return s;
  }

  async #modelScores(i: number, day: number, days: number): Promise<Float64Array> {
    const n = this.#close.nAssets;
    const model = this.#plan.alphaModel as AlphaModelLike;
    const view = makeView(this.#close, i, this.#volume);
    if (i - this.#lastFit >= this.#plan.retrainEvery) {
      const f = model.fit(view);
      if (f instanceof Promise) await f;
      this.fits++;
      this.#lastFit = i;
      this.#plan.onProgress?.(day, days, this.fits);
    }
    let out = model.predict(view, this.#close.dates[i] as never);
    if (out instanceof Promise) out = await out;
    const s: unknown = out;
    if (!(s instanceof Float64Array) || s.length !== n) {
      throw new TypeError(`${W}: alphaModel.predict must return a Float64Array of ${n} scores, got ${(s as { constructor?: { name?: string } })?.constructor?.name} of length ${(s as { length?: number })?.length}`);
    }
    for (let j = 0; j < n; j++) {
      const v = at(s, j);
      if (v === Infinity || v === -Infinity) {
        throw new RangeError(`${W}: alphaModel.predict returned score ${v} for ${this.#close.assets[j]} on ${fromEpochDay(atInt(this.#close.dates, i))}; scores must be finite (NaN marks a missing score)`);
      }
    }
    return s;
  }
}
