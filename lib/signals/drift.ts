/**
 * Drift detection: has the live feature distribution moved away from the one the model was trained
 * on, and has the model stopped working? Population stability index (PSI; Yurdakul 2018, "Statistical
 * properties of population stability index") on reference-quantile bins, the two-sample
 * Kolmogorov–Smirnov test (H0: both samples come from the same continuous distribution; asymptotic
 * p-value from the Kolmogorov distribution, as scipy `kstwobign.sf(√(nm/(n+m))·D)`), and a rolling
 * rank IC falling below a floor. A {@link DriftMonitor} turns them into typed alerts.
 */
import { opt } from "../data/index.js";
import { rollingIC } from "./quality.js";

function finiteSorted(x: ArrayLike<number>): Float64Array {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i] as number)) v.push(x[i] as number);
  return Float64Array.from(v).sort();
}

/**
 * PSI = Σ_b (a_b − e_b) ln(a_b / e_b) over `bins` bins cut at the reference's quantiles, shares
 * floored at 1e-4. Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major shift.
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, bins = 10): number {
  const nb = opt.positiveInt("populationStabilityIndex", "bins", bins, 10);
  const ref = finiteSorted(reference);
  const cur = finiteSorted(current);
  if (ref.length < nb || cur.length === 0) throw new RangeError(`populationStabilityIndex: needs at least ${nb} finite reference values and 1 current value (got ${ref.length} and ${cur.length})`);
  const edges: number[] = [];
  for (let k = 1; k < nb; k++) {
    const e = ref[Math.floor((k * ref.length) / nb)]!;
    if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e);
  }
  const count = (s: Float64Array): Float64Array => {
    const c = new Float64Array(edges.length + 1);
    let b = 0;
    for (const v of s) {
      while (b < edges.length && v >= (edges[b] as number)) b++;
      c[b] = c[b]! + 1;
    }
    return c.map((x) => Math.max(x / s.length, 1e-4));
  };
  const e = count(ref);
  const a = count(cur);
  let psi = 0;
  for (let b = 0; b < e.length; b++) psi += (a[b]! - e[b]!) * Math.log(a[b]! / e[b]!);
  return psi;
}

/** Two-sample KS result. */
export interface KSTestResult {
  /** sup |F_ref − F_cur|. */
  readonly statistic: number;
  /** Asymptotic p-value. */
  readonly pValue: number;
  readonly n1: number;
  readonly n2: number;
}

/** Kolmogorov distribution survival function Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}. */
export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 0.2) return 1;
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = 2 * (k % 2 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    s += t;
    if (Math.abs(t) < 1e-17) break;
  }
  return Math.min(Math.max(s, 0), 1);
}

export function ksTwoSample(reference: ArrayLike<number>, current: ArrayLike<number>): KSTestResult {
  const a = finiteSorted(reference);
  const b = finiteSorted(current);
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("ksTwoSample: both samples need at least one finite value");
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n1 && j < n2) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < n1 && a[i]! <= x) i++;
    while (j < n2 && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  const en = (n1 * n2) / (n1 + n2);
  return Object.freeze({ statistic: d, pValue: kolmogorovSf(Math.sqrt(en) * d), n1, n2 });
}

/** A typed drift alert. */
export type DriftAlert =
  | { readonly kind: "psi"; readonly feature: string; readonly value: number; readonly threshold: number; readonly severity: "warning" | "critical" }
  | { readonly kind: "ks"; readonly feature: string; readonly statistic: number; readonly pValue: number; readonly alpha: number; readonly severity: "warning" }
  | { readonly kind: "ic"; readonly date: number; readonly rollingIC: number; readonly floor: number; readonly severity: "critical" };

/** Options of {@link DriftMonitor}. */
export interface DriftMonitorOptions {
  /** PSI above this warns (default 0.1). */
  psiWarning?: number;
  /** PSI above this is critical (default 0.25). */
  psiCritical?: number;
  /** KS p-value below this warns (default 0.01). */
  ksAlpha?: number;
  /** Bins of the PSI (default 10). */
  bins?: number;
  /** Window of the rolling IC (default 63). */
  icWindow?: number;
  /** Rolling IC below this is critical (default 0). */
  icFloor?: number;
  /** Called with every alert as it is raised (default none). */
  onAlert?: (alert: DriftAlert) => void;
}

const DRIFT_KEYS = opt.optionKeys<DriftMonitorOptions>()(["psiWarning", "psiCritical", "ksAlpha", "bins", "icWindow", "icFloor", "onAlert"]);

/** Compares live features with the training reference and watches the rolling IC. */
export class DriftMonitor {
  readonly params: Readonly<Required<Omit<DriftMonitorOptions, "onAlert">>>;
  readonly #reference: ReadonlyMap<string, Float64Array>;
  readonly #onAlert: ((a: DriftAlert) => void) | undefined;

  /** `reference`: training values of each feature, by name. */
  constructor(reference: Readonly<Record<string, ArrayLike<number>>>, options: DriftMonitorOptions = {}) {
    const W = "DriftMonitor";
    const given = opt.knownKeys(W, options, DRIFT_KEYS);
    const psiWarning = opt.finiteIn(W, "psiWarning", given.psiWarning, 0.1, 0, Number.MAX_VALUE);
    this.params = Object.freeze({
      psiWarning,
      psiCritical: opt.finiteIn(W, "psiCritical", given.psiCritical, 0.25, psiWarning, Number.MAX_VALUE),
      ksAlpha: opt.finiteIn(W, "ksAlpha", given.ksAlpha, 0.01, 0, 1, true),
      bins: opt.positiveInt(W, "bins", given.bins, 10),
      icWindow: opt.positiveInt(W, "icWindow", given.icWindow, 63),
      icFloor: opt.finiteIn(W, "icFloor", given.icFloor, 0, -1, 1),
    });
    if (given.onAlert !== undefined && typeof given.onAlert !== "function") throw new TypeError(`${W}: onAlert must be a function (alert) => void`);
    this.#onAlert = given.onAlert;
    const names = Object.keys(reference);
    if (names.length === 0) throw new RangeError(`${W}: reference must hold at least one feature`);
    this.#reference = new Map(names.map((k) => [k, finiteSorted(reference[k] as ArrayLike<number>)]));
  }

  #raise(out: DriftAlert[], a: DriftAlert): void {
    out.push(Object.freeze(a));
    this.#onAlert?.(a);
  }

  /** PSI and KS of every reference feature present in `current`; returns the alerts raised. */
  checkFeatures(current: Readonly<Record<string, ArrayLike<number>>>): DriftAlert[] {
    const out: DriftAlert[] = [];
    for (const [name, ref] of this.#reference) {
      const cur = current[name];
      if (cur === undefined) continue;
      const psi = populationStabilityIndex(ref, cur, this.params.bins);
      if (psi > this.params.psiCritical) this.#raise(out, { kind: "psi", feature: name, value: psi, threshold: this.params.psiCritical, severity: "critical" });
      else if (psi > this.params.psiWarning) this.#raise(out, { kind: "psi", feature: name, value: psi, threshold: this.params.psiWarning, severity: "warning" });
      const ks = ksTwoSample(ref, cur);
      if (ks.pValue < this.params.ksAlpha) this.#raise(out, { kind: "ks", feature: name, statistic: ks.statistic, pValue: ks.pValue, alpha: this.params.ksAlpha, severity: "warning" });
    }
    return out;
  }

  /** Alerts on the dates where the rolling mean IC first drops below the floor (one per episode). */
  checkIC(dates: Int32Array, ic: Float64Array): DriftAlert[] {
    if (dates.length !== ic.length) throw new RangeError(`DriftMonitor.checkIC: ${dates.length} dates but ${ic.length} IC values`);
    const r = rollingIC(ic, this.params.icWindow);
    const out: DriftAlert[] = [];
    let below = false;
    for (let t = 0; t < r.length; t++) {
      const v = r[t]!;
      if (!Number.isFinite(v)) continue;
      if (v < this.params.icFloor && !below) this.#raise(out, { kind: "ic", date: dates[t]!, rollingIC: v, floor: this.params.icFloor, severity: "critical" });
      below = v < this.params.icFloor;
    }
    return out;
  }
}

export function driftMonitor(reference: Readonly<Record<string, ArrayLike<number>>>, options?: DriftMonitorOptions): DriftMonitor {
  return new DriftMonitor(reference, options);
}
