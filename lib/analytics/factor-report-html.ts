/**
 * `factorReportHtml(report)`: a {@link FactorReport} as one self-contained HTML fragment — the
 * alphalens tear sheet's tables (IC summary by horizon, mean return by quantile with standard errors,
 * spread, turnover and rank autocorrelation) and SVG charts (rank IC through time, quantile means with
 * ±1 standard-error bars). No script, no external URL.
 */
import { rollingChart } from "../plot/index.js";
import type { FactorReport, FactorReportPeriod } from "./factor-report.js";
import { escapeHtml, htmlTable, num, pct } from "./html.js";

/** Options of {@link factorReportHtml}. */
export interface FactorReportHtmlOptions {
  /** Heading (default "Factor report"). */
  title?: string;
  /** Chart width in px (default 760). */
  width?: number;
}

function icTable(r: FactorReport): string {
  const rows = r.periods.flatMap((p) => [["IC (Pearson)", p.icStats] as const, ["Rank IC (Spearman)", p.rankICStats] as const].map(([name, s]) => [
    `${p.period}D · ${name}`, num(s.mean, 4), num(s.std, 4), num(s.riskAdjusted, 3), num(s.tStat, 2), num(s.pValue, 4), num(s.skew, 3), num(s.kurtosis, 3), String(s.count),
  ]));
  return htmlTable(["Horizon", "Mean", "Std", "Risk-adjusted", "t-stat", "p-value", "Skew", "Kurtosis", "Dates"], rows, "Information coefficient by horizon");
}

function quantileTable(r: FactorReport): string {
  const header = ["Horizon", ...Array.from({ length: r.quantiles }, (_, q) => `Q${q + 1}`), "Spread (top − bottom)/2", "Spread t"];
  const rows = r.periods.map((p) => [
    `${p.period}D`,
    ...Array.from(p.quantileMean, (m, q) => `${pct(m, 3)} ± ${pct(p.quantileStdError[q] as number, 3)}`),
    pct(p.spreadMean, 3),
    num(p.spreadTStat, 2),
  ]);
  return htmlTable(header, rows, `Mean demeaned forward return by quantile (± standard error)${r.groupNeutral ? ", sector-neutral" : ""}`);
}

function turnoverTable(r: FactorReport): string {
  const rows = r.periods.map((p) => [`${p.period}D`, ...Array.from(p.turnover, (t) => pct(t, 1)), num(p.meanRankAutocorrelation, 3)]);
  return htmlTable(["Lag", ...Array.from({ length: r.quantiles }, (_, q) => `Q${q + 1} turnover`), "Rank autocorrelation"], rows, "Factor turnover");
}

/** Bars of each quantile's mean with ±1 standard-error whiskers, as inline SVG. */
export function quantileBarsSvg(p: FactorReportPeriod, width = 360, height = 180): string {
  const q = p.quantileMean.length;
  const hi = Math.max(...Array.from(p.quantileMean, (m, i) => Math.abs(m) + (p.quantileStdError[i] as number)), 1e-12);
  const mid = height / 2;
  const scale = (mid - 16) / hi;
  const bw = (width - 40) / q;
  const bars = Array.from(p.quantileMean, (m, i) => {
    const x = 30 + i * bw;
    const y = m >= 0 ? mid - m * scale : mid;
    const se = (p.quantileStdError[i] as number) * scale;
    const cy = mid - m * scale;
    return `<rect x="${(x + 4).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 8).toFixed(1)}" height="${Math.abs(m * scale).toFixed(1)}" fill="${m >= 0 ? "#3b7dd8" : "#d8613b"}"/>`
      + `<line x1="${(x + bw / 2).toFixed(1)}" x2="${(x + bw / 2).toFixed(1)}" y1="${(cy - se).toFixed(1)}" y2="${(cy + se).toFixed(1)}" stroke="#222"/>`
      + `<text x="${(x + bw / 2).toFixed(1)}" y="${height - 2}" font-size="10" text-anchor="middle">Q${i + 1}</text>`;
  }).join("");
  const axis = `<line x1="26" x2="${width - 6}" y1="${mid}" y2="${mid}" stroke="#888"/><text x="2" y="12" font-size="10">${escapeHtml(pct(hi, 2))}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="mean return by quantile, ${p.period}D">${axis}${bars}</svg>`;
}

/** The factor report as an HTML fragment (tables and inline SVG). */
export function factorReportHtml(report: FactorReport, options: FactorReportHtmlOptions = {}): string {
  const width = options.width ?? 760;
  const first = report.periods[0];
  const ic = first === undefined ? "" : rollingChart({
    dates: report.dates,
    series: Object.fromEntries(report.periods.map((p) => [`rank IC ${p.period}D`, p.rankIC])),
    label: "rank IC",
    width,
    height: 220,
  }).markup;
  const bars = report.periods.map((p) => `<figure style="display:inline-block;margin:4px"><figcaption style="font-size:12px">${p.period}D</figcaption>${quantileBarsSvg(p)}</figure>`).join("");
  return `<section class="sa-factor-report"><h2>${escapeHtml(options.title ?? "Factor report")}</h2>
<p class="sa-note">${report.dates.length} dates, ${report.observations} observations, ${report.quantiles} quantiles${report.groupNeutral ? ", sector-neutral (quantiles within sectors, returns demeaned by sector)" : ""}. Conventions of alphalens-reloaded 0.5.1.</p>
${icTable(report)}${quantileTable(report)}${turnoverTable(report)}
<h3>Rank IC through time</h3>${ic}<h3>Mean return by quantile (±1 s.e.)</h3><div>${bars}</div></section>`;
}
