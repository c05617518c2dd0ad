/**
 * Rich display of a backtest result in the statarb kernel (`[Symbol.for("Jupyter.display")]`):
 * the metrics, costs and assumptions as a small HTML table, with a text fallback.
 */
import { attachText, fromEpochDay, textTable } from "../data/index.js";
import type { BacktestResult } from "./result.js";

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : "NaN");
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "NaN");
const cur = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });

/** Rows (label, value) summarising a result. */
export function backtestSummaryRows(r: BacktestResult): [string, string][] {
  const first = r.dates[0];
  const last = r.dates[r.dates.length - 1];
  const b = r.bankruptcy;
  const flag: [string, string][] = b
    ? [["BANKRUPT", `equity ${cur(b.equity)} ≤ 0 on ${fromEpochDay(b.date)} (largest loss: ${b.asset}); the run stopped there (onBankruptcy: "stop"), ratios are not computed`]]
    : [];
  return [
    ...flag,
    ["period", first === undefined || last === undefined ? "" : `${fromEpochDay(first)} … ${fromEpochDay(last)} (${r.dates.length} days)`],
    ["final equity", cur(r.equityCurve[r.equityCurve.length - 1] ?? r.initialCapital)],
    ["annual return", pct(r.annualReturn)],
    ["annual volatility", pct(r.annualVolatility)],
    ["Sharpe", num(r.sharpeRatio)],
    ["Sortino", num(r.sortinoRatio)],
    ["max drawdown", pct(r.maxDrawdown)],
    ["Calmar", num(r.calmarRatio)],
    ["information ratio", num(r.informationRatio)],
    ["win rate", pct(r.winRate)],
    ["average daily turnover", pct(r.averageTurnover)],
    ["costs (commission / spread / impact / borrow)", `${cur(r.costs.commission)} / ${cur(r.costs.spread)} / ${cur(r.costs.impact)} / ${cur(r.costs.borrow)}`],
    ["trades", cur(r.trades.length)],
    ["risk interventions", cur(r.interventions.length)],
  ];
}

export function backtestDisplay(r: BacktestResult): Record<string, string> {
  const rows = backtestSummaryRows(r);
  const html =
    `<table class="statarb-backtest"><tbody>${rows.map(([k, v]) => `<tr><th style="text-align:left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</tbody></table>` +
    `<ul>${r.assumptions.map((a) => `<li>${esc(a)}</li>`).join("")}</ul>`;
  const text = rows.map(([k, v]) => `${k}: ${v}`).join("\n");
  return { "text/html": html, "text/plain": text };
}

/**
 * The terminal text of a result (`console.log(result)`, `String(result)`): the summary rows, then
 * the head and tail of the daily equity, return, turnover and gross leverage — 25 lines at most.
 */
export function backtestText(r: BacktestResult): string {
  const rows = backtestSummaryRows(r);
  const w = Math.max(...rows.map(([k]) => k.length));
  const daily = textTable({
    title: "daily:",
    rows: r.dates.length,
    index: (i) => fromEpochDay(r.dates[i]!),
    columns: [
      { name: "equity", cell: (i) => r.equityCurve[i]! },
      { name: "return", cell: (i) => r.returns[i]! },
      { name: "turnover", cell: (i) => r.turnover[i]! },
      { name: "gross", cell: (i) => r.grossLeverage[i]! },
    ],
    maxRows: 6,
  });
  return [`BacktestResult: ${r.dates.length} days × ${r.assets.length} assets`, ...rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`), daily].join("\n");
}

/** Attaches the kernel display, `toString` and `util.inspect.custom` to a result (before it is frozen). */
export function withBacktestDisplay(r: BacktestResult): BacktestResult {
  Object.defineProperty(r, Symbol.for("Jupyter.display"), { value: () => backtestDisplay(r), enumerable: false });
  return attachText(r, backtestText);
}
