/** Dollar/beta-neutral, top-k/bottom-k, risk parity, Kelly and volatility targeting: their defining properties. */
import { describe, expect, it } from "vitest";
import { backtestPortfolio, BetaNeutral, DollarNeutral, KellyFraction, portfolioVolatility, RiskParity, TopKBottomK, trailingRiskModel, VolatilityTarget } from "../../lib/portfolio/index.js";
import { PanelView } from "../../lib/data/index.js";
import { createRng, solveSPD, syntheticPairsMarket } from "../../lib/stats/index.js";

const { prices } = syntheticPairsMarket({ nAssets: 15, nDays: 300, seed: 4 });
const risk = trailingRiskModel(PanelView.of(prices), { window: 200 });
const n = prices.nAssets;
const rng = createRng(5);
const scores = Float64Array.from({ length: n }, () => rng.normal());
scores[3] = Number.NaN;
const sum = (w: Float64Array) => w.reduce((a, b) => a + b, 0);
const gross = (w: Float64Array) => w.reduce((a, b) => a + Math.abs(b), 0);

describe("portfolio constructions", () => {
  it("DollarNeutral: Σw = 0, Σ|w| = gross, order of scores kept, NaN → 0, caps respected", () => {
    for (const transform of ["rank", "zscore", "raw"] as const) {
      const w = new DollarNeutral({ gross: 2, transform }).weights(scores);
      expect(Math.abs(sum(w))).toBeLessThan(1e-12);
      expect(gross(w)).toBeCloseTo(2, 12);
      expect(w[3]).toBe(0);
      const idx = [...Array(n).keys()].filter((i) => i !== 3).sort((a, b) => (scores[a] as number) - (scores[b] as number));
      for (let k = 1; k < idx.length; k++) expect(w[idx[k] as number] as number).toBeGreaterThanOrEqual(w[idx[k - 1] as number] as number);
    }
    const capped = new DollarNeutral({ gross: 1, maxPosition: 0.09 }).weights(scores);
    expect(Math.max(...capped.map(Math.abs))).toBeLessThanOrEqual(0.09 + 1e-15);
    expect(Math.abs(sum(capped))).toBeLessThan(1e-12);
    expect(gross(capped)).toBeCloseTo(1, 12);
    expect(() => new DollarNeutral({ gross: 1, maxPosition: 0.01 }).weights(scores)).toThrow(/maxPosition 0.01 is too small/);
    expect(() => new DollarNeutral({ transform: "log" as never })).toThrow(/transform must be one of "rank", "zscore", "raw"/);
  });

  it("BetaNeutral: Σw = 0 and Σβw = 0", () => {
    const w = new BetaNeutral({ gross: 1 }).weights(scores, { betas: risk.betas });
    expect(Math.abs(sum(w))).toBeLessThan(1e-12);
    let b = 0;
    for (let i = 0; i < n; i++) b += (w[i] as number) * (risk.betas[i] as number);
    expect(Math.abs(b)).toBeLessThan(1e-12);
    expect(gross(w)).toBeCloseTo(1, 12);
    expect(() => new BetaNeutral().weights(scores)).toThrow(/context.betas must be a Float64Array of 15/);
  });

  it("TopKBottomK: k names per side, equal or score weights", () => {
    const w = new TopKBottomK({ k: 3 }).weights(scores);
    expect(w.filter((x) => x > 0).length).toBe(3);
    expect(w.filter((x) => x < 0).length).toBe(3);
    expect(Math.abs(sum(w))).toBeLessThan(1e-15);
    const best = [...Array(n).keys()].filter((i) => i !== 3).sort((a, b) => (scores[b] as number) - (scores[a] as number)).slice(0, 3);
    for (const i of best) expect(w[i]).toBeCloseTo(1 / 6, 15);
    const ws = new TopKBottomK({ k: 3, weighting: "score", gross: 2 }).weights(scores);
    expect(gross(ws)).toBeCloseTo(2, 12);
    expect(() => new TopKBottomK({ weighting: "inverse" as never })).toThrow(/weighting must be one of "equal", "score"/);
  });

  it("RiskParity: equal risk contributions (long-only and signed)", () => {
    for (const direction of ["long-only", "score-sign"] as const) {
      const w = new RiskParity({ direction }).weights(scores, { covariance: risk.covariance });
      const rc: number[] = [];
      for (let i = 0; i < n; i++) {
        if (i === 3) continue;
        let s = 0;
        for (let j = 0; j < n; j++) s += (risk.covariance[i * n + j] as number) * (w[j] as number);
        rc.push((w[i] as number) * s);
      }
      const mean = rc.reduce((a, b) => a + b, 0) / rc.length;
      for (const r of rc) expect(Math.abs(r - mean)).toBeLessThan(1e-9 * Math.abs(mean));
      expect(gross(w)).toBeCloseTo(1, 12);
      if (direction === "score-sign") for (let i = 0; i < n; i++) if (i !== 3) expect(Math.sign(w[i] as number)).toBe(Math.sign(scores[i] as number));
    }
  });

  it("KellyFraction: f·Σ⁻¹μ, capped at maxGross", () => {
    const mu = scores.map((s) => (Number.isNaN(s) ? s : 1e-4 * s));
    const w = new KellyFraction({ fraction: 0.5, maxGross: 1e9 }).weights(mu, { covariance: risk.covariance });
    const idx = [...Array(n).keys()].filter((i) => i !== 3);
    const S = new Float64Array(idx.length ** 2);
    idx.forEach((a, p) => idx.forEach((b, q) => (S[p * idx.length + q] = risk.covariance[a * n + b] as number)));
    const full = solveSPD(S, idx.length, Float64Array.from(idx, (i) => mu[i] as number));
    idx.forEach((i, p) => expect(Math.abs((w[i] as number) - 0.5 * (full[p] as number))).toBeLessThan(1e-9 * Math.abs(full[p] as number) + 1e-12));
    const capped = new KellyFraction({ maxGross: 0.5 }).weights(mu, { covariance: risk.covariance });
    expect(gross(capped)).toBeCloseTo(Math.min(0.5, gross(w)), 12);
    const diag = new KellyFraction({ fraction: 1, maxGross: 1e9 }).weights(mu, { volatilities: risk.volatilities });
    expect(diag[0]).toBeCloseTo((mu[0] as number) / (risk.volatilities[0] as number) ** 2, 12);
    expect(() => new KellyFraction({ fraction: 2 })).toThrow(/fraction must be a number in \[0, 1\]/);
  });

  it("VolatilityTarget: predicted annual volatility equals the target unless the gross cap binds", () => {
    const vt = new VolatilityTarget({ target: 0.1, maxGross: 50 });
    const w = vt.weights(scores, { covariance: risk.covariance });
    expect(portfolioVolatility(w, risk.covariance)).toBeCloseTo(0.1, 12);
    const capped = new VolatilityTarget({ target: 5, maxGross: 2 }).weights(scores, { covariance: risk.covariance });
    expect(gross(capped)).toBeCloseTo(2, 12);
    expect(() => new VolatilityTarget({ target: -1 })).toThrow(/target must be a number in \(0/);
  });

  it("backtestPortfolio: risk inputs from the prices up to the decision date only", () => {
    const vt = new VolatilityTarget({ target: 0.1 });
    const f = backtestPortfolio(vt, prices, { riskWindow: 200 });
    const last = prices.nDates - 1;
    const w = f(scores, { date: prices.dates[last] as number, row: last });
    expect(Array.from(w)).toEqual(Array.from(vt.weights(scores, { covariance: risk.covariance })));
    expect(Array.from(f(scores, { date: prices.dates[150] as number, row: 150 }))).toEqual(new Array(n).fill(0));
  });
});
