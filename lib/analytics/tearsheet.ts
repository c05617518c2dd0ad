/**
 * `tearsheet(result, options)`: one self-contained HTML page of a backtest for a portfolio manager —
 * inline SVG charts (Observable Plot via lib/plot), inline CSS, no scripts and no external URL, so
 * it opens offline and archives as one file. `writeTearsheet` writes it atomically (tmp + rename).
 *
 * Sections: summary metrics, equity vs benchmark, drawdowns, rolling Sharpe and beta, monthly
 * returns heatmap and yearly table, return distribution with historical VaR/ES marks (lib/risk),
 * exposures, turnover and costs, factor / Brinson / style / sector attribution when given, risk
 * manager interventions, and the backtest's stated assumptions.
 *
 * A run stopped bankrupt (`result.bankruptcy`, onBankruptcy "stop") gets a BANKRUPT banner at the top;
 * no ratio is computed over the bankrupt book (DESIGN: "a result computed over a bankrupt book is an
 * error, never a metric"): the result's ratios are NaN and shown as "–", and every chart, table and
 * VaR/ES below covers only the solvent days before the bankrupt close, labelled so. The total return,
 * the drawdown, the final equity and the costs stay those of the whole run (what was lost).
 */
import { rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { BacktestResult, Bankruptcy } from "../backtest/index.js";
import { checkKeys, fromEpochDay, opt, readOptions } from "../data/index.js";
import { rollingBeta } from "../features/index.js";
import { contributionChart, costsChart, drawdownChart, equityChart, exposureChart, monthlyReturnsHeatmap, type PlotFigure, returnHistogram, rollingChart, turnoverChart } from "../plot/index.js";
import { expectedShortfall, valueAtRisk } from "../risk/index.js";
import { brinsonHtml, type BrinsonResult, type LinkedBrinsonResult } from "./brinson.js";
import { type FactorAttributionResult, factorAttributionHtml } from "./factor-results.js";
import { escapeHtml, htmlTable, num, pct } from "./html.js";
import { maxDrawdown, rollingSharpe, sharpeRatio } from "./metrics.js";
import { type SectorBreakdown, sectorBreakdownHtml } from "./sector-attribution.js";
import { type StyleAnalysisResult, styleHtml } from "./style-analysis.js";
import { compoundByPeriod } from "./time-decomposition.js";
import { makeDirs } from "../fs/index.js";

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
> & {
  /** Where the run stopped bankrupt (default null: it did not). */
  readonly bankruptcy?: Bankruptcy | null;
};

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
  /** Further sections after the attribution, each a heading and an HTML fragment taken as is (e.g. quantstatsHtml, a paper comparison) (default none). */
  sections?: readonly { readonly title: string; readonly html: string }[];
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

/** The banner's style, added to the page only when it has one. */
const BANKRUPT_CSS = `.sa-bankrupt{background:#fdecea;border:2px solid #b3261e;color:#5f1410;border-radius:6px;padding:10px 14px;margin:12px 0;font-size:13px}
.sa-bankrupt strong{display:block;font-size:18px;letter-spacing:.04em;color:#b3261e}
`;

function chart(title: string, fig: PlotFigure, note?: string): string {
  return `<section class="sa-chart" data-chart="${escapeHtml(title)}"><h3 class="sa-note">${escapeHtml(title)}</h3>${fig.markup}${note ? `<p class="sa-note">${escapeHtml(note)}</p>` : ""}</section>`;
}

const cur = (x: number) => (Number.isFinite(x) ? x.toLocaleString("en-US", { maximumFractionDigits: 0 }) : "–");

const isObject = (v: unknown): v is object => typeof v === "object" && v !== null;
const isSections = (v: unknown): v is readonly { readonly title: string; readonly html: string }[] =>
  Array.isArray(v) && v.every((x) => isObject(x) && typeof (x as { title?: unknown }).title === "string" && typeof (x as { html?: unknown }).html === "string");
const isBenchmarkOption = (v: unknown): v is NonNullable<TearsheetOptions["benchmark"]> => typeof v === "string" || isObject(v);

/** The options of {@link tearsheet}, read once and checked (unknown keys refused). */
function readTearsheetOptions(where: string, options: TearsheetOptions) {
  return readOptions(where, options, {
    title: opt.string("Backtest tearsheet"),
    benchmark: opt.optional(opt.custom("a name or { name, returns }", () => undefined, isBenchmarkOption)),
    rollingWindow: opt.integer(126, { min: 5 }),
    confidence: opt.number(0.95, { min: 0, max: 1, open: true }),
    factorAttribution: opt.optional(opt.custom("a result of FactorAttributor.analyzePerformance", () => undefined, (v): v is FactorAttributionResult => isObject(v))),
    brinson: opt.optional(opt.custom("a Brinson result (brinsonFachler, linkBrinson or brinsonFromHoldings)", () => undefined, (v): v is BrinsonResult | LinkedBrinsonResult => isObject(v))),
    style: opt.optional(opt.custom("a result of styleAnalysis", () => undefined, (v): v is StyleAnalysisResult => isObject(v))),
    sectors: opt.optional(opt.custom("a result of sectorBreakdown", () => undefined, (v): v is SectorBreakdown => isObject(v))),
    maxInterventions: opt.integer(50, { min: 0 }),
    width: opt.number(820, { min: 100, max: 4000 }),
    generatedAt: opt.optional(opt.string("")),
    sections: opt.custom("an array of { title, html } with string fields", () => [] as readonly { readonly title: string; readonly html: string }[], isSections),
  });
}

type ReadTearsheetOptions = ReturnType<typeof readTearsheetOptions>;

/** What every section of the page reads: the result, the options and the series derived once. */
interface Sheet {
  readonly result: TearsheetSource;
  readonly o: ReadTearsheetOptions;
  /** Days charted: all of them, or the solvent days before a bankrupt close. */
  readonly T: number;
  readonly dates: Int32Array;
  readonly returns: Float64Array;
  /** Where the run stopped bankrupt, else null. */
  readonly bankrupt: Bankruptcy | null;
  /** The first `T` values of a daily series of the result. */
  readonly cut: (a: Float64Array) => Float64Array;
  readonly benchName: string;
  readonly hasBench: boolean;
  /** Benchmark returns with NaN as 0. */
  readonly benchClean: Float64Array;
  /** The finite returns (for VaR/ES and the histogram). */
  readonly finite: Float64Array;
  readonly VaR: number;
  readonly ES: number;
  /** The confidence as a label, e.g. "95%". */
  readonly level: string;
  readonly first: string;
  readonly last: string;
}

/** The benchmark's name and daily returns: result.benchmarkReturns unless option benchmark gives its own. */
function benchmarkOf(where: string, result: TearsheetSource, bopt: ReadTearsheetOptions["benchmark"]): { name: string; returns: Float64Array } {
  if (bopt === undefined || typeof bopt === "string") return { name: bopt ?? "benchmark", returns: result.benchmarkReturns };
  const b = checkKeys(`${where}: option benchmark`, bopt, ["name", "returns"]);
  const name = (b.get("name") as string | undefined) ?? "benchmark";
  const given = b.get("returns") as Float64Array | readonly number[] | undefined;
  if (given === undefined) return { name, returns: result.benchmarkReturns };
  const returns = given instanceof Float64Array ? given : Float64Array.from(given);
  if (returns.length !== result.dates.length) throw new RangeError(`${where}: option benchmark.returns has ${returns.length} values; give one per result date (${result.dates.length})`);
  return { name, returns };
}

/** The days a sheet charts: all of them, or those before the bankrupt close (checked to be the result's last). */
function solventDays(where: string, result: TearsheetSource): { T: number; bankrupt: Bankruptcy | null } {
  const all = result.dates.length;
  const b = result.bankruptcy ?? null;
  if (b === null) {
    if (all < 2) throw new RangeError(`${where}: the result has ${all} day(s); need at least 2`);
    return { T: all, bankrupt: null };
  }
  if (result.dates[all - 1] !== b.date) {
    throw new RangeError(`${where}: result.bankruptcy.date ${fromEpochDay(b.date)} is not the result's last date ${all > 0 ? fromEpochDay(result.dates[all - 1]!) : "(no dates)"}; pass the result as runBacktest returned it`);
  }
  return { T: all - 1, bankrupt: b };
}

function sheetOf(where: string, result: TearsheetSource, options: TearsheetOptions): Sheet {
  if (result === undefined || !(result.returns instanceof Float64Array) || !(result.dates instanceof Int32Array)) throw new TypeError(`${where}: pass a BacktestResult (from StatArbBacktester.runBacktest)`);
  const { T, bankrupt } = solventDays(where, result);
  const o = readTearsheetOptions(where, options);
  const bench = benchmarkOf(where, result, o.benchmark);
  const cut = (a: Float64Array): Float64Array => (bankrupt === null ? a : a.subarray(0, T));
  const r = cut(result.returns);
  const benchReturns = cut(bench.returns);
  const finite = r.filter((v) => Number.isFinite(v));
  return {
    result,
    o,
    T,
    dates: bankrupt === null ? result.dates : result.dates.subarray(0, T),
    returns: r,
    bankrupt,
    cut,
    benchName: bench.name,
    hasBench: benchReturns.some((v) => Number.isFinite(v)),
    benchClean: benchReturns.map((v) => (Number.isFinite(v) ? v : 0)),
    finite,
    VaR: valueAtRisk(finite, { confidence: o.confidence }),
    ES: expectedShortfall(finite, { confidence: o.confidence }),
    level: `${+(o.confidence * 100).toFixed(2)}%`,
    first: fromEpochDay(result.dates[0]!),
    last: T > 0 ? fromEpochDay(result.dates[T - 1]!) : "–",
  };
}

/** The BANKRUPT banner (empty for a solvent run). */
function bankruptBanner(s: Sheet): string {
  const b = s.bankrupt;
  if (b === null) return "";
  const date = fromEpochDay(b.date);
  const covered = s.T >= 2 ? `the charts, tables and VaR/ES below cover only the ${s.T} solvent days (${s.first} … ${s.last})` : `only ${s.T} solvent day(s) preceded it, too few to chart`;
  const text =
    `Equity ${cur(b.equity)} ≤ 0 at the close of ${date} (largest loss that day: ${b.asset}, ${cur(b.assetPnl)}); the run stopped there (onBankruptcy: "stop"). ` +
    `No ratio is computed over a bankrupt book: Sharpe, Sortino, Calmar, information ratio, annual return and volatility and win rate are not shown; ${covered}. ` +
    "The total return, the drawdown, the final equity and the costs are those of the whole run.";
  return `<div class="sa-bankrupt" role="alert" data-bankrupt="${escapeHtml(date)}"><strong>BANKRUPT</strong>${escapeHtml(text)}</div>`;
}

/** The headline figures and the summary table. */
function summarySection(s: Sheet): string {
  const { result, benchName, hasBench, benchClean } = s;
  const bankrupt = s.bankrupt !== null;
  const kpis: [string, string][] = [
    [bankrupt ? "total return (to bankruptcy)" : "total return", pct(result.totalReturn)],
    ["annual return", pct(result.annualReturn)],
    ["annual volatility", pct(result.annualVolatility)],
    ["Sharpe", num(result.sharpeRatio, 2)],
    ["Sortino", num(result.sortinoRatio, 2)],
    ["max drawdown", pct(result.maxDrawdown)],
    ["Calmar", num(result.calmarRatio, 2)],
    ["information ratio", num(result.informationRatio, 2)],
  ];
  const summaryRows: string[][] = [
    ["period", s.bankrupt !== null ? `${s.first} … ${fromEpochDay(s.bankrupt.date)} (${s.T + 1} days; BANKRUPT at the last close)` : `${s.first} … ${s.last} (${s.T} days)`],
    ["initial / final equity", `${cur(result.initialCapital)} / ${cur(result.equityCurve[result.equityCurve.length - 1]!)}`],
    [`${benchName} total return${bankrupt ? " (solvent days)" : ""}`, hasBench ? pct(benchClean.reduce((g, v) => g * (1 + v), 1) - 1) : "–"],
    [`${benchName} Sharpe / max drawdown`, hasBench ? `${num(sharpeRatio(benchClean), 2)} / ${pct(maxDrawdown(benchClean))}` : "–"],
    ["win rate", pct(result.winRate)],
    [`daily VaR / ES ${s.level} (historical${bankrupt ? ", solvent days" : ""})`, `${pct(s.VaR)} / ${pct(s.ES)}`],
    [`average daily turnover${bankrupt ? " (whole run)" : ""}`, pct(result.averageTurnover)],
    ["trades", cur(result.trades.length)],
    ["risk interventions", cur(result.interventions.length)],
  ];
  return `<div class="sa-kpis">${kpis.map(([k, v]) => `<div class="sa-kpi"><b>${escapeHtml(v)}</b><span>${escapeHtml(k)}</span></div>`).join("")}</div>
${htmlTable(["", ""], summaryRows, "Summary")}`;
}

/** Equity, drawdown, rolling Sharpe and (with a benchmark) rolling beta. */
function performanceCharts(s: Sheet): string[] {
  const { dates, returns: r, benchName, hasBench, benchClean } = s;
  const { width, rollingWindow: window } = s.o;
  const charts: string[] = [];
  charts.push(chart(`Equity: growth of 1 vs ${benchName}`, equityChart({ dates, returns: r, ...(hasBench ? { benchmark: benchClean } : {}), names: ["strategy", benchName], width })));
  charts.push(chart("Drawdown", drawdownChart({ dates, returns: r, width })));
  const rs = rollingSharpe(r, window);
  charts.push(chart(`Rolling Sharpe (${window} days)`, rollingChart({ dates, series: { "rolling Sharpe": rs }, label: "Sharpe", width })));
  if (hasBench) charts.push(chart(`Rolling beta to ${benchName} (${window} days)`, rollingChart({ dates, series: { "rolling beta": rollingBeta(r, benchClean, window) }, label: "beta", width })));
  return charts;
}

/** The monthly heatmap and the yearly table. */
function periodSection(s: Sheet): string {
  const { dates, returns: r, benchName, hasBench, benchClean } = s;
  const monthly = monthlyReturnsHeatmap({ dates, returns: r, width: s.o.width });
  const yearly = compoundByPeriod(dates, r, "yearly", hasBench ? benchClean : undefined);
  const yearlyTable = htmlTable(
    ["year", "strategy", benchName, "active", "days"],
    yearly.labels.map((y, i) => [y, pct(yearly.returns[i]!), pct(yearly.benchmark[i]!), pct(yearly.active[i]!), String(yearly.days[i])]),
    "Returns by year (compounded)",
  );
  return `${chart("Monthly returns (%)", monthly)}
${yearlyTable}`;
}

/** Exposure, turnover and cost charts and the cost table. */
function costSection(s: Sheet): string {
  const { dates, result, cut } = s;
  const width = s.o.width;
  const exposure = exposureChart({ dates, gross: cut(result.grossLeverage), net: cut(result.netLeverage), width });
  const turnover = turnoverChart({ dates, turnover: cut(result.turnover), width });
  const costs = costsChart({ dates, dailyCosts: cut(result.dailyCosts), scale: result.initialCapital / 100, label: "cumulative costs (% of initial capital)", width });
  const c = result.costs;
  const row = (name: string, v: number) => [name, cur(v), pct(v / result.initialCapital, 3)];
  const costTable = htmlTable(["cost", "currency", "% of initial capital"], [row("commission", c.commission), row("spread", c.spread), row("impact", c.impact), row("borrow", c.borrow), row("total", c.total)]);
  let gross = 1;
  for (const v of cut(result.returnsBeforeCosts)) gross *= 1 + (Number.isFinite(v) ? v : 0);
  let net = 1;
  if (s.bankrupt !== null) for (const v of s.returns) net *= 1 + (Number.isFinite(v) ? v : 0);
  const note = s.bankrupt === null ? `Return before costs ${pct(gross - 1)} vs after costs ${pct(result.totalReturn)}.` : `Over the solvent days: return before costs ${pct(gross - 1)} vs after costs ${pct(net - 1)}. The cost table covers the whole run.`;
  return `${chart("Gross and net exposure", exposure)}
${chart("Daily turnover", turnover)}
${chart("Cumulative transaction costs and borrow", costs, note)}
${costTable}`;
}

/** Factor, Brinson, style and sector attribution, each when given. */
function attributionSection(s: Sheet): string {
  const { width } = s.o;
  const attribution: string[] = [];
  const fa = s.o.factorAttribution;
  if (fa !== undefined) {
    const m = fa.models.find((x) => x.model === fa.primary) ?? fa.models[0];
    const bars = m === undefined ? "" : chart(`Active return by source (${m.model}, Σ over ${fa.dates.length} ${fa.frequency === "monthly" ? "months" : "days"})`, contributionChart({ labels: [...m.contributions.map((c) => c.factor), "selection (residual)"], values: [...m.contributions.map((c) => c.total), m.selectionTotal], width }));
    attribution.push(`<h3>Factor attribution</h3>${bars}${factorAttributionHtml(fa)}`);
  }
  const br = s.o.brinson;
  if (br !== undefined) {
    const bars = chart("Brinson-Fachler effects by sector (allocation + selection + interaction)", contributionChart({ labels: br.sectors.map((x) => x.sector), values: br.sectors.map((x) => x.total), width }));
    const note = `<p class="sa-note">The sector attribution's benchmark is the one it was computed against (brinsonFromHoldings: the equal-weighted universe unless benchmarkWeights were given), not necessarily ${escapeHtml(s.benchName)}.</p>`;
    attribution.push(`<h3>Sector attribution (Brinson-Fachler)</h3>${note}${bars}${brinsonHtml(br)}`);
  }
  if (s.o.style !== undefined) attribution.push(`<h3>Style analysis</h3>${styleHtml(s.o.style)}`);
  if (s.o.sectors !== undefined) attribution.push(`<h3>Sector breakdown</h3>${sectorBreakdownHtml(s.o.sectors)}`);
  return attribution.length ? `<h2>Attribution</h2>\n${attribution.join("\n")}` : "";
}

/** The risk manager's interventions: counts by rule and the first rows. */
function interventionsSection(s: Sheet): string {
  const list = s.result.interventions;
  const maxI = s.o.maxInterventions;
  if (list.length === 0) return `<p class="sa-note">The risk manager made no interventions.</p>`;
  const byRule = new Map<string, number>();
  for (const iv of list) byRule.set(iv.rule, (byRule.get(iv.rule) ?? 0) + 1);
  return (
    htmlTable(["rule", "interventions"], [...byRule.entries()].map(([k, v]) => [k, String(v)]), "Interventions by rule") +
    htmlTable(
      ["date", "rule", "before", "after", "reason"],
      list.slice(0, maxI).map((iv) => [iv.date, iv.rule, num(iv.before, 4), num(iv.after, 4), iv.reason]),
      list.length > maxI ? `First ${maxI} of ${list.length}` : "All interventions",
    )
  );
}

/** The charted sections: performance, periods, distribution, exposures and costs (over the sheet's days). */
function chartSections(s: Sheet): string {
  const solvent = s.bankrupt === null ? "" : ` — the ${s.T} solvent days before the bankrupt close`;
  if (s.T < 2) return `<h2>Exposures, turnover and costs</h2>\n${htmlTable(["cost", "currency"], costRows(s.result), "Costs of the whole run")}`;
  const hist = returnHistogram({ returns: s.finite, valueAtRisk: s.VaR, expectedShortfall: s.ES, confidence: s.o.confidence, width: s.o.width });
  return `<h2>Performance${escapeHtml(solvent)}</h2>
${performanceCharts(s).join("\n")}
<h2>Monthly and yearly returns${escapeHtml(solvent)}</h2>
${periodSection(s)}
<h2>Return distribution${escapeHtml(solvent)}</h2>
${chart(`Daily returns with ${s.level} VaR and ES (historical)`, hist)}
<h2>Exposures, turnover and costs${escapeHtml(solvent)}</h2>
${costSection(s)}`;
}

function costRows(result: TearsheetSource): string[][] {
  const c = result.costs;
  return [["commission", cur(c.commission)], ["spread", cur(c.spread)], ["impact", cur(c.impact)], ["borrow", cur(c.borrow)], ["total", cur(c.total)]];
}

/** Builds the tearsheet HTML of a backtest result (see the module doc). */
export function tearsheet(result: TearsheetSource, options: TearsheetOptions = {}): string {
  const s = sheetOf("tearsheet", result, options);
  const title = s.o.title;
  const generated = s.o.generatedAt ?? new Date().toISOString();
  const period = s.bankrupt === null ? `${s.first} … ${s.last} · ${s.T} trading days` : `${s.first} … ${fromEpochDay(s.bankrupt.date)} · ${s.T + 1} trading days · BANKRUPT`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(s.bankrupt === null ? title : `BANKRUPT · ${title}`)}</title><style>${CSS}${s.bankrupt === null ? "" : BANKRUPT_CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="sa-sub">${escapeHtml(`${period} · benchmark: ${s.benchName}`)}</p>
${bankruptBanner(s)}${summarySection(s)}
${chartSections(s)}
${attributionSection(s)}
${s.o.sections.map((x) => `<h2>${escapeHtml(x.title)}</h2>\n${x.html}`).join("\n")}
<h2>Risk manager</h2>
${interventionsSection(s)}
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
  await makeDirs(dirname(abs));
  const tmp = `${abs}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, html, "utf8");
  await rename(tmp, abs);
  return abs;
}
