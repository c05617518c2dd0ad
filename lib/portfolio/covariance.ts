/**
 * Risk inputs from a price view, using only its visible rows: the trailing sample covariance of
 * daily simple returns (optionally shrunk towards its diagonal), per-asset volatilities and betas on
 * the equal-weight market. Assets without a full window get NaN rows/columns.
 */
import { asPanelView, opt, type Panel, type PanelView, readOptions } from "../data/index.js";

/** Options of {@link trailingRiskModel}. */
export interface TrailingRiskOptions {
  /** Days of returns (default 252). */
  window?: number;
  /** Weight of the diagonal target in [0, 1] (default 0: the sample covariance). */
  shrinkage?: number;
}

/** Covariance (n × n row-major), volatilities and market betas at the view's last date. */
export interface TrailingRisk {
  readonly covariance: Float64Array;
  readonly volatilities: Float64Array;
  readonly betas: Float64Array;
}

const TRAILING_RISK_OPTIONS = {
  window: opt.positiveInteger(252),
  shrinkage: opt.numberIn(0, 0, 1),
} satisfies Record<keyof TrailingRiskOptions, opt.OptionRule<unknown>>;

export function trailingRiskModel(data: PanelView | Panel, options: TrailingRiskOptions = {}): TrailingRisk {
  const view = asPanelView(data);
  const { window: W, shrinkage: shrink } = readOptions("trailingRiskModel", options, TRAILING_RISK_OPTIONS);
  if (W < 2) throw new RangeError("trailingRiskModel: window must be at least 2");
  const n = view.nAssets;
  const end = view.nDates - 1;
  if (end - W < 0) throw new RangeError(`trailingRiskModel: needs ${W + 1} dates, the view has ${view.nDates}`);
  const ret = new Float64Array(n * W);
  const ok = new Uint8Array(n);
  view.columns.forEach((p, j) => {
    let good = true;
    for (let t = 0; t < W; t++) {
      const r = p[end - W + 1 + t]! / p[end - W + t]! - 1;
      if (!Number.isFinite(r)) good = false;
      ret[j * W + t] = r;
    }
    ok[j] = good ? 1 : 0;
    if (good) {
      let m = 0;
      for (let t = 0; t < W; t++) m += ret[j * W + t]!;
      m /= W;
      for (let t = 0; t < W; t++) ret[j * W + t] = ret[j * W + t]! - m;
    }
  });
  const cov = new Float64Array(n * n).fill(Number.NaN);
  for (let a = 0; a < n; a++) {
    if (!ok[a]) continue;
    for (let b = a; b < n; b++) {
      if (!ok[b]) continue;
      let s = 0;
      for (let t = 0; t < W; t++) s += ret[a * W + t]! * ret[b * W + t]!;
      const v = (a === b ? 1 : 1 - shrink) * (s / (W - 1));
      cov[a * n + b] = v;
      cov[b * n + a] = v;
    }
  }
  const vols = new Float64Array(n).fill(Number.NaN);
  for (let a = 0; a < n; a++) if (ok[a]) vols[a] = Math.sqrt(cov[a * n + a]!);
  // market = equal weight of the assets with a full window
  const mkt = new Float64Array(W);
  let k = 0;
  for (let a = 0; a < n; a++) if (ok[a]) {
    k++;
    for (let t = 0; t < W; t++) mkt[t] = mkt[t]! + ret[a * W + t]!;
  }
  for (let t = 0; t < W; t++) mkt[t] = mkt[t]! / Math.max(k, 1);
  let vm = 0;
  for (let t = 0; t < W; t++) vm += mkt[t]! ** 2;
  const betas = new Float64Array(n).fill(Number.NaN);
  for (let a = 0; a < n; a++) if (ok[a] && vm > 0) {
    let c = 0;
    for (let t = 0; t < W; t++) c += ret[a * W + t]! * mkt[t]!;
    betas[a] = c / vm;
  }
  return Object.freeze({ covariance: cov, volatilities: vols, betas });
}
