/**
 * PCAResidualModel's s-scores (Avellaneda & Lee 2010, DESIGN.md parameters: 252-day correlation
 * window, 15 factors, 60-day OU window, κ > 252/30) against a straightforward numpy implementation
 * on real data (skfolio's S&P 500 constituents), at several dates.
 */
import { describe, expect, it } from "vitest";
import { loadDataset, PanelView } from "../../lib/data/index.js";
import { PCAResidualModel, pcaResidualScores } from "../../lib/signals/index.js";
import { hasVenv, runPython } from "../helpers/python.js";

const NUMPY_SSCORES = `
import numpy as np
P = np.array(data["prices"], dtype=float).T  # T x n
R = P[1:] / P[:-1] - 1                        # R[t-1] = return into day t
out = []
for i in data["rows"]:
    W, L, k = 252, 60, 15
    win = R[i - W:i]                          # returns of days i-W+1 .. i
    mu = win.mean(0); sd = win.std(0, ddof=1)
    C = np.corrcoef(win, rowvar=False)
    vals, vecs = np.linalg.eigh(C)
    V = vecs[:, np.argsort(vals)[::-1][:k]]
    Q = V / sd[:, None]                       # eigenportfolio weights
    ou = R[i - L:i]
    F = ou @ Q
    X = np.column_stack([np.ones(L), F])
    beta, *_ = np.linalg.lstsq(X, ou, rcond=None)
    resid = ou - X @ beta
    Xc = np.cumsum(resid, axis=0)
    s = []
    kap = []
    for j in range(P.shape[1]):
        x0, x1 = Xc[:-1, j], Xc[1:, j]
        A = np.column_stack([np.ones(L - 1), x0])
        (a, b), *_ = np.linalg.lstsq(A, x1, rcond=None)
        z = x1 - a - b * x0
        if not (0 < b < 1):
            s.append(float("nan")); kap.append(float("nan")); continue
        kappa = -np.log(b) * 252
        kap.append(kappa)
        if kappa <= 252 / 30:
            s.append(float("nan")); continue
        m = a / (1 - b)
        sig = np.sqrt(z.var() / (1 - b * b))
        s.append((Xc[-1, j] - m) / sig)
    out.append({"s": s, "kappa": kap})
emit(out)
`;

describe.skipIf(!hasVenv())("PCA residual s-scores vs numpy (skfolio-sp500)", () => {
  it("match at five dates to 1e-6", async () => {
    const prices = await loadDataset("skfolio-sp500");
    const rows = [400, 1500, 3000, 5200, prices.nDates - 1];
    const py = await runPython<{ s: (number | null)[]; kappa: (number | null)[] }[]>(NUMPY_SSCORES, { prices: prices.columns, rows });
    const model = new PCAResidualModel();
    let compared = 0;
    rows.forEach((i, k) => {
      const view = new PanelView(prices, prices.dates[i] as number);
      const { s, kappa } = model.sScores(view, prices.dates[i] as number);
      const ref = py[k] as { s: (number | null)[]; kappa: (number | null)[] };
      for (let j = 0; j < prices.nAssets; j++) {
        const e = ref.s[j] ?? Number.NaN;
        const a = s[j] as number;
        if (Number.isNaN(e)) expect(a).toBeNaN();
        else {
          expect(Math.abs(a - e)).toBeLessThan(1e-6 * Math.max(1, Math.abs(e)));
          compared++;
        }
        const ek = ref.kappa[j] ?? Number.NaN;
        if (!Number.isNaN(ek)) expect(Math.abs((kappa[j] as number) - ek)).toBeLessThan(1e-6 * ek);
      }
    });
    expect(compared).toBeGreaterThan(30);
  });

  it("pcaResidualScores over a span equals the per-date model scores", async () => {
    const prices = (await loadDataset("skfolio-sp500")).sliceRows(0, 420);
    const all = pcaResidualScores(prices);
    const model = new PCAResidualModel();
    for (const i of [300, 419]) {
      const { s } = model.sScores(new PanelView(prices, prices.dates[i] as number), prices.dates[i] as number);
      for (let j = 0; j < prices.nAssets; j++) {
        const x = (all.sScore.columns[j] as Float64Array)[i] as number;
        expect(Object.is(x, s[j]) || (Number.isNaN(x) && Number.isNaN(s[j] as number))).toBe(true);
      }
    }
  });
});
