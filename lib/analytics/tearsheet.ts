/**
 * `tearsheet(result, options)`: one self-contained HTML page of a backtest for a portfolio manager —
 * inline SVG charts (Observable Plot via lib/plot), inline CSS, no scripts and no external URL, so
 * it opens offline and archives as one file. `writeTearsheet` writes it atomically (tmp + rename).
 *
 * Sections: summary metrics, equity vs benchmark, drawdowns, rolling Sharpe and beta, monthly
 * returns heatmap and yearly table, return distribution with historical VaR/ES marks (lib/risk),
 * exposures, turnover and costs, factor / Brinson / style / sector attribution when given, risk
 * manager interventions, and the backtest's stated assumptions.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { BacktestResult } from "../backtest/index.js";
import { fromEpochDay } from "../data/index.js";
import { contributionChart, costsChart, drawdownChart, equityChart, exposureChart, monthlyReturnsHeatmap, type PlotFigure, returnHistogram, rollingChart, turnoverChart } from "../plot/index.js";
import { expectedShortfall, valueAtRisk } from "../risk/index.js";
import type { BrinsonResult, LinkedBrinsonResult } from "./brinson.js";
import type { FactorAttributionResult } from "./factor-attribution.js";
import { maxDrawdown, rollingSharpe, sharpeRatio } from "./metrics.js";
import { brinsonHtml, escapeHtml, factorAttributionHtml, htmlTable, num, pct, sectorBreakdownHtml, styleHtml } from "./report-tables.js";
import { rollingBeta } from "../features/index.js";
import type { SectorBreakdown } from "./sector-attribution.js";
import type { StyleAnalysisResult } from "./style-analysis.js";
import { compoundByPeriod } from "./time-decomposition.js";

/** The BacktestResult fields the tearsheet reads. */
export type TearsheetSource = Pick<
  BacktestResult,
  | "dates"
  | "equityCurve"
  | "returns"
  | "returnsBeforeCosts"
  | "benchmarkReturns"
  | "turnover"
  | "averageTurnover"
  | "grossLeverage"
  | "netLeverage"
  | "dailyCosts"
  | "costs"
  | "trades"
  | "interventions"
  | "initialCapital"
  | "assumptions"
  | "annualReturn"
  | "annualVolatility"
  | "sharpeRatio"
  | "sortinoRatio"
  | "maxDrawdown"
  | "calmarRatio"
  | "informationRatio"
  | "winRate"
  | "totalReturn"
>;

/** Options of {@link tearsheet}. */
export interface TearsheetOptions {
  /** Page title (default "Backtest tearsheet"). */
  title?: string;
  /** Benchmark: its name for result.benchmarkReturns, or { name, returns } to use other daily returns on the result's dates (default name "benchmark"). */
  benchmark?: string | { name?: string; returns?: Float64Array | readonly number[] };
  /** Rolling window in trading days for Sharpe and beta (default 126). */
  rollingWindow?: number;
  /** VaR/ES confidence (default 0.95, historical method). */
  confidence?: number;
  /** Factor attribution to tabulate (default: none). */
  factorAttribution?: FactorAttributionResult;
  /** Brinson attribution, one period or linked (default: none). */
  brinson?: BrinsonResult | LinkedBrinsonResult;
  /** Style analysis (default: none). */
  style?: StyleAnalysisResult;
  /** Sector breakdown (default: none). */
  sectors?: SectorBreakdown;
  /** Most intervention rows listed (default 50; the counts by rule are always complete). */
  maxInterventions?: number;
  /** Chart width in px (default 820). */
  width?: number;
  /** Generation timestamp shown in the footer (default: now; pass a fixed string for reproducible files). */
  generatedAt?: string;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:900px;margin:0 auto;padding:24px 28px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #dde1e6;padding-bottom:4px}
.sa-sub{color:#5b6470;font-size:13px;margin:0 0 12px}
.sa-kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:12px 0}
.sa-kpi{background:#f1f4f8;border-radius:6px;padding:8px 10px}.sa-kpi b{display:block;font-size:17px}.sa-kpi span{font-size:11px;color:#5b6470}
.sa-chart{margin:6px 0 14px}.sa-chart figure{margin:0}
table.sa-table{border-collapse:collapse;font-size:12px;margin:8px 0 14px;min-width:50%}
table.sa-table caption{text-align:left;font-weight:600;padding:4px 0}
table.sa-table th,table.sa-table td{padding:3px 8px;border-bottom:1px solid #e6e9ed;text-align:right;font-variant-numeric:tabular-nums}
table.sa-table th[scope=row],table.sa-table thead th:first-child{text-align:left;font-weight:500}
table.sa-table thead th{background:#f1f4f8;font-weight:600}
.sa-note{font-size:12px;color:#5b6470}
ul.sa-assumptions{font-size:12px;color:#3b424b}
footer{font-size:11px;color:#8a939e;margin-top:24px}
@media print{body{background:#fff}main{padding:0}h2{break-after:avoid}.sa-chart,table{break-inside:avoid}}
`;

function chart(title: string, fig: PlotFigure, note?: string): string {
  return `<section class="sa-chart" data-chart="${escapeHtml(title)}"><h3 class="sa-note">${escapeHtml(title)}</h3>${fig.markup}${note ? `<p class="sa-note">${escapeHtml(note)}</p>` : ""}</section>`;
}

const cur = (x: number) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: 0 }) : "–");

/** Builds the tearsheet HTML of a backtest result (see the module doc). */
export function tearsheet(result: TearsheetSource, options: TearsheetOptions = {}): string {
  const where = "tearsheet";
  if (result === undefined || !(result.returns instanceof Float64Array) || !(result.dates instanceof Int32Array)) throw new TypeError(`${where}: pass a BacktestResult (from StatArbBacktester.runBacktest)`);
  const T = result.dates.length;
  if (T < 2) throw new RangeError(`${where}: the result has ${T} day(s); need at least 2`);
  const title = options.title ?? "Backtest tearsheet";
  const bopt = options.benchmark;
  const benchName = typeof bopt === "string" ? bopt : (bopt?.name ?? "benchmark");
  let bench = result.benchmarkReturns;
  if (typeof bopt === "object" && bopt.returns !== undefined) {
    bench = bopt.returns instanceof Float64Array ? bopt.returns : Float64Array.from(bopt.returns);
    if (bench.length !== T) throw new RangeError(`${where}: option benchmark.returns has ${bench.length} values; give one per result date (${T})`);
  }
  const window = options.rollingWindow ?? 126;
  if (!Number.isInteger(window) || window < 5) throw new RangeError(`${where}: option rollingWindow must be an integer ≥ 5 (trading days), got ${window}`);
  const confidence = options.confidence ?? 0.95;
  const width = options.width ?? 820;
  const dates = result.dates;
  const r = result.returns;
  const hasBench = bench.some((v) => Number.isFinite(v));
  const benchClean = bench.map((v) => (Number.isFinite(v) ? v : 0));

  const first = fromEpochDay(dates[0] as number);
  const last = fromEpochDay(dates[T - 1] as number);
  const finalEquity = result.equityCurve[T - 1] as number;
  const finite = r.filter((v) => Number.isFinite(v));
  const VaR = valueAtRisk(finite, { confidence });
  const ES = expectedShortfall(finite, { confidence });
  const level = `${+(confidence * 100).toFixed(2)}%`;

  const kpis: [string, string][] = [
    ["total return", pct(result.totalReturn)],
    ["annual return", pct(result.annualReturn)],
    ["annual volatility", pct(result.annualVolatility)],
    ["Sharpe", num(result.sharpeRatio, 2)],
    ["Sortino", num(result.sortinoRatio, 2)],
    ["max drawdown", pct(result.maxDrawdown)],
    ["Calmar", num(result.calmarRatio, 2)],
    ["information ratio", num(result.informationRatio, 2)],
  ];
  const summaryRows: string[][] = [
    ["period", `${first} … ${last} (${T} days)`],
    ["initial / final equity", `${cur(result.initialCapital)} / ${cur(finalEquity)}`],
    [`${benchName} total return`, hasBench ? pct(benchClean.reduce((g, v) => g * (1 + v), 1) - 1) : "–"],
    [`${benchName} Sharpe / max drawdown`, hasBench ? `${num(sharpeRatio(benchClean), 2)} / ${pct(maxDrawdown(benchClean))}` : "–"],
    ["win rate", pct(result.winRate)],
    [`daily VaR / ES ${level} (historical)`, `${pct(VaR)} / ${pct(ES)}`],
    ["average daily turnover", pct(result.averageTurnover)],
    ["trades", cur(result.trades.length)],
    ["risk interventions", cur(result.interventions.length)],
  ];

  const charts: string[] = [];
  charts.push(chart(`Equity: growth of 1 vs ${benchName}`, equityChart({ dates, returns: r, ...(hasBench ? { benchmark: benchClean } : {}), names: ["strategy", benchName], width })));
  charts.push(chart("Drawdown", drawdownChart({ dates, returns: r, width })));
  const rs = rollingSharpe(r, window);
  charts.push(chart(`Rolling Sharpe (${window} days)`, rollingChart({ dates, series: { "rolling Sharpe": rs }, label: "Sharpe", width })));
  if (hasBench) charts.push(chart(`Rolling beta to ${benchName} (${window} days)`, rollingChart({ dates, series: { "rolling beta": rollingBeta(r, benchClean, window) }, label: "beta", width })));
  const monthly = monthlyReturnsHeatmap({ dates, returns: r, width });
  const yearly = compoundByPeriod(dates, r, "yearly", hasBench ? benchClean : undefined);
  const yearlyTable = htmlTable(
    ["year", "strategy", benchName, "active", "days"],
    yearly.labels.map((y, i) => [y, pct(yearly.returns[i] as number), pct(yearly.benchmark[i] as number), pct(yearly.active[i] as number), String(yearly.days[i])]),
    "Returns by year (compounded)",
  );
  const hist = returnHistogram({ returns: finite, valueAtRisk: VaR, expectedShortfall: ES, confidence, width });
  const exposure = exposureChart({ dates, gross: result.grossLeverage, net: result.netLeverage, width });
  const turnover = turnoverChart({ dates, turnover: result.turnover, width });
  const costs = costsChart({ dates, dailyCosts: result.dailyCosts, scale: result.initialCapital / 100, label: "cumulative costs (% of initial capital)", width });
  const c = result.costs;
  const costTable = htmlTable(
    ["cost", "currency", "% of initial capital"],
    [
      ["commission", cur(c.commission), pct(c.commission / result.initialCapital, 3)],
      ["spread", cur(c.spread), pct(c.spread / result.initialCapital, 3)],
      ["impact", cur(c.impact), pct(c.impact / result.initialCapital, 3)],
      ["borrow", cur(c.borrow), pct(c.borrow / result.initialCapital, 3)],
      ["total", cur(c.total), pct(c.total / result.initialCapital, 3)],
    ],
  );
  let gross = 1;
  for (const v of result.returnsBeforeCosts) gross *= 1 + (Number.isFinite(v) ? v : 0);

  const attribution: string[] = [];
  const fa = options.factorAttribution;
  if (fa !== undefined) {
    const m = fa.models.find((x) => x.model === fa.primary) ?? fa.models[0];
    const bars = m === undefined ? "" : chart(`Active return by source (${m.model}, Σ over ${fa.dates.length} ${fa.frequency === "monthly" ? "months" : "days"})`, contributionChart({ labels: [...m.contributions.map((c) => c.factor), "selection (residual)"], values: [...m.contributions.map((c) => c.total), m.selectionTotal], width }));
    attribution.push(`<h3>Factor attribution</h3>${bars}${factorAttributionHtml(fa)}`);
  }
  const br = options.brinson;
  if (br !== undefined) {
    const bars = chart("Brinson-Fachler effects by sector (allocation + selection + interaction)", contributionChart({ labels: br.sectors.map((x) => x.sector), values: br.sectors.map((x) => x.total), width }));
    const note = `<p class="sa-note">The sector attribution's benchmark is the one it was computed against (brinsonFromHoldings: the equal-weighted universe unless benchmarkWeights were given), not necessarily ${escapeHtml(benchName)}.</p>`;
    attribution.push(`<h3>Sector attribution (Brinson-Fachler)</h3>${note}${bars}${brinsonHtml(br)}`);
  }
  if (options.style !== undefined) attribution.push(`<h3>Style analysis</h3>${styleHtml(options.style)}`);
  if (options.sectors !== undefined) attribution.push(`<h3>Sector breakdown</h3>${sectorBreakdownHtml(options.sectors)}`);

  const maxI = options.maxInterventions ?? 50;
  const byRule = new Map<string, number>();
  for (const iv of result.interventions) byRule.set(iv.rule, (byRule.get(iv.rule) ?? 0) + 1);
  const interventions =
    result.interventions.length === 0
      ? `<p class="sa-note">The risk manager made no interventions.</p>`
      : htmlTable(["rule", "interventions"], [...byRule.entries()].map(([k, v]) => [k, String(v)]), "Interventions by rule") +
        htmlTable(
          ["date", "rule", "before", "after", "reason"],
          result.interventions.slice(0, maxI).map((iv) => [iv.date, iv.rule, num(iv.before, 4), num(iv.after, 4), iv.reason]),
          result.interventions.length > maxI ? `First ${maxI} of ${result.interventions.length}` : "All interventions",
        );

  const generated = options.generatedAt ?? new Date().toISOString();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="sa-sub">${escapeHtml(`${first} … ${last} · ${T} trading days · benchmark: ${benchName}`)}</p>
<div class="sa-kpis">${kpis.map(([k, v]) => `<div class="sa-kpi"><b>${escapeHtml(v)}</b><span>${escapeHtml(k)}</span></div>`).join("")}</div>
${htmlTable(["", ""], summaryRows, "Summary")}
<h2>Performance</h2>
${charts.join("\n")}
<h2>Monthly and yearly returns</h2>
${chart("Monthly returns (%)", monthly)}
${yearlyTable}
<h2>Return distribution</h2>
${chart(`Daily returns with ${level} VaR and ES (historical)`, hist)}
<h2>Exposures, turnover and costs</h2>
${chart("Gross and net exposure", exposure)}
${chart("Daily turnover", turnover)}
${chart("Cumulative transaction costs and borrow", costs, `Return before costs ${pct(gross - 1)} vs after costs ${pct(result.totalReturn)}.`)}
${costTable}
${attribution.length ? `<h2>Attribution</h2>\n${attribution.join("\n")}` : ""}
<h2>Risk manager</h2>
${interventions}
<h2>Assumptions</h2>
<ul class="sa-assumptions">${result.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join("")}</ul>
<footer>statarb tearsheet · generated ${escapeHtml(generated)} · self-contained (inline SVG and CSS, no scripts)</footer>
</main></body></html>
`;
}

/** Writes {@link tearsheet}'s HTML to `path` atomically (a temporary file in the same folder, then rename); returns the absolute path. */
export async function writeTearsheet(path: string, result: TearsheetSource, options: TearsheetOptions = {}): Promise<string> {
  if (typeof path !== "string" || path.length === 0) throw new TypeError("writeTearsheet: path must be a file path such as out/tearsheet.html");
  const html = tearsheet(result, options);
  const abs = resolve(path);
  await mkdir(dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, html, "utf8");
  await rename(tmp, abs);
  return abs;
}
