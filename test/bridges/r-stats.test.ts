/**
 * bridges/r/stats.R against lib/stats and lib/analytics on real data (DESIGN.md example 4: one group
 * per configuration). urca vs statsmodels conventions are in bridges/r/stats.ts: ca.jo(ecdet "none",
 * K = k + 1) ↔ johansen(detOrder 0, kArDiff k) for eigenvalues and statistics (critical values come
 * from different tables and are not compared); ur.df(type, lags = k) ↔ adf(regression, maxlag k,
 * autolag null). GARCH(1,1) (tseries) is checked against Python's arch in .venv.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "../../bridges/core/transport.js";
import { RSession } from "../../bridges/r/session.js";
import { rAdf, rGarch, rJohansen, rPerformance } from "../../bridges/r/stats.js";
import { annualReturn, annualVolatility, calmarRatio, maxDrawdown, sharpeRatio, sortinoRatio } from "../../lib/analytics/index.js";
import { loadDataset, type Panel } from "../../lib/data/index.js";
import { adf, johansen } from "../../lib/stats/index.js";
import { hasVenv, runPython } from "../helpers/python.js";

const hasR = findExecutable("Rscript") !== undefined;

function close(a: ArrayLike<number>, b: ArrayLike<number>, rel: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    expect(Math.abs(x - y)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(y)));
  }
}

const logPrices = (p: Panel): Panel => p.mapColumns((c) => c.map(Math.log));

describe.skipIf(!hasR)(hasR ? "R statistics vs lib" : "R statistics vs lib (skipped: no Rscript)", () => {
  const r = new RSession();
  let dow: Panel;
  let sp: Panel;
  beforeAll(async () => {
    dow = await loadDataset("dowjones30");
    sp = await loadDataset("skfolio-sp500");
  });
  afterAll(() => r.close());

  describe.each([
    { name: "dowjones30, 3 stocks, k = 1", data: () => logPrices(dow.select(dow.assets.slice(0, 3))), k: 1 },
    { name: "skfolio-sp500, 4 stocks, k = 2", data: () => logPrices(sp.select(sp.assets.slice(0, 4)).sliceRows(0, 1500)), k: 2 },
  ])("Johansen: urca ca.jo vs lib johansen ($name)", ({ data, k }) => {
    it("same eigenvalues, trace and max-eigenvalue statistics", async () => {
      const x = data();
      const ur = await rJohansen(r, x, { ecdet: "none", K: k + 1 });
      const ts = johansen(x, { detOrder: 0, kArDiff: k });
      close(ur.eigenvalues, ts.eigenvalues, 1e-8);
      close(ur.trace, ts.trace, 1e-8);
      close(ur.maxEig, ts.maxEig, 1e-8);
      expect(ur.nobs).toBe(ts.nobs);
      expect(ur.traceCrit.rows).toBe(x.nAssets);
    });
  });

  describe.each([
    { type: "none" as const, regression: "n" as const, lags: 0 },
    { type: "drift" as const, regression: "c" as const, lags: 2 },
    { type: "trend" as const, regression: "ct" as const, lags: 5 },
  ])("ADF: urca ur.df($type, lags $lags) vs lib adf($regression)", ({ type, regression, lags }) => {
    it("same τ statistic and sample on three real price series", async () => {
      for (const j of [0, 7, 21]) {
        const x = dow.column(j).map(Math.log);
        const ur = await rAdf(r, x, { type, lags });
        const ts = adf(x, { regression, maxlag: lags, autolag: null });
        expect(Math.abs(ur.statistic - ts.statistic)).toBeLessThan(1e-8 * Math.max(1, Math.abs(ts.statistic)));
        expect(ur.nobs).toBe(ts.nobs);
        expect(ur.usedLag).toBe(lags);
        expect(ur.criticalValues["5%"]).toBeLessThan(0);
      }
    });
  });

  it("performance statistics agree with lib/analytics (empyrical definitions)", async () => {
    const ret = sp.returns().column(3).subarray(1);
    const rp = await rPerformance(r, ret);
    const rel = 1e-10;
    close([rp.sharpeRatio, rp.sortinoRatio, rp.maxDrawdown, rp.annualReturn, rp.annualVolatility, rp.calmarRatio], [sharpeRatio(ret), sortinoRatio(ret), maxDrawdown(ret), annualReturn(ret), annualVolatility(ret), calmarRatio(ret)], rel);
  });

  it.skipIf(!hasVenv())("GARCH(1,1): tseries garch vs Python arch on real returns", async () => {
    const raw = sp.returns().column(0).subarray(1, 2001);
    let m = 0;
    for (const v of raw) m += v;
    m /= raw.length;
    const y = raw.map((v) => v - m);
    const g = await rGarch(r, y);
    const peer = await runPython<{ omega: number; alpha: number; beta: number }>(
      `from arch import arch_model
import numpy as np
y = np.array(data) * 100
res = arch_model(y, mean="Zero", vol="GARCH", p=1, q=1, rescale=False).fit(disp="off")
emit({"omega": float(res.params["omega"]) / 1e4, "alpha": float(res.params["alpha[1]"]), "beta": float(res.params["beta[1]"])})`,
      Array.from(y),
    );
    expect(g.alpha).toBeGreaterThan(0);
    expect(g.alpha + g.beta).toBeLessThan(1);
    expect(Math.abs(g.alpha - peer.alpha)).toBeLessThan(0.02);
    expect(Math.abs(g.beta - peer.beta)).toBeLessThan(0.03);
    expect(Math.abs(g.alpha + g.beta - (peer.alpha + peer.beta))).toBeLessThan(0.01);
    const uncond = g.omega / (1 - g.alpha - g.beta);
    const uncondPeer = peer.omega / (1 - peer.alpha - peer.beta);
    expect(Math.abs(uncond / uncondPeer - 1)).toBeLessThan(0.15);
    expect(g.conditionalVolatility.length).toBe(y.length);
  });

  it("bad input is named before it reaches R", async () => {
    await expect(rJohansen(r, dow.select(dow.assets.slice(0, 2)), { K: 1 })).rejects.toThrow(/option K must be an integer ≥ 2/);
    await expect(rGarch(r, Float64Array.of(0.1, Number.NaN))).rejects.toThrow(/returns\[1\] is NaN/);
  });
});
