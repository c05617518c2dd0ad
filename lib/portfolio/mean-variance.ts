/**
 * Mean-variance (Markowitz 1952) with the constraints of a stat-arb book:
 *
 *   maximise   αᵀw − (λ/2) wᵀΣw
 *   subject to Σ|wᵢ| ≤ gross,  netMin ≤ Σwᵢ ≤ netMax,  |wᵢ| ≤ maxPosition,
 *              |Σ_{i∈s} wᵢ| ≤ sectorNet for every sector s (when sectors are given),
 *              optionally Σβᵢwᵢ = 0 (betaNeutral).
 *
 * α are the scores (times `alphaScale`), Σ the per-period return covariance. The gross constraint is
 * linearised with tᵢ ≥ |wᵢ| (variables [w, t]) and the QP solved by the ADMM + polish solver of
 * internal/qp.ts; tests check it against cvxpy + Clarabel. Assets without a score get weight 0.
 */
import { opt } from "../data/index.js";
import { type ConstructionContext, type PortfolioConstruction, requireCovariance, subMatrix, validIndex } from "./construction.js";
import { solveQP, type QPSolution } from "./internal/qp.js";

/** Options of {@link MeanVariance}. */
export interface MeanVarianceOptions {
  /** Risk aversion λ (default 1). */
  riskAversion?: number;
  /** Multiplier turning scores into expected per-period returns (default 1). */
  alphaScale?: number;
  /** Upper bound on Σ|w| (default 1). */
  gross?: number;
  /** Lower bound on Σw (default 0: dollar neutral together with netMax). */
  netMin?: number;
  /** Upper bound on Σw (default 0). */
  netMax?: number;
  /** Bound on each |wᵢ| (default 0.1). */
  maxPosition?: number;
  /** Bound on each sector's |Σw| (default Infinity; needs context.sectors). */
  sectorNet?: number;
  /** Also require Σβw = 0 (needs context.betas) (default false). */
  betaNeutral?: boolean;
}

/** Result details of the last solve (for diagnostics). */
export interface MeanVarianceDiagnostics {
  readonly status: QPSolution["status"];
  readonly iterations: number;
  readonly primalResidual: number;
  readonly dualResidual: number;
  readonly objective: number;
  /** Whether the active-set polish replaced the ADMM iterate. */
  readonly polished: boolean;
}

const MEAN_VARIANCE_KEYS = opt.optionKeys<MeanVarianceOptions>()(["riskAversion", "alphaScale", "gross", "netMin", "netMax", "maxPosition", "sectorNet", "betaNeutral"]);

export class MeanVariance implements PortfolioConstruction {
  readonly name = "mean-variance";
  readonly params: Readonly<Required<MeanVarianceOptions>>;
  #last: MeanVarianceDiagnostics | null = null;

  constructor(options: MeanVarianceOptions = {}) {
    const W = "MeanVariance";
    const given = opt.knownKeys(W, options, MEAN_VARIANCE_KEYS);
    const netMin = opt.finiteIn(W, "netMin", given.netMin, 0, -Number.MAX_VALUE, Number.MAX_VALUE);
    const netMax = opt.finiteIn(W, "netMax", given.netMax, 0, netMin, Number.MAX_VALUE);
    const gross = opt.finiteIn(W, "gross", given.gross, 1, 0, Number.MAX_VALUE, true);
    if (netMin > gross || netMax < -gross) throw new RangeError(`${W}: the net range [${netMin}, ${netMax}] lies outside ±gross (${gross}); Σw can never reach it`);
    this.params = Object.freeze({
      riskAversion: opt.finiteIn(W, "riskAversion", given.riskAversion, 1, 0, Number.MAX_VALUE, true),
      alphaScale: opt.finiteIn(W, "alphaScale", given.alphaScale, 1, -Number.MAX_VALUE, Number.MAX_VALUE),
      gross,
      netMin,
      netMax,
      maxPosition: opt.finiteIn(W, "maxPosition", given.maxPosition, 0.1, 0, Number.MAX_VALUE, true),
      sectorNet: given.sectorNet === undefined || given.sectorNet === Infinity ? Infinity : opt.finiteIn(W, "sectorNet", given.sectorNet, Infinity, 0, Number.MAX_VALUE),
      betaNeutral: given.betaNeutral === undefined ? false : opt.boolean(false).check(W, "betaNeutral", given.betaNeutral),
    });
  }

  /** Solver details of the last `weights` call (null before). */
  get diagnostics(): MeanVarianceDiagnostics | null {
    return this.#last;
  }

  weights(scores: Float64Array, context?: ConstructionContext): Float64Array {
    const W = "MeanVariance";
    const N = scores.length;
    const cov = requireCovariance(W, context, N);
    const o = this.params;
    const idx = validIndex(scores).filter((i) => Number.isFinite(cov[i * N + i]!));
    const out = new Float64Array(N);
    const n = idx.length;
    if (n === 0) return out;
    if (Math.min(o.gross, n * o.maxPosition) < Math.max(o.netMin, -o.netMax, 0)) {
      throw new RangeError(`${W}: infeasible — Σw must be in [${o.netMin}, ${o.netMax}] but gross ${o.gross} and ${n} names × maxPosition ${o.maxPosition} allow at most ${Math.min(o.gross, n * o.maxPosition)}`);
    }
    const S = subMatrix(cov, N, idx);
    for (let v = 0; v < n * n; v++) if (!Number.isFinite(S[v]!)) throw new RangeError(`${W}: context.covariance has a non-finite entry among the scored assets`);
    // sectors
    let groups: number[][] = [];
    if (Number.isFinite(o.sectorNet)) {
      const sec = context?.sectors;
      if (sec === undefined || sec.length !== N) throw new TypeError(`${W}: sectorNet needs context.sectors (one label per asset, ${N} in all)`);
      const by = new Map<string | number, number[]>();
      idx.forEach((i, a) => {
        const key = sec[i] as string | number;
        const g = by.get(key);
        if (g) g.push(a);
        else by.set(key, [a]);
      });
      groups = [...by.values()];
    }
    let betas: Float64Array | null = null;
    if (o.betaNeutral) {
      const b = context?.betas;
      if (!(b instanceof Float64Array) || b.length !== N) throw new TypeError(`${W}: betaNeutral needs context.betas (a Float64Array of ${N} betas)`);
      betas = Float64Array.from(idx, (i) => b[i]!);
      if (!betas.every(Number.isFinite)) throw new RangeError(`${W}: context.betas has a non-finite beta among the scored assets`);
    }
    const nv = 2 * n;
    const P = new Float64Array(nv * nv);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) P[a * nv + b] = o.riskAversion * S[a * n + b]!;
    const q = new Float64Array(nv);
    idx.forEach((i, a) => (q[a] = -o.alphaScale * scores[i]!));
    const rows: { coef: [number, number][]; lo: number; hi: number }[] = [];
    rows.push({ coef: idx.map((_, a) => [a, 1] as [number, number]), lo: o.netMin, hi: o.netMax });
    rows.push({ coef: idx.map((_, a) => [n + a, 1] as [number, number]), lo: 0, hi: o.gross });
    for (let a = 0; a < n; a++) {
      rows.push({ coef: [[a, 1], [n + a, -1]], lo: -Infinity, hi: 0 });
      rows.push({ coef: [[a, 1], [n + a, 1]], lo: 0, hi: Infinity });
      rows.push({ coef: [[a, 1]], lo: -o.maxPosition, hi: o.maxPosition });
    }
    for (const g of groups) rows.push({ coef: g.map((a) => [a, 1] as [number, number]), lo: -o.sectorNet, hi: o.sectorNet });
    if (betas !== null) {
      const bv = betas;
      rows.push({ coef: idx.map((_, a) => [a, bv[a]!] as [number, number]), lo: 0, hi: 0 });
    }
    const m = rows.length;
    const A = new Float64Array(m * nv);
    const l = new Float64Array(m);
    const u = new Float64Array(m);
    rows.forEach((r, k) => {
      for (const [c, v] of r.coef) A[k * nv + c] = v;
      l[k] = r.lo;
      u[k] = r.hi;
    });
    const sol = solveQP({ P, q, A, l, u, n: nv, m });
    let obj = 0;
    for (let a = 0; a < n; a++) {
      obj -= q[a]! * sol.x[a]!;
      for (let b = 0; b < n; b++) obj -= 0.5 * P[a * nv + b]! * sol.x[a]! * sol.x[b]!;
    }
    this.#last = Object.freeze({ status: sol.status, iterations: sol.iterations, primalResidual: sol.primalResidual, dualResidual: sol.dualResidual, objective: obj, polished: sol.polished });
    if (sol.status !== "solved") throw new Error(`${W}: the QP did not converge in ${sol.iterations} iterations (primal residual ${sol.primalResidual.toExponential(2)}, dual ${sol.dualResidual.toExponential(2)}); check that the covariance is positive semidefinite and the constraints are consistent`);
    idx.forEach((i, a) => (out[i] = Math.abs(sol.x[a]!) < 1e-12 ? 0 : sol.x[a]!));
    return out;
  }
}

export function meanVariance(options?: MeanVarianceOptions): MeanVariance {
  return new MeanVariance(options);
}
