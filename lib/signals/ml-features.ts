/**
 * The cross-sectional feature set the ridge and gradient-boosting models learn from (after Krauss,
 * Do & Huck 2017: multi-period returns), plus trailing volatility, a 20-day price z-score and a
 * 14-day Cutler RSI. Every value at row r is computed from prices in rows r−240…r only (finite
 * windows, so prediction at a date sees exactly what training saw), then z-scored across assets
 * per date. Labels read row r+h and are only built for rows whose label date is ≤ the cut-off.
 */
import { opt, type PanelView } from "../data/index.js";
import { createRng } from "../stats/index.js";
import { rankAverage } from "../features/index.js";

/** Options of the feature set. */
export interface CrossSectionalFeatureOptions {
  /** Return horizons in days (default [1, 2, 3, 4, 5, 10, 20, 40, 60, 120, 240]). */
  horizons?: readonly number[];
  /** Volatility window (default 21). */
  volatilityWindow?: number;
  /** Price z-score window (default 20). */
  zWindow?: number;
  /** Cutler RSI period (default 14). */
  rsiPeriod?: number;
}

/** Options of the training set built from a view. */
export interface TrainingSetOptions {
  /** Label horizon in days (default 1: next day). */
  horizon?: number;
  /**
   * Label: `"rank"` = cross-sectional percentile of the forward return − 0.5; `"excess"` = forward
   * return − cross-sectional median; `"binary"` = 1 if above the median else 0 (default "rank").
   */
  target?: "rank" | "excess" | "binary";
  /** Keep at most this many samples, drawn with `seed` (default 50,000). */
  maxSamples?: number;
  /** Seed of the subsample (default 0). */
  seed?: number;
  /** First row of the training window (default 0). */
  startRow?: number;
}

/** The keys of {@link CrossSectionalFeatureOptions}, for the models' option checks. */
export const FEATURE_KEYS = ["horizons", "volatilityWindow", "zWindow", "rsiPeriod"] as const satisfies readonly (keyof CrossSectionalFeatureOptions)[];

export interface ResolvedFeatureOptions {
  readonly horizons: readonly number[];
  readonly volatilityWindow: number;
  readonly zWindow: number;
  readonly rsiPeriod: number;
}

export function resolveFeatureOptions(o: CrossSectionalFeatureOptions = {}): ResolvedFeatureOptions {
  const horizons = o.horizons ?? [1, 2, 3, 4, 5, 10, 20, 40, 60, 120, 240];
  if (horizons.length === 0) throw new RangeError("features: horizons must list at least one positive integer");
  horizons.forEach((h) => opt.positiveInt("features", "horizons[]", h, 1));
  return Object.freeze({
    horizons: Object.freeze([...horizons]),
    volatilityWindow: opt.positiveInt("features", "volatilityWindow", o.volatilityWindow, 21),
    zWindow: opt.positiveInt("features", "zWindow", o.zWindow, 20),
    rsiPeriod: opt.positiveInt("features", "rsiPeriod", o.rsiPeriod, 14),
  });
}

export function mlFeatureNames(o: ResolvedFeatureOptions): string[] {
  return [...o.horizons.map((h) => `r${h}`), `vol${o.volatilityWindow}`, `z${o.zWindow}`, `rsi${o.rsiPeriod}`];
}

/** Rows needed before row r for every feature to exist. */
export function featureWarmup(o: ResolvedFeatureOptions): number {
  return Math.max(...o.horizons, o.volatilityWindow, o.zWindow, o.rsiPeriod);
}

/** Raw (not yet standardised) feature of asset column p at row r, feature index f. */
function rawFeature(p: Float64Array, r: number, f: number, o: ResolvedFeatureOptions): number {
  const nh = o.horizons.length;
  const pr = p[r]!;
  if (f < nh) return pr / p[r - (o.horizons[f] as number)]! - 1;
  if (f === nh) {
    const w = o.volatilityWindow;
    let s = 0;
    let s2 = 0;
    for (let t = r - w + 1; t <= r; t++) {
      const x = p[t]! / p[t - 1]! - 1;
      s += x;
      s2 += x * x;
    }
    return Math.sqrt(Math.max((s2 - (s * s) / w) / (w - 1), 0));
  }
  if (f === nh + 1) {
    const w = o.zWindow;
    let s = 0;
    let s2 = 0;
    for (let t = r - w + 1; t <= r; t++) {
      const x = p[t]!;
      s += x;
      s2 += x * x;
    }
    const m = s / w;
    const sd = Math.sqrt(Math.max((s2 - s * m) / (w - 1), 0));
    return (pr - m) / sd;
  }
  const w = o.rsiPeriod;
  let up = 0;
  let dn = 0;
  for (let t = r - w + 1; t <= r; t++) {
    const d = p[t]! - p[t - 1]!;
    if (d > 0) up += d;
    else dn -= d;
  }
  return up + dn === 0 ? 0 : (100 * up) / (up + dn) - 50;
}

/**
 * Standardised features of every asset at row r into `out` (nAssets × nFeatures, row-major); an
 * asset with any missing feature gets NaN in all of them.
 */
export function featuresAt(columns: readonly Float64Array[], r: number, o: ResolvedFeatureOptions, out: Float64Array): void {
  const n = columns.length;
  const nf = o.horizons.length + 3;
  out.fill(Number.NaN);
  if (r - featureWarmup(o) < 0) return;
  const ok = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    const p = columns[j] as Float64Array;
    let good = true;
    for (let f = 0; f < nf; f++) {
      const v = rawFeature(p, r, f, o);
      if (!Number.isFinite(v)) good = false;
      out[j * nf + f] = v;
    }
    ok[j] = good ? 1 : 0;
    if (!good) for (let f = 0; f < nf; f++) out[j * nf + f] = Number.NaN;
  }
  for (let f = 0; f < nf; f++) {
    let s = 0;
    let s2 = 0;
    let m = 0;
    for (let j = 0; j < n; j++) if (ok[j]) {
      const v = out[j * nf + f]!;
      s += v;
      s2 += v * v;
      m++;
    }
    if (m === 0) continue;
    const mu = s / m;
    const sd = Math.sqrt(Math.max(s2 / m - mu * mu, 0));
    for (let j = 0; j < n; j++) if (ok[j]) out[j * nf + f] = sd > 0 ? (out[j * nf + f]! - mu) / sd : 0;
  }
}

/** A training set: X row-major (samples × features), y, and where each sample came from. */
export interface TrainingSet {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly nSamples: number;
  readonly nFeatures: number;
  readonly featureNames: readonly string[];
  readonly rows: Int32Array;
  readonly assets: Int32Array;
  /** First and last feature row used. */
  readonly firstRow: number;
  readonly lastRow: number;
}

const TRAINING_SET_KEYS = opt.optionKeys<TrainingSetOptions>()(["horizon", "target", "maxSamples", "seed", "startRow"]);

/** Cross-sectional label of row r (see {@link TrainingSetOptions.target}) into `out`. */
export function labelsAt(columns: readonly Float64Array[], r: number, horizon: number, target: "rank" | "excess" | "binary", out: Float64Array, scratch: Float64Array): void {
  const n = columns.length;
  for (let j = 0; j < n; j++) {
    const p = columns[j] as Float64Array;
    const v = p[r + horizon]! / p[r]! - 1;
    scratch[j] = Number.isFinite(v) ? v : Number.NaN;
  }
  const ranks = new Float64Array(n);
  const m = rankAverage(scratch, ranks);
  if (target === "rank") {
    for (let j = 0; j < n; j++) out[j] = ranks[j]! / m - 0.5 - 0.5 / m;
    return;
  }
  const vals = Array.from(scratch).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const med = vals.length === 0 ? Number.NaN : vals.length % 2 ? (vals[(vals.length - 1) / 2] as number) : ((vals[vals.length / 2 - 1] as number) + (vals[vals.length / 2] as number)) / 2;
  for (let j = 0; j < n; j++) {
    const v = scratch[j]!;
    out[j] = Number.isNaN(v) ? Number.NaN : target === "excess" ? v - med : v > med ? 1 : 0;
  }
}

/** Builds the training set of a view: features at rows ≤ cut-off − horizon, labels up to the cut-off. */
export function buildTrainingSet(view: PanelView | { columns: readonly Float64Array[]; nDates: number }, features: ResolvedFeatureOptions, options: TrainingSetOptions = {}): TrainingSet {
  const given = opt.knownKeys("training set", options, TRAINING_SET_KEYS);
  const horizon = opt.positiveInt("training set", "horizon", given.horizon, 1);
  const target = opt.oneOfValue("training set", "target", given.target, "rank", ["rank", "excess", "binary"] as const);
  const maxSamples = opt.positiveInt("training set", "maxSamples", given.maxSamples, 50_000);
  const seed = opt.finiteIn("training set", "seed", given.seed, 0, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const cols = view.columns;
  const n = cols.length;
  const nf = features.horizons.length + 3;
  const first = Math.max(featureWarmup(features), opt.nonNegInt("training set", "startRow", given.startRow, 0));
  const last = view.nDates - 1 - horizon;
  if (last < first) throw new RangeError(`training set: needs more than ${featureWarmup(features) + horizon} dates of history (has ${view.nDates}); lower the horizons or give more data`);
  const fx = new Float64Array(n * nf);
  const lab = new Float64Array(n);
  const scratch = new Float64Array(n);
  const xs: number[] = [];
  const ys: number[] = [];
  const rs: number[] = [];
  const as: number[] = [];
  for (let r = first; r <= last; r++) {
    featuresAt(cols, r, features, fx);
    labelsAt(cols, r, horizon, target, lab, scratch);
    for (let j = 0; j < n; j++) {
      const yv = lab[j]!;
      if (Number.isNaN(yv) || Number.isNaN(fx[j * nf]!)) continue;
      for (let f = 0; f < nf; f++) xs.push(fx[j * nf + f]!);
      ys.push(yv);
      rs.push(r);
      as.push(j);
    }
  }
  let idx = Array.from({ length: ys.length }, (_, i) => i);
  if (idx.length > maxSamples) {
    const rng = createRng(seed >>> 0);
    for (let i = 0; i < maxSamples; i++) {
      const k = i + rng.int(idx.length - i);
      const t = idx[i] as number;
      idx[i] = idx[k] as number;
      idx[k] = t;
    }
    idx = idx.slice(0, maxSamples).sort((a, b) => a - b);
  }
  const m = idx.length;
  const x = new Float64Array(m * nf);
  const y = new Float64Array(m);
  const rows = new Int32Array(m);
  const assets = new Int32Array(m);
  idx.forEach((src, i) => {
    for (let f = 0; f < nf; f++) x[i * nf + f] = xs[src * nf + f] as number;
    y[i] = ys[src] as number;
    rows[i] = rs[src] as number;
    assets[i] = as[src] as number;
  });
  return Object.freeze({ x, y, nSamples: m, nFeatures: nf, featureNames: Object.freeze(mlFeatureNames(features)), rows, assets, firstRow: first, lastRow: last });
}

/** Features of all assets at the prediction row, as a Panel-independent matrix. */
export function predictionMatrix(columns: readonly Float64Array[], r: number, features: ResolvedFeatureOptions): Float64Array {
  const out = new Float64Array(columns.length * (features.horizons.length + 3));
  featuresAt(columns, r, features, out);
  return out;
}

