/**
 * The stats results print like statsmodels' summary() (lib/stats/summary.ts): `String(r)` and
 * `util.inspect(r)` of an OLS fit, an ADF test, a PCA, an Engle-Granger and a Johansen test — the kernel's inspection shows the same text.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { adf, coint, createRng, johansen, ols, pca } from "../../lib/stats/index.js";

const rng = createRng(7);
const n = 300;
const x1 = Float64Array.from({ length: n }, () => rng.normal());
const x2 = Float64Array.from({ length: n }, () => rng.normal());
const y = x1.map((v, i) => 1 + 0.5 * v - 0.2 * x2[i]! + rng.normal());

describe("stats result summaries", () => {
  it("OLS: header (R², adj. R², F, n, df, AIC/BIC) and one row per coefficient with se, t, p and the 95% interval", () => {
    const r = ols(y, [x1, x2]);
    const text = String(r);
    expect(inspect(r)).toBe(text);
    expect(Object.keys(r)).not.toContain("toString");
    const lines = text.split("\n");
    expect(lines[0]!.trim()).toBe("OLS Regression Results");
    expect(text).toMatch(new RegExp(`R-squared:\\s+${r.rsquared.toFixed(4)}\\n`));
    expect(text).toMatch(/No\. Observations:\s+300\s+F-statistic:/);
    expect(text).toMatch(/Df Residuals:\s+297\s/);
    expect(text).toMatch(/Covariance Type:\s+nonrobust/);
    expect(lines.find((l) => l.includes("coef"))).toMatch(/^\s+coef\s+std err\s+t\s+P>\|t\|\s+\[0\.025\s+0\.975\]$/);
    const row = lines.find((l) => l.startsWith("x0"))!.trim().split(/\s+/).slice(1).map(Number);
    expect(row[0]).toBeCloseTo(r.params[1]!, 4);
    expect(row[1]).toBeCloseTo(r.bse[1]!, 3);
    expect(row[2]).toBeCloseTo(r.tvalues[1]!, 3);
    expect(row[3]).toBeCloseTo(r.pvalues[1]!, 3);
    // the interval is coef ± t(0.975, df)·se: t(0.975, 297) = 1.9680
    expect(row[4]).toBeCloseTo(r.params[1]! - 1.968 * r.bse[1]!, 2);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(String(ols(y, [x1, x2], { cov: "HAC", maxlags: 3 }))).toMatch(/Covariance Type:\s+HAC \(3 lags\)[\s\S]*P>\|z\|/);
  });

  it("ADF: statistic, p-value, lags, n, critical values and the verdict", () => {
    let w = 0;
    const walk = Float64Array.from({ length: n }, () => (w += rng.normal()));
    const r = adf(walk);
    const text = inspect(r);
    expect(text).toBe(String(r));
    expect(text).toMatch(new RegExp(`ADF statistic:\\s+${r.statistic.toFixed(4)}\\s+p-value:\\s+${r.pValue.toFixed(4)}`));
    expect(text).toMatch(new RegExp(`Lags used:\\s+${r.usedLag}\\s+Max lag:\\s+${r.maxLag}`));
    expect(text).toMatch(new RegExp(`No\\. Observations:\\s+${r.nobs}\\s`));
    expect(text).toContain(`1%: ${r.criticalValues["1%"].toFixed(3)}   5%: ${r.criticalValues["5%"].toFixed(3)}   10%: ${r.criticalValues["10%"].toFixed(3)}`);
    expect(text).toContain(r.statistic < r.criticalValues["5%"] ? "Unit root rejected at 5%" : "Unit root not rejected at 5%");
    expect(String(adf(y))).toContain("Unit root rejected at 5% (stationary).");
  });

  it("PCA: eigenvalue, explained and cumulative share per component", () => {
    const r = pca([x1, x2, y], { k: 2 });
    const text = String(r);
    expect(inspect(r)).toBe(text);
    expect(text.split("\n")[0]).toBe("PCA: 2 of 3 components; variables x0, x1, x2");
    const pc1 = text.split("\n").find((l) => l.startsWith("PC1"))!.trim().split(/\s+/).slice(1).map(Number);
    expect(pc1).toEqual([Number(r.eigenvalues[0]!.toFixed(4)), Number(r.explained[0]!.toFixed(4)), Number(r.explained[0]!.toFixed(4))]);
    const pc2 = text.split("\n").find((l) => l.startsWith("PC2"))!.trim().split(/\s+/).map(Number);
    expect(pc2[3]).toBeCloseTo(r.explained[0]! + r.explained[1]!, 4);
  });

  it("Engle-Granger and Johansen: statistics beside their critical values, the verdict, the rank", () => {
    let w = 0;
    const x = Float64Array.from({ length: n }, () => (w += rng.normal()));
    const y = x.map((v) => 2 * v + rng.normal());
    const eg = coint(y, x);
    const text = inspect(eg);
    expect(text).toBe(String(eg));
    expect(text).toMatch(new RegExp(`Test statistic:\\s+${eg.statistic.toFixed(4)}\\s+p-value:`));
    expect(text).toContain(`5%: ${eg.criticalValues[1].toFixed(3)}`);
    expect(text).toContain(`Cointegrating regression coefficients: ${eg.params[0]!.toFixed(4)}, `);
    expect(text).toContain("No cointegration rejected at 5% (cointegrated).");
    const j = johansen([x, y], { detOrder: 0, kArDiff: 1 });
    const jt = String(j);
    expect(inspect(j)).toBe(jt);
    const r0 = jt.split("\n").find((l) => l.startsWith("r <= 0"))!.slice(6).trim().split(/\s+/).map(Number);
    // statsmodels' 95% trace and max-eigenvalue critical values for 2 variables, det_order 0: 15.4943, 14.2639
    expect(r0).toEqual([Number(j.eigenvalues[0]!.toFixed(4)), Number(j.trace[0]!.toFixed(3)), 15.494, Number(j.maxEig[0]!.toFixed(3)), 14.264]);
    expect(jt).toMatch(/Cointegration rank by the trace test at 5%: 1\n/);
  });
});
