/**
 * factorReport against alphalens-reloaded 0.5.1 (.venv) on real data: a 5-day reversal score on 60
 * names of sp500-2003-2007 over 2004 (sectors from datasetInfo) — IC by date, quantile means and
 * standard errors, the spread series, quantile turnover and rank autocorrelation at each horizon, and
 * the sector-neutral variant (quantiles within sectors, returns demeaned by sector) on its first 50 dates.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { factorReport, factorReportHtml, type FactorReport } from "../../lib/analytics/index.js";
import { datasetInfo, loadDataset, Panel } from "../../lib/data/index.js";
import { fromEpochDay } from "../../lib/data/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";

const PEER = `
import warnings; warnings.filterwarnings("ignore")
_stdout, sys.stdout = sys.stdout, sys.stderr   # alphalens prints its max_loss report
import numpy as np, pandas as pd
import alphalens.utils as au, alphalens.performance as ap
idx = pd.DatetimeIndex(pd.to_datetime(data["dates"]), name="date")
prices = pd.DataFrame(np.array(data["prices"], dtype=float).T, index=idx, columns=data["assets"])
scores = pd.DataFrame(np.array(data["scores"], dtype=float).T, index=idx, columns=data["assets"])
factor = scores.stack(future_stack=True).dropna()
factor.index.names = ["date", "asset"]
out = {}
for neutral in (False, True):
    # the sector-neutral pass (pandas group-by-group apply, slow) on the first dates only
    f = factor[factor.index.get_level_values("date") <= pd.Timestamp(data["neutralCut"])] if neutral else factor
    fd = au.get_clean_factor_and_forward_returns(f, prices, groupby=dict(zip(data["assets"], data["groups"])),
        quantiles=5, periods=(1, 5, 10), filter_zscore=None, max_loss=1.0, binning_by_group=neutral)
    cols = au.get_forward_returns_columns(fd.columns)
    ic = ap.factor_information_coefficient(fd, group_adjust=neutral)
    mr, se = ap.mean_return_by_quantile(fd, demeaned=True, group_adjust=neutral)
    mrd, sed = ap.mean_return_by_quantile(fd, by_date=True, demeaned=True, group_adjust=neutral)
    res = {"dates": [d.strftime("%Y-%m-%d") for d in ic.index], "n": len(fd), "periods": []}
    for k, c in enumerate(cols):
        p = (1, 5, 10)[k]
        spread, sse = ap.compute_mean_returns_spread(mrd[c], 5, 1, sed[c])
        res["periods"].append({
            "ic": ic[c].to_numpy(), "qmean": mr[c].to_numpy(), "qse": se[c].to_numpy(),
            "spread": spread.to_numpy(), "spreadse": sse.to_numpy(),
            "turnover": [ap.quantile_turnover(fd["factor_quantile"], q, p).to_numpy() for q in range(1, 6)],
            "autocorr": ap.factor_rank_autocorrelation(fd, p).to_numpy(),
        })
    out["neutral" if neutral else "plain"] = res
sys.stdout = _stdout
emit(out)
`;

interface PeerPeriod { ic: (number | null)[]; qmean: number[]; qse: number[]; spread: number[]; spreadse: number[]; turnover: (number | null)[][]; autocorr: (number | null)[] }
interface PeerResult { dates: string[]; n: number; periods: PeerPeriod[] }

function close(actual: ArrayLike<number>, expected: readonly (number | null)[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i]!;
    if (e === null || e === undefined || Number.isNaN(e)) expect(Number.isNaN(a), `${what}[${i}] = ${a}, alphalens NaN`).toBe(true);
    else expect(Math.abs(a - e), `${what}[${i}]: ${a} vs alphalens ${e}`).toBeLessThan(1e-10 + 1e-9 * Math.abs(e));
  }
}

function compare(r: FactorReport, peer: PeerResult): void {
  expect(Array.from(r.dates, (d) => fromEpochDay(d))).toEqual(peer.dates);
  expect(r.observations).toBe(peer.n);
  r.periods.forEach((p, k) => {
    const e = peer.periods[k]!;
    close(p.rankIC, e.ic, `rank IC ${p.period}`);
    close(p.quantileMean, e.qmean, `quantile mean ${p.period}`);
    close(p.quantileStdError, e.qse, `quantile se ${p.period}`);
    close(p.spread, e.spread, `spread ${p.period}`);
    close(p.spreadStdError, e.spreadse, `spread se ${p.period}`);
    for (let q = 0; q < 5; q++) close(p.turnoverByDate[q]!, e.turnover[q]!, `turnover q${q + 1} lag ${p.period}`);
    close(p.rankAutocorrelation, e.autocorr, `rank autocorrelation ${p.period}`);
  });
}

const NEUTRAL_CUT = 55;

describe("factorReport vs alphalens-reloaded", () => {
  let prices: Panel;
  let scores: Panel;
  let groups: string[];
  beforeAll(async () => {
    const all = await loadDataset("sp500-2003-2007");
    prices = all.slice({ start: "2004-01-02", end: "2004-12-31", assets: all.assets.slice(0, 60) });
    const cols = prices.columns.map((c) => Float64Array.from(c, (v, i) => (i >= 5 ? -(v / c[i - 5]! - 1) : Number.NaN)));
    scores = new Panel(prices.dates, prices.assets, cols);
    const info = datasetInfo("sp500-2003-2007");
    groups = prices.assets.map((a) => info.sectors![a]!);
  });

  it.skipIf(!hasVenv())(venvTitle("gives alphalens' IC, quantile returns, spread, turnover and rank autocorrelation — plain and sector-neutral"), async () => {
    const peer = await runPython<{ plain: PeerResult; neutral: PeerResult }>(PEER, {
      dates: Array.from(prices.dates, (d) => fromEpochDay(d)), assets: prices.assets, prices: prices.columns, scores: scores.columns, groups,
      neutralCut: fromEpochDay(prices.dates[NEUTRAL_CUT]!),
    });
    const early = new Panel(scores.dates, scores.assets, scores.columns.map((c) => c.map((v, i) => (i <= NEUTRAL_CUT ? v : Number.NaN))));
    compare(factorReport(scores, prices, { groups }), peer.plain);
    compare(factorReport(early, prices, { groups, groupNeutral: true }), peer.neutral);
  });

  it("summarises IC with t-statistics and decay, and refuses bad input", () => {
    const r = factorReport(scores, prices, { periods: [1, 5] });
    expect(r.icDecay.map((d) => d.period)).toEqual([1, 5]);
    const s = r.periods[0]!.rankICStats;
    expect(s.tStat).toBeCloseTo(s.mean / (s.std / Math.sqrt(s.count)), 12);
    expect(s.pValue).toBeGreaterThan(0);
    const html = factorReportHtml(r);
    expect(html).toContain("<svg");
    expect(html).toContain("Rank IC (Spearman)");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(() => factorReport(scores, prices, { groupNeutral: true })).toThrow(/groupNeutral needs groups/);
    expect(() => factorReport(scores, prices, { quantile: 5 } as never)).toThrow(/did you mean "quantiles"/);
    expect(() => factorReport(scores, prices.slice({ assets: prices.assets.slice(1) }))).toThrow(/same dates and assets/);
  });
});
