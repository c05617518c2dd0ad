/**
 * MeanVariance (own ADMM + polish QP) against cvxpy + Clarabel on a covariance estimated from real
 * returns (skfolio's S&P 500 constituents): three constraint configurations, weights to 1e-6.
 */
import { describe, expect, it } from "vitest";
import { loadDataset, PanelView } from "../../lib/data/index.js";
import { MeanVariance, type MeanVarianceOptions, trailingRiskModel } from "../../lib/portfolio/index.js";
import { createRng } from "../../lib/stats/index.js";
import { hasVenv, runPython } from "../helpers/python.js";

const CVXPY = `
import numpy as np, cvxpy as cp
S = np.array(data["cov"]).reshape(data["n"], data["n"]); a = np.array(data["alpha"]); o = data["opts"]
n = data["n"]; w = cp.Variable(n)
cons = [cp.norm1(w) <= o["gross"], cp.sum(w) >= o["netMin"], cp.sum(w) <= o["netMax"], cp.abs(w) <= o["maxPosition"]]
if o.get("sectorNet") is not None:
    sec = np.array(data["sectors"])
    for s in np.unique(sec):
        cons.append(cp.abs(cp.sum(w[sec == s])) <= o["sectorNet"])
if o.get("betaNeutral"):
    cons.append(np.array(data["betas"]) @ w == 0)
prob = cp.Problem(cp.Maximize(a @ w - o["riskAversion"] / 2 * cp.quad_form(w, cp.psd_wrap(S))), cons)
prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
emit({"w": w.value, "obj": prob.value, "status": prob.status})
`;

describe.skipIf(!hasVenv())("MeanVariance vs cvxpy (skfolio-sp500 covariance)", async () => {
  const prices = await loadDataset("skfolio-sp500");
  const view = new PanelView(prices, prices.dates[6000] as number);
  const risk = trailingRiskModel(view, { window: 252 });
  const n = prices.nAssets;
  const rng = createRng(17);
  const alpha = Float64Array.from({ length: n }, () => 0.002 * rng.normal());
  const sectors = prices.assets.map((_, j) => j % 4);
  const configs: [string, MeanVarianceOptions][] = [
    ["dollar neutral, gross 1, |w| ≤ 0.15", { riskAversion: 5, gross: 1, maxPosition: 0.15 }],
    ["net in [0.1, 0.3], sector net ≤ 0.05", { riskAversion: 2, gross: 1.2, netMin: 0.1, netMax: 0.3, maxPosition: 0.2, sectorNet: 0.05 }],
    ["beta neutral, tight positions", { riskAversion: 10, gross: 0.8, maxPosition: 0.06, betaNeutral: true }],
  ];
  for (const [label, opts] of configs) {
    it(label, async () => {
      const mv = new MeanVariance(opts);
      const w = mv.weights(alpha, { covariance: risk.covariance, sectors, betas: risk.betas });
      const full = { ...mv.params, sectorNet: Number.isFinite(mv.params.sectorNet) ? mv.params.sectorNet : null };
      const py = await runPython<{ w: number[]; obj: number; status: string }>(CVXPY, { cov: risk.covariance, alpha, n, opts: full, sectors, betas: risk.betas });
      expect(py.status).toBe("optimal");
      let worst = 0;
      py.w.forEach((v, i) => (worst = Math.max(worst, Math.abs((w[i] as number) - v))));
      expect(worst).toBeLessThan(1e-6);
      expect(Math.abs((mv.diagnostics?.objective as number) - py.obj)).toBeLessThan(1e-9 + 1e-6 * Math.abs(py.obj));
      // constraints hold
      let g = 0;
      let net = 0;
      for (const x of w) (g += Math.abs(x)), (net += x);
      expect(g).toBeLessThanOrEqual(mv.params.gross + 1e-9);
      expect(net).toBeGreaterThanOrEqual(mv.params.netMin - 1e-9);
      expect(net).toBeLessThanOrEqual(mv.params.netMax + 1e-9);
      for (const x of w) expect(Math.abs(x)).toBeLessThanOrEqual(mv.params.maxPosition + 1e-9);
    });
  }
});

describe("MeanVariance options", () => {
  it("name the option and the allowed values", () => {
    expect(() => new MeanVariance({ riskAversion: 0 })).toThrow(/riskAversion must be a number in \(0/);
    expect(() => new MeanVariance({ netMin: 0.2, netMax: 0.1 })).toThrow(/netMax must be a number in \[0.2/);
    expect(() => new MeanVariance({ betaNeutral: 1 as never })).toThrow(/betaNeutral must be true or false/);
    expect(() => new MeanVariance().weights(new Float64Array(3))).toThrow(/context.covariance .* is required/);
    expect(() => new MeanVariance({ sectorNet: 0.1 }).weights(new Float64Array(2), { covariance: new Float64Array([1, 0, 0, 1]) })).toThrow(/sectorNet needs context.sectors/);
    expect(() => new MeanVariance({ netMin: 0.5, netMax: 0.5, maxPosition: 0.1 }).weights(new Float64Array(2), { covariance: new Float64Array([1, 0, 0, 1]) })).toThrow(/infeasible/);
  });
});
