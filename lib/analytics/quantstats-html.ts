/**
 * `quantstatsHtml(returns, dates, options)`: quantstats' full report as one self-contained HTML
 * fragment — the metrics table (./quantstats-metrics.ts), the five worst drawdowns, the end-of-year
 * table, the monthly heatmap, rolling Sharpe / Sortino / volatility (and beta against a benchmark when
 * one is given) and the return distribution with VaR / ES marks. The default comparison of a
 * market-neutral book is cash (the risk-free rate), not an equity index; `benchmark` adds one.
 */
import { rollingBeta } from "../features/index.js";
import { monthlyReturnsHeatmap, returnHistogram, rollingChart } from "../plot/index.js";
import { escapeHtml, htmlTable, num, pct } from "./html.js";
import { type QuantstatsMetrics, type QuantstatsOptions, type QuantstatsReport, quantstatsMetrics } from "./quantstats-metrics.js";

/** Options of {@link quantstatsHtml}. */
export interface QuantstatsHtmlOptions extends QuantstatsOptions {
  /** Heading (default "Performance (quantstats metrics)"). */
  title?: string;
  /** Benchmark returns for the rolling beta (default none: the book is compared with cash). */
  benchmark?: ArrayLike<number>;
  /** Chart width in px (default 760). */
  width?: number;
}

type Fmt = "pct" | "num" | "int";
const ROWS: readonly (readonly [keyof QuantstatsMetrics, string, Fmt])[] = [
  ["cumulativeReturn", "Cumulative return", "pct"], ["cagr", "CAGR", "pct"], ["sharpe", "Sharpe", "num"], ["probabilisticSharpe", "Prob. Sharpe ratio", "pct"],
  ["smartSharpe", "Smart Sharpe", "num"], ["sortino", "Sortino", "num"], ["smartSortino", "Smart Sortino", "num"], ["sortinoOverSqrt2", "Sortino/√2", "num"],
  ["omega", "Omega", "num"], ["maxDrawdown", "Max drawdown", "pct"], ["longestDrawdownDays", "Longest DD days", "int"], ["volatility", "Volatility (ann.)", "pct"],
  ["calmar", "Calmar", "num"], ["skew", "Skew", "num"], ["kurtosis", "Kurtosis", "num"], ["expectedDaily", "Expected daily", "pct"],
  ["expectedMonthly", "Expected monthly", "pct"], ["expectedYearly", "Expected yearly", "pct"], ["kelly", "Kelly criterion", "pct"], ["riskOfRuin", "Risk of ruin", "pct"],
  ["valueAtRisk", "Daily VaR (95 %)", "pct"], ["expectedShortfall", "Expected shortfall (cVaR)", "pct"], ["maxConsecutiveWins", "Max consecutive wins", "int"],
  ["maxConsecutiveLosses", "Max consecutive losses", "int"], ["gainToPain", "Gain/pain ratio", "num"], ["payoffRatio", "Payoff ratio", "num"],
  ["profitFactor", "Profit factor", "num"], ["commonSenseRatio", "Common sense ratio", "num"], ["cpcIndex", "CPC index", "num"], ["tailRatio", "Tail ratio", "num"],
  ["outlierWinRatio", "Outlier win ratio", "num"], ["outlierLossRatio", "Outlier loss ratio", "num"], ["bestDay", "Best day", "pct"], ["worstDay", "Worst day", "pct"],
  ["bestMonth", "Best month", "pct"], ["worstMonth", "Worst month", "pct"], ["bestYear", "Best year", "pct"], ["worstYear", "Worst year", "pct"],
  ["avgDrawdown", "Avg. drawdown", "pct"], ["avgDrawdownDays", "Avg. drawdown days", "int"], ["recoveryFactor", "Recovery factor", "num"], ["ulcerIndex", "Ulcer index", "num"],
  ["serenityIndex", "Serenity index", "num"], ["avgUpMonth", "Avg. up month", "pct"], ["avgDownMonth", "Avg. down month", "pct"], ["winDays", "Win days", "pct"],
  ["winMonths", "Win months", "pct"], ["winQuarters", "Win quarters", "pct"], ["winYears", "Win years", "pct"], ["exposure", "Time in market", "pct"],
];

const fmt = (x: number, f: Fmt): string => (f === "pct" ? pct(x, 2) : f === "int" ? (Number.isFinite(x) ? String(Math.round(x)) : "–") : num(x, 2));

/** The metrics table of one or more return series side by side. */
export function quantstatsMetricsTable(columns: readonly { readonly name: string; readonly metrics: QuantstatsMetrics }[]): string {
  const rows = ROWS.map(([k, label, f]) => [label, ...columns.map((c) => fmt(c.metrics[k], f))]);
  return htmlTable(["Metric", ...columns.map((c) => c.name)], rows, "Key performance metrics (quantstats' full report)");
}

function drawdownTable(q: QuantstatsReport): string {
  const rows = q.drawdowns.slice(0, 5).map((d) => [d.start, d.valley, d.end, d.recovery ?? "not recovered", pct(d.depth, 2), String(d.days)]);
  return htmlTable(["Start", "Valley", "End", "Recovery", "Depth", "Days"], rows, "Five worst drawdowns");
}

function eoyTable(q: QuantstatsReport): string {
  return htmlTable(["Year", "Return"], q.monthly.map((y) => [String(y.year), pct(y.year_total, 2)]), "End-of-year returns");
}

/** The full report of a daily return series as an HTML fragment. */
export function quantstatsHtml(returns: ArrayLike<number>, dates: ArrayLike<number>, options: QuantstatsHtmlOptions = {}): string {
  const { title, benchmark, width: w, ...qo } = options;
  const q = quantstatsMetrics(returns, dates, qo);
  const width = w ?? 760;
  const d = Int32Array.from(dates);
  const series: Record<string, Float64Array> = { "Sharpe (6m)": q.rollingSharpe, "Sortino (6m)": q.rollingSortino };
  const charts = [
    rollingChart({ dates: d, series, label: "rolling ratio", width, height: 200 }).markup,
    rollingChart({ dates: d, series: { "volatility (6m)": q.rollingVolatility }, label: "annualised volatility", width, height: 180 }).markup,
  ];
  if (benchmark !== undefined) {
    const beta = rollingBeta(Float64Array.from(returns), Float64Array.from(benchmark), qo.rollingWindow ?? 126);
    charts.push(rollingChart({ dates: d, series: { "beta (6m)": beta }, label: "rolling beta to the benchmark", width, height: 180 }).markup);
  }
  charts.push(monthlyReturnsHeatmap({ dates: d, returns: Float64Array.from(returns), width }).markup);
  charts.push(returnHistogram({ returns: Float64Array.from(returns), valueAtRisk: -q.metrics.valueAtRisk, expectedShortfall: -q.metrics.expectedShortfall, width, height: 200 }).markup);
  return `<section class="sa-quantstats"><h2>${escapeHtml(title ?? "Performance (quantstats metrics)")}</h2>
<p class="sa-note">Compared with ${benchmark === undefined ? "cash (the risk-free rate)" : "cash and the given benchmark (rolling beta)"}; conventions of quantstats 0.0.86.</p>
${quantstatsMetricsTable([{ name: "Strategy", metrics: q.metrics }])}${drawdownTable(q)}${eoyTable(q)}${charts.join("\n")}</section>`;
}
