/**
 * Pairs trading.
 *
 * Distance method (Gatev, Goetzmann & Rouwenhorst 2006, "Pairs trading: performance of a relative-
 * value arbitrage rule", RFS 19(3)): over a formation window, normalise each price to 1 at its start
 * and pick the pairs with the smallest sum of squared differences; in the following trading window
 * open when the normalised spread leaves ±`openThreshold` formation standard deviations and close
 * when the prices cross (spread back through 0).
 *
 * Cointegration method (Engle & Granger 1987): among the `candidates` closest pairs, regress
 * log p_a = α + β log p_b + e over the formation window and keep pairs whose residual ADF t-statistic
 * is below `criticalValue` (MacKinnon 2010 asymptotic 5% for two variables with a constant: −3.34),
 * the most negative first; the spread is e in units of its formation std, closing at 0.
 *
 * Both keep only pairs whose spread's AR(1) half-life is below `maxHalfLife` days (OU filter).
 * Scores: +1 for an asset held long in a pair, −1 short (summed over pairs), 0 for a selected asset
 * with no open trade, NaN for assets in no pair, and NaN everywhere after the trading window.
 */
import { asPanelView, type DateLike, fromEpochDay, opt, type Panel, type PanelView } from "../data/index.js";
import type { AlphaModel, FitOptions } from "./alpha-model.js";
import { adfTStat, ar1, simpleOLS } from "./internal/timeseries.js";

/** Options of {@link PairsModel}. */
export interface PairsOptions {
  /** `"distance"` (Gatev et al.) or `"cointegration"` (Engle–Granger) (default "distance"). */
  method?: "distance" | "cointegration";
  /** Formation window in trading days (default 252 ≈ 12 months). */
  formationDays?: number;
  /** Trading window after the formation end, in trading days (default 126 ≈ 6 months). */
  tradingDays?: number;
  /** Number of pairs traded (default 20). */
  pairs?: number;
  /** Open at this many formation standard deviations (default 2). */
  openThreshold?: number;
  /** Keep pairs whose spread half-life (days) is below this; 0 = no filter (default 126). */
  maxHalfLife?: number;
  /** Cointegration: the closest pairs by distance that are tested (default 200). */
  candidates?: number;
  /** Cointegration: lagged differences in the ADF regression (default 1). */
  adfLags?: number;
  /** Cointegration: ADF t-statistic threshold (default −3.34, 5% for two variables). */
  criticalValue?: number;
}

/** One selected pair. */
export interface SelectedPair {
  readonly a: string;
  readonly b: string;
  readonly ia: number;
  readonly ib: number;
  /** Sum of squared normalised-price differences over the formation window. */
  readonly distance: number;
  /** Hedge ratio (1 for the distance method). */
  readonly beta: number;
  readonly alpha: number;
  /** Formation standard deviation of the spread. */
  readonly sigma: number;
  /** Spread AR(1) half-life in days. */
  readonly halfLife: number;
  /** Residual ADF t-statistic (NaN for the distance method). */
  readonly adfStat: number;
  /** Prices at the formation start (the distance method's normalisers). */
  readonly pa0: number;
  readonly pb0: number;
}

interface FitState {
  readonly fitDate: number;
  readonly pairs: readonly SelectedPair[];
  readonly assets: readonly string[];
}

const PAIRS_KEYS = opt.optionKeys<PairsOptions>()(["method", "formationDays", "tradingDays", "pairs", "openThreshold", "maxHalfLife", "candidates", "adfLags", "criticalValue"]);

export class PairsModel implements AlphaModel {
  readonly name = "pairs";
  readonly params: Readonly<Required<PairsOptions>>;
  #state: FitState | null = null;

  constructor(options: PairsOptions = {}) {
    const W = "PairsModel";
    const given = opt.knownKeys(W, options, PAIRS_KEYS);
    this.params = Object.freeze({
      method: opt.oneOfValue(W, "method", given.method, "distance", ["distance", "cointegration"] as const),
      formationDays: opt.positiveInt(W, "formationDays", given.formationDays, 252),
      tradingDays: opt.positiveInt(W, "tradingDays", given.tradingDays, 126),
      pairs: opt.positiveInt(W, "pairs", given.pairs, 20),
      openThreshold: opt.finiteIn(W, "openThreshold", given.openThreshold, 2, 0, Number.MAX_VALUE, false),
      maxHalfLife: opt.finiteIn(W, "maxHalfLife", given.maxHalfLife, 126, 0, Number.MAX_VALUE),
      candidates: opt.positiveInt(W, "candidates", given.candidates, 200),
      adfLags: opt.nonNegInt(W, "adfLags", given.adfLags, 1),
      criticalValue: opt.finiteIn(W, "criticalValue", given.criticalValue, -3.34, -Number.MAX_VALUE, Number.MAX_VALUE),
    });
  }

  /** Pairs chosen by the last `fit` (empty before). */
  get pairs(): readonly SelectedPair[] {
    return this.#state?.pairs ?? [];
  }

  /** Formation window = the last `formationDays` + 1 prices up to the view's cut-off. */
  fit(data: PanelView | Panel, _options?: FitOptions): void {
    const view = asPanelView(data);
    const o = this.params;
    const end = view.nDates - 1;
    const start = end - o.formationDays;
    if (start < 0) throw new RangeError(`PairsModel.fit: needs ${o.formationDays + 1} dates up to the cut-off, the view has ${view.nDates}; lower formationDays or give more history`);
    const formation = normalisedFormation(view, start, end);
    const cand = candidatesByDistance(formation.norm, o.formationDays + 1);
    const pool = o.method === "distance" ? cand : cand.slice(0, o.candidates);
    const chosen: SelectedPair[] = [];
    const tested: RankedPair[] = [];
    for (const c of pool) {
      const pair = evaluatePair(view, formation, c, start, end, o);
      if (pair === undefined) continue;
      if (o.method === "distance") {
        chosen.push(Object.freeze(strip(pair)));
        if (chosen.length >= o.pairs) break;
      } else tested.push(pair);
    }
    if (o.method === "cointegration") {
      tested.sort((p, q) => p.rank - q.rank);
      for (const p of tested.slice(0, o.pairs)) chosen.push(Object.freeze(strip(p)));
    }
    this.#state = Object.freeze({ fitDate: view.dates[end] as number, pairs: Object.freeze(chosen), assets: view.assets });
  }

  predict(data: PanelView | Panel, at: DateLike): Float64Array {
    const view = asPanelView(data);
    const st = this.#state;
    if (st === null) throw new Error("PairsModel.predict: call fit first");
    if (view.nAssets !== st.assets.length || view.assets.some((a, j) => a !== st.assets[j])) throw new RangeError("PairsModel.predict: the view's assets differ from the ones the model was fitted on");
    const i = view.rowAt(at);
    const out = new Float64Array(view.nAssets).fill(Number.NaN);
    const f = view.rowAt(st.fitDate);
    if (view.dates[f] !== st.fitDate || i < f) return out;
    if (i - f > this.params.tradingDays) return out;
    const open = this.params.openThreshold;
    for (const p of st.pairs) {
      out[p.ia] = Number.isNaN(out[p.ia] as number) ? 0 : (out[p.ia] as number);
      out[p.ib] = Number.isNaN(out[p.ib] as number) ? 0 : (out[p.ib] as number);
      const ca = view.columns[p.ia] as Float64Array;
      const cb = view.columns[p.ib] as Float64Array;
      let state = 0;
      for (let t = f; t <= i; t++) {
        const pa = ca[t] as number;
        const pb = cb[t] as number;
        if (!(pa > 0 && pb > 0)) {
          state = 0;
          continue;
        }
        const spread = this.params.method === "distance" ? pa / p.pa0 - pb / p.pb0 : Math.log(pa) - p.alpha - p.beta * Math.log(pb);
        const z = spread / p.sigma;
        if (state === 0) state = z > open ? -1 : z < -open ? 1 : 0;
        else if (state === -1 && z <= 0) state = 0;
        else if (state === 1 && z >= 0) state = 0;
      }
      out[p.ia] = (out[p.ia] as number) + state;
      out[p.ib] = (out[p.ib] as number) - state;
    }
    return out;
  }

  toJSON(): unknown {
    const st = this.#state;
    return { params: this.params, state: st === null ? null : { fitDate: fromEpochDay(st.fitDate), pairs: st.pairs, assets: st.assets } };
  }

  static fromJSON(json: { params: PairsOptions; state: { fitDate: string; pairs: SelectedPair[]; assets: string[] } | null }): PairsModel {
    const m = new PairsModel(json.params);
    if (json.state !== null) {
      const d = Date.parse(json.state.fitDate) / 86_400_000;
      m.#state = Object.freeze({ fitDate: d, pairs: Object.freeze(json.state.pairs.map((p) => Object.freeze({ ...p }))), assets: Object.freeze([...json.state.assets]) });
    }
    return m;
  }
}

function strip(p: SelectedPair & { rank: number }): SelectedPair {
  const { rank: _r, ...rest } = p;
  return rest;
}

export function pairsModel(options?: PairsOptions): PairsModel {
  return new PairsModel(options);
}

/** A pair under test, with the key it is ranked by (distance, or the ADF statistic). */
type RankedPair = SelectedPair & { rank: number };

/** A candidate pair: indices into the formation's usable assets, and their distance. */
interface Candidate {
  x: number;
  y: number;
  d: number;
}

/** The assets with positive finite prices over the whole formation window, and their prices normalised to 1 at its start. */
interface Formation {
  /** View column of each usable asset. */
  readonly ok: readonly number[];
  readonly norm: readonly Float64Array[];
}

function normalisedFormation(view: PanelView, start: number, end: number): Formation {
  const ok: number[] = [];
  const norm: Float64Array[] = [];
  view.columns.forEach((c, j) => {
    const w = c.subarray(start, end + 1);
    if (!w.every((x) => Number.isFinite(x) && x > 0)) return;
    ok.push(j);
    const p0 = w[0]!;
    norm.push(w.map((x) => x / p0));
  });
  return { ok, norm };
}

/** Every pair of usable assets by the sum of squared normalised-price differences, closest first. */
function candidatesByDistance(norm: readonly Float64Array[], F: number): Candidate[] {
  const cand: Candidate[] = [];
  for (let x = 0; x < norm.length; x++) {
    const nx = norm[x]!;
    for (let y = x + 1; y < norm.length; y++) {
      const ny = norm[y]!;
      let d = 0;
      for (let t = 0; t < F; t++) d += (nx[t]! - ny[t]!) ** 2;
      cand.push({ x, y, d });
    }
  }
  cand.sort((p, q) => p.d - q.d || p.x - q.x || p.y - q.y);
  return cand;
}

/** Sample standard deviation (ddof 1) of the first F values. */
function formationSigma(spread: Float64Array, F: number): number {
  let m = 0;
  for (let t = 0; t < F; t++) m += spread[t]!;
  m /= F;
  let ss = 0;
  for (let t = 0; t < F; t++) ss += (spread[t]! - m) ** 2;
  return Math.sqrt(ss / (F - 1));
}

/** The pair's spread over the formation window and its filters; undefined when a filter rejects it. */
function evaluatePair(view: PanelView, f: Formation, c: Candidate, start: number, end: number, o: Readonly<Required<PairsOptions>>): RankedPair | undefined {
  const F = o.formationDays + 1;
  const ia = f.ok[c.x] as number;
  const ib = f.ok[c.y] as number;
  const ca = view.columns[ia]!.subarray(start, end + 1);
  const cb = view.columns[ib]!.subarray(start, end + 1);
  let spread: Float64Array;
  let alpha = 0;
  let beta = 1;
  let adf = Number.NaN;
  if (o.method === "distance") {
    const na = f.norm[c.x]!;
    const nb = f.norm[c.y]!;
    spread = na.map((v, t) => v - nb[t]!);
  } else {
    const fit = simpleOLS(ca.map(Math.log), cb.map(Math.log));
    alpha = fit.alpha;
    beta = fit.beta;
    spread = fit.residuals;
    adf = adfTStat(spread, o.adfLags);
    if (!(adf < o.criticalValue)) return undefined;
  }
  const sigma = formationSigma(spread, F);
  const { halfLife } = ar1(spread);
  if (o.maxHalfLife > 0 && !(halfLife < o.maxHalfLife)) return undefined;
  if (!(sigma > 0)) return undefined;
  return {
    a: view.assets[ia] as string,
    b: view.assets[ib] as string,
    ia,
    ib,
    distance: c.d,
    beta,
    alpha,
    sigma,
    halfLife,
    adfStat: adf,
    pa0: ca[0]!,
    pb0: cb[0]!,
    rank: o.method === "distance" ? c.d : adf,
  };
}
