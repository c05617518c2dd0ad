/**
 * Gradient-boosted regression trees (squared error; Friedman 2001) over typed arrays, and the alpha
 * model built on them. Trees grow level by level: for every feature one pass over the samples in
 * sorted order (`"exact"`, presorted once, the splits scikit-learn's GradientBoostingRegressor
 * finds: thresholds midway between consecutive distinct values, left if x ≤ threshold) or over
 * quantile-bin histograms (`"histogram"`, ≤ 255 bins, LightGBM-style), updating every node of the
 * level at once, so a tree costs O(depth · samples · features).
 * Hand-written: no maintained pure-JS GBT library works on typed arrays with seeded subsampling.
 */
import { asPanelView, type DateLike, opt, type Panel, type PanelView } from "../data/index.js";
import type { AlphaModel, FitOptions } from "./alpha-model.js";
import { createRng } from "../stats/index.js";
import { buildTrainingSet, type CrossSectionalFeatureOptions, FEATURE_KEYS, predictionMatrix, type ResolvedFeatureOptions, resolveFeatureOptions } from "./ml-features.js";

/** Options of {@link GradientBoostingRegressor}. */
export interface GradientBoostingOptions {
  /** Number of trees (default 100). */
  nEstimators?: number;
  /** Shrinkage (default 0.1). */
  learningRate?: number;
  /** Maximum depth (default 3). */
  maxDepth?: number;
  /** Minimum samples in a leaf (default 1). */
  minSamplesLeaf?: number;
  /** Fraction of samples drawn (without replacement) per tree (default 1). */
  subsample?: number;
  /** `"exact"` or `"histogram"` splits (default "exact"). */
  splitter?: "exact" | "histogram";
  /** Bins per feature for the histogram splitter (default 255). */
  maxBins?: number;
  /** Seed of the subsampling (default 0). */
  seed?: number;
}

/** One tree as parallel arrays; leaves have feature −1. */
export interface RegressionTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

type GBResolved = Required<GradientBoostingOptions>;

const GB_KEYS = opt.optionKeys<GradientBoostingOptions>()(["nEstimators", "learningRate", "maxDepth", "minSamplesLeaf", "subsample", "splitter", "maxBins", "seed"]);

function resolveGB(o: GradientBoostingOptions, where = "GradientBoostingRegressor"): Readonly<GBResolved> {
  return Object.freeze({
    nEstimators: opt.positiveInt(where, "nEstimators", o.nEstimators, 100),
    learningRate: opt.finiteIn(where, "learningRate", o.learningRate, 0.1, 0, 1, false),
    maxDepth: opt.positiveInt(where, "maxDepth", o.maxDepth, 3),
    minSamplesLeaf: opt.positiveInt(where, "minSamplesLeaf", o.minSamplesLeaf, 1),
    subsample: opt.finiteIn(where, "subsample", o.subsample, 1, 0, 1, false),
    splitter: opt.oneOfValue(where, "splitter", o.splitter, "exact", ["exact", "histogram"] as const),
    maxBins: opt.positiveInt(where, "maxBins", o.maxBins, 255),
    seed: opt.finiteIn(where, "seed", o.seed, 0, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  });
}

interface Builder {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export class GradientBoostingRegressor {
  readonly params: Readonly<GBResolved>;
  #init = 0;
  #trees: RegressionTree[] = [];
  #nFeatures = 0;

  constructor(options: GradientBoostingOptions = {}) {
    this.params = resolveGB(opt.knownKeys("GradientBoostingRegressor", options, GB_KEYS));
  }

  get trees(): readonly RegressionTree[] {
    return this.#trees;
  }

  get initialPrediction(): number {
    return this.#init;
  }

  /** Fits on row-major X (n × p) and y (no NaN allowed). */
  fit(x: Float64Array, y: Float64Array, n: number, p: number): this {
    if (x.length !== n * p || y.length !== n) throw new RangeError(`GradientBoostingRegressor.fit: x has ${x.length} values and y ${y.length}, expected ${n}×${p} and ${n}`);
    if (n < 2) throw new RangeError("GradientBoostingRegressor.fit: needs at least 2 samples");
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new RangeError(`GradientBoostingRegressor.fit: x has a non-finite value at sample ${Math.floor(i / p)}, feature ${i % p}; drop or impute it first`);
    const o = this.params;
    this.#nFeatures = p;
    // column-major copy for cache-friendly feature scans
    const cols: Float64Array[] = [];
    for (let f = 0; f < p; f++) {
      const c = new Float64Array(n);
      for (let i = 0; i < n; i++) c[i] = x[i * p + f]!;
      cols.push(c);
    }
    let sorted: Int32Array[] = [];
    let bins: Uint8Array[] = [];
    let edges: Float64Array[] = [];
    if (o.splitter === "exact") {
      sorted = cols.map((c) => Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => c[a]! - c[b]! || a - b));
    } else {
      ({ bins, edges } = binColumns(cols, Math.min(o.maxBins, 255)));
    }
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i]!;
    mean /= n;
    this.#init = mean;
    const pred = new Float64Array(n).fill(mean);
    const resid = new Float64Array(n);
    const rng = createRng(o.seed >>> 0);
    const take = Math.max(2, Math.floor(o.subsample * n));
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    const nodeOf = new Int32Array(n);
    this.#trees = [];
    for (let m = 0; m < o.nEstimators; m++) {
      for (let i = 0; i < n; i++) resid[i] = y[i]! - pred[i]!;
      if (take < n) {
        nodeOf.fill(-1);
        for (let i = 0; i < take; i++) {
          const k = i + rng.int(n - i);
          const t = perm[i]!;
          perm[i] = perm[k]!;
          perm[k] = t;
          nodeOf[perm[i]!] = 0;
        }
      } else nodeOf.fill(0);
      const tree = o.splitter === "exact" ? growExact(cols, sorted, resid, nodeOf, o) : growHistogram(bins, edges, resid, nodeOf, o);
      this.#trees.push(tree);
      for (let i = 0; i < n; i++) pred[i] = pred[i]! + o.learningRate * predictTree(tree, x, i * p);
    }
    return this;
  }

  /** Predictions for row-major X (n × p); a NaN feature goes left. */
  predict(x: Float64Array, n: number): Float64Array {
    const p = this.#nFeatures;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = this.#init;
      for (const t of this.#trees) s += this.params.learningRate * predictTree(t, x, i * p);
      out[i] = s;
    }
    return out;
  }

  toJSON(): unknown {
    return {
      params: this.params,
      init: this.#init,
      nFeatures: this.#nFeatures,
      trees: this.#trees.map((t) => ({ feature: Array.from(t.feature), threshold: Array.from(t.threshold), left: Array.from(t.left), right: Array.from(t.right), value: Array.from(t.value) })),
    };
  }

  static fromJSON(json: { params: GradientBoostingOptions; init: number; nFeatures: number; trees: { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] }[] }): GradientBoostingRegressor {
    const g = new GradientBoostingRegressor(json.params);
    g.#init = json.init;
    g.#nFeatures = json.nFeatures;
    g.#trees = json.trees.map((t) => Object.freeze({ feature: Int32Array.from(t.feature), threshold: Float64Array.from(t.threshold), left: Int32Array.from(t.left), right: Int32Array.from(t.right), value: Float64Array.from(t.value) }));
    return g;
  }
}

function predictTree(t: RegressionTree, x: Float64Array, base: number): number {
  let node = 0;
  for (;;) {
    const f = t.feature[node]!;
    if (f < 0) return t.value[node]!;
    const v = x[base + f]!;
    node = v > t.threshold[node]! ? t.right[node]! : t.left[node]!;
  }
}

function newBuilder(): Builder {
  return { feature: [], threshold: [], left: [], right: [], value: [] };
}

function addNode(b: Builder, value: number): number {
  b.feature.push(-1);
  b.threshold.push(Number.NaN);
  b.left.push(-1);
  b.right.push(-1);
  b.value.push(value);
  return b.feature.length - 1;
}

function finish(b: Builder): RegressionTree {
  return Object.freeze({ feature: Int32Array.from(b.feature), threshold: Float64Array.from(b.threshold), left: Int32Array.from(b.left), right: Int32Array.from(b.right), value: Float64Array.from(b.value) });
}

/** Node sums/counts for samples currently in nodes [0, nNodes). */
function nodeStats(resid: Float64Array, nodeOf: Int32Array, nNodes: number): { sum: Float64Array; cnt: Float64Array } {
  const sum = new Float64Array(nNodes);
  const cnt = new Float64Array(nNodes);
  for (let i = 0; i < resid.length; i++) {
    const q = nodeOf[i]!;
    if (q < 0) continue;
    sum[q] = sum[q]! + resid[i]!;
    cnt[q] = cnt[q]! + 1;
  }
  return { sum, cnt };
}

/**
 * Level-wise growth. `nodeOf[i]` holds the *level-local* index of sample i's open node (−1 = not
 * in the tree or in a finished leaf); `ids[q]` maps it to the tree node id.
 */
function growLevels(
  resid: Float64Array,
  nodeOf: Int32Array,
  o: Readonly<GBResolved>,
  findSplits: (nOpen: number, sum: Float64Array, cnt: Float64Array) => { feat: Int32Array; thr: Float64Array; gain: Float64Array },
  goesLeft: (i: number, feat: number, thr: number) => boolean,
): RegressionTree {
  const b = newBuilder();
  let { sum, cnt } = nodeStats(resid, nodeOf, 1);
  let ids = [addNode(b, sum[0]! / Math.max(cnt[0]!, 1))];
  for (let depth = 0; depth < o.maxDepth && ids.length > 0; depth++) {
    const nOpen = ids.length;
    const { feat, thr, gain } = findSplits(nOpen, sum, cnt);
    const childLocal = new Int32Array(nOpen * 2).fill(-1);
    const nextIds: number[] = [];
    for (let q = 0; q < nOpen; q++) {
      if (!(gain[q]! > 0)) continue;
      const id = ids[q] as number;
      b.feature[id] = feat[q]!;
      b.threshold[id] = thr[q]!;
      const l = addNode(b, 0);
      const r = addNode(b, 0);
      b.left[id] = l;
      b.right[id] = r;
      childLocal[2 * q] = nextIds.length;
      nextIds.push(l);
      childLocal[2 * q + 1] = nextIds.length;
      nextIds.push(r);
    }
    for (let i = 0; i < nodeOf.length; i++) {
      const q = nodeOf[i]!;
      if (q < 0) continue;
      if (!(gain[q]! > 0)) {
        nodeOf[i] = -1;
        continue;
      }
      nodeOf[i] = goesLeft(i, feat[q]!, thr[q]!) ? childLocal[2 * q]! : childLocal[2 * q + 1]!;
    }
    ({ sum, cnt } = nodeStats(resid, nodeOf, nextIds.length));
    nextIds.forEach((id, q) => {
      b.value[id] = sum[q]! / Math.max(cnt[q]!, 1);
    });
    ids = nextIds;
  }
  return finish(b);
}

function growExact(cols: Float64Array[], sorted: Int32Array[], resid: Float64Array, nodeOf: Int32Array, o: Readonly<GBResolved>): RegressionTree {
  const minLeaf = o.minSamplesLeaf;
  return growLevels(
    resid,
    nodeOf,
    o,
    (nOpen, sum, cnt) => {
      const feat = new Int32Array(nOpen).fill(-1);
      const thr = new Float64Array(nOpen);
      const gain = new Float64Array(nOpen);
      const ls = new Float64Array(nOpen);
      const lc = new Float64Array(nOpen);
      const last = new Float64Array(nOpen);
      for (let f = 0; f < cols.length; f++) {
        const c = cols[f] as Float64Array;
        const order = sorted[f] as Int32Array;
        ls.fill(0);
        lc.fill(0);
        last.fill(Number.NaN);
        for (let k = 0; k < order.length; k++) {
          const i = order[k]!;
          const q = nodeOf[i]!;
          if (q < 0) continue;
          const xv = c[i]!;
          const nl = lc[q]!;
          if (nl >= minLeaf && xv > last[q]!) {
            const n = cnt[q]!;
            const nr = n - nl;
            if (nr >= minLeaf) {
              const sl = ls[q]!;
              const sr = sum[q]! - sl;
              const diff = sr * nl - sl * nr;
              const g = (diff * diff) / (nl * nr * n);
              if (g > gain[q]! * (1 + 1e-12)) {
                gain[q] = g;
                feat[q] = f;
                let t = (last[q]! + xv) / 2;
                if (t === xv) t = last[q]!;
                thr[q] = t;
              }
            }
          }
          ls[q] = ls[q]! + resid[i]!;
          lc[q] = nl + 1;
          last[q] = xv;
        }
      }
      return { feat, thr, gain };
    },
    (i, f, t) => (cols[f] as Float64Array)[i]! <= t,
  );
}

function binColumns(cols: Float64Array[], maxBins: number): { bins: Uint8Array[]; edges: Float64Array[] } {
  const bins: Uint8Array[] = [];
  const edges: Float64Array[] = [];
  for (const c of cols) {
    const s = Float64Array.from(c).sort();
    const uniq: number[] = [];
    for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) uniq.push(s[i]!);
    let e: number[];
    if (uniq.length <= maxBins) e = uniq.slice(0, -1).map((v, k) => (v + (uniq[k + 1] as number)) / 2);
    else {
      e = [];
      for (let k = 1; k < maxBins; k++) {
        const v = s[Math.floor((k * s.length) / maxBins)]!;
        if (e.length === 0 || v > (e[e.length - 1] as number)) e.push(v);
      }
    }
    const ef = Float64Array.from(e);
    edges.push(ef);
    const b = new Uint8Array(c.length);
    for (let i = 0; i < c.length; i++) {
      // bin = number of edges < x  (x ≤ edge[k] ⇒ bin ≤ k)
      let lo = 0;
      let hi = ef.length;
      const v = c[i]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ef[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      b[i] = lo;
    }
    bins.push(b);
  }
  return { bins, edges };
}

function growHistogram(bins: Uint8Array[], edges: Float64Array[], resid: Float64Array, nodeOf: Int32Array, o: Readonly<GBResolved>): RegressionTree {
  const minLeaf = o.minSamplesLeaf;
  return growLevels(
    resid,
    nodeOf,
    o,
    (nOpen, sum, cnt) => {
      const feat = new Int32Array(nOpen).fill(-1);
      const thr = new Float64Array(nOpen);
      const gain = new Float64Array(nOpen);
      for (let f = 0; f < bins.length; f++) {
        const b = bins[f] as Uint8Array;
        const e = edges[f] as Float64Array;
        const nb = e.length + 1;
        const hs = new Float64Array(nOpen * nb);
        const hc = new Float64Array(nOpen * nb);
        for (let i = 0; i < b.length; i++) {
          const q = nodeOf[i]!;
          if (q < 0) continue;
          const k = q * nb + b[i]!;
          hs[k] = hs[k]! + resid[i]!;
          hc[k] = hc[k]! + 1;
        }
        for (let q = 0; q < nOpen; q++) {
          const n = cnt[q]!;
          let sl = 0;
          let nl = 0;
          for (let k = 0; k < nb - 1; k++) {
            sl += hs[q * nb + k]!;
            nl += hc[q * nb + k]!;
            const nr = n - nl;
            if (nl < minLeaf || nr < minLeaf || hc[q * nb + k]! === 0) continue;
            const sr = sum[q]! - sl;
            const diff = sr * nl - sl * nr;
            const g = (diff * diff) / (nl * nr * n);
            if (g > gain[q]! * (1 + 1e-12)) {
              gain[q] = g;
              feat[q] = f;
              thr[q] = e[k]!;
            }
          }
        }
      }
      return { feat, thr, gain };
    },
    (i, f, t) => ((edges[f] as Float64Array).length === 0 ? true : (bins[f] as Uint8Array)[i]! <= binIndexOf(edges[f] as Float64Array, t)),
  );
}

function binIndexOf(e: Float64Array, t: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Options of {@link GradientBoostingModel}. */
export interface GradientBoostingModelOptions extends GradientBoostingOptions, CrossSectionalFeatureOptions {
  /** Label horizon in days (default 1). */
  horizon?: number;
  /** Label kind (default "rank"). */
  target?: "rank" | "excess";
  /** Training samples kept (default 30,000). */
  maxSamples?: number;
}

const GB_ALPHA_KEYS = opt.optionKeys<GradientBoostingModelOptions>()([...GB_KEYS, "horizon", "target", "maxSamples", ...FEATURE_KEYS]);

/**
 * GBT on the cross-sectional feature set. Model defaults differ from the regressor's for noisy
 * financial labels: 100 trees, learning rate 0.05, depth 3, 200 samples per leaf, subsample 0.8,
 * histogram splits.
 */
export class GradientBoostingModel implements AlphaModel {
  readonly name = "gbt";
  readonly params: Readonly<GBResolved & { horizon: number; target: "rank" | "excess"; maxSamples: number; features: ResolvedFeatureOptions }>;
  #model: GradientBoostingRegressor | null = null;

  constructor(options: GradientBoostingModelOptions = {}) {
    const given = opt.knownKeys("GradientBoostingModel", options, GB_ALPHA_KEYS);
    const gb = resolveGB(
      {
        nEstimators: 100,
        learningRate: 0.05,
        maxDepth: 3,
        minSamplesLeaf: 200,
        subsample: 0.8,
        splitter: "histogram",
        ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)),
      },
      "GradientBoostingModel",
    );
    this.params = Object.freeze({
      ...gb,
      horizon: opt.positiveInt("GradientBoostingModel", "horizon", given.horizon, 1),
      target: opt.oneOfValue("GradientBoostingModel", "target", given.target, "rank", ["rank", "excess"] as const),
      maxSamples: opt.positiveInt("GradientBoostingModel", "maxSamples", given.maxSamples, 30_000),
      features: resolveFeatureOptions(given),
    });
  }

  get regressor(): GradientBoostingRegressor | null {
    return this.#model;
  }

  fit(data: PanelView | Panel, options: FitOptions = {}): void {
    const view = asPanelView(data);
    const startRow = options.start === undefined ? 0 : view.rowFrom(options.start);
    const ts = buildTrainingSet(view, this.params.features, { horizon: this.params.horizon, target: this.params.target, maxSamples: this.params.maxSamples, seed: this.params.seed, startRow });
    const gb = Object.fromEntries(GB_KEYS.map((k) => [k, this.params[k]])) as GradientBoostingOptions;
    this.#model = new GradientBoostingRegressor(gb).fit(ts.x, ts.y, ts.nSamples, ts.nFeatures);
  }

  predict(data: PanelView | Panel, at: DateLike): Float64Array {
    const m = this.#model;
    if (m === null) throw new Error("GradientBoostingModel.predict: call fit first");
    const view = asPanelView(data);
    const nf = this.params.features.horizons.length + 3;
    const x = predictionMatrix(view.columns, view.rowAt(at), this.params.features);
    const out = m.predict(x, view.nAssets);
    for (let j = 0; j < view.nAssets; j++) if (Number.isNaN(x[j * nf]!)) out[j] = Number.NaN;
    return out;
  }

  toJSON(): unknown {
    return { params: this.params, model: this.#model?.toJSON() ?? null };
  }

  static fromJSON(json: { params: GradientBoostingModelOptions & { features: ResolvedFeatureOptions }; model: Parameters<typeof GradientBoostingRegressor.fromJSON>[0] | null }): GradientBoostingModel {
    const { features, ...params } = json.params;
    const m = new GradientBoostingModel({ ...params, ...features });
    if (json.model !== null) m.#model = GradientBoostingRegressor.fromJSON(json.model);
    return m;
  }
}

export function gradientBoostingModel(options?: GradientBoostingModelOptions): GradientBoostingModel {
  return new GradientBoostingModel(options);
}
