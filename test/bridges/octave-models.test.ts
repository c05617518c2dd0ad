/**
 * bridges/octave models against lib/ and peers on real data: the block-bootstrap Monte Carlo against
 * lib/backtest `monteCarloStrategy` in distribution (different generators, so bands not draws), GBM
 * paths against their closed form, and the `qp` mean-variance weights against the closed form
 * (equality constraint only) and cvxpy/Clarabel in .venv (long-only with a cap).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../../bridges/core/transport.js";
import { octaveMeanVariance, octaveMonteCarlo } from "../../bridges/octave/models.js";
import { OctaveSession } from "../../bridges/octave/session.js";
import { monteCarloStrategy } from "../../lib/backtest/index.js";
import { loadDataset, type Panel } from "../../lib/data/index.js";
import { covMatrix, Matrix, quantile, solve } from "../../lib/stats/index.js";
import { hasVenv, runPython } from "../helpers/python.js";

const hasOctave = findExecutable("octave-cli") !== undefined;

function portfolioReturns(r: Panel, w: Float64Array): Float64Array {
  const out = new Float64Array(r.nDates);
  for (let j = 0; j < r.nAssets; j++) {
    const c = r.column(j);
    for (let i = 0; i < r.nDates; i++) out[i] = (out[i] as number) + (w[j] as number) * (c[i] as number);
  }
  return out;
}

describe.skipIf(!hasOctave)(hasOctave ? "Octave models vs lib" : "Octave models vs lib (skipped: no octave-cli)", () => {
  const o = new OctaveSession();
  let rets: Panel;
  beforeAll(async () => {
    const sp = await loadDataset("skfolio-sp500");
    const sub = sp.select(sp.assets.slice(0, 8));
    rets = sub.returns().sliceRows(sub.nDates - 505, sub.nDates);
  });
  afterAll(() => o.close());

  it("block bootstrap: final-wealth bands match lib monteCarloStrategy (moving blocks)", async () => {
    const w = new Float64Array(rets.nAssets).fill(1 / rets.nAssets);
    const mc = await octaveMonteCarlo(o, rets, w, { method: "block", simulations: 2000, blockSize: 20, seed: 7 });
    const lib = monteCarloStrategy(portfolioReturns(rets, w), { method: "moving", blockSize: 20, simulations: 2000, seed: 7, percentiles: [5, 50, 95] });
    const fw = Float64Array.from(mc.finalWealth).sort();
    const band = lib.finalWealth.percentiles;
    const spread = (band[95] as number) - (band[5] as number);
    for (const p of [5, 50, 95]) expect(Math.abs(quantile(fw, p / 100) - (band[p] as number))).toBeLessThan(0.1 * spread);
    const vol = Float64Array.from(mc.annualVolatility).sort();
    expect(Math.abs(quantile(vol, 0.5) / (lib.metrics.annualVolatility.percentiles[50] as number) - 1)).toBeLessThan(0.05);
    expect(mc.paths.rows).toBe(rets.nDates);
    expect(mc.paths.cols).toBe(20);
    for (const d of mc.maxDrawdown) expect(d).toBeLessThanOrEqual(0);
  });

  it("GBM: log final wealth has the closed-form mean and spread", async () => {
    const one = rets.select([rets.assets[0] as string]);
    const x = one.column(0).map(Math.log1p);
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let s2 = 0;
    for (const v of x) s2 += (v - m) ** 2;
    const sd = Math.sqrt(s2 / (x.length - 1));
    const T = 252;
    const sims = 3000;
    const mc = await octaveMonteCarlo(o, one, Float64Array.of(1), { method: "gbm", simulations: sims, horizon: T, seed: 3 });
    const lw = mc.finalWealth.map(Math.log);
    let lm = 0;
    for (const v of lw) lm += v;
    lm /= sims;
    let lv = 0;
    for (const v of lw) lv += (v - lm) ** 2;
    const lsd = Math.sqrt(lv / (sims - 1));
    const se = (sd * Math.sqrt(T)) / Math.sqrt(sims);
    expect(Math.abs(lm - m * T)).toBeLessThan(4 * se);
    expect(Math.abs(lsd / (sd * Math.sqrt(T)) - 1)).toBeLessThan(0.05);
  });

  it("qp with only the budget constraint equals the closed form", async () => {
    const mu = Float64Array.from(rets.columns, (c) => (c.reduce((a, b) => a + b, 0) / c.length) * 252);
    const sigma = covMatrix(rets);
    const S = new Matrix(sigma.rows, sigma.cols, sigma.data.map((v) => v * 252));
    const gamma = 4;
    const res = await octaveMeanVariance(o, mu, S, { riskAversion: gamma, lb: Number.NEGATIVE_INFINITY, ub: Number.POSITIVE_INFINITY });
    // w = Σ⁻¹μ/γ + Σ⁻¹1·(1 − 1'Σ⁻¹μ/γ)/(1'Σ⁻¹1)
    const a = solve(S, mu);
    const b = solve(S, new Float64Array(mu.length).fill(1));
    const sa = a.reduce((x, y) => x + y, 0) / gamma;
    const sb = b.reduce((x, y) => x + y, 0);
    const closed = a.map((v, i) => v / gamma + ((b[i] as number) * (1 - sa)) / sb);
    for (let i = 0; i < mu.length; i++) expect(Math.abs((res.weights[i] as number) - (closed[i] as number))).toBeLessThan(1e-7);
    expect(Math.abs(res.weights.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-10);
  });

  it.skipIf(!hasVenv())("long-only capped qp matches cvxpy (Clarabel)", async () => {
    const mu = Float64Array.from(rets.columns, (c) => (c.reduce((a, b) => a + b, 0) / c.length) * 252);
    const sigma = covMatrix(rets);
    const S = new Matrix(sigma.rows, sigma.cols, sigma.data.map((v) => v * 252));
    const res = await octaveMeanVariance(o, mu, S, { riskAversion: 2, lb: 0, ub: 0.3 });
    const peer = await runPython<number[]>(
      `import cvxpy as cp, numpy as np
mu = np.array(data["mu"]); k = len(mu); S = np.array(data["S"]).reshape(k, k, order="F")
w = cp.Variable(k)
cp.Problem(cp.Minimize(0.5 * 2 * cp.quad_form(w, cp.psd_wrap(S)) - mu @ w), [cp.sum(w) == 1, w >= 0, w <= 0.3]).solve(solver=cp.CLARABEL)
emit([float(v) for v in w.value])`,
      { mu: Array.from(mu), S: Array.from(S.data) },
    );
    for (let i = 0; i < mu.length; i++) expect(Math.abs((res.weights[i] as number) - (peer[i] as number))).toBeLessThan(1e-4);
    for (const v of res.weights) {
      expect(v).toBeGreaterThanOrEqual(-1e-9);
      expect(v).toBeLessThanOrEqual(0.3 + 1e-9);
    }
  });

  it("bad input is named", async () => {
    const S = new Matrix(2, 2, Float64Array.of(1, 0, 0, 1));
    await expect(octaveMeanVariance(o, Float64Array.of(1, 2, 3), S)).rejects.toThrow(/Sigma is 2 × 2, expected 3 × 3/);
    await expect(octaveMeanVariance(o, Float64Array.of(0.1, 0.2), S, { lb: 0.6, ub: 1 })).rejects.toThrow(/OctaveError|qp did not solve|infeasible/);
  });
});
