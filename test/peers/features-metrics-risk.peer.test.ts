/**
 * lib/features/rolling + ewm against pandas, lib/analytics/metrics against empyrical, lib/risk/var
 * against numpy/scipy and PerformanceAnalytics' modified (Cornish-Fisher) VaR/ES — its
 * VaR.CornishFisher / operES.CornishFisher (R/PortfolioRisk.R) written out by hand in Python below,
 * and pyperfanalytics (a Python port of PerformanceAnalytics, from PyPI) — on real data (skfolio
 * S&P 500 constituents and index), several assets and windows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ewmCorr, ewmCov, ewmMean, ewmStd, ewmVar, type EwmOptions } from "../../lib/features/ewm.js";
import { rollingBeta, rollingCorr, rollingCov, rollingMax, rollingMean, rollingMin, rollingStd, rollingSum, rollingVar, rollingZ } from "../../lib/features/rolling.js";
import * as M from "../../lib/analytics/metrics.js";
import { performanceSummary } from "../../lib/analytics/performance-summary.js";
import { expectedShortfall, valueAtRisk, type VaRMethod } from "../../lib/risk/var.js";
import { componentVaR } from "../../lib/risk/component-var.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";
import { loadRealData, simpleReturns } from "./real-data.js";

const venv = hasVenv();
type Num = number | number[];
interface Check {
  id: string;
  group: "rolling" | "ewm" | "metrics" | "var";
  ts: Num;
  /** Python expression over the namespace below producing the peer value. */
  py: string;
  rel?: number;
  /** Python expression of a per-point scale: |Δ| ≤ rel·max(|expected|, scale). */
  scale?: string;
}
const checks: Check[] = [];
let results: Record<string, { v: Num | null; s: Num | null }> = {};

const PRELUDE = String.raw`
import numpy as np, pandas as pd, warnings
warnings.simplefilter("ignore")
import empyrical as ep
import pyperfanalytics.risk as ppa
from scipy import stats
S = {k: pd.Series(np.asarray(v, float)) for k, v in data["series"].items()}
def pa_moments(r, ddof=0):
    # PerformanceAnalytics: m_k = centeredmoment(r, k) = mean((r - mean(r))^k), sigma = sqrt(m2)
    # (population); ddof=1 is statarb's moments: "sample" (sigma only)
    r = r[~np.isnan(r)]; mu = r.mean(); d = r - mu
    m2 = (d**2).mean(); m3 = (d**3).mean(); m4 = (d**4).mean()
    sd = np.sqrt(m2) if ddof == 0 else r.std(ddof=1)
    return mu, sd, m3 / m2**1.5, m4 / m2**2 - 3
def zcf(z, s, k): return z + (z*z - 1)*s/6 + (z**3 - 3*z)*k/24 - (2*z**3 - 5*z)*s*s/36
def ipower(power, h):
    # Boudt, Peterson & Croux (2008) I-function as in PerformanceAnalytics
    phi = stats.norm.pdf(h)
    if power % 2 == 0:
        ps = power // 2; full = np.prod([2*j for j in range(1, ps + 1)]); I = full * phi
        for i in range(1, ps + 1): I += full / np.prod([2*j for j in range(1, i + 1)]) * h**(2*i) * phi
    else:
        ps = (power - 1) // 2; full = np.prod([2*j + 1 for j in range(0, ps + 1)]); I = -full * stats.norm.cdf(h)
        for i in range(0, ps + 1): I += full / np.prod([2*j + 1 for j in range(0, i + 1)]) * h**(2*i + 1) * phi
    return I
def pa_var(r, a, ddof=0):
    mu, sd, s, k = pa_moments(r, ddof); return -(mu + zcf(stats.norm.ppf(a), s, k) * sd)
def pa_es(r, a, ddof=0):
    mu, sd, s, k = pa_moments(r, ddof); h = zcf(stats.norm.ppf(a), s, k); p = stats.norm.pdf(h)
    E = p + (ipower(4, h) - 6*ipower(2, h) + 3*p)*k/24 + (ipower(3, h) - 3*ipower(1, h))*s/6 + (ipower(6, h) - 15*ipower(4, h) + 45*ipower(2, h) - 15*p)*s*s/72
    E /= a
    return -mu - sd * min(-E, h)
def ppa_var(r, conf): return float(ppa.var_modified(pd.Series(r[~np.isnan(r)]), conf))
def ppa_es(r, conf):
    # pyperfanalytics' es_modified is PerformanceAnalytics' ES.CornishFisher; ES() calls
    # operES.CornishFisher, -mu - sigma*min(-E, h), which is max(ES.CornishFisher, modified VaR)
    return max(float(ppa.es_modified(pd.Series(r[~np.isnan(r)]), conf)), ppa_var(r, conf))
def hist(r, a):
    r = r[~np.isnan(r)]; q = np.quantile(r, a); return -q, -r[r <= q].mean()
def val(x):
    if isinstance(x, (pd.Series, np.ndarray, list)): return np.asarray(x, float).tolist()
    return float(x)
out = {}
for c in data["checks"]:
    v = eval(c["py"]); s = eval(c["scale"]) if c.get("scale") else None
    out[c["id"]] = {"v": val(v), "s": None if s is None else val(s)}
emit(out)
`;

function add(c: Check): void {
  checks.push(c);
}

beforeAll(async () => {
  if (!venv) return;
  const data = await loadRealData();
  const P = data.prices;
  const series: Record<string, Float64Array> = {};
  const px = (a: string) => P.column(a) as Float64Array;
  // prices with holes and a constant stretch, to exercise NaN and zero-variance handling
  const aapl = px("AAPL").slice();
  for (const i of [50, 51, 52, 700, 3001]) aapl[i] = Number.NaN;
  aapl.fill(aapl[5000] as number, 5000, 5080);
  series.aapl = aapl;
  series.xom = px("XOM").slice();
  series.xom[1200] = Number.NaN;
  series.jpm = px("JPM");
  const rets: Record<string, Float64Array> = {};
  for (const a of ["AAPL", "XOM", "JPM", "KO", "MSFT", "GE", "AMD"]) rets[a] = simpleReturns(px(a));
  const bench = simpleReturns(data.index);
  series.rAAPL = rets.AAPL!;
  series.rXOM = rets.XOM!;
  series.rKO = rets.KO!;
  series.bench = bench;

  // --- rolling windows vs pandas
  for (const [name, w] of [["aapl", 20], ["aapl", 63], ["xom", 252], ["rAAPL", 20], ["rKO", 60]] as const) {
    const x = series[name]!;
    const p = `S["${name}"].rolling(${w})`;
    const id = `${name}-${w}`;
    add({ id: `mean-${id}`, group: "rolling", ts: Array.from(rollingMean(x, w)), py: `${p}.mean()` });
    add({ id: `sum-${id}`, group: "rolling", ts: Array.from(rollingSum(x, w)), py: `${p}.sum()`, scale: `S["${name}"].abs().rolling(${w}).sum()` });
    // windows lying wholly in the constant stretch: exact 0 here (checked in test/stats), rounding noise in pandas
    const inConst = (i: number) => name === "aapl" && i - w + 1 >= 5000 && i < 5080;
    const mask = (a: Float64Array) => Array.from(a, (v, i) => (inConst(i) ? Number.NaN : v));
    const pmask = (e: string) => name === "aapl" ? `(${e}).mask((np.arange(len(S["aapl"])) - ${w} + 1 >= 5000) & (np.arange(len(S["aapl"])) < 5080))` : e;
    add({ id: `std-${id}`, group: "rolling", ts: mask(rollingStd(x, w)), py: pmask(`${p}.std()`) });
    add({ id: `var0-${id}`, group: "rolling", ts: mask(rollingVar(x, w, { ddof: 0 })), py: pmask(`${p}.var(ddof=0)`) });
    add({ id: `z-${id}`, group: "rolling", ts: mask(rollingZ(x, w)), py: pmask(`(S["${name}"] - ${p}.mean()) / ${p}.std()`), scale: "1.0" });
    add({ id: `min-${id}`, group: "rolling", ts: Array.from(rollingMin(x, w)), py: `${p}.min()` });
    add({ id: `max-${id}`, group: "rolling", ts: Array.from(rollingMax(x, w)), py: `${p}.max()` });
    add({ id: `meanmp-${id}`, group: "rolling", ts: Array.from(rollingMean(x, w, { minPeriods: 3 })), py: `S["${name}"].rolling(${w}, min_periods=3).mean()` });
    add({ id: `stdmp-${id}`, group: "rolling", ts: mask(rollingStd(x, w, { minPeriods: 3 })), py: pmask(`S["${name}"].rolling(${w}, min_periods=3).std()`) });
    add({ id: `minmp-${id}`, group: "rolling", ts: Array.from(rollingMin(x, w, { minPeriods: 2 })), py: `S["${name}"].rolling(${w}, min_periods=2).min()` });
  }
  for (const [a, b, w] of [["aapl", "xom", 20], ["xom", "jpm", 126], ["rAAPL", "bench", 63]] as const) {
    const x = series[a]!, y = series[b]!;
    const id = `${a}-${b}-${w}`;
    const sc = `np.sqrt(S["${a}"].rolling(${w}).var() * S["${b}"].rolling(${w}).var())`;
    add({ id: `cov-${id}`, group: "rolling", ts: Array.from(rollingCov(x, y, w)), py: `S["${a}"].rolling(${w}).cov(S["${b}"])`, scale: sc });
    add({ id: `corr-${id}`, group: "rolling", ts: Array.from(rollingCorr(x, y, w)), py: `S["${a}"].rolling(${w}).corr(S["${b}"])`, scale: "1.0" });
    add({
      id: `beta-${id}`,
      group: "rolling",
      ts: Array.from(rollingBeta(y, x, w)),
      py: `S["${b}"].rolling(${w}).cov(S["${a}"]) / S["${a}"].where(S["${b}"].notna()).rolling(${w}).var()`,
      scale: `np.sqrt(S["${b}"].rolling(${w}).var() / S["${a}"].rolling(${w}).var())`,
    });
  }
  // --- ewm vs pandas
  const ewmCfg: [string, EwmOptions, string][] = [
    ["aapl", { span: 20 }, "span=20"],
    ["aapl", { halflife: 10, adjust: false }, "halflife=10, adjust=False"],
    ["xom", { alpha: 0.06 }, "alpha=0.06"],
    ["xom", { com: 5, ignoreNa: true }, "com=5, ignore_na=True"],
    ["rAAPL", { span: 60, minPeriods: 30 }, "span=60, min_periods=30"],
    ["rKO", { alpha: 0.1, adjust: false, bias: true }, "alpha=0.1, adjust=False"],
  ];
  for (const [name, o, kw] of ewmCfg) {
    const x = series[name]!;
    const id = `${name}-${kw}`;
    const bias = o.bias ? "bias=True" : "";
    add({ id: `ewm-mean-${id}`, group: "ewm", ts: Array.from(ewmMean(x, o)), py: `S["${name}"].ewm(${kw}).mean()` });
    add({ id: `ewm-std-${id}`, group: "ewm", ts: Array.from(ewmStd(x, o)), py: `S["${name}"].ewm(${kw}).std(${bias})` });
    add({ id: `ewm-var-${id}`, group: "ewm", ts: Array.from(ewmVar(x, o)), py: `S["${name}"].ewm(${kw}).var(${bias})` });
  }
  for (const [a, b, o, kw] of [["aapl", "xom", { span: 30 }, "span=30"], ["rAAPL", "bench", { halflife: 21 }, "halflife=21"]] as const) {
    add({ id: `ewm-cov-${a}-${b}`, group: "ewm", ts: Array.from(ewmCov(series[a]!, series[b]!, o)), py: `S["${a}"].ewm(${kw}).cov(S["${b}"])` });
    add({ id: `ewm-corr-${a}-${b}`, group: "ewm", ts: Array.from(ewmCorr(series[a]!, series[b]!, o)), py: `S["${a}"].ewm(${kw}).corr(S["${b}"])`, scale: "1.0" });
  }

  // --- metrics vs empyrical: several assets, windows, a NaN-holed series, risk-free/required returns
  const windows: [string, number, number][] = [["all", 0, bench.length], ["2520", bench.length - 2520, bench.length], ["500", 1000, 1500]];
  const holed = rets.MSFT!.slice();
  for (const i of [10, 11, 400, 4000]) holed[i] = Number.NaN;
  rets.MSFTnan = holed;
  for (const a of ["AAPL", "XOM", "GE", "MSFTnan", "AMD"]) for (const [wn, lo, hi] of windows) {
    const r = rets[a]!.slice(lo, hi);
    const b = bench.slice(lo, hi);
    const k = `m_${a}_${wn}`;
    const kb = `b_${a}_${wn}`;
    series[k] = r;
    series[kb] = b;
    const R = `S["${k}"].values`, B = `S["${kb}"].values`;
    const id = `${a}-${wn}`;
    add({ id: `annret-${id}`, group: "metrics", ts: M.annualReturn(r), py: `ep.annual_return(${R})` });
    add({ id: `annvol-${id}`, group: "metrics", ts: M.annualVolatility(r), py: `ep.annual_volatility(${R})` });
    add({ id: `sharpe-${id}`, group: "metrics", ts: M.sharpeRatio(r), py: `ep.sharpe_ratio(${R})` });
    add({ id: `sharpe-rf-${id}`, group: "metrics", ts: M.sharpeRatio(r, { riskFree: 0.0001 }), py: `ep.sharpe_ratio(${R}, risk_free=0.0001)` });
    add({ id: `sortino-${id}`, group: "metrics", ts: M.sortinoRatio(r), py: `ep.sortino_ratio(${R})` });
    add({ id: `sortino-req-${id}`, group: "metrics", ts: M.sortinoRatio(r, { requiredReturn: 0.0002 }), py: `ep.sortino_ratio(${R}, required_return=0.0002)` });
    add({ id: `downside-${id}`, group: "metrics", ts: M.downsideRisk(r), py: `ep.downside_risk(${R})` });
    add({ id: `mdd-${id}`, group: "metrics", ts: M.maxDrawdown(r), py: `ep.max_drawdown(${R})` });
    add({ id: `calmar-${id}`, group: "metrics", ts: M.calmarRatio(r), py: `ep.calmar_ratio(${R})` });
    add({ id: `ir-${id}`, group: "metrics", ts: M.informationRatio(r, b), py: `ep.excess_sharpe(${R}, ${B}) * np.sqrt(252)` });
    add({ id: `beta-${id}`, group: "metrics", ts: M.beta(r, b), py: `ep.beta(${R}, ${B})` });
    add({ id: `alpha-${id}`, group: "metrics", ts: M.alpha(r, b), py: `ep.alpha(${R}, ${B})` });
    add({ id: `alpha-rf-${id}`, group: "metrics", ts: M.alpha(r, b, { riskFree: 0.0001 }), py: `ep.alpha(${R}, ${B}, risk_free=0.0001)` });
    add({ id: `tail-${id}`, group: "metrics", ts: M.tailRatio(r), py: `ep.tail_ratio(${R})` });
    add({ id: `stab-${id}`, group: "metrics", ts: M.stabilityOfTimeseries(r), py: `ep.stability_of_timeseries(${R})` });
    add({ id: `win-${id}`, group: "metrics", ts: M.winRate(r), py: `np.sum(${R} > 0) / np.sum(~np.isnan(${R}))` });
    add({ id: `cum-${id}`, group: "metrics", ts: Array.from(M.cumulativeReturns(r)), py: `ep.cum_returns(${R})` });
    add({ id: `ddser-${id}`, group: "metrics", ts: Array.from(M.drawdownSeries(r)), py: `ep.stats.drawdown_series(${R})`, scale: "1e-2" });
    add({ id: `rollsharpe-${id}`, group: "metrics", ts: Array.from(M.rollingSharpe(r, 63)), py: `S["${k}"].rolling(63).mean() / S["${k}"].rolling(63).std() * np.sqrt(252)`, scale: "1.0" });
    const ps = performanceSummary(r, b);
    add({ id: `summary-${id}`, group: "metrics", ts: [ps.sharpeRatio, ps.maxDrawdown, ps.beta, ps.alpha, ps.informationRatio, ps.annualReturn], py: `[ep.sharpe_ratio(${R}), ep.max_drawdown(${R}), ep.beta(${R}, ${B}), ep.alpha(${R}, ${B}), ep.excess_sharpe(${R}, ${B})*np.sqrt(252), ep.annual_return(${R})]` });
  }

  // --- VaR / ES
  for (const a of ["AAPL", "XOM", "KO", "MSFTnan"]) for (const [wn, lo, hi] of windows) for (const conf of [0.95, 0.99]) {
    const r = rets[a]!.slice(lo, hi);
    const k = `v_${a}_${wn}`;
    series[k] = r;
    const R = `S["${k}"].values`;
    const al = (1 - conf).toPrecision(12);
    const id = `${a}-${wn}-${conf}`;
    const v = (method: VaRMethod, horizon = 1) => valueAtRisk(r, { confidence: conf, method, horizon });
    const e = (method: VaRMethod, horizon = 1) => expectedShortfall(r, { confidence: conf, method, horizon });
    add({ id: `hist-var-${id}`, group: "var", ts: v("historical"), py: `hist(${R}, ${al})[0]` });
    add({ id: `hist-es-${id}`, group: "var", ts: e("historical"), py: `hist(${R}, ${al})[1]` });
    add({ id: `gauss-var-${id}`, group: "var", ts: v("gaussian"), py: `-(np.nanmean(${R}) + stats.norm.ppf(${al}) * np.nanstd(${R}, ddof=1))` });
    add({ id: `gauss-var10-${id}`, group: "var", ts: v("gaussian", 10), py: `-(10*np.nanmean(${R}) + stats.norm.ppf(${al}) * np.nanstd(${R}, ddof=1) * np.sqrt(10))` });
    add({ id: `gauss-es-${id}`, group: "var", ts: e("gaussian"), py: `-np.nanmean(${R}) + np.nanstd(${R}, ddof=1) * stats.norm.pdf(stats.norm.ppf(${al})) / ${al}` });
    add({ id: `cf-var-${id}`, group: "var", ts: v("cornish-fisher"), py: `pa_var(${R}, ${al})` });
    add({ id: `cf-es-${id}`, group: "var", ts: e("cornish-fisher"), py: `pa_es(${R}, ${al})` });
    add({ id: `cf-var-pyperfanalytics-${id}`, group: "var", ts: v("cornish-fisher"), py: `ppa_var(${R}, ${conf})` });
    add({ id: `cf-es-pyperfanalytics-${id}`, group: "var", ts: e("cornish-fisher"), py: `ppa_es(${R}, ${conf})` });
    const sample = { confidence: conf, method: "cornish-fisher", moments: "sample" } as const;
    add({ id: `cf-var-sample-${id}`, group: "var", ts: valueAtRisk(r, sample), py: `pa_var(${R}, ${al}, 1)` });
    add({ id: `cf-es-sample-${id}`, group: "var", ts: expectedShortfall(r, sample), py: `pa_es(${R}, ${al}, 1)` });
    add({ id: `empyrical-var-${id}`, group: "var", ts: -v("historical"), py: `ep.value_at_risk(${R}[~np.isnan(${R})], ${al})` });
    // Monte Carlo: within sampling error of the Gaussian closed form (100k draws)
    add({ id: `mc-var-${id}`, group: "var", ts: v("monte-carlo"), py: `-(np.nanmean(${R}) + stats.norm.ppf(${al}) * np.nanstd(${R}, ddof=1))`, rel: 0.03 });
    add({ id: `mc-es-${id}`, group: "var", ts: e("monte-carlo"), py: `-np.nanmean(${R}) + np.nanstd(${R}, ddof=1) * stats.norm.pdf(stats.norm.ppf(${al})) / ${al}`, rel: 0.03 });
  }
  {
    const names = ["AAPL", "XOM", "KO", "JPM", "MSFT"];
    const X = names.map((n) => rets[n]!.slice(-2520));
    names.forEach((n, i) => (series[`cv_${n}`] = X[i]!));
    const w = [0.3, -0.2, 0.25, 0.4, 0.25];
    const cov = X.map((a) => X.map((b) => {
      const ma = a.reduce((s, v) => s + v, 0) / a.length, mb = b.reduce((s, v) => s + v, 0) / b.length;
      let s = 0;
      for (let t = 0; t < a.length; t++) s += (a[t]! - ma) * (b[t]! - mb);
      return s / (a.length - 1);
    }));
    const mu = X.map((a) => a.reduce((s, v) => s + v, 0) / a.length);
    const d = componentVaR(w, cov, { confidence: 0.99, means: mu });
    const np = `np.column_stack([S["cv_${names.join('"].values, S["cv_')}"].values])`;
    const pyw = `np.array(${JSON.stringify(w)})`;
    add({ id: "cvar-total", group: "var", ts: d.total, py: `(lambda X, w: -(w @ X.mean(0) + stats.norm.ppf(0.01) * np.sqrt(w @ np.cov(X, rowvar=False) @ w)))(${np}, ${pyw})` });
    add({ id: "cvar-component", group: "var", ts: Array.from(d.component), py: `(lambda X, w, C: w * -(X.mean(0) + stats.norm.ppf(0.01) * (C @ w) / np.sqrt(w @ C @ w)))(${np}, ${pyw}, np.cov(${np}, rowvar=False))` });
    add({ id: "cvar-sum", group: "var", ts: Array.from(d.component).reduce((s, v) => s + v, 0), py: `(lambda X, w: -(w @ X.mean(0) + stats.norm.ppf(0.01) * np.sqrt(w @ np.cov(X, rowvar=False) @ w)))(${np}, ${pyw})`, rel: 1e-12 });
  }
  const payload = {
    series: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, Array.from(v)])),
    checks: checks.map((c) => ({ id: c.id, py: c.py, scale: c.scale })),
  };
  results = await runPython(PRELUDE, payload, 180_000);
}, 300_000);

function mismatch(c: Check): string | null {
  const r = results[c.id];
  if (!r) return "no Python result";
  const rel = c.rel ?? 1e-8;
  const a = Array.isArray(c.ts) ? c.ts : [c.ts];
  const e = (Array.isArray(r.v) ? r.v : [r.v]) as (number | null)[];
  const s = r.s === null ? null : Array.isArray(r.s) ? (r.s as (number | null)[]) : null;
  const s0 = r.s !== null && !Array.isArray(r.s) ? (r.s as number) : 0;
  if (a.length !== e.length) return `length ${a.length} vs ${e.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = e[i] === null ? Number.NaN : (e[i] as number);
    if (Number.isNaN(y) || Number.isNaN(x)) {
      if (Number.isNaN(y) && Number.isNaN(x)) continue;
      return `[${i}] got ${x}, expected ${y}`;
    }
    if (!Number.isFinite(y)) {
      if (x === y) continue;
      return `[${i}] got ${x}, expected ${y}`;
    }
    const sc = s ? (s[i] === null ? 0 : Math.abs(s[i] as number)) : s0;
    const tol = rel * Math.max(Math.abs(y), sc) + 1e-15;
    if (!(Math.abs(x - y) <= tol)) return `[${i}] got ${x}, expected ${y} (|Δ| ${Math.abs(x - y).toExponential(2)} > ${tol.toExponential(2)})`;
  }
  return null;
}

describe.skipIf(!venv)(venvTitle("rolling/ewm vs pandas, metrics vs empyrical, VaR vs numpy/scipy/PerformanceAnalytics"), () => {
  for (const group of ["rolling", "ewm", "metrics", "var"] as const) {
    it(`${group}: every check matches its peer`, () => {
      const mine = checks.filter((c) => c.group === group);
      expect(mine.length).toBeGreaterThan(5);
      const failures = mine.map((c) => [c.id, mismatch(c)] as const).filter(([, m]) => m !== null).map(([id, m]) => `${id}: ${m}`);
      expect(failures).toEqual([]);
    });
  }
  it("monte-carlo VaR is reproducible for a seed and differs across seeds", () => {
    const r = checks.length ? Float64Array.from({ length: 500 }, (_, i) => Math.sin(i) / 100) : new Float64Array(0);
    const a = valueAtRisk(r, { method: "monte-carlo", seed: 7 });
    expect(valueAtRisk(r, { method: "monte-carlo", seed: 7 })).toBe(a);
    expect(valueAtRisk(r, { method: "monte-carlo", seed: 8 })).not.toBe(a);
  });
});
