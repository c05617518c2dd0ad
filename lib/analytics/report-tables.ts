/**
 * HTML tables of the attribution results (used by the tearsheet and by the results' Jupyter
 * display). Plain markup with class names; the tearsheet's inline CSS styles them.
 */
import type { LinkedBrinsonResult, BrinsonResult } from "./brinson.js";
import type { FactorAttributionResult } from "./factor-attribution.js";
import type { SectorBreakdown } from "./sector-attribution.js";
import type { StyleAnalysisResult } from "./style-analysis.js";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export const pct = (x: number, d = 2): string => (Number.isFinite(x) ? `${(x * 100).toFixed(d)}%` : "–");
export const num = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : "–");

/** A table from a header and rows of cells (cells are escaped; numbers right-aligned by class). */
export function htmlTable(header: readonly string[], rows: readonly (readonly string[])[], caption?: string, className = "sa-table"): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join("")}</tr>`).join("");
  return `<table class="${className}">${caption ? `<caption>${escapeHtml(caption)}</caption>` : ""}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const stars = (p: number) => (p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "");

/** The regression and contribution tables of every fitted model. */
export function factorAttributionHtml(a: FactorAttributionResult): string {
  const parts: string[] = [];
  parts.push(`<p class="sa-note">${escapeHtml(`${a.frequency} periods ${a.startDate} … ${a.endDate}; active return vs ${a.activeBasis}; ${a.alignment}. t-statistics: Newey-West (HAC, Bartlett).`)}</p>`);
  for (const m of a.models) {
    const rows: string[][] = [["alpha (annualised)", pct(m.exposures.alphaAnnualized), num(m.exposures.alphaTValue, 2) + stars(m.exposures.alphaPValue), pct(m.active.alphaAnnualized), num(m.active.alphaTValue, 2) + stars(m.active.alphaPValue), "", ""]];
    m.factors.forEach((f, j) => {
      const c = m.contributions[j];
      rows.push([f, num(m.exposures.betas[j] as number), num(m.exposures.tValues[j] as number, 2) + stars(m.exposures.pValues[j] as number), num(m.active.betas[j] as number), num(m.active.tValues[j] as number, 2) + stars(m.active.pValues[j] as number), pct(c?.total ?? Number.NaN), pct(c?.annualized ?? Number.NaN)]);
    });
    rows.push(["selection (residual)", "", "", "", "", pct(m.selectionTotal), pct(m.selectionAnnualized)]);
    rows.push(["active return", "", "", "", "", pct(a.activeTotal), pct((a.activeTotal / a.activeReturns.length) * a.periodsPerYear)]);
    rows.push(["R² / lags", num(m.exposures.rsquared), `${m.exposures.maxlags}`, num(m.active.rsquared), `${m.active.maxlags}`, "", ""]);
    parts.push(htmlTable(["", "β (excess)", "t (NW)", "β (active)", "t (NW)", "contribution Σ", "contribution p.a."], rows, `${m.model}: ${m.exposures.nobs} periods`));
  }
  if (a.skipped.length) parts.push(`<p class="sa-note">${escapeHtml(`not fitted: ${a.skipped.map((s) => `${s.model} (${s.reason})`).join("; ")}`)}</p>`);
  return parts.join("\n");
}

/** A single-period or linked Brinson table by sector. */
export function brinsonHtml(b: BrinsonResult | LinkedBrinsonResult): string {
  const linked = "method" in b;
  const rows = b.sectors.map((s) => [s.sector, pct(s.allocation, 3), pct(s.selection, 3), pct(s.interaction, 3), pct(s.total, 3)]);
  rows.push(["total", pct(b.allocation, 3), pct(b.selection, 3), pct(b.interaction, 3), pct(b.allocation + b.selection + b.interaction, 3)]);
  const cap = linked
    ? `Brinson-Fachler, ${b.periods.length} periods linked (${b.method === "carino" ? "Carino" : "Menchero"}): portfolio ${pct(b.portfolioReturn)}, benchmark ${pct(b.benchmarkReturn)}, active ${pct(b.activeReturn)}`
    : `Brinson-Fachler: portfolio ${pct(b.portfolioReturn)}, benchmark ${pct(b.benchmarkReturn)}, active ${pct(b.activeReturn)}`;
  return htmlTable(["sector", "allocation", "selection", "interaction", "total"], rows, cap);
}

export function styleHtml(s: StyleAnalysisResult): string {
  const rows = s.styles.map((n, j) => [n, pct(s.weights[j] as number, 1)]);
  rows.push(["R² (style)", num(s.rsquared)], ["selection p.a.", pct(s.selectionAnnualized)], ["tracking error p.a.", pct(s.trackingError)]);
  return htmlTable(["style index", "weight"], rows, `Returns-based style analysis (Sharpe 1992), ${s.nobs} periods`);
}

export function sectorBreakdownHtml(s: SectorBreakdown): string {
  const rows = s.rows.map((r) => [`${r.level}: ${r.group}`, pct(r.averageNetWeight, 1), pct(r.averageGrossWeight, 1), pct(r.contribution), pct(r.longContribution), pct(r.shortContribution)]);
  rows.push(["total", "", "", pct(s.total), "", ""]);
  return htmlTable(["group", "avg net weight", "avg gross weight", "contribution Σ", "long", "short"], rows, `Contribution by group over ${s.periods} periods`);
}

/** Attaches a Jupyter display (text/html) to a result object before it is frozen. */
export function withDisplay<T extends object>(value: T, html: (v: T) => string): T {
  const display = () => {
    const h = html(value);
    const text = h.replace(/<\/(tr|caption|p)>/g, "\n").replace(/<\/t[hd]>/g, "\t").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    return { "text/html": h, "text/plain": text.trim() };
  };
  Object.defineProperty(value, Symbol.for("Jupyter.display"), { value: display, enumerable: false });
  return value;
}
