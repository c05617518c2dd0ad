/**
 * Stress tests of today's book (positions in currency):
 * - historical: the book is held unchanged through a past window and marked with that window's
 *   prices (P&L, worst day, peak-to-trough). Windows the data does not cover are reported as not
 *   covered, never silently dropped. Defaults: the August 2007 quant quake, the 2008-09/10 crash,
 *   the 2020-02/03 Covid crash, and the 2022 rate shock.
 * - factor shocks: P&L = Σᵢ posᵢ · Σₖ βᵢₖ · shockₖ, with betas given or estimated by OLS of asset
 *   returns on factor returns (with an intercept) over the common dates.
 * - correlation breakdown: the Gaussian VaR of the book when every pairwise correlation is moved to
 *   ρ* (Σ* = D[(1−λ)C + λ(ρ*·11ᵀ + (1−ρ*)I)]D, PSD for ρ* ∈ [0,1]) and volatilities are scaled by
 *   `volMultiplier`; for a hedged long/short book ρ* = 0 (hedges stop working) is the usual
 *   worst case, ρ* → 1 hurts net-long books.
 */
import { alignPanels, checkKeys, fromEpochDay, type Panel, readOptions, toEpochDay } from "../data/index.js";
import { completeCases, covMatrix, normalPpf, solveDense } from "../stats/index.js";
import { alignPositions } from "./var-analyzer.js";
import { confidenceRule } from "./var.js";

/** A named historical window. */
export interface StressWindow {
  readonly name: string;
  readonly start: string;
  readonly end: string;
}

/** Built-in historical windows. */
export const DEFAULT_STRESS_WINDOWS: readonly StressWindow[] = Object.freeze([
  { name: "Quant quake 2007-08", start: "2007-08-01", end: "2007-08-15" },
  { name: "Lehman 2008-09/10", start: "2008-09-01", end: "2008-10-31" },
  { name: "Covid crash 2020-02/03", start: "2020-02-19", end: "2020-03-23" },
  { name: "Rate shock 2022 H1", start: "2022-01-03", end: "2022-06-16" },
]);

/** Result of one historical window. */
export interface HistoricalStressResult {
  readonly name: string;
  readonly start: string;
  readonly end: string;
  /** Whether the price data covers the whole window. */
  readonly covered: boolean;
  /** Book P&L over the window (currency; NaN when not covered). */
  readonly pnl: number;
  /** P&L over the book's gross notional. */
  readonly returnOnGross: number;
  /** Worst one-day P&L (currency). */
  readonly worstDay: number;
  /** Largest peak-to-trough fall of the book's P&L path (currency, ≤ 0). */
  readonly maxDrawdown: number;
  /** Why not covered (empty when covered). */
  readonly note: string;
}

/** Result of a factor shock. */
export interface FactorShockResult {
  readonly shocks: Readonly<Record<string, number>>;
  readonly pnl: number;
  readonly byAsset: Readonly<Record<string, number>>;
  /** Betas used (asset → factor → β). */
  readonly betas: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Result of a correlation-breakdown scenario. */
export interface CorrelationBreakdownResult {
  readonly targetCorrelation: number;
  readonly blend: number;
  readonly volMultiplier: number;
  readonly confidence: number;
  /** Gaussian VaR (currency) with the observed covariance. */
  readonly baseVaR: number;
  /** Gaussian VaR (currency) with the stressed covariance. */
  readonly stressedVaR: number;
  readonly ratio: number;
}

/** Options of {@link StressTester}. */
export interface StressTesterOptions {
  /** Confidence of the correlation-breakdown VaR (default 0.99). */
  confidence?: number;
}

export class StressTester {
  readonly confidence: number;

  constructor(options: StressTesterOptions = {}) {
    this.confidence = readOptions("StressTester", options, { confidence: confidenceRule(0.99, 0.5) }).confidence;
  }

  /** Replays `windows` (default {@link DEFAULT_STRESS_WINDOWS}) of `prices` on today's `positions`. */
  historical(positions: Readonly<Record<string, number>>, prices: Panel, windows: readonly StressWindow[] = DEFAULT_STRESS_WINDOWS): HistoricalStressResult[] {
    const { assets, w } = alignPositions(positions, prices);
    let grossBook = 0;
    for (const v of w) grossBook += Math.abs(v);
    const first = prices.dates[0];
    const last = prices.dates[prices.nDates - 1];
    return windows.map((win) => {
      const s = toEpochDay(win.start);
      const e = toEpochDay(win.end);
      const base = { name: win.name, start: win.start, end: win.end };
      if (first === undefined || last === undefined || s < first || e > last) {
        const range = first === undefined ? "no dates" : `${fromEpochDay(first)} … ${fromEpochDay(last!)}`;
        return Object.freeze({ ...base, covered: false, pnl: Number.NaN, returnOnGross: Number.NaN, worstDay: Number.NaN, maxDrawdown: Number.NaN, note: `data covers ${range}` });
      }
      // Start from the last close before the window opens, so the first day's move counts.
      const i0 = Math.max(0, prices.dateIndex(s) - 1);
      const i1 = prices.dateIndex(e + 1) - 1;
      let worst = Infinity;
      let peak = 0;
      let mdd = 0;
      let prev = 0;
      let cum = 0;
      const missing: string[] = [];
      for (let i = i0 + 1; i <= i1; i++) {
        cum = 0;
        for (let k = 0; k < assets.length; k++) {
          const col = prices.column(assets[k]!);
          const p0 = col[i0]!;
          const p = col[i]!;
          if (!(p0 > 0 && p > 0)) {
            if (!missing.includes(assets[k]!)) missing.push(assets[k]!);
            continue;
          }
          cum += w[k]! * (p / p0 - 1);
        }
        worst = Math.min(worst, cum - prev);
        peak = Math.max(peak, cum);
        mdd = Math.min(mdd, cum - peak);
        prev = cum;
      }
      return Object.freeze({
        ...base,
        covered: true,
        pnl: cum,
        returnOnGross: cum / grossBook,
        worstDay: worst === Infinity ? 0 : worst,
        maxDrawdown: mdd,
        note: missing.length ? `no prices for ${missing.join(", ")} (held flat)` : "",
      });
    });
  }

  /**
   * P&L of `positions` under factor `shocks` (factor → return, e.g. { Mkt: -0.1 }). Give `betas`,
   * or `assetReturns` and `factorReturns` (panels of simple returns) to estimate them by OLS.
   */
  factorShock(input: {
    positions: Readonly<Record<string, number>>;
    shocks: Readonly<Record<string, number>>;
    betas?: Readonly<Record<string, Readonly<Record<string, number>>>>;
    assetReturns?: Panel;
    factorReturns?: Panel;
  }): FactorShockResult {
    checkKeys("StressTester.factorShock", input, ["positions", "shocks", "betas", "assetReturns", "factorReturns"]);
    const factors = Object.keys(input.shocks);
    if (factors.length === 0) throw new RangeError("StressTester.factorShock: shocks is empty; give e.g. { Mkt: -0.1 }");
    let betas = input.betas;
    if (betas === undefined) {
      if (input.assetReturns === undefined || input.factorReturns === undefined) {
        throw new TypeError("StressTester.factorShock: give betas, or both assetReturns and factorReturns to estimate them");
      }
      betas = estimateBetas(Object.keys(input.positions), factors, input.assetReturns, input.factorReturns);
    }
    let pnl = 0;
    const byAsset: Record<string, number> = {};
    for (const [a, pos] of Object.entries(input.positions)) {
      const b = betas[a];
      if (b === undefined) throw new RangeError(`StressTester.factorShock: no betas for ${JSON.stringify(a)}`);
      let r = 0;
      for (const f of factors) {
        const beta = b[f];
        if (beta === undefined) throw new RangeError(`StressTester.factorShock: no beta of ${a} on factor ${JSON.stringify(f)}`);
        r += beta * input.shocks[f]!;
      }
      byAsset[a] = pos * r;
      pnl += pos * r;
    }
    return Object.freeze({ shocks: Object.freeze({ ...input.shocks }), pnl, byAsset: Object.freeze(byAsset), betas });
  }

  /** Gaussian VaR of the book before and after a correlation breakdown. */
  correlationBreakdown(input: {
    positions: Readonly<Record<string, number>>;
    returnsData: Panel;
    /** ρ* in [0, 1] (default 0). */
    targetCorrelation?: number;
    /** λ in [0, 1]: how far correlations move to ρ* (default 1). */
    blend?: number;
    /** Volatility multiplier (default 1.5). */
    volMultiplier?: number;
  }): CorrelationBreakdownResult {
    checkKeys("StressTester.correlationBreakdown", input, ["positions", "returnsData", "targetCorrelation", "blend", "volMultiplier"]);
    const rho = input.targetCorrelation ?? 0;
    const lambda = input.blend ?? 1;
    const vm = input.volMultiplier ?? 1.5;
    if (!(rho >= 0 && rho <= 1)) throw new RangeError(`StressTester.correlationBreakdown: targetCorrelation must be in [0, 1], got ${rho}`);
    if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`StressTester.correlationBreakdown: blend must be in [0, 1], got ${lambda}`);
    if (!(vm > 0)) throw new RangeError(`StressTester.correlationBreakdown: volMultiplier must be > 0, got ${vm}`);
    const { assets, w } = alignPositions(input.positions, input.returnsData);
    const cov = covMatrix(completeCases(assets.map((a) => input.returnsData.column(a)))).data; // symmetric
    const n = assets.length;
    const sd = Float64Array.from({ length: n }, (_, i) => Math.sqrt(cov[i * n + i]!));
    const z = -normalPpf(1 - this.confidence);
    const quad = (m: (i: number, k: number) => number): number => {
      let s = 0;
      for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) s += w[i]! * w[k]! * m(i, k);
      return Math.sqrt(Math.max(s, 0));
    };
    const base = z * quad((i, k) => cov[i * n + k]!);
    const stressed =
      z *
      quad((i, k) => {
        const si = sd[i]!;
        const sk = sd[k]!;
        const c = si > 0 && sk > 0 ? cov[i * n + k]! / (si * sk) : 0;
        const target = i === k ? 1 : rho;
        return vm * vm * si * sk * ((1 - lambda) * c + lambda * target);
      });
    return Object.freeze({ targetCorrelation: rho, blend: lambda, volMultiplier: vm, confidence: this.confidence, baseVaR: base, stressedVaR: stressed, ratio: stressed / base });
  }
}

export function stressTester(options?: StressTesterOptions): StressTester {
  return new StressTester(options);
}

/** OLS betas (with intercept) of each asset on the factors, over common dates with finite values. */
function estimateBetas(assets: readonly string[], factors: readonly string[], assetReturns: Panel, factorReturns: Panel): Record<string, Record<string, number>> {
  const [A, F] = alignPanels(assetReturns, factorReturns);
  const k = factors.length + 1;
  const fcols = factors.map((f) => F.column(f));
  const out: Record<string, Record<string, number>> = {};
  for (const a of assets) {
    const y = A.column(a);
    const xtx = new Float64Array(k * k);
    const xty = new Float64Array(k);
    let m = 0;
    const x = new Float64Array(k);
    for (let t = 0; t < A.nDates; t++) {
      const yt = y[t]!;
      if (!Number.isFinite(yt)) continue;
      x[0] = 1;
      let ok = true;
      for (let j = 0; j < factors.length; j++) {
        const v = fcols[j]![t]!;
        if (!Number.isFinite(v)) ok = false;
        x[j + 1] = v;
      }
      if (!ok) continue;
      m++;
      for (let p = 0; p < k; p++) {
        xty[p] = xty[p]! + x[p]! * yt;
        for (let q = 0; q < k; q++) xtx[p * k + q] = xtx[p * k + q]! + x[p]! * x[q]!;
      }
    }
    if (m <= k) throw new RangeError(`StressTester.factorShock: only ${m} common dates for ${a}; need more than ${k} to estimate betas`);
    const b = solveDense(xtx, k, xty);
    if (b === null) throw new RangeError("StressTester.factorShock: singular factor design (a factor is constant or collinear)");
    out[a] = Object.fromEntries(factors.map((f, j) => [f, b[j + 1]!]));
  }
  return out;
}
