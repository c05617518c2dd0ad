/**
 * The outputs of an Avellaneda & Lee reproduction (lib/backtest's `runAvellanedaLee`): `summary.json`
 * (whole period and each year, gross and net), `daily.csv` (one row per date, variant and execution
 * convention, so every summary figure can be recomputed) and an HTML report that sets the figures the
 * paper reports beside ours and accounts in words for each difference.
 *
 * The paper: M. Avellaneda and J.-H. Lee, "Statistical arbitrage in the U.S. equities market",
 * Quantitative Finance 10(7), 2010, 761–782 (working paper version of June 15, 2009). Only figures
 * stated in its abstract are quoted ({@link PAPER_FIGURES}); its per-year tables are not transcribed,
 * because we could not check them against the text here.
 */
import { rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type AvellanedaLeeRun, type AvellanedaLeeStudy, type PeriodSummary, periodSummaries } from "../backtest/index.js";
import { fromEpochDay } from "../data/index.js";
import { equityChart } from "../plot/index.js";
import { escapeHtml, htmlTable, num, pct } from "./html.js";
import { quantstatsMetricsTable } from "./quantstats-html.js";
import { quantstatsMetrics } from "./quantstats-metrics.js";
import { makeDirs } from "../fs/index.js";

/** A figure the paper reports, with where it says so. */
export interface PaperFigure {
  readonly strategy: string;
  readonly period: string;
  /** Annual Sharpe ratio after costs (the abstract's "average annual Sharpe ratio"). */
  readonly sharpe: number;
  readonly source: string;
  /** Which of our variants it compares with. */
  readonly compare: readonly string[];
  readonly note?: string;
}

const ABSTRACT = "Avellaneda & Lee (2010), abstract";

/** The figures quoted from the paper (its abstract; after transaction costs). */
export const PAPER_FIGURES: readonly PaperFigure[] = Object.freeze([
  { strategy: "PCA-based strategies", period: "1997–2007", sharpe: 1.44, source: ABSTRACT, compare: ["pca-15", "pca-55"] },
  { strategy: "PCA-based strategies", period: "2003–2007", sharpe: 0.9, source: ABSTRACT, compare: ["pca-15", "pca-55"], note: "the period our data covers" },
  { strategy: "ETF-based strategies", period: "1997–2007", sharpe: 1.1, source: ABSTRACT, compare: ["etf"], note: "the abstract reports a similar degradation after 2002 without a figure" },
  { strategy: "ETF-based, with trading volume (“trading time”)", period: "2003–2007", sharpe: 1.51, source: ABSTRACT, compare: [], note: "not reproduced: the dataset has no volume" },
]);

/** One run's summary in summary.json. */
export interface AvellanedaLeeRunSummary {
  readonly variant: string;
  readonly label: string;
  readonly fillAt: "close" | "next-close";
  /** The rebalancer the targets were traded through ("none": straight to the target). */
  readonly construction: string;
  /** The entry overlay (e.g. "meta-label gbt"; absent when none, so summaries of plain studies keep their shape). */
  readonly overlay?: string;
  readonly whole: PeriodSummary;
  readonly years: readonly PeriodSummary[];
  /** Mean over calendar years of the yearly net Sharpe ratio (the paper's "average annual Sharpe ratio"). */
  readonly meanAnnualSharpeNet: number;
  readonly meanAnnualSharpeGross: number;
  readonly factors: { readonly mean: number; readonly min: number; readonly max: number };
  readonly meanOpenPositions: number;
  /**
   * Turnover per day by component (construction "none" only; null otherwise): the stock legs opened and
   * closed, the entry hedges that came with them (net of netting across positions: may be negative),
   * and the daily rebalancing of drifted weights back to their targets; `costPerYear` is each × cost per side × 252.
   */
  readonly turnoverComponents: { readonly stockLegs: number; readonly hedges: number; readonly rebalancing: number; readonly costPerYear: { readonly stockLegs: number; readonly hedges: number; readonly rebalancing: number } } | null;
  /** Round trips (same-close convention, before costs): count, win rate, average holding days and P&L per trade (fraction of equity). */
  readonly roundTrips: { readonly count: number; readonly winRate: number; readonly averageHoldingDays: number; readonly averagePnl: number };
}

/** summary.json. */
export interface AvellanedaLeeSummary {
  readonly paper: string;
  readonly dataset: string;
  readonly period: { readonly from: string; readonly to: string; readonly days: number };
  readonly conventions: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly paperFigures: readonly PaperFigure[];
  readonly runs: readonly AvellanedaLeeRunSummary[];
}

export const CONVENTIONS: Readonly<Record<string, string>> = Object.freeze({
  signals: "s-scores, positions and hedges of day t use closes up to t only",
  close: "same close: trades at the close of t, the close the signal was computed from (the paper's convention; optimistic)",
  "next-close": "next close: trades at the close of t + 1, a market-on-close order sent after seeing the close of t",
  returns: "simple daily returns of a self-financing long/short book; cash and short proceeds earn nothing; no dividends",
  annualReturn: "compounded over n/252 years; Sharpe = mean/std(ddof 1)·√252 with no risk-free rate; max drawdown compounded, negative",
  turnover: "Σ|traded weight| per day, both sides, a fraction of equity; exposures are Σ of long and of |short| weights after trading",
  costs: "a fraction of traded notional per side (5 bp = the paper's 10 bp round trip), charged at each trade",
});

function stats(xs: readonly number[]): { mean: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) (s += x), (min = Math.min(min, x)), (max = Math.max(max, x));
  return { mean: xs.length ? s / xs.length : Number.NaN, min, max };
}

/** Mean daily turnover split into stock legs, entry hedges and rebalancing of drift (see AvellanedaLeeRunSummary). */
function components(r: AvellanedaLeeRun, params: Readonly<Record<string, unknown>>): AvellanedaLeeRunSummary["turnoverComponents"] {
  const size = params.positionSize as number;
  const cost = params.costPerSide as number;
  const d = r.result.dates;
  const first = r.targets.dates.indexOf(d[0] as number);
  const lag = r.fillAt === "close" ? 0 : 1;
  let legs = 0;
  let signal = 0;
  for (let k = lag; k < d.length; k++) {
    const t = first + k - lag;
    legs += size * (r.legTrades[k - lag] as number);
    for (const c of r.targets.columns) {
      const a = c[t] as number;
      const b = k - lag === 0 ? 0 : (c[t - 1] as number);
      signal += Math.abs((Number.isFinite(a) ? a : 0) - (Number.isFinite(b) ? b : 0));
    }
  }
  let total = 0;
  for (const x of r.result.turnover) total += x;
  const n = d.length;
  const out = { stockLegs: legs / n, hedges: (signal - legs) / n, rebalancing: (total - signal) / n };
  const yr = (x: number): number => x * cost * 252;
  return Object.freeze({ ...out, costPerYear: Object.freeze({ stockLegs: yr(out.stockLegs), hedges: yr(out.hedges), rebalancing: yr(out.rebalancing) }) });
}

/** The summary of a study (what summary.json holds). */
export function avellanedaLeeSummary(study: AvellanedaLeeStudy, dataset = "sp500-2003-2007"): AvellanedaLeeSummary {
  const first = study.runs[0];
  if (first === undefined) throw new RangeError("avellanedaLeeSummary: the study has no runs");
  const dates = first.result.dates;
  const runs = study.runs.map((r): AvellanedaLeeRunSummary => {
    const { whole, years } = periodSummaries(r.result);
    let positions = 0;
    for (const p of r.positions) positions += p;
    return Object.freeze({
      variant: r.variant,
      label: r.label,
      fillAt: r.fillAt,
      construction: r.construction,
      ...(r.overlay === "none" ? {} : { overlay: r.overlay }),
      whole,
      years,
      meanAnnualSharpeNet: stats(years.map((y) => y.net.sharpeRatio)).mean,
      meanAnnualSharpeGross: stats(years.map((y) => y.gross.sharpeRatio)).mean,
      factors: stats(Array.from(r.factors)),
      meanOpenPositions: positions / r.positions.length,
      turnoverComponents: r.construction === "none" ? components(r, study.params) : null,
      roundTrips: { count: r.roundTrips.count, winRate: r.roundTrips.winRate, averageHoldingDays: r.roundTrips.averageHoldingDays, averagePnl: r.roundTrips.averagePnl },
    });
  });
  return Object.freeze({
    paper: "M. Avellaneda and J.-H. Lee, Statistical arbitrage in the U.S. equities market, Quantitative Finance 10(7), 2010, 761–782",
    dataset,
    period: { from: fromEpochDay(dates[0] as number), to: fromEpochDay(dates[dates.length - 1] as number), days: dates.length },
    conventions: CONVENTIONS,
    params: study.params,
    paperFigures: PAPER_FIGURES,
    runs: Object.freeze(runs),
  });
}

const f6 = (x: number): string => (Number.isFinite(x) ? x.toPrecision(10).replace(/\.?0+$/, "") : "");

/** daily.csv: date, variant, execution, gross and net return, turnover, long and short exposure, cost. */
export function avellanedaLeeDailyCsv(study: AvellanedaLeeStudy): string {
  const lines = ["date,variant,execution,construction,gross_return,net_return,turnover,long_exposure,short_exposure,cost"];
  for (const r of study.runs) {
    const d = r.result;
    for (let i = 0; i < d.dates.length; i++) {
      lines.push([fromEpochDay(d.dates[i] as number), r.variant, r.fillAt, r.construction, f6(d.gross[i] as number), f6(d.net[i] as number), f6(d.turnover[i] as number), f6(d.long[i] as number), f6(d.short[i] as number), f6(d.costs.total[i] as number)].join(","));
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A column of ours in {@link avellanedaLeePaperTable}: the runs of one execution convention, construction and overlay. */
export interface PaperTableColumn {
  readonly label: string;
  readonly fillAt: "close" | "next-close";
  /** The run's construction (default "none": straight to target). */
  readonly construction?: string;
  /** The run's overlay (default none). */
  readonly overlay?: string;
}

const DEFAULT_COLUMNS: readonly PaperTableColumn[] = Object.freeze([{ label: "Ours, same close", fillAt: "close" }, { label: "Ours, next close", fillAt: "next-close" }]);

/**
 * The paper's figures beside ours: one row per quoted figure, one column per run kind of ours (default:
 * straight to target under the same and the next close), each cell the mean of the yearly net Sharpe
 * ratios of the variants the figure compares with that the study ran.
 */
export function avellanedaLeePaperTable(s: AvellanedaLeeSummary, columns: readonly PaperTableColumn[] = DEFAULT_COLUMNS): string {
  const find = (variant: string, c: PaperTableColumn) =>
    s.runs.find((r) => r.variant === variant && r.fillAt === c.fillAt && r.construction === (c.construction ?? "none") && (r.overlay ?? "none") === (c.overlay ?? "none"));
  const ran = new Set(s.runs.map((r) => r.variant));
  const rows = s.paperFigures.map((p) => {
    const compare = p.compare.filter((v) => ran.has(v)); // variants this study did not run are left out
    const ours = (c: PaperTableColumn): string =>
      p.compare.length === 0 ? "not reproduced"
      : compare.length === 0 ? "not in this study (npx statarb reproduce avellaneda-lee runs it)"
      : compare.map((v) => { const r = find(v, c); return r === undefined ? `${v}: –` : `${v}: ${num(r.meanAnnualSharpeNet, 2)}`; }).join("; ");
    return [`${p.strategy}`, p.period, num(p.sharpe, 2), `${p.source}${p.note ? ` (${p.note})` : ""}`, ...columns.map(ours)];
  });
  const caption = `Annual Sharpe ratio after costs. Ours: mean of the yearly net Sharpe ratios ${s.period.from.slice(0, 4)}–${s.period.to.slice(0, 4)} (the paper's "average annual Sharpe ratio").`;
  return htmlTable(["Strategy", "Paper period", "Paper", "Source", ...columns.map((c) => c.label)], rows, caption);
}

function wholeTable(s: AvellanedaLeeSummary): string {
  const rows = s.runs.flatMap((r) => (["gross", "net"] as const).map((k) => [
    `${r.label} · ${r.fillAt === "close" ? "same close" : "next close"} · ${k}`,
    pct(r.whole[k].annualReturn, 1), pct(r.whole[k].annualVolatility, 1), num(r.whole[k].sharpeRatio, 2), pct(r.whole[k].maxDrawdown, 1),
    num(k === "net" ? r.meanAnnualSharpeNet : r.meanAnnualSharpeGross, 2), pct(r.whole.turnover, 0), num(r.whole.longExposure, 2), num(r.whole.shortExposure, 2), k === "net" ? pct(r.whole.costDrag, 1) : "",
  ]));
  return htmlTable(["Run", "Annual return", "Volatility", "Sharpe", "Max drawdown", "Mean yearly Sharpe", "Turnover/day", "Long", "Short", "Cost/yr"], rows, `Whole period ${s.period.from} … ${s.period.to} (${s.period.days} trading days)`);
}

function yearTable(s: AvellanedaLeeSummary): string {
  const years = (s.runs[0] as AvellanedaLeeRunSummary).years.map((y) => y.period);
  const rows = s.runs.map((r) => [`${r.label} · ${r.fillAt === "close" ? "same close" : "next close"}`, ...years.map((y) => {
    const p = r.years.find((x) => x.period === y);
    return p === undefined ? "–" : `${num(p.net.sharpeRatio, 2)} (${pct(p.net.annualReturn, 1)})`;
  })]);
  return htmlTable(["Run", ...years], rows, "Net Sharpe ratio (net annual return) by calendar year");
}

/** The written account of each difference between the paper's setting and ours. */
export const DIFFERENCES: readonly (readonly [string, string])[] = Object.freeze([
  ["Universe size", "The paper trades the broad U.S. market (as we read it, every stock above US$1 billion of capitalisation at each date, roughly 1,000 names or more); we trade the 452 S&P 500 names of sp500-2003-2007. Fewer names mean fewer simultaneous positions, a noisier book and less diversification of the residuals; large caps also mean-revert less than the mid caps the paper includes."],
  ["Survivorship", "The dataset's constituents were chosen after the period (tickers of about 2011): every stock survives to 2007-12-31 and none of the period's failures, takeovers or index deletions is in it. A contrarian strategy buys losers; excluding the losers that kept losing (and delisted) flatters our long side. The paper's universe is chosen at each date, so it does not have this bias."],
  ["No dividends", "The closes are back-adjusted for splits and the curated special dividends and spin-offs, but regular dividends are not added back. The book is dollar-neutral, so the missing dividend yield (≈1.5–2 % a year for the index) mostly cancels between longs and shorts; what remains is the yield difference of the two sides. The paper's equity equation credits dividends."],
  ["Close-only fills", "The data has closes only. With the same-close convention a trade is filled at the very close its signal was computed from, as in the paper; the next-close convention (trade one day later) is the one a real market-on-close book can achieve, and the difference between the two columns is the value of that one day. There is no bid/ask, no intraday price and no volume, so costs are the paper's flat 10 bp round trip, not a spread or impact model."],
  ["Sector portfolios, not ETFs", "The ETF variant regresses each stock on the equal-weighted portfolio of the dataset's names in its GICS sector (10 sectors), built from the same 452 stocks, not on traded sector ETFs (the paper uses 15 industry ETFs). A stock is part of its own sector portfolio, as a constituent is of its ETF."],
  ["Period and warm-up", "The data starts on 2003-01-02 and the correlation window needs 252 days, so our signals and returns start in January 2004: we cover 2004–2007, four of the five years of the paper's 2003–2007 sub-period, and none of 1997–2002, when the paper reports its strongest results."],
  ["Hedges and their cost", "Each position is one dollar of stock hedged by its factor betas (β_ij dollars of each eigenportfolio, or of the sector portfolio), set on the day the position opens and unwound with it (hedgeAt \"entry\", the paper's trade); costs are charged on the change of the net stock holdings, hedges included, and the book is rebalanced daily back to its target weights. Re-hedging every open position daily with that day's eigenportfolios (hedgeAt \"daily\") trades far more. Whether the paper charges hedge trades in full we could not confirm; netting the hedges across positions, as here, is what a real book does."],
  ["Turnover and costs", "Positions last about nine trading days on average (see the round-trip table) and some 160 are open at a time, so the book trades on the order of its own equity every day; at 5 bp a side that is a cost drag of the order of 10–20 % a year, against a gross return that the 452 large caps of this period do not make large enough. The gross columns show the signal does predict (gross Sharpe well above the paper's net figure); the cost-component table shows where the turnover comes from, and the rebalancer rows show how much a no-trade band or a turnover penalty recovers."],
  ["Trading time", "The paper's best ETF result (Sharpe 1.51, 2003–2007) rescales returns by trading volume; the dataset has no volume, so that variant is not reproduced."],
  ["s-score details", "s = (X_L − (m − m̄))/σ_eq with m̄ the cross-sectional mean of m (the paper's centring); κ > 252/30 is required every day, so a position whose fit stops mean-reverting is closed (lib/signals' avellanedaLeeStep). The library cross-check row uses pcaResidualScores, which does not centre m and tracks the top-15 subspace instead of decomposing exactly; its figures show how much these choices move the result."],
]);

/** Report options. */
export interface AvellanedaLeeReportOptions {
  /** Timestamp in the footer (default: now; fix it for reproducible files). */
  generatedAt?: string;
  /** Chart width in px (default 820). */
  width?: number;
}

const REPORT_CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:1000px;margin:0 auto;padding:24px 28px;background:#fff}h1{font-size:22px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #dde1e6;padding-bottom:4px}p,li{font-size:13px;line-height:1.45}
table.sa-table{border-collapse:collapse;font-size:12px;margin:8px 0 14px}table.sa-table caption{text-align:left;font-weight:600;padding:4px 0}
table.sa-table th,table.sa-table td{padding:3px 8px;border-bottom:1px solid #e6e9ed;text-align:right;font-variant-numeric:tabular-nums}
table.sa-table th[scope=row],table.sa-table thead th:first-child{text-align:left;font-weight:500}table.sa-table thead th{background:#f1f4f8}
.sa-note{font-size:12px;color:#5b6470}footer{font-size:11px;color:#8a939e;margin-top:24px}`;

function charts(study: AvellanedaLeeStudy, width: number): string {
  return study.runs.filter((r) => r.fillAt === "close" && r.construction === "none").map((r: AvellanedaLeeRun) => {
    const fig = equityChart({ dates: r.result.dates, returns: r.result.net, benchmark: r.result.gross, names: ["net of costs", "gross"], width, height: 220 });
    return `<section><h3 class="sa-note">${escapeHtml(`${r.label}, same close: growth of 1`)}</h3>${fig.markup}</section>`;
  }).join("\n");
}

/** quantstats' metrics of each strategy's daily net returns (same close, straight to target), compared with cash. */
function metricsTable(study: AvellanedaLeeStudy): string {
  const runs = study.runs.filter((r) => r.fillAt === "close" && r.construction === "none");
  if (runs.length === 0) return "";
  const cols = runs.map((r) => ({ name: r.variant, metrics: quantstatsMetrics(r.result.net, r.result.dates).metrics }));
  const trips = htmlTable(["Strategy", "Round trips", "Win rate", "Avg. holding days", "Avg. P&L per trade"], runs.map((r) => [
    r.label, String(r.roundTrips.count), pct(r.roundTrips.winRate, 1), num(r.roundTrips.averageHoldingDays, 1), pct(r.roundTrips.averagePnl, 3),
  ]), "Round trips (same close, before costs; P&L as a fraction of equity: stock leg and entry hedge)");
  return `<h2>Net returns, quantstats metrics (same close; compared with cash)</h2>${quantstatsMetricsTable(cols)}${trips}`;
}

function componentTable(s: AvellanedaLeeSummary): string {
  const rows = s.runs.filter((r) => r.turnoverComponents !== null).map((r) => {
    const c = r.turnoverComponents!;
    return [`${r.label} · ${r.fillAt === "close" ? "same close" : "next close"}`, pct(c.stockLegs, 1), pct(c.hedges, 1), pct(c.rebalancing, 1), pct(c.costPerYear.stockLegs, 1), pct(c.costPerYear.hedges, 1), pct(c.costPerYear.rebalancing, 1)];
  });
  return htmlTable(["Run", "Stock legs/day", "Entry hedges/day", "Rebalancing/day", "Cost/yr: legs", "hedges", "rebalancing"], rows, "Turnover and cost by component (hedges net of netting across positions; rebalancing = drifted weights traded back to target)");
}

function constructionTable(s: AvellanedaLeeSummary): string {
  const rows = s.runs.filter((r) => r.construction !== "none" || r.variant === s.runs.find((x) => x.construction !== "none")?.variant).map((r) => [
    `${r.label} · ${r.fillAt === "close" ? "same close" : "next close"} · ${r.construction}`, pct(r.whole.turnover, 0), pct(r.whole.costDrag, 1), num(r.whole.gross.sharpeRatio, 2), num(r.whole.net.sharpeRatio, 2), pct(r.whole.net.annualReturn, 1),
  ]);
  if (rows.length === 0) return "";
  return `<h2>Turnover as a choice</h2><p>The same targets traded through lib/portfolio's cost-aware rebalancers: a no-trade band keeps an asset's weight unless its target moved more than the band; a turnover penalty λ trades to the edge of a band of width λ (the solution of min ½‖w − target‖² + λ‖w − current‖₁).</p>${htmlTable(["Run", "Turnover/day", "Cost/yr", "Gross Sharpe", "Net Sharpe", "Net annual return"], rows, "Whole period; costs by component: all of it is the proportional 5 bp a side (commission)")}`;
}

/** The HTML report of a study. */
export function avellanedaLeeReport(study: AvellanedaLeeStudy, summary = avellanedaLeeSummary(study), options: AvellanedaLeeReportOptions = {}): string {
  const generated = options.generatedAt ?? new Date().toISOString();
  const conv = Object.entries(summary.conventions).map(([k, v]) => `<li><b>${escapeHtml(k)}</b>: ${escapeHtml(v)}</li>`).join("");
  const diffs = DIFFERENCES.map(([h, t]) => `<li><b>${escapeHtml(h)}.</b> ${escapeHtml(t)}</li>`).join("");
  const main = summary.runs.filter((r) => r.construction === "none");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Avellaneda &amp; Lee (2010) on ${escapeHtml(summary.dataset)}</title><style>${REPORT_CSS}</style></head><body><main>
<h1>Avellaneda &amp; Lee (2010) reproduced on ${escapeHtml(summary.dataset)}</h1>
<p class="sa-note">${escapeHtml(summary.paper)}. Our period ${escapeHtml(summary.period.from)} … ${escapeHtml(summary.period.to)} (${summary.period.days} trading days). PCA factors from a 252-day correlation window (15 eigenportfolios, and the variant explaining 55 % of the variance), 60-day residual OU fits, open at |s| &gt; 1.25, close a long at s &gt; −0.50 and a short at s &lt; 0.75, only while κ &gt; 252/30, daily rebalancing, 10 bp round-trip costs; the ETF variant with sector portfolios of the same names.</p>
<h2>The paper's figures beside ours</h2>${avellanedaLeePaperTable(summary)}
<p class="sa-note">Figures marked "${ABSTRACT}" are quoted from the paper's abstract. The paper also tabulates Sharpe ratios by year and strategy; they are not reproduced here because we could not verify the transcription — compare with the paper's own tables.</p>
<h2>Whole period</h2>${wholeTable({ ...summary, runs: main })}
<h2>By year</h2>${yearTable({ ...summary, runs: main })}
${charts(study, options.width ?? 820)}
${metricsTable(study)}
${componentTable(summary)}
${constructionTable(summary)}
<h2>Why our figures differ from the paper's</h2><ul>${diffs}</ul>
<h2>Conventions</h2><ul>${conv}</ul>
<footer>statarb · npx statarb reproduce avellaneda-lee · generated ${escapeHtml(generated)} · daily.csv holds every daily figure behind these tables</footer>
</main></body></html>
`;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, text, "utf8");
  await rename(tmp, path);
}

/** Writes summary.json, daily.csv and report.html into `dir` (created if missing), each atomically; returns their absolute paths. */
export async function writeAvellanedaLee(dir: string, study: AvellanedaLeeStudy, options: AvellanedaLeeReportOptions & { dataset?: string } = {}): Promise<{ summary: string; daily: string; report: string }> {
  if (typeof dir !== "string" || dir.length === 0) throw new TypeError("writeAvellanedaLee: dir must be a folder path such as out/avellaneda-lee");
  const abs = resolve(dir);
  await makeDirs(abs);
  const summary = avellanedaLeeSummary(study, options.dataset);
  const paths = { summary: join(abs, "summary.json"), daily: join(abs, "daily.csv"), report: join(abs, "report.html") };
  await writeAtomic(paths.summary, `${JSON.stringify(summary, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
  await writeAtomic(paths.daily, avellanedaLeeDailyCsv(study));
  await writeAtomic(paths.report, avellanedaLeeReport(study, summary, options));
  return paths;
}
