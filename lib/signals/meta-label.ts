/**
 * Meta-labelling of a rule-based strategy's entries (López de Prado, *Advances in Financial Machine
 * Learning*, ch. 3.6): the rules (here Avellaneda & Lee's s-score thresholds) say when and which side
 * to trade; a model learns, from the strategy's own past round trips, which of those entries pay, and
 * the filtered book takes only the entries whose predicted P&L exceeds a threshold (e.g. their cost).
 *
 * `MetaLabelFilter` is an {@link EntryOverlay}: lib/backtest's `runAvellanedaLee` asks it for the
 * features of every opening (data up to the decision row only), hands it the unfiltered book's round
 * trips once they are closed (strictly before the row being decided), and asks it whether to take each
 * opening of the filtered book. Walk-forward: the model is refitted every `refitEvery` rows on the
 * trips known by then (the last `maxTrainTrips`); until `minTrips` are known every entry is taken.
 * Models: lib/signals' `GradientBoostingRegressor` (default) or ridge (`ridgeFit`), on the trip P&L
 * per unit of position.
 */
import { opt, Panel, readOptions } from "../data/index.js";
import { GradientBoostingRegressor } from "./gbt.js";
import { type RidgeFit, ridgeFit, ridgePredict } from "./ridge.js";

/** A closed round trip of the unfiltered book with the features its entry had. */
export interface LabelledTrip {
  readonly features: Float64Array;
  /** P&L as a fraction of equity (before costs). */
  readonly pnl: number;
  readonly entryRow: number;
  readonly exitRow: number;
}

/** A filter of a rule-based book's new positions, learnt from the unfiltered book's past trips. */
export interface EntryOverlay {
  readonly name: string;
  /** Features of opening `asset` on `side` (+1 long, −1 short) at row t, from data up to row t only. */
  features(t: number, asset: number, side: number, s: number, kappa: number): Float64Array;
  /** The unfiltered book's trips that closed before row t (each passed once, in order), then row t is decided. */
  learn(t: number, trips: readonly LabelledTrip[]): void;
  /** Whether the filtered book takes an opening with these features at row t. */
  accept(t: number, features: Float64Array): boolean;
}

/** Options of {@link MetaLabelFilter}. */
export interface MetaLabelOptions {
  /** "gbt" (GradientBoostingRegressor) or "ridge" (default "gbt"). */
  model?: "gbt" | "ridge";
  /** Stock leg of one position as a fraction of equity: trip P&L is divided by it (default 0.02). */
  positionSize?: number;
  /** Take an entry when its predicted P&L per unit of position exceeds this (default 0.001: a 10 bp round trip). */
  threshold?: number;
  /** Rows between refits (default 21). */
  refitEvery?: number;
  /** Known trips before the first fit; until then every entry is taken (default 1000). */
  minTrips?: number;
  /** Most recent trips a fit uses (default 6000). */
  maxTrainTrips?: number;
  /** Trees of the gbt model (default 60). */
  nEstimators?: number;
  /** Depth of the gbt trees (default 3). */
  maxDepth?: number;
  /** Ridge penalty (default 10). */
  alpha?: number;
  /** Seed of the gbt subsampling (default 0). */
  seed?: number;
}

/** The features of an entry, in order. */
export const META_LABEL_FEATURES: readonly string[] = Object.freeze([
  "|s|", "kappa/252", "side", "side × 5-day return", "side × 60-day return", "20-day volatility", "market 20-day return", "market 20-day volatility", "5-day cross-sectional dispersion",
]);

const P = META_LABEL_FEATURES.length;

/** Walk-forward meta-labelling filter of s-score entries (see the module doc). */
export class MetaLabelFilter implements EntryOverlay {
  readonly name: string;
  readonly params: Readonly<Required<MetaLabelOptions>>;
  readonly #prices: Panel;
  readonly #known: LabelledTrip[] = [];
  readonly #market = new Map<number, Float64Array>();
  #lastFit = -Infinity;
  #gbt: GradientBoostingRegressor | null = null;
  #ridge: RidgeFit | null = null;
  /** Rows of each fit and the trips it used. */
  readonly fits: { row: number; trips: number }[] = [];
  /** Entries asked about and taken after the first fit. */
  asked = 0;
  taken = 0;

  constructor(prices: Panel, options?: MetaLabelOptions) {
    const W = "MetaLabelFilter";
    if (!(prices instanceof Panel)) throw new TypeError(`${W}: prices must be the Panel of close prices the strategy trades`);
    this.#prices = prices;
    this.params = Object.freeze(readOptions(W, options, {
      model: opt.oneOf(["gbt", "ridge"], "gbt"),
      positionSize: opt.number(0.02, { min: 0, open: "min" }),
      threshold: opt.number(0.001, { min: -1, max: 1 }),
      refitEvery: opt.integer(21, { min: 1 }),
      minTrips: opt.integer(1000, { min: 20 }),
      maxTrainTrips: opt.integer(6000, { min: 20 }),
      nEstimators: opt.integer(60, { min: 1 }),
      maxDepth: opt.integer(3, { min: 1 }),
      alpha: opt.number(10, { min: 0 }),
      seed: opt.integer(0, { min: 0 }),
    }));
    this.name = `meta-label ${this.params.model}`;
  }

  features(t: number, asset: number, side: number, s: number, kappa: number): Float64Array {
    const c = this.#prices.columns[asset] as Float64Array;
    const m = this.#marketAt(t);
    const f = new Float64Array(P);
    f[0] = Math.abs(s);
    f[1] = kappa / 252;
    f[2] = side;
    f[3] = side * ret(c, t, 5);
    f[4] = side * ret(c, t, 60);
    f[5] = vol(c, t, 20);
    f.set(m, 6);
    for (let k = 0; k < P; k++) if (!Number.isFinite(f[k] as number)) f[k] = 0;
    return f;
  }

  learn(t: number, trips: readonly LabelledTrip[]): void {
    for (const x of trips) this.#known.push(x);
    if (this.#known.length < this.params.minTrips || t - this.#lastFit < this.params.refitEvery) return;
    this.#fit(t);
  }

  accept(_t: number, features: Float64Array): boolean {
    if (this.#gbt === null && this.#ridge === null) return true;
    this.asked++;
    const y = this.#gbt !== null ? (this.#gbt.predict(features, 1)[0] as number) : (ridgePredict(this.#ridge as RidgeFit, features, 1)[0] as number);
    const ok = y > this.params.threshold;
    if (ok) this.taken++;
    return ok;
  }

  #fit(t: number): void {
    const o = this.params;
    const train = this.#known.slice(-o.maxTrainTrips);
    const n = train.length;
    const x = new Float64Array(n * P);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const tr = train[i] as LabelledTrip;
      x.set(tr.features, i * P);
      y[i] = tr.pnl / o.positionSize;
    }
    if (o.model === "gbt") {
      this.#gbt = new GradientBoostingRegressor({ nEstimators: o.nEstimators, maxDepth: o.maxDepth, learningRate: 0.05, minSamplesLeaf: 50, subsample: 0.8, splitter: "histogram", maxBins: 64, seed: o.seed + this.fits.length });
      this.#gbt.fit(x, y, n, P);
    } else {
      this.#ridge = ridgeFit(x, y, n, P, o.alpha);
    }
    this.#lastFit = t;
    this.fits.push({ row: t, trips: n });
  }

  /** Equal-weight market 20-day return and volatility and the 5-day dispersion at row t (cached per row). */
  #marketAt(t: number): Float64Array {
    const hit = this.#market.get(t);
    if (hit !== undefined) return hit;
    const cols = this.#prices.columns;
    const mr = new Float64Array(20);
    const r5: number[] = [];
    for (const c of cols) {
      for (let k = 0; k < 20; k++) {
        const x = ret(c, t - k, 1);
        if (Number.isFinite(x)) mr[k] = (mr[k] as number) + x / cols.length;
      }
      const x5 = ret(c, t, 5);
      if (Number.isFinite(x5)) r5.push(x5);
    }
    let g = 1;
    let s = 0;
    let s2 = 0;
    for (const x of mr) (g *= 1 + x), (s += x), (s2 += x * x);
    const mean5 = r5.reduce((a, b) => a + b, 0) / Math.max(r5.length, 1);
    const disp = Math.sqrt(r5.reduce((a, b) => a + (b - mean5) ** 2, 0) / Math.max(r5.length - 1, 1));
    const out = Float64Array.of(g - 1, Math.sqrt(Math.max((s2 - (s * s) / 20) / 19, 0) * 252), disp);
    this.#market.set(t, out);
    return out;
  }
}

/** Return of a price column over `h` rows ending at t (NaN without both prices). */
function ret(c: Float64Array, t: number, h: number): number {
  if (t - h < 0) return Number.NaN;
  const a = c[t - h] as number;
  const b = c[t] as number;
  return a > 0 && b > 0 ? b / a - 1 : Number.NaN;
}

/** Annualised volatility of the daily returns of the `w` rows ending at t. */
function vol(c: Float64Array, t: number, w: number): number {
  let s = 0;
  let s2 = 0;
  let m = 0;
  for (let k = 0; k < w; k++) {
    const x = ret(c, t - k, 1);
    if (!Number.isFinite(x)) continue;
    (s += x), (s2 += x * x), m++;
  }
  return m < 2 ? Number.NaN : Math.sqrt(Math.max((s2 - (s * s) / m) / (m - 1), 0) * 252);
}
