/**
 * Returns-based style analysis (Sharpe 1992) against cvxpy (Clarabel) and scipy (SLSQP) in .venv on
 * real data: monthly returns of skfolio S&P 500 stocks' equal-weighted portfolio and of single
 * stocks on linearmodels' nine size/value portfolios (S1V1 … S5V5), 2005–2016.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { compoundByPeriod, rollingStyleAnalysis, styleAnalysis } from "../../lib/analytics/index.js";
import { simplexQP } from "../../lib/analytics/style-analysis.js";
import { loadDataset } from "../../lib/data/index.js";
import { solveQP } from "../../lib/portfolio/index.js";
import type { Panel } from "../../lib/data/panel.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";

const PEER = `
import numpy as np, cvxpy as cp
from scipy.optimize import minimize
out = []
for case in data["cases"]:
    y = np.array(case["y"]); X = np.array(case["X"]).T
    if case["objective"] == "variance":
        y = y - y.mean(); X = X - X.mean(axis=0)
    k = X.shape[1]
    w = cp.Variable(k)
    prob = cp.Problem(cp.Minimize(cp.sum_squares(y - X @ w)), [w >= 0, cp.sum(w) == 1])
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    f = lambda v: np.sum((y - X @ v) ** 2)
    s = minimize(f, np.full(k, 1 / k), method="SLSQP", bounds=[(0, None)] * k,
                 constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1}], options={"ftol": 1e-15, "maxiter": 1000})
    out.append({"cvxpy": np.asarray(w.value), "scipy": s.x, "obj_cvxpy": float(f(np.asarray(w.value))), "obj_scipy": float(f(s.x))})
emit(out)
`;

const STYLES = ["S1V1", "S1V3", "S1V5", "S3V1", "S3V3", "S3V5", "S5V1", "S5V3", "S5V5"];

describe("simplexQP", () => {
  it("solves a small problem with a known answer and active bounds", () => {
    // min ½‖w − (0.8, 0.5, −0.3)‖² on the simplex → projection: (0.65, 0.35, 0)
    const H = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const c = Float64Array.from([0.8, 0.5, -0.3]);
    const { w } = simplexQP(H, c, 3);
    expect(w[0]).toBeCloseTo(0.65, 14);
    expect(w[1]).toBeCloseTo(0.35, 14);
    expect(w[2]).toBe(0);
  });
});

describe("simplexQP vs lib/portfolio's ADMM solveQP", () => {
  it("agree on a real 9-style problem", async () => {
    const french = await loadDataset("linearmodels-french");
    const S = french.select(STYLES).slice({ start: "2010-01-01", end: "2016-12-31" });
    const y = french.column("Manuf").slice(french.dateIndex("2010-01-01"), french.dateIndex("2010-01-01") + S.nDates);
    const k = STYLES.length;
    const H = new Float64Array(k * k);
    const c = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) H[a * k + b] = S.columns[a]!.reduce((s, v, t) => s + v * S.columns[b]![t]!, 0);
      c[a] = S.columns[a]!.reduce((s, v, t) => s + v * y[t]!, 0);
    }
    const ours = simplexQP(H, c, k).w;
    // OSQP form: ½xᵀPx + qᵀx, l ≤ Ax ≤ u with A = [1ᵀ; I]
    const A = new Float64Array((k + 1) * k);
    for (let j = 0; j < k; j++) (A[j] = 1), (A[(j + 1) * k + j] = 1);
    const l = Float64Array.from({ length: k + 1 }, (_, i) => (i === 0 ? 1 : 0));
    const u = Float64Array.from({ length: k + 1 }, (_, i) => (i === 0 ? 1 : Infinity));
    const admm = solveQP({ P: H, q: c.map((v) => -v), A, l, u, n: k, m: k + 1 });
    expect(admm.status).toBe("solved");
    for (let j = 0; j < k; j++) expect(Math.abs((ours[j] as number) - (admm.x[j] as number))).toBeLessThan(1e-6);
  });
});

describe.skipIf(!hasVenv())(venvTitle("styleAnalysis vs cvxpy and scipy"), () => {
  let prices: Panel;
  let french: Panel;
  beforeAll(async () => {
    prices = await loadDataset("skfolio-sp500");
    french = await loadDataset("linearmodels-french");
  });

  it("weights ≥ 0 summing to 1 match both solvers on real monthly returns", async () => {
    const rets = prices.slice({ start: "2004-12-31", end: "2016-12-31" }).returns();
    const dates = rets.dates.subarray(1);
    const ew = new Float64Array(dates.length);
    for (let i = 0; i < dates.length; i++) {
      let s = 0;
      for (const c of rets.columns) s += c[i + 1] as number;
      ew[i] = s / rets.nAssets;
    }
    const styles = french.select(STYLES);
    const series: [string, Float64Array][] = [["equal-weighted", ew], ["JNJ", rets.column("JNJ").subarray(1)], ["AMD", rets.column("AMD").subarray(1)]];
    const cases: { y: Float64Array; X: Float64Array[]; objective: "sse" | "variance" }[] = [];
    const ours = [];
    for (const [, r] of series) {
      const m = compoundByPeriod(dates, r, "monthly");
      for (const objective of ["sse", "variance"] as const) {
        const res = styleAnalysis({ returns: m.returns, dates: m.periodStart, styles, objective });
        ours.push(res);
        const rows = Array.from(m.periodStart, (d) => styles.indexOfDate(d));
        cases.push({ y: m.returns, X: styles.columns.map((c) => Float64Array.from(rows, (k) => c[k] as number)), objective });
      }
    }
    const peer = await runPython<{ cvxpy: number[]; scipy: number[]; obj_cvxpy: number; obj_scipy: number }[]>(PEER, { cases });
    ours.forEach((res, i) => {
      const p = peer[i]!;
      expect(res.nobs).toBe(144);
      let s = 0;
      for (const w of res.weights) {
        expect(w).toBeGreaterThanOrEqual(0);
        s += w;
      }
      expect(s).toBeCloseTo(1, 14);
      for (let j = 0; j < STYLES.length; j++) {
        expect(Math.abs((res.weights[j] as number) - (p.cvxpy[j] as number))).toBeLessThan(2e-6);
        expect(Math.abs((res.weights[j] as number) - (p.scipy[j] as number))).toBeLessThan(1e-4);
      }
      // our KKT point is at least as good as either solver's
      const y = cases[i]!.y;
      const X = cases[i]!.X;
      const yc = res.objective === "sse" ? y : y.map((v) => v - y.reduce((a, b) => a + b, 0) / y.length);
      const Xc = res.objective === "sse" ? X : X.map((c) => c.map((v) => v - c.reduce((a, b) => a + b, 0) / c.length));
      let obj = 0;
      for (let t = 0; t < y.length; t++) {
        let f = 0;
        for (let j = 0; j < X.length; j++) f += (res.weights[j] as number) * ((Xc[j] as Float64Array)[t] as number);
        obj += ((yc[t] as number) - f) ** 2;
      }
      expect(obj).toBeLessThanOrEqual(Math.min(p.obj_cvxpy, p.obj_scipy) * (1 + 1e-9));
    });
    // the equal-weighted large-cap portfolio loads on big-size (S5*) styles, R² high
    const big = ours[0]!.weights.slice(6).reduce((a, b) => a + b, 0);
    expect(big).toBeGreaterThan(0.6);
    expect(ours[0]!.rsquared).toBeGreaterThan(0.8);
    expect(ours[0]!.zeroWeights.length).toBeGreaterThan(0);
    // rolling windows: the last window's weights are the full fit on that window
    const m0 = compoundByPeriod(dates, ew, "monthly");
    const roll = rollingStyleAnalysis({ returns: m0.returns, dates: m0.periodStart, styles, window: 36 });
    expect(roll.weights.nDates).toBe(144 - 36 + 1);
    const lastFit = styleAnalysis({ returns: m0.returns.subarray(108), dates: m0.periodStart.subarray(108), styles });
    for (let j = 0; j < STYLES.length; j++) expect(roll.weights.columns[j]![roll.weights.nDates - 1]).toBeCloseTo(lastFit.weights[j] as number, 12);
    for (let t = 0; t < roll.weights.nDates; t++) expect(roll.weights.row(t).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("rejects bad input", () => {
    expect(() => styleAnalysis({ returns: [0.1, 0.2], styles: french.select(["S1V1"]) })).toThrow(/at least 2 style indices/);
    expect(() => styleAnalysis({ returns: [0.1, 0.2], styles: french.select(STYLES) })).toThrow(/give dates/);
    expect(() => styleAnalysis({ returns: new Float64Array(french.nDates), styles: french.select(STYLES), objective: "l1" as never })).toThrow(/"sse" or "variance"/);
  });
});
