/**
 * lib/stats against statsmodels / numpy / scipy on real data (skfolio S&P 500 constituents):
 * OLS (nonrobust and HAC), ADF (every regression × autolag), Engle-Granger coint, Johansen,
 * PCA, hedge ratio / half-life / OU fit, distributions. One Python process computes every peer value.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adf, coint, halfLife, hedgeRatio, johansen, normalCdf, normalPpf, ols, ouFit, pca, studentTCdf, studentTPpf, studentTSf, eigh, Matrix, type ADFAutolag, type ADFRegression } from "../../lib/stats/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";
import { arrayMismatches, closeMessage, loadRealData, logPrices, simpleReturns } from "./real-data.js";

const venv = hasVenv();

interface Case {
  id: string;
  kind: string;
  args: Record<string, unknown>;
  ts: Record<string, number | number[] | number[][]>;
  /** Per-field tolerance overrides [rel, abs]. */
  tol?: Record<string, [number, number]>;
  /** Fields compared up to a per-column sign (eigenvectors). */
  signFree?: string[];
}

const cases: Case[] = [];
let py: Record<string, Record<string, number | number[] | number[][] | null>> = {};
let source = "";

const PY = String.raw`
import numpy as np, warnings
warnings.simplefilter("ignore")
import statsmodels.api as sm
from statsmodels.tsa.stattools import adfuller, coint
from statsmodels.tsa.vector_ar.vecm import coint_johansen
from statsmodels.tsa.tsatools import lagmat
from scipy import stats
S = {k: np.asarray(v, float) for k, v in data["series"].items()}
out = {}
def arr(x): return np.asarray(x, float).tolist()
for c in data["cases"]:
    a = c["args"]; k = c["kind"]; r = {}
    if k == "ols":
        y = S[a["y"]]; X = np.column_stack([S[n] for n in a["x"]])
        if a["const"]: X = sm.add_constant(X, has_constant="add")
        m = sm.OLS(y, X)
        f = m.fit() if a["cov"] == "nonrobust" else m.fit(cov_type="HAC", cov_kwds={"maxlags": a["maxlags"], "use_correction": a["corr"]})
        r = dict(params=arr(f.params), bse=arr(f.bse), tvalues=arr(f.tvalues), pvalues=arr(f.pvalues), rsquared=f.rsquared,
                 rsquaredAdj=f.rsquared_adj, ssr=f.ssr, llf=f.llf, aic=f.aic, bic=f.bic, fvalue=float(np.squeeze(f.fvalue)),
                 resid=arr(f.resid[:50]), fitted=arr(f.fittedvalues[-50:]))
    elif k == "adf":
        x = S[a["x"]]
        res = adfuller(x, maxlag=a.get("maxlag"), regression=a["regression"], autolag=a["autolag"], result_object=True)
        r = dict(statistic=res.statistic, pValue=res.pvalue, usedLag=res.lags, nobs=res.nobs,
                 crit=[res.critical_values["1%"], res.critical_values["5%"], res.critical_values["10%"]],
                 icBest=res.icbest if res.icbest is not None else float("nan"))
        # well-conditioned reference for the same lag: QR with the trend columns scaled to [0, 1]
        L = res.lags; xd = np.diff(x); xa = lagmat(xd[:, None], L, trim="both", original="in"); n = xa.shape[0]
        xa[:, 0] = x[-n - 1:-1]; t = np.arange(1, n + 1) / n
        cols = [xa] + ([np.ones(n)] if a["regression"] != "n" else []) + ([t] if a["regression"] in ("ct", "ctt") else []) + ([t * t] if a["regression"] == "ctt" else [])
        r["statisticQR"] = float(sm.OLS(xd[-n:], np.column_stack(cols)).fit(method="qr").tvalues[0])
    elif k == "coint":
        res = coint(S[a["y"]], np.column_stack([S[n] for n in a["x"]]), trend=a["trend"], autolag=a["autolag"], maxlag=a.get("maxlag"))
        r = dict(statistic=float(res[0]), pValue=float(res[1]), crit=arr(res[2]))
    elif k == "johansen":
        X = np.column_stack([S[n] for n in a["x"]])
        j = coint_johansen(X, a["det"], a["k"])
        r = dict(trace=arr(j.lr1), maxEig=arr(j.lr2), eigenvalues=arr(j.eig), eigenvectors=arr(j.evec), traceCrit=arr(j.cvt), maxEigCrit=arr(j.cvm))
    elif k == "pca":
        X = np.column_stack([S[n] for n in a["x"]])
        C = np.corrcoef(X, rowvar=False) if a["std"] else np.cov(X, rowvar=False)
        w, v = np.linalg.eigh(C); w = w[::-1]; v = v[:, ::-1]
        r = dict(eigenvalues=arr(w[:a["k"]]), explained=arr((w / w.sum())[:a["k"]]), eigenvectors=arr(v[:, :a["k"]]))
    elif k == "eigh":
        X = np.column_stack([S[n] for n in a["x"]]); C = np.cov(X, rowvar=False)
        w, v = np.linalg.eigh(C)
        r = dict(values=arr(w), vectors=arr(v))
    elif k == "ou":
        y = S[a["y"]]; x = S[a["x"]]
        hr = sm.OLS(y, sm.add_constant(x)).fit().params[1]
        s = y - hr * x
        b = sm.OLS(np.diff(s), sm.add_constant(s[:-1])).fit().params[1]
        X = np.cumsum(S[a["resid"]])
        f = sm.OLS(X[1:], sm.add_constant(X[:-1])).fit(); aa, bb = f.params; vz = np.var(f.resid)
        kappa = -np.log(bb) * 252; m = aa / (1 - bb)
        r = dict(hedge=hr, halfLife=-np.log(2) / np.log(1 + b), a=aa, b=bb, varZeta=vz, kappa=kappa, m=m,
                 sigma=np.sqrt(vz * 2 * kappa / (1 - bb * bb)), sigmaEq=np.sqrt(vz / (1 - bb * bb)),
                 sScore=(X[-1] - m) / np.sqrt(vz / (1 - bb * bb)))
    elif k == "dist":
        g = np.asarray(a["grid"], float); p = np.asarray(a["probs"], float)
        r = dict(ncdf=arr(stats.norm.cdf(g)), nppf=arr(stats.norm.ppf(p)), tsf=arr(stats.t.sf(g, a["df"])), tcdf=arr(stats.t.cdf(g, a["df"])), tppf=arr(stats.t.ppf(p[1:], a["df"])))
    out[c["id"]] = r
emit(out)
`;

function toNumbers(a: ArrayLike<number>): number[] {
  return Array.from(a);
}

beforeAll(async () => {
  if (!venv) return;
  const data = await loadRealData();
  source = data.source;
  const P = data.prices;
  const col = (a: string) => P.column(a) as Float64Array;
  const series: Record<string, Float64Array> = {};
  const put = (name: string, x: Float64Array) => ((series[name] = x), x);
  // returns on three different windows, log prices on two
  const retAll = (a: string) => simpleReturns(col(a));
  for (const a of ["AAPL", "AMD", "BAC", "JPM", "XOM", "CVX", "KO", "PEP", "MSFT", "WMT", "PG", "JNJ", "PFE", "MRK", "HD", "GE"]) put(`r_${a}`, retAll(a));
  for (const a of ["AAPL", "XOM", "CVX", "KO", "PEP", "JPM", "BAC", "MSFT", "WMT"]) {
    put(`lp_${a}`, logPrices(col(a)));
    put(`lp2520_${a}`, logPrices(col(a)).slice(-2520));
    put(`lp1000_${a}`, logPrices(col(a)).slice(1000, 2000));
  }
  for (const a of ["AAPL", "AMD", "BAC", "BBY", "JPM", "XOM"]) put(`r2520_${a}`, retAll(a).slice(-2520));
  put("spread_KO_PEP", series.lp2520_KO!.map((v, i) => v - 0.8 * series.lp2520_PEP![i]!));

  // --- OLS
  const olsCfg = [
    { id: "ols-aapl-3", y: "r_AAPL", x: ["r_AMD", "r_BAC", "r_MSFT"], const: true, cov: "nonrobust" },
    { id: "ols-jpm-noconst", y: "r_JPM", x: ["r_BAC", "r_XOM"], const: false, cov: "nonrobust" },
    { id: "ols-2520x6", y: "r2520_AAPL", x: ["r2520_AMD", "r2520_BAC", "r2520_BBY", "r2520_JPM", "r2520_XOM"], const: true, cov: "nonrobust" },
    { id: "ols-hac5", y: "r_XOM", x: ["r_CVX", "r_BAC"], const: true, cov: "HAC", maxlags: 5, corr: false },
    { id: "ols-hac10c", y: "r2520_AAPL", x: ["r2520_AMD", "r2520_JPM"], const: true, cov: "HAC", maxlags: 10, corr: true },
    { id: "ols-levels", y: "lp2520_XOM", x: ["lp2520_CVX"], const: true, cov: "nonrobust" },
  ] as const;
  for (const c of olsCfg) {
    const r = ols(series[c.y]!, c.x.map((n) => series[n]!), {
      addConstant: c.const,
      cov: c.cov,
      ...("maxlags" in c ? { maxlags: c.maxlags, useCorrection: c.corr } : {}),
    });
    cases.push({
      id: c.id,
      kind: "ols",
      args: { y: c.y, x: c.x, const: c.const, cov: c.cov, maxlags: "maxlags" in c ? c.maxlags : null, corr: "corr" in c ? c.corr : false },
      ts: {
        params: toNumbers(r.params), bse: toNumbers(r.bse), tvalues: toNumbers(r.tvalues), pvalues: toNumbers(r.pvalues), rsquared: r.rsquared,
        rsquaredAdj: r.rsquaredAdj, ssr: r.ssr, llf: r.llf, aic: r.aic, bic: r.bic, fvalue: r.fvalue,
        resid: toNumbers(r.resid.subarray(0, 50)), fitted: toNumbers(r.fittedValues.subarray(r.fittedValues.length - 50)),
      },
      tol: { resid: [1e-8, 1e-12], pvalues: [1e-8, 1e-300] },
    });
  }
  // --- ADF: 3 real series × 4 regressions × 4 autolag settings, plus explicit maxlag
  const regs: ADFRegression[] = ["c", "ct", "ctt", "n"];
  const als: ADFAutolag[] = ["AIC", "BIC", "t-stat", null];
  for (const x of ["lp2520_AAPL", "lp1000_XOM", "spread_KO_PEP"]) {
    for (const regression of regs) for (const autolag of als) {
      const maxlag = autolag === null ? 4 : undefined;
      const r = adf(series[x]!, { regression, autolag, ...(maxlag !== undefined ? { maxlag } : {}) });
      cases.push({
        id: `adf-${x}-${regression}-${autolag}`,
        kind: "adf",
        args: { x, regression, autolag, ...(maxlag !== undefined ? { maxlag } : {}) },
        ts: { statistic: r.statistic, statisticQR: r.statistic, pValue: r.pValue, usedLag: r.usedLag, nobs: r.nobs, crit: [r.criticalValues["1%"], r.criticalValues["5%"], r.criticalValues["10%"]], icBest: r.icBest },
        // statsmodels' pseudo-inverse loses ~1e-9 on the unscaled t² column of "ctt"; the QR reference is exact
        ...(regression === "ctt" ? { tol: { statistic: [1e-7, 1e-10], pValue: [1e-7, 1e-10], icBest: [1e-7, 1e-10] } as Record<string, [number, number]> } : {}),
      });
    }
  }
  // --- coint
  const cointCfg: { y: string; x: string[]; trend: "c" | "ct" | "n" | "ctt"; autolag: ADFAutolag; maxlag?: number }[] = [
    { y: "lp_XOM", x: ["lp_CVX"], trend: "c", autolag: "AIC" },
    { y: "lp2520_KO", x: ["lp2520_PEP"], trend: "c", autolag: "AIC" },
    { y: "lp2520_KO", x: ["lp2520_PEP"], trend: "ct", autolag: "BIC" },
    { y: "lp1000_JPM", x: ["lp1000_BAC"], trend: "n", autolag: "t-stat" },
    { y: "lp2520_XOM", x: ["lp2520_CVX", "lp2520_MSFT"], trend: "c", autolag: null, maxlag: 3 },
    { y: "lp1000_AAPL", x: ["lp1000_MSFT", "lp1000_WMT"], trend: "ctt", autolag: "AIC" },
  ];
  for (const c of cointCfg) {
    const r = coint(series[c.y]!, c.x.length === 1 ? series[c.x[0]!]! : c.x.map((n) => series[n]!), { trend: c.trend, autolag: c.autolag, ...(c.maxlag !== undefined ? { maxlag: c.maxlag } : {}) });
    cases.push({
      id: `coint-${c.y}-${c.x.join("+")}-${c.trend}-${c.autolag}`,
      kind: "coint",
      args: { ...c, maxlag: c.maxlag ?? null },
      ts: { statistic: r.statistic, pValue: r.pValue, crit: [...r.criticalValues] },
      ...(c.trend === "ctt" ? { tol: { statistic: [1e-7, 1e-10], pValue: [1e-7, 1e-10] } as Record<string, [number, number]> } : {}),
    });
  }
  // --- Johansen
  const johCfg = [
    { x: ["lp2520_XOM", "lp2520_CVX", "lp2520_KO"], det: 0, k: 1 },
    { x: ["lp2520_XOM", "lp2520_CVX"], det: -1, k: 2 },
    { x: ["lp_KO", "lp_PEP", "lp_WMT", "lp_JPM"], det: 1, k: 1 },
    { x: ["lp1000_AAPL", "lp1000_MSFT", "lp1000_XOM"], det: 0, k: 3 },
    { x: ["lp1000_AAPL", "lp1000_MSFT"], det: 0, k: 0 },
  ];
  for (const c of johCfg) {
    const r = johansen(c.x.map((n) => series[n]!), { detOrder: c.det, kArDiff: c.k });
    cases.push({
      id: `joh-${c.x.join("+")}-${c.det}-${c.k}`,
      kind: "johansen",
      args: c,
      ts: { trace: toNumbers(r.trace), maxEig: toNumbers(r.maxEig), eigenvalues: toNumbers(r.eigenvalues), eigenvectors: r.eigenvectors.toArray(), traceCrit: r.traceCrit.toArray(), maxEigCrit: r.maxEigCrit.toArray() },
      signFree: ["eigenvectors"],
      tol: { eigenvectors: [1e-7, 1e-9] },
    });
  }
  // --- PCA and eigh
  const retNames = ["r_AAPL", "r_AMD", "r_BAC", "r_JPM", "r_XOM", "r_CVX", "r_KO", "r_PEP", "r_MSFT", "r_WMT", "r_PG", "r_JNJ", "r_PFE", "r_MRK", "r_HD", "r_GE"];
  for (const [std, k, lo, hi] of [[true, 5, 0, 2520], [false, 16, 5000, 8312], [true, 16, 2000, 2252]] as const) {
    const x = retNames.map((n) => series[n]!.slice(lo, hi));
    const names = retNames.map((n) => `${n}_${lo}`);
    x.forEach((s, i) => (series[names[i]!] = s));
    for (const backend of ["ts", "auto"] as const) {
      const r = pca(x, { standardize: std, k, backend });
      cases.push({
        id: `pca-${std}-${k}-${lo}-${backend}`,
        kind: "pca",
        args: { x: names, std, k },
        ts: { eigenvalues: toNumbers(r.eigenvalues), explained: toNumbers(r.explained), eigenvectors: r.eigenvectors.toArray() },
        signFree: ["eigenvectors"],
        tol: { eigenvectors: [1e-6, 1e-9] },
      });
    }
  }
  {
    const names = retNames.map((n) => `${n}_0`);
    const cov = new Matrix(16, 16);
    const x = names.map((n) => series[n]!);
    for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) {
      let s = 0, mi = 0, mj = 0;
      const a = x[i]!, b = x[j]!;
      for (let t = 0; t < a.length; t++) (mi += a[t]!), (mj += b[t]!);
      mi /= a.length;
      mj /= b.length;
      for (let t = 0; t < a.length; t++) s += (a[t]! - mi) * (b[t]! - mj);
      cov.set(i, j, s / (a.length - 1));
    }
    const e = eigh(cov, { backend: "ts" });
    cases.push({ id: "eigh-cov16", kind: "eigh", args: { x: names }, ts: { values: toNumbers(e.values), vectors: e.vectors.toArray() }, signFree: ["vectors"], tol: { vectors: [1e-6, 1e-9], values: [1e-8, 1e-14] } });
  }
  // --- hedge ratio, half-life, OU (Avellaneda-Lee) on three pairs/windows
  for (const [y, x, resid] of [["lp2520_KO", "lp2520_PEP", "r2520_XOM"], ["lp1000_XOM", "lp1000_CVX", "r2520_JPM"], ["lp_JPM", "lp_BAC", "r2520_AAPL"]] as const) {
    const hr = hedgeRatio(series[y]!, series[x]!);
    const s = series[y]!.map((v, i) => v - hr * series[x]![i]!);
    // A&L auxiliary process: cumulative residual; a 60-day OU window of residual returns (demeaned returns here)
    const rr = series[resid]!.slice(-60);
    const m = rr.reduce((a, b) => a + b, 0) / rr.length;
    const eps = rr.map((v) => v - m * 0.5);
    series[`eps_${resid}`] = eps;
    const f = ouFit(eps, { input: "increments" });
    cases.push({
      id: `ou-${y}-${x}`,
      kind: "ou",
      args: { y, x, resid: `eps_${resid}` },
      ts: { hedge: hr, halfLife: halfLife(s), a: f.a, b: f.b, varZeta: f.varZeta, kappa: f.kappa, m: f.m, sigma: f.sigma, sigmaEq: f.sigmaEq, sScore: f.sScore },
      tol: { a: [1e-8, 1e-12], m: [1e-7, 1e-10], sScore: [1e-7, 1e-9] },
    });
  }
  // --- distributions
  const grid = [-38, -20, -8.3, -5, -3.2, -3, -2.5, -1.96, -1, -0.3, -1e-6, 0, 0.1, 0.7, 1.64, 2.2, 3, 3.01, 4.5, 7, 9.9];
  const probs = [1e-300, 1e-100, 1e-12, 1e-6, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.6, 0.9, 0.975, 0.99, 0.999999];
  for (const df of [1, 3, 17, 250, 2515]) {
    cases.push({
      id: `dist-${df}`,
      kind: "dist",
      args: { grid, probs, df },
      ts: { ncdf: grid.map(normalCdf), nppf: probs.map(normalPpf), tsf: grid.map((g) => studentTSf(g, df)), tcdf: grid.map((g) => studentTCdf(g, df)), tppf: probs.slice(1).map((p) => studentTPpf(p, df)) },
      tol: { ncdf: [1e-12, 1e-300], tsf: [1e-9, 1e-300], tcdf: [1e-9, 1e-300], nppf: [1e-12, 0], tppf: [1e-9, 1e-12] },
    });
  }
  const payload = { series: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, Array.from(v)])), cases: cases.map((c) => ({ id: c.id, kind: c.kind, args: c.args })) };
  py = await runPython(PY, payload);
}, 900_000);

function compare(c: Case): string[] {
  const exp = py[c.id];
  if (!exp) return [`no Python result for ${c.id}`];
  const problems: string[] = [];
  for (const [field, actual] of Object.entries(c.ts)) {
    const expected = exp[field];
    const [rel, abs] = c.tol?.[field] ?? [1e-8, 1e-10];
    if (expected === undefined) {
      problems.push(`${field}: missing in Python output`);
      continue;
    }
    if (typeof actual === "number") {
      const m = closeMessage(actual, expected === null ? Number.NaN : (expected as number), rel, abs);
      if (m) problems.push(`${field}: ${m}`);
    } else if (Array.isArray(actual) && Array.isArray(actual[0])) {
      const A = actual as number[][];
      const E = expected as number[][];
      const cols = A[0]!.length;
      for (let j = 0; j < cols; j++) {
        let sign = 1;
        if (c.signFree?.includes(field)) {
          // align each column's sign on its largest entry
          let bi = 0;
          for (let i = 0; i < E.length; i++) if (Math.abs(E[i]![j]!) > Math.abs(E[bi]![j]!)) bi = i;
          sign = Math.sign(E[bi]![j]!) === Math.sign(A[bi]![j]!) ? 1 : -1;
        }
        const mm = arrayMismatches(A.map((r) => sign * r[j]!), E.map((r) => r[j]!), rel, abs);
        if (mm.length) problems.push(`${field}[:, ${j}]: ${mm.join("; ")}`);
      }
    } else {
      const mm = arrayMismatches(actual as number[], expected as (number | null)[], rel, abs);
      if (mm.length) problems.push(`${field}: ${mm.join("; ")}`);
    }
  }
  return problems;
}

describe.skipIf(!venv)(venvTitle("lib/stats vs statsmodels / numpy / scipy on real data"), () => {
  it("loads real data through loadDataset", () => {
    console.info(`peers: real data from ${source}`);
    expect(source).toBe("loadDataset");
    expect(cases.length).toBeGreaterThan(60);
  });
  for (const kind of ["ols", "adf", "coint", "johansen", "pca", "eigh", "ou", "dist"]) {
    it(`${kind}: every configuration matches its peer`, () => {
      const failures: string[] = [];
      for (const c of cases.filter((k) => k.kind === kind)) {
        const p = compare(c);
        if (p.length) failures.push(`${c.id}: ${p.join(" | ")}`);
      }
      expect(cases.filter((k) => k.kind === kind).length).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });
  }
});
