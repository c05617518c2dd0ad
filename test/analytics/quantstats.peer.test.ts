/**
 * quantstatsMetrics against quantstats 0.0.86 (.venv) on real data: AAPL's daily return less the
 * equal-weighted return of the 452 names of sp500-2003-2007 (a long/short series), flat for its first
 * 60 days so exposure and win rates see zero days — every full-report metric, the drawdown table,
 * the rolling ratios and the monthly table; Sharpe/Sortino/Omega also over a risk-free rate.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { quantstatsHtml, quantstatsMetrics, type QuantstatsMetrics } from "../../lib/analytics/index.js";
import { fromEpochDay, loadDataset } from "../../lib/data/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";

const PEER = `
import warnings; warnings.filterwarnings("ignore")
_stdout, sys.stdout = sys.stdout, sys.stderr
import numpy as np, pandas as pd
import quantstats as qs
s = qs.stats
r = pd.Series(data["r"], index=pd.DatetimeIndex(pd.to_datetime(data["dates"])))
dd = s.to_drawdown_series(r)
det = s.drawdown_details(dd).sort_values(by="max drawdown")
m = {
 "cumulativeReturn": s.comp(r), "cagr": s.cagr(r), "sharpe": s.sharpe(r), "probabilisticSharpe": s.probabilistic_sharpe_ratio(r, 0.0, 252, False),
 "smartSharpe": s.smart_sharpe(r), "sortino": s.sortino(r), "smartSortino": s.smart_sortino(r), "omega": s.omega(r),
 "maxDrawdown": s.max_drawdown(r), "longestDrawdownDays": int(det["days"].max()), "volatility": s.volatility(r), "calmar": s.calmar(r),
 "skew": s.skew(r), "kurtosis": s.kurtosis(r), "expectedDaily": s.expected_return(r), "expectedMonthly": s.expected_return(r, aggregate="ME"),
 "expectedYearly": s.expected_return(r, aggregate="YE"), "kelly": s.kelly_criterion(r), "riskOfRuin": s.risk_of_ruin(r),
 "valueAtRisk": s.var(r), "expectedShortfall": s.cvar(r), "maxConsecutiveWins": int(s.consecutive_wins(r)), "maxConsecutiveLosses": int(s.consecutive_losses(r)),
 "gainToPain": s.gain_to_pain_ratio(r), "payoffRatio": s.payoff_ratio(r), "profitFactor": s.profit_factor(r), "commonSenseRatio": s.common_sense_ratio(r),
 "cpcIndex": s.cpc_index(r), "tailRatio": s.tail_ratio(r), "outlierWinRatio": s.outlier_win_ratio(r), "outlierLossRatio": s.outlier_loss_ratio(r),
 "bestDay": s.best(r), "worstDay": s.worst(r), "bestMonth": s.best(r, aggregate="ME"), "worstMonth": s.worst(r, aggregate="ME"),
 "bestYear": s.best(r, aggregate="YE"), "worstYear": s.worst(r, aggregate="YE"), "avgDrawdown": det["max drawdown"].mean() / 100,
 "avgDrawdownDays": float(np.round(det["days"].mean())), "recoveryFactor": s.recovery_factor(r), "ulcerIndex": s.ulcer_index(r),
 "serenityIndex": s.serenity_index(r), "avgUpMonth": s.avg_win(r, aggregate="ME"), "avgDownMonth": s.avg_loss(r, aggregate="ME"),
 "winDays": s.win_rate(r), "winMonths": s.win_rate(r, aggregate="ME"), "winQuarters": s.win_rate(r, aggregate="QE"), "winYears": s.win_rate(r, aggregate="YE"),
 "exposure": s.exposure(r),
}
rf = pd.Series(data["rf"], index=r.index)
withRf = {"sharpe": s.sharpe(r, rf=0.03), "sortino": s.sortino(r, rf=0.03), "omega": s.omega(r, rf=0.03), "sharpeSeries": s.sharpe(r, rf=rf)}
mt = s.monthly_returns(r)
out = {"m": {k: float(v) for k, v in m.items()}, "rf": {k: float(v) for k, v in withRf.items()},
  "dd": [[a, b, c, int(d), float(e) / 100] for a, b, c, d, e in det[["start", "valley", "end", "days", "max drawdown"]].head(5).to_numpy()],
  "ddseries": dd.to_numpy(), "rs": s.rolling_sharpe(r).to_numpy(), "rso": s.rolling_sortino(r).to_numpy(), "rv": s.rolling_volatility(r).to_numpy(),
  "monthly": mt.to_numpy()}
sys.stdout = _stdout
emit(out)
`;

interface Peer { m: Record<keyof QuantstatsMetrics, number>; rf: Record<string, number>; dd: [string, string, string, number, number][]; ddseries: number[]; rs: (number | null)[]; rso: (number | null)[]; rv: (number | null)[]; monthly: number[][] }

const near = (a: number, e: number | null, what: string): void => {
  if (e === null || Number.isNaN(e)) expect(Number.isNaN(a), `${what}: ${a}, quantstats NaN`).toBe(true);
  else expect(Math.abs(a - e), `${what}: ${a} vs quantstats ${e}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
};

describe("quantstatsMetrics vs quantstats", () => {
  let r: Float64Array;
  let dates: Int32Array;
  let rf: Float64Array;
  beforeAll(async () => {
    const p = await loadDataset("sp500-2003-2007");
    const j = p.assets.indexOf("AAPL");
    dates = p.dates.slice(1);
    r = Float64Array.from(dates, (_, k) => {
      const i = k + 1;
      if (k < 60) return 0;
      let ew = 0;
      for (const c of p.columns) ew += c[i]! / c[i - 1]! - 1;
      return p.columns[j]![i]! / p.columns[j]![i - 1]! - 1 - ew / p.nAssets;
    });
    rf = Float64Array.from(dates, (_, k) => 0.02 + 0.01 * Math.sin(k / 50)); // annual rates, as quantstats reads a series
  });

  it.skipIf(!hasVenv())(venvTitle("gives every full-report metric, the five worst drawdowns, rolling ratios and the monthly table"), async () => {
    const peer = await runPython<Peer>(PEER, { r, dates: Array.from(dates, (d) => fromEpochDay(d)), rf });
    const q = quantstatsMetrics(r, dates);
    for (const [k, v] of Object.entries(peer.m)) near(q.metrics[k as keyof QuantstatsMetrics], v, k);
    near(q.metrics.sortinoOverSqrt2, peer.m.sortino / Math.SQRT2, "sortino/√2");
    expect(q.drawdowns.slice(0, 5).map((p) => [p.start, p.valley, p.end, p.days])).toEqual(peer.dd.map((x) => x.slice(0, 4)));
    q.drawdowns.slice(0, 5).forEach((p, i) => near(p.depth, peer.dd[i]![4], `drawdown ${i} depth`));
    peer.ddseries.forEach((v, i) => near(q.drawdownSeries[i]!, v, `drawdown series ${i}`));
    peer.rs.forEach((v, i) => near(q.rollingSharpe[i]!, v, `rolling Sharpe ${i}`));
    peer.rso.forEach((v, i) => near(q.rollingSortino[i]!, v, `rolling Sortino ${i}`));
    peer.rv.forEach((v, i) => near(q.rollingVolatility[i]!, v, `rolling volatility ${i}`));
    q.monthly.forEach((row, y) => {
      row.months.forEach((m, k) => near(Number.isNaN(m) ? 0 : m, peer.monthly[y]![k]!, `month ${row.year}-${k + 1}`));
      near(row.year_total, peer.monthly[y]![12]!, `year ${row.year}`);
    });
    const a = quantstatsMetrics(r, dates, { riskFree: 0.03 }).metrics;
    near(a.sharpe, peer.rf.sharpe!, "Sharpe, rf 3 %");
    near(a.sortino, peer.rf.sortino!, "Sortino, rf 3 %");
    near(a.omega, peer.rf.omega!, "Omega, rf 3 %");
    near(quantstatsMetrics(r, dates, { riskFree: rf }).metrics.sharpe, peer.rf.sharpeSeries!, "Sharpe over a risk-free series");
  });

  it("renders the report: metrics, worst drawdowns, end-of-year table, rolling and distribution charts", () => {
    const html = quantstatsHtml(r, dates, { benchmark: r.map((v, i) => v * 0.5 + (i % 7) * 1e-4) });
    for (const s of ["Prob. Sharpe ratio", "Five worst drawdowns", "End-of-year returns", "rolling beta", "<svg"]) expect(html).toContain(s);
    expect(html).not.toMatch(/<script/);
  });

  it("refuses bad input, naming it", () => {
    expect(() => quantstatsMetrics([0.1], [1])).toThrow(/at least 2 returns/);
    expect(() => quantstatsMetrics([0.1, 0.2], [1])).toThrow(/dates has 1 entries/);
    expect(() => quantstatsMetrics([0.1, 0.2], [1, 2], { riskFree: [0] })).toThrow(/riskFree has 1 values/);
  });
});
