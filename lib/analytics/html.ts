/**
 * HTML building blocks of the analytics reports (the tearsheet and the results' Jupyter display):
 * escaping, number formats, a table, and the display hook. Plain markup with class names; the
 * tearsheet's inline CSS styles them. Each result's own table lives beside the result (brinson.ts,
 * factor-results.ts, style-analysis.ts, sector-attribution.ts), so this module imports only the
 * terminal-text helper of lib/data.
 */
import { attachText } from "../data/index.js";

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

/** Attaches a Jupyter display (text/html) to a result object before it is frozen. */
export function withDisplay<T extends object>(value: T, html: (v: T) => string): T {
  const display = () => {
    const h = html(value);
    const text = h.replace(/<\/(tr|caption|p)>/g, "\n").replace(/<\/t[hd]>/g, "\t").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    return { "text/html": h, "text/plain": text.trim() };
  };
  Object.defineProperty(value, Symbol.for("Jupyter.display"), { value: display, enumerable: false });
  // the terminal shows the same table as text (at most 30 lines)
  return attachText(value, () => {
    const lines = display()["text/plain"].split("\n");
    return lines.length <= 30 ? lines.join("\n") : [...lines.slice(0, 14), `… (${lines.length - 28} more lines)`, ...lines.slice(-14)].join("\n");
  });
}
