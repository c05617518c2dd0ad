/**
 * ResidualSignals (Avellaneda & Lee s-scores) against a direct numpy implementation of the paper's
 * recipe on one date: correlation eigenportfolios Q = v/σ, OLS of each stock on [1, F] over the last
 * 60 days, AR(1) of the cumulated residuals, κ, m, σ_eq and the centred s-score — for the primal
 * (n ≤ window) and the Gram (n > window) eigen paths and for sector portfolios.
 */
import { describe, expect, it } from "vitest";
import { ResidualSignals } from "../../lib/signals/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";

const PEER = `
import numpy as np
P = np.array(data["prices"], dtype=float).T   # T x n
t, W, L, k, kmin = data["t"], data["W"], data["L"], data["k"], data["kmin"]
groups = data["groups"]
R = P[1:] / P[:-1] - 1
R = np.vstack([np.full((1, R.shape[1]), np.nan), R])
win = R[t - W + 1:t + 1]
n = win.shape[1]
if groups is None:
    sd = win.std(axis=0, ddof=1)
    Y = (win - win.mean(axis=0)) / sd
    C = Y.T @ Y / (W - 1)
    val, vec = np.linalg.eigh(C)
    Q = (vec[:, ::-1][:, :k] / sd[:, None]).T           # k x n
    Fall = R[t - L + 1:t + 1] @ Q.T                        # L x k
    designs = [Fall] * n
else:
    labels = sorted(set(groups), key=groups.index)
    F = {g: R[t - L + 1:t + 1][:, [i for i in range(n) if groups[i] == g]].mean(axis=1, keepdims=True) for g in labels}
    designs = [F[groups[i]] for i in range(n)]
s, kap, m, seq = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
last = np.zeros(n)
for i in range(n):
    X = np.hstack([np.ones((L, 1)), designs[i]])
    y = R[t - L + 1:t + 1, i]
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    x = np.cumsum(y - X @ b)
    A = np.vstack([np.ones(L - 1), x[:-1]]).T
    a0, b1 = np.linalg.lstsq(A, x[1:], rcond=None)[0]
    z = x[1:] - a0 - b1 * x[:-1]
    if 0 < b1 < 1:
        kap[i] = -np.log(b1) * 252
        m[i] = a0 / (1 - b1)
        seq[i] = np.sqrt(z.var() / (1 - b1 * b1))
    last[i] = x[-1]
mbar = np.nanmean(m)
ok = kap > kmin
s[ok] = (last[ok] - (m[ok] - mbar)) / seq[ok]
emit({"s": s, "kappa": kap})
`;

function compare(actual: Float64Array, expected: (number | null)[]): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i];
    if (e === null || e === undefined) expect(Number.isNaN(actual[i]!), `asset ${i}`).toBe(true);
    else expect(Math.abs(actual[i]! - e), `asset ${i}: ${actual[i]} vs ${e}`).toBeLessThan(1e-7 * Math.max(1, Math.abs(e)));
  }
}

describe("ResidualSignals vs numpy", () => {
  const cases = [
    { name: "PCA, n ≤ window (primal)", nAssets: 30, W: 80, k: 5, groups: null },
    { name: "PCA, n > window (Gram)", nAssets: 60, W: 50, k: 4, groups: null },
    { name: "sector portfolios", nAssets: 24, W: 80, k: 1, groups: Array.from({ length: 24 }, (_, j) => `G${j % 3}`) },
  ];
  for (const c of cases) {
    it.skipIf(!hasVenv())(venvTitle(`s-scores and κ on one date: ${c.name}`), async () => {
      const prices = syntheticPairsMarket({ nAssets: c.nAssets, nDays: 140, seed: 11 }).prices;
      const t = 120;
      const L = 40;
      const sig = new ResidualSignals(prices, c.groups === null
        ? { count: c.k, correlationWindow: c.W, ouWindow: L }
        : { factors: "groups", groups: c.groups, correlationWindow: c.W, ouWindow: L });
      const row = sig.at(t);
      const peer = await runPython<{ s: (number | null)[]; kappa: (number | null)[] }>(PEER, { prices: prices.columns, t, W: c.W, L, k: c.k, kmin: 252 / 30, groups: c.groups });
      compare(row.kappa, peer.kappa);
      compare(row.s, peer.s);
      expect(row.s.some((x) => Number.isFinite(x))).toBe(true);
    });
  }
});
