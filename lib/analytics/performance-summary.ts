/**
 * `performanceSummary(returns, benchmark?)`: every metric of `metrics.ts` in one frozen object
 * (empyrical definitions; benchmark-relative fields are NaN without a benchmark, so the shape never
 * depends on the arguments), with an HTML table for Jupyter display.
 */
import { INSPECT, opt, readOptions } from "../data/index.js";
import { alpha, annualReturn, annualVolatility, beta, calmarRatio, cumulativeReturn, informationRatio, maxDrawdown, type MetricOptions, sharpeRatio, sortinoRatio, stabilityOfTimeseries, tailRatio, winRate } from "./metrics.js";

/** Options of {@link performanceSummary}. */
export interface PerformanceSummaryOptions extends MetricOptions {
  /** Per-period risk-free rate for Sharpe and alpha (default 0). */
  riskFree?: number;
}

/** Result of {@link performanceSummary}. */
export interface PerformanceSummary {
  readonly periods: number;
  readonly cumulativeReturn: number;
  readonly annualReturn: number;
  readonly annualVolatility: number;
  readonly sharpeRatio: number;
  readonly sortinoRatio: number;
  readonly maxDrawdown: number;
  readonly calmarRatio: number;
  readonly stability: number;
  readonly tailRatio: number;
  readonly winRate: number;
  /** Benchmark-relative (NaN without a benchmark). */
  readonly beta: number;
  readonly alpha: number;
  readonly informationRatio: number;
  /** Rows [label, formatted value] in display order. */
  rows(): [string, string][];
  toHTML(): string;
}

const PCT = new Set(["cumulativeReturn", "annualReturn", "annualVolatility", "maxDrawdown", "winRate", "alpha"]);
const LABELS: Record<string, string> = {
  periods: "Periods",
  cumulativeReturn: "Cumulative return",
  annualReturn: "Annual return (CAGR)",
  annualVolatility: "Annual volatility",
  sharpeRatio: "Sharpe ratio",
  sortinoRatio: "Sortino ratio",
  maxDrawdown: "Max drawdown",
  calmarRatio: "Calmar ratio",
  stability: "Stability",
  tailRatio: "Tail ratio",
  winRate: "Win rate",
  beta: "Beta",
  alpha: "Alpha (annual)",
  informationRatio: "Information ratio",
};

export function performanceSummary(returns: Float64Array | readonly number[], benchmark?: Float64Array | readonly number[], options: PerformanceSummaryOptions = {}): PerformanceSummary {
  const o = readOptions("performanceSummary", options, { periodsPerYear: opt.number(252, { min: 0, open: "min" }), riskFree: opt.number(0) });
  const m: MetricOptions = { periodsPerYear: o.periodsPerYear };
  const rf = o.riskFree;
  const values = {
    periods: returns.length,
    cumulativeReturn: cumulativeReturn(returns),
    annualReturn: annualReturn(returns, m),
    annualVolatility: annualVolatility(returns, m),
    sharpeRatio: sharpeRatio(returns, { ...m, riskFree: rf }),
    sortinoRatio: sortinoRatio(returns, m),
    maxDrawdown: maxDrawdown(returns),
    calmarRatio: calmarRatio(returns, m),
    stability: stabilityOfTimeseries(returns),
    tailRatio: tailRatio(returns),
    winRate: winRate(returns),
    beta: benchmark ? beta(returns, benchmark) : Number.NaN,
    alpha: benchmark ? alpha(returns, benchmark, { ...m, riskFree: rf }) : Number.NaN,
    informationRatio: benchmark ? informationRatio(returns, benchmark, m) : Number.NaN,
  };
  const rows = (): [string, string][] =>
    Object.entries(values).map(([k, v]) => [LABELS[k] ?? k, Number.isNaN(v) ? "—" : PCT.has(k) ? `${(v * 100).toFixed(2)}%` : k === "periods" ? String(v) : v.toFixed(3)]);
  const toHTML = () =>
    `<table class="statarb-summary"><tbody>${rows()
      .map(([k, v]) => `<tr><th style="text-align:left">${k}</th><td style="text-align:right">${v}</td></tr>`)
      .join("")}</tbody></table>`;
  const text = () => {
    const r = rows();
    const w = Math.max(...r.map(([k]) => k.length));
    return ["PerformanceSummary", ...r.map(([k, v]) => `  ${k.padEnd(w)}  ${v.padStart(8)}`)].join("\n");
  };
  return Object.freeze({ ...values, rows, toHTML, toString: text, [INSPECT]: text, [Symbol.for("Jupyter.display")]: () => ({ "text/html": toHTML(), "text/plain": text() }) });
}
