/**
 * Exponentially weighted mean / variance / std / covariance / correlation with pandas
 * `Series.ewm(com | span | halflife | alpha, adjust, ignore_na, min_periods)` semantics, the same
 * recursions as pandas' `ewm`/`ewmcov` kernels (so results agree to rounding):
 * - decay: α = 1/(1+com) = 2/(span+1) = 1 − exp(−ln 2/halflife), or α given;
 * - `adjust: true` (default): weights (1−α)^i over all past observations, normalised;
 *   `adjust: false`: y_t = (1−α)·y_{t−1} + α·x_t;
 * - NaN: skipped; with `ignoreNa: false` (default) the weights still decay over the missing steps
 *   (absolute positions), with `ignoreNa: true` they do not;
 * - `minPeriods` (default 1): NaN until that many observations were seen;
 * - var/std/cov are bias-corrected by default (`bias: false`): Σw²-based factor (Σw)²/((Σw)² − Σw²).
 */
import { checkKeys, Panel } from "../data/index.js";

/** Options of the ewm functions (exactly one of com, span, halflife, alpha). */
export interface EwmOptions {
  com?: number;
  span?: number;
  halflife?: number;
  alpha?: number;
  /** Normalised weights (default `true`). */
  adjust?: boolean;
  /** Ignore missing values when computing weights (default `false`). */
  ignoreNa?: boolean;
  /** Minimum observations for a value (default 1; 0 is treated as 1, like pandas). */
  minPeriods?: number;
  /** Uncorrected (biased) variance (default `false`). */
  bias?: boolean;
}

type Series = Float64Array | readonly number[];

const EWM_KEYS = ["com", "span", "halflife", "alpha", "adjust", "ignoreNa", "minPeriods", "bias"] as const;

/** The smoothing factor α implied by the options (pandas `get_center_of_mass`, α = 1/(1+com)). */
export function ewmAlpha(options: EwmOptions, where = "ewm"): number {
  checkKeys(where, options, EWM_KEYS);
  const given = (["com", "span", "halflife", "alpha"] as const).filter((k) => options[k]!== undefined);
  if (given.length !== 1) throw new RangeError(`${where}: pass exactly one of com, span, halflife, alpha (got ${given.length ? given.join(", ") : "none"})`);
  const k = given[0] as "com" | "span" | "halflife" | "alpha";
  const v = options[k]!;
  let com: number;
  switch (k) {
    case "com":
      if (!(v >= 0)) throw new RangeError(`${where}: com must be ≥ 0, got ${v}`);
      com = v;
      break;
    case "span":
      if (!(v >= 1)) throw new RangeError(`${where}: span must be ≥ 1, got ${v}`);
      com = (v - 1) / 2;
      break;
    case "halflife":
      if (!(v > 0)) throw new RangeError(`${where}: halflife must be > 0, got ${v}`);
      com = 1 / (1 - Math.exp(Math.log(0.5) / v)) - 1;
      break;
    default:
      if (!(v > 0 && v <= 1)) throw new RangeError(`${where}: alpha must be in (0, 1], got ${v}`);
      com = (1 - v) / v;
  }
  return 1 / (1 + com);
}

function asF64(x: Series, where: string, name = "x"): Float64Array {
  if (x instanceof Float64Array) return x;
  if (!Array.isArray(x)) throw new TypeError(`${where}: ${name} must be a Float64Array, number[] or Panel`);
  return Float64Array.from(x);
}

function meanKernel(x: Float64Array, o: EwmOptions, where: string): Float64Array {
  const alpha = ewmAlpha(o, where);
  const adjust = o.adjust ?? true;
  const ignoreNa = o.ignoreNa ?? false;
  const minp = Math.max(o.minPeriods ?? 1, 1);
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const oldWtFactor = 1 - alpha;
  const newWt = adjust ? 1 : alpha;
  let weighted = x[0]!;
  let nobs = weighted === weighted ? 1 : 0;
  out[0] = nobs >= minp ? weighted : Number.NaN;
  let oldWt = 1;
  for (let i = 1; i < n; i++) {
    const cur = x[i]!;
    const obs = cur === cur;
    if (obs) nobs++;
    if (weighted === weighted) {
      if (obs || !ignoreNa) {
        oldWt *= oldWtFactor;
        if (obs) {
          if (weighted !== cur) weighted = (oldWt * weighted + newWt * cur) / (oldWt + newWt);
          oldWt = adjust ? oldWt + newWt : 1;
        }
      }
    } else if (obs) weighted = cur;
    out[i] = nobs >= minp ? weighted : Number.NaN;
  }
  return out;
}

function covKernel(x: Float64Array, y: Float64Array, o: EwmOptions, bias: boolean, where: string): Float64Array {
  const alpha = ewmAlpha(o, where);
  const adjust = o.adjust ?? true;
  const ignoreNa = o.ignoreNa ?? false;
  const minp = Math.max(o.minPeriods ?? 1, 1);
  const n = x.length;
  if (y.length !== n) throw new RangeError(`${where}: series lengths differ (${n} and ${y.length})`);
  const out = new Float64Array(n);
  if (n === 0) return out;
  const oldWtFactor = 1 - alpha;
  const newWt = adjust ? 1 : alpha;
  let meanX = x[0]!, meanY = y[0]!;
  let obs = meanX === meanX && meanY === meanY;
  let nobs = obs ? 1 : 0;
  if (!obs) meanX = meanY = Number.NaN;
  out[0] = nobs >= minp ? (bias ? 0 : Number.NaN) : Number.NaN;
  let cov = 0, sumWt = 1, sumWt2 = 1, oldWt = 1;
  for (let i = 1; i < n; i++) {
    const cx = x[i]!, cy = y[i]!;
    obs = cx === cx && cy === cy;
    if (obs) nobs++;
    if (meanX === meanX) {
      if (obs || !ignoreNa) {
        sumWt *= oldWtFactor;
        sumWt2 *= oldWtFactor * oldWtFactor;
        oldWt *= oldWtFactor;
        if (obs) {
          const omx = meanX, omy = meanY;
          if (meanX !== cx) meanX = (oldWt * omx + newWt * cx) / (oldWt + newWt);
          if (meanY !== cy) meanY = (oldWt * omy + newWt * cy) / (oldWt + newWt);
          cov = (oldWt * (cov + (omx - meanX) * (omy - meanY)) + newWt * ((cx - meanX) * (cy - meanY))) / (oldWt + newWt);
          sumWt += newWt;
          sumWt2 += newWt * newWt;
          oldWt += newWt;
          if (!adjust) {
            sumWt /= oldWt;
            sumWt2 /= oldWt * oldWt;
            oldWt = 1;
          }
        }
      }
    } else if (obs) {
      meanX = cx;
      meanY = cy;
    }
    if (nobs >= minp) {
      if (!bias) {
        const num = sumWt * sumWt;
        const den = num - sumWt2;
        out[i] = den > 0 ? (num / den) * cov : Number.NaN;
      } else out[i] = cov;
    } else out[i] = Number.NaN;
  }
  return out;
}

/** Exponentially weighted mean (pandas `ewm(...).mean()`). */
export function ewmMean(x: Series, options: EwmOptions): Float64Array;
export function ewmMean(x: Panel, options: EwmOptions): Panel;
export function ewmMean(x: Series | Panel, options: EwmOptions): Float64Array | Panel {
  if (x instanceof Panel) return x.mapColumns((c) => meanKernel(c, options, "ewmMean"));
  return meanKernel(asF64(x, "ewmMean"), options, "ewmMean");
}

/** Exponentially weighted variance (pandas `ewm(...).var(bias)`). */
export function ewmVar(x: Series, options: EwmOptions): Float64Array;
export function ewmVar(x: Panel, options: EwmOptions): Panel;
export function ewmVar(x: Series | Panel, options: EwmOptions): Float64Array | Panel {
  const f = (c: Float64Array) => covKernel(c, c, options, options.bias ?? false, "ewmVar");
  return x instanceof Panel ? x.mapColumns(f) : f(asF64(x, "ewmVar"));
}

/** Exponentially weighted standard deviation (pandas `ewm(...).std(bias)`). */
export function ewmStd(x: Series, options: EwmOptions): Float64Array;
export function ewmStd(x: Panel, options: EwmOptions): Panel;
export function ewmStd(x: Series | Panel, options: EwmOptions): Float64Array | Panel {
  const f = (c: Float64Array) => covKernel(c, c, options, options.bias ?? false, "ewmStd").map((v) => (v > 0 ? Math.sqrt(v) : v === v ? 0 : Number.NaN));
  return x instanceof Panel ? x.mapColumns(f) : f(asF64(x, "ewmStd"));
}

/** Exponentially weighted covariance over pairwise-complete observations (pandas `x.ewm(...).cov(y)`). */
export function ewmCov(x: Series, y: Series, options: EwmOptions): Float64Array {
  return covKernel(asF64(x, "ewmCov", "x"), asF64(y, "ewmCov", "y"), options, options.bias ?? false, "ewmCov");
}

/**
 * Exponentially weighted correlation (pandas `x.ewm(...).corr(y)`): biased covariance over
 * √(var_x·var_y), all three on the pairwise-complete observations.
 */
export function ewmCorr(x: Series, y: Series, options: EwmOptions): Float64Array {
  const x0 = asF64(x, "ewmCorr", "x"), y0 = asF64(y, "ewmCorr", "y");
  if (x0.length !== y0.length) throw new RangeError(`ewmCorr: series lengths differ (${x0.length} and ${y0.length})`);
  const xx = x0.map((v, i) => (y0[i] === y0[i] ? v : Number.NaN));
  const yy = y0.map((v, i) => (x0[i] === x0[i] ? v : Number.NaN));
  const c = covKernel(xx, yy, options, true, "ewmCorr");
  const vx = covKernel(xx, xx, options, true, "ewmCorr");
  const vy = covKernel(yy, yy, options, true, "ewmCorr");
  return c.map((v, i) => {
    const d = vx[i]! * vy[i]!;
    return d > 0 ? v / Math.sqrt(d) : Number.NaN;
  });
}
