/**
 * Reports area (issue 16: reports — quantstats; statistics — empyrical, PerformanceAnalytics): the
 * performance metrics the tearsheet shows and the HTML report itself, statarb against its peers, in
 * the SAME run on the SAME real return series, interleaved.
 *
 * The series: the daily net returns of a strategy run by the library on sp500-2003-2007 (452 S&P 500
 * stocks, 2003–2007) — a dollar-neutral 5-day reversal (weights ∝ −(5-day return − cross-sectional
 * mean), gross 1), traded at the next close with 5 bp a side through `backtestWeights` (keepHoldings,
 * as notebook 04 runs its book), so the tearsheet has its exposures, turnover, costs and trades.
 * The peers get the same returns on the same dates (raw float64/int32 files).
 *
 * One long-lived Python worker (bench/reports/peers.py) holds empyrical, quantstats and
 * pyperfanalytics (the Python port of R's PerformanceAnalytics: R's own package is not in Debian 12 and
 * CRAN is not a registry this project installs from); the timing is bench/harness.ts' (one warm-up
 * round): every round times statarb's batch and the peer's batch back to back (A B, then B A the next
 * round), each after a full collection on its side; each side's figure is the median over the rounds,
 * per call, in wall time and in process CPU time.
 * Ratio = peer / statarb (> 1: statarb is faster); a target is met when both ratios reach it.
 * Values are checked before timing (printed, and written with the table): statarb vs each peer on
 * the same series, with the definitions that differ named.
 *
 * Run: bash bench/reports/run.sh [rounds]  (= npx tsx bench/reports/reports.ts [rounds], default 7);
 * REPORTS_BENCH_ONLY=<regex> runs only the matching rows (bench/results/reports.md left as it is).
 * Writes bench/results/reports.md. Never part of npm test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  annualReturn, annualVolatility, calmarRatio, maxDrawdown, quantstatsHtml, quantstatsMetrics, rollingSharpe, sharpeRatio, sortinoRatio,
  weightTearsheetSource, writeTearsheet,
} from "../../lib/analytics/index.js";
import { backtestWeights } from "../../lib/backtest/index.js";
import { loadDataset, Panel } from "../../lib/data/index.js";
import { expectedShortfall, valueAtRisk } from "../../lib/risk/index.js";
import { interleave, loadText, PEER_TABLE_HEAD, type PeerResult, PeerWorker, type PeerWorkload, peerRows } from "../harness.js";
import { writeRows } from "../rows.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ROUNDS = Number(process.argv[2] ?? 7);
const dir = mkdtempSync(path.join(tmpdir(), "statarb-bench-reports-"));

// ---- the return series: a strategy run by the library on real data --------------------------------
const prices = await loadDataset("sp500-2003-2007");
const LOOKBACK = 5;
function reversalTargets(p: Panel): Panel {
  const T = p.nDates, N = p.nAssets;
  const cols = Array.from({ length: N }, () => new Float64Array(T));
  const s = new Float64Array(N);
  for (let i = LOOKBACK; i < T; i++) {
    let sum = 0, n = 0;
    for (let j = 0; j < N; j++) {
      const a = p.columns[j]![i]!, b = p.columns[j]![i - LOOKBACK]!;
      const v = a > 0 && b > 0 ? -(a / b - 1) : Number.NaN;
      s[j] = v;
      if (v === v) (sum += v), n++;
    }
    const m = n ? sum / n : 0;
    let gross = 0;
    for (let j = 0; j < N; j++) if (s[j] === s[j]) gross += Math.abs(s[j]! - m);
    if (gross > 0) for (let j = 0; j < N; j++) cols[j]![i] = s[j] === s[j] ? (s[j]! - m) / gross : 0;
  }
  return new Panel(p.dates, p.assets, cols);
}
const book = backtestWeights(prices, reversalTargets(prices), { fillAt: "next-close", costs: 0.0005, start: prices.dates[LOOKBACK]!, keepHoldings: true });
const r = book.net;
const dates = book.dates;
const source = weightTearsheetSource(book, { capital: 1e8 });
const TITLE = "5-day reversal, sp500-2003-2007";
const GENERATED = "2026-01-01T00:00:00Z"; // a fixed footer: the page is the same every call
const files = { r: path.join(dir, "r.f64"), dates: path.join(dir, "dates.i32"), out: dir };
writeFileSync(files.r, Buffer.from(r.buffer, r.byteOffset, r.byteLength));
writeFileSync(files.dates, Buffer.from(dates.buffer, dates.byteOffset, dates.byteLength));

// ---- workloads -------------------------------------------------------------------------------------
const W = 126; // the tearsheet's (and quantstats') rolling window
const PA = "PerformanceAnalytics (pyperfanalytics port)";
const METRICS: { name: string; ts: () => unknown; batch: number; peers: [string, string][] }[] = [
  { name: "Sharpe ratio", ts: () => sharpeRatio(r), batch: 400, peers: [["empyrical sharpe_ratio", "ep.sharpe_ratio(r)"], ["quantstats stats.sharpe", "qs.stats.sharpe(r)"], [`${PA} sharpe_ratio(annualize=True)`, "pa.sharpe_ratio(r, annualize=True, scale=252)"]] },
  { name: "Sortino ratio", ts: () => sortinoRatio(r), batch: 400, peers: [["empyrical sortino_ratio", "ep.sortino_ratio(r)"], ["quantstats stats.sortino", "qs.stats.sortino(r)"], [`${PA} sortino_ratio`, "pa.sortino_ratio(r)"]] },
  { name: "max drawdown", ts: () => maxDrawdown(r), batch: 400, peers: [["empyrical max_drawdown", "ep.max_drawdown(r)"], ["quantstats stats.max_drawdown", "qs.stats.max_drawdown(r)"], [`${PA} max_drawdown`, "pa.max_drawdown(r)"]] },
  { name: "Calmar ratio", ts: () => calmarRatio(r), batch: 400, peers: [["empyrical calmar_ratio", "ep.calmar_ratio(r)"], ["quantstats stats.calmar", "qs.stats.calmar(r)"], [`${PA} calmar_ratio`, "pa.calmar_ratio(r, scale=252)"]] },
  { name: "annual return (CAGR)", ts: () => annualReturn(r), batch: 400, peers: [["empyrical annual_return", "ep.annual_return(r)"], ["quantstats stats.cagr", "qs.stats.cagr(r)"], [`${PA} return_annualized`, "pa.return_annualized(r, scale=252)"]] },
  { name: "annual volatility", ts: () => annualVolatility(r), batch: 400, peers: [["empyrical annual_volatility", "ep.annual_volatility(r)"], ["quantstats stats.volatility", "qs.stats.volatility(r)"], [`${PA} std_dev_annualized`, "pa.std_dev_annualized(r, scale=252)"]] },
  { name: "historical VaR 95 %", ts: () => valueAtRisk(r, { confidence: 0.95 }), batch: 400, peers: [["empyrical value_at_risk", "ep.value_at_risk(r, 0.05)"], [`${PA} var_historical`, "pa.var_historical(r, 0.95)"]] },
  { name: "historical ES 95 %", ts: () => expectedShortfall(r, { confidence: 0.95 }), batch: 400, peers: [["empyrical conditional_value_at_risk", "ep.conditional_value_at_risk(r, 0.05)"], [`${PA} es_historical`, "pa.es_historical(r, 0.95)"]] },
  { name: "gaussian VaR 95 %", ts: () => valueAtRisk(r, { confidence: 0.95, method: "gaussian" }), batch: 400, peers: [["quantstats stats.value_at_risk", "qs.stats.value_at_risk(r)"], [`${PA} var_gaussian`, "pa.var_gaussian(r, 0.95)"]] },
  { name: `rolling Sharpe, ${W} days`, ts: () => rollingSharpe(r, W), batch: 40, peers: [["empyrical roll_sharpe_ratio", `ep.roll_sharpe_ratio(r, window=${W})`], ["quantstats stats.rolling_sharpe", `qs.stats.rolling_sharpe(r, rolling_period=${W})`]] },
];
const htmlOut = path.join(dir, "statarb.html");
const WORKLOADS: PeerWorkload[] = [
  ...METRICS.flatMap((m) => m.peers.map(([peer, py]) => ({ name: m.name, peer, py, ts: m.ts, batch: m.batch, target: "≥ 1×" as const }))),
  { name: "full metrics table (quantstatsMetrics)", peer: "quantstats reports.metrics(mode='full', display=False)", py: `qs.reports.metrics(r, mode="full", display=False)`, ts: () => quantstatsMetrics(r, dates), batch: 4, target: "≥ 1×" },
  { name: "HTML tearsheet written to a file (writeTearsheet)", peer: "quantstats reports.html(output=…) (svg figures)", py: `qs.reports.html(r, output=out + "/qs.html", title="${TITLE}")`, ts: () => writeTearsheet(htmlOut, source, { title: TITLE, generatedAt: GENERATED }), batch: 1, target: "≥ 1×" },
  {
    name: "HTML tearsheet + quantstats' full report section (as notebook 04)", peer: "quantstats reports.html(output=…) (svg figures)", py: `qs.reports.html(r, output=out + "/qs.html", title="${TITLE}")`,
    ts: () => writeTearsheet(htmlOut, source, { title: TITLE, generatedAt: GENERATED, sections: [{ title: "quantstats' full report", html: quantstatsHtml(r, dates) }] }), batch: 1, target: "≥ 1×",
  },
];
const ONLY = process.env.REPORTS_BENCH_ONLY ? new RegExp(process.env.REPORTS_BENCH_ONLY) : null;
if (ONLY) WORKLOADS.splice(0, WORKLOADS.length, ...WORKLOADS.filter((w) => ONLY.test(`${w.name} ${w.peer}`)));

// ---- the Python worker (bench/reports/peers.py on bench/peer_worker.py) ------------------------------
const env = { ...process.env, MPLBACKEND: "Agg", OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? "1" };
const worker = new PeerWorker("bench/reports", path.join(root, ".venv/bin/python"), [path.join(root, "bench/reports/peers.py"), JSON.stringify(files)], env);

// ---- agreement of values (untimed) -------------------------------------------------------------------
interface Agreement {
  metric: string;
  statarb: number;
  peer: string;
  value: number | string;
  diff: string;
}
const maxAbsDiff = (a: Float64Array, b: (number | null)[]): string => {
  // empyrical's roll_* functions return only the full windows (n − window + 1 values): align at the end
  const off = a.length - b.length;
  let m = 0, nanMismatch = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = i < off ? null : b[i - off];
    if (y === null || y === undefined) nanMismatch += Number.isNaN(x) ? 0 : 1;
    else if (Number.isNaN(x)) nanMismatch++;
    else m = Math.max(m, Math.abs(x - y));
  }
  return `max |Δ| ${m.toExponential(1)} over the series${off > 0 ? ` (the peer returns the ${b.length} full windows only)` : ""}${nanMismatch ? `, ${nanMismatch} NaN positions differ` : ", NaN positions equal"}`;
};
async function agreement(): Promise<Agreement[]> {
  const req: Record<string, string> = {};
  METRICS.forEach((m, i) => m.peers.forEach(([, py], k) => (req[`${i}:${k}`] = py)));
  const got = await worker.request<Record<string, number | null | string | (number | null)[]>>({ values: req });
  const rows: Agreement[] = [];
  METRICS.forEach((m, i) => {
    const mine = m.ts();
    m.peers.forEach(([peer], k) => {
      const v = got[`${i}:${k}`];
      if (mine instanceof Float64Array) {
        rows.push({ metric: m.name, statarb: Number.NaN, peer, value: "(series)", diff: Array.isArray(v) ? maxAbsDiff(mine, v) : String(v) });
        return;
      }
      const x = mine as number;
      const y = typeof v === "number" ? v : Number.NaN;
      const rel = Math.abs(x - y) / Math.max(1e-300, Math.abs(y));
      const note = typeof v === "string" ? v : !Number.isFinite(y) ? "peer gives no value" : rel <= 1e-12 ? `equal (rel. ${rel.toExponential(0)})` : Math.abs(x + y) / Math.abs(y) <= 1e-12 ? "same magnitude, opposite sign" : `ratio statarb/peer ${(x / y).toFixed(6)}`;
      rows.push({ metric: m.name, statarb: x, peer, value: typeof v === "number" ? v : String(v), diff: note });
    });
  });
  return rows;
}

async function main(): Promise<void> {
  await worker.ready();
  const agree = await agreement();
  for (const a of agree) console.log(`agreement: ${a.metric}: statarb ${Number.isNaN(a.statarb) ? "(series)" : a.statarb.toPrecision(10)} vs ${a.peer} ${typeof a.value === "number" ? a.value.toPrecision(10) : a.value} — ${a.diff}`);
  const loadBefore = loadavg();
  const results = await interleave(worker, WORKLOADS, ROUNDS, 1); // one warm-up round
  worker.end();
  rmSync(dir, { recursive: true, force: true });
  report(results, agree, loadBefore, loadavg());
}

const DEFINITIONS = [
  "Sharpe: statarb = empyrical = quantstats = mean/std(ddof 1)·√252; PerformanceAnalytics' SharpeRatio.annualized in R defaults to geometric = TRUE ((Π(1+r))^(252/n) − 1 over std·√252) — the port's sharpe_ratio defaults to geometric = False, the arithmetic form asked for here.",
  "Sortino: statarb = empyrical = quantstats = mean·252 / (√mean(min(r, 0)²)·√252); PerformanceAnalytics' SortinoRatio is per period (not annualised): mean / √mean(min(r, 0)²), so statarb / PA = √252 = 15.87.",
  "Max drawdown: statarb = empyrical = quantstats, a negative return; PerformanceAnalytics reports it as a positive loss.",
  "CAGR: statarb = empyrical = quantstats 0.0.86 = PerformanceAnalytics = (Π(1+r))^(252/n) − 1 (n trading days). Calmar = CAGR / |max drawdown| everywhere.",
  "Historical VaR/ES: statarb and PerformanceAnalytics give positive losses, empyrical negative returns; all take the empirical quantile with linear interpolation (numpy's percentile = R's quantile type 7) and ES as the mean of the returns beyond it (PerformanceAnalytics: strictly below; the same here since the interpolated quantile is no data point).",
  "Gaussian VaR: statarb −(μ + z·σ) with σ of ddof 1; quantstats' value_at_risk is μ + z·σ (a return, so the opposite sign); PerformanceAnalytics' VaR(method = 'gaussian') uses the population second moment (ddof 0), hence a ratio √(n/(n − 1)) ≈ 1.0004.",
  "Rolling Sharpe: statarb = empyrical roll_sharpe_ratio = quantstats rolling_sharpe (mean/std(ddof 1)·√252 over the trailing window); empyrical returns the full windows only; PerformanceAnalytics does it with apply.rolling in R, which the port does not have (no row).",
];

function report(results: readonly PeerResult[], agree: readonly Agreement[], loadBefore: number[], loadAfter: number[]): void {
  const { table: rows, rows: benchRows } = peerRows(WORKLOADS, results, `${loadText(loadBefore)} → ${loadText(loadAfter)}`);
  const g = (x: number | string): string => (typeof x === "number" ? x.toPrecision(8) : x);
  const out = [
    "## reports (lib/analytics metrics and tearsheet, lib/risk VaR/ES) vs quantstats, empyrical, PerformanceAnalytics",
    "",
    `Command: \`bash bench/reports/run.sh ${ROUNDS}\` — ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}; ` +
      `load average (1, 5, 15 min) ${loadText(loadBefore)} at the start, ${loadText(loadAfter)} at the end — a shared machine, so the per-CPU-second columns (process CPU time, every thread counted) are the steadier comparison.`,
    "",
    `Data: the daily net returns of a strategy run by the library on sp500-2003-2007 (452 S&P 500 stocks): a dollar-neutral ${LOOKBACK}-day reversal (weights ∝ −(${LOOKBACK}-day return − cross-sectional mean), gross 1), traded at the next close with 5 bp a side by \`backtestWeights\` (keepHoldings) — ${r.length} days, ${book.trades?.length ?? 0} trades; the tearsheet reads \`weightTearsheetSource(result)\` (no benchmark: one return series), the peers the same returns as a pandas Series on the same dates. ` +
      "Method: one process per side in the same run; each round times a batch of statarb calls and a batch of peer calls back to back (the order alternates every round), each after a full garbage collection on its side (untimed), after one warm-up round; figures are per-call medians over the rounds. " +
      "Ratio = peer / statarb (above 1× statarb is faster); target ≥ 1× (issue 16: each ≥ 1× its peer), met when both the wall and the CPU ratio reach it. " +
      "Report rows write an HTML file on both sides, no browser: statarb's `writeTearsheet` (inline SVG via Observable Plot, atomic write) and `quantstats.reports.html(returns, output=…)` (matplotlib SVG figures). " +
      "PerformanceAnalytics is R's package in issue 16; it is not packaged for Debian 12 (`apt-cache policy r-cran-performanceanalytics`: no candidate) and CRAN is not a registry this project installs from, so its rows time **pyperfanalytics**, the Python port of PerformanceAnalytics in .venv (requirements.txt) — not R's own code.",
    "",
    ...PEER_TABLE_HEAD,
    ...rows,
    "",
    "Agreement of values on this series (computed before the timing; statarb's value, the peer's, and how they relate):",
    "",
    "| metric | statarb | peer | peer value | agreement |",
    "|---|---:|---|---:|---|",
    ...agree.map((a) => `| ${a.metric} | ${Number.isNaN(a.statarb) ? "(series)" : a.statarb.toPrecision(8)} | ${a.peer} | ${g(a.value)} | ${a.diff} |`),
    "",
    "Where the definitions differ: " + DEFINITIONS.join(" "),
    "",
  ];
  if (ONLY) return console.log(`(REPORTS_BENCH_ONLY=${ONLY.source}, load ${loadText(loadBefore)} → ${loadText(loadAfter)}: bench/results/reports.md not written)`);
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  writeFileSync(path.join(root, "bench/results/reports.md"), out.join("\n"));
  writeRows("reports", benchRows, { command: `bash bench/reports/run.sh ${ROUNDS}` });
  console.log("wrote bench/results/reports.md");
}

await main();
