/**
 * DIR/sweep.html: a heatmap of one metric over two parameters (lib/plot's parameterHeatmap) and the
 * table of every run — parameters, status, recorded metrics, MLflow run id, links to the executed
 * notebook and its HTML export, the error of a failed run. Self-contained (inline SVG, no scripts).
 */
import { relative } from "node:path";
import { parameterHeatmap, plotDocument } from "../../lib/plot/index.js";
import type { SweepDocument, SweepRun } from "./types.js";

export interface ReportOptions {
  /** Metric of the heatmap (default: the first metric any run recorded). */
  metric?: string | undefined;
  /** Its two parameters (default: the first two whose values vary). */
  axes?: readonly string[] | undefined;
  /** Folder of sweep.html (links are relative to it). */
  out: string;
}

const esc = (t: unknown) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const COLORS: Record<string, string> = { FINISHED: "#2e8b57", SKIPPED: "#5f8f5f", FAILED: "#d1495b", CANCELLED: "#999", PENDING: "#999", RUNNING: "#edae49" };

function metricNames(runs: readonly SweepRun[]): string[] {
  const names = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.metrics ?? {})) names.add(k);
  return [...names];
}

function varying(doc: SweepDocument): string[] {
  return doc.parameters.filter((p) => new Set(doc.runs.map((r) => JSON.stringify(r.params[p]))).size > 1);
}

const toNumber = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN);

/** The heatmap's SVG and caption, or a sentence saying why there is none. */
export function sweepHeatmap(doc: SweepDocument, options: Omit<ReportOptions, "out">): string {
  const metrics = metricNames(doc.runs);
  const metric = options.metric ?? metrics[0];
  if (metric === undefined) return "<p>No run recorded a metric (call <code>record(name, value)</code> in the notebook), so there is no heatmap.</p>";
  if (!metrics.includes(metric)) return `<p>No run recorded the metric <code>${esc(metric)}</code> (recorded: ${esc(metrics.join(", ") || "none")}).</p>`;
  const vary = varying(doc);
  const axes = options.axes ?? (vary.length >= 2 ? vary.slice(0, 2) : vary.length === 1 ? [vary[0] as string, ""] : undefined);
  if (axes === undefined) return "<p>No parameter varies, so there is no heatmap.</p>";
  const [px, py] = axes as [string, string];
  for (const p of [px, py]) if (p !== "" && !doc.parameters.includes(p)) return `<p>Unknown heatmap parameter <code>${esc(p)}</code> (parameters: ${esc(doc.parameters.join(", "))}).</p>`;
  const runs = doc.runs.filter((r) => r.status === "FINISHED" || r.status === "SKIPPED");
  if (runs.length === 0) return "<p>No finished run, so there is no heatmap.</p>";
  const key = (v: unknown) => (typeof v === "number" || typeof v === "boolean" ? v : show(v));
  const figure = parameterHeatmap({
    x: runs.map((r) => key(r.params[px])),
    y: runs.map((r) => (py === "" ? metric : key(r.params[py]))),
    value: runs.map((r) => toNumber(r.metrics?.[metric])),
    xLabel: px,
    yLabel: py === "" ? "" : py,
  });
  const others = doc.parameters.filter((p) => p !== px && p !== py && vary.includes(p));
  const caption = `<p><b>${esc(metric)}</b> over <code>${esc(px)}</code>${py ? ` × <code>${esc(py)}</code>` : ""}${others.length ? ` (mean over ${others.map((o) => `<code>${esc(o)}</code>`).join(", ")})` : ""}.</p>`;
  return caption + figure.markup;
}

function row(r: SweepRun, params: readonly string[], metrics: readonly string[], out: string): string {
  const link = (p: string | null | undefined, label: string) => (p ? `<a href="${esc(relative(out, p))}">${label}</a>` : "");
  const cells = [
    String(r.index),
    `<span style="color:${COLORS[r.status] ?? "#000"};font-weight:600">${r.status}</span>${r.attempts > 1 ? ` <small>(${r.attempts} attempts)</small>` : ""}`,
    ...params.map((p) => esc(show(r.params[p]))),
    ...metrics.map((m) => {
      const v = toNumber(r.metrics?.[m]);
      return r.metrics?.[m] === undefined ? "" : Number.isFinite(v) ? v.toPrecision(6).replace(/\.?0+$/, "") : esc(r.metrics[m]);
    }),
    r.seconds !== undefined ? r.seconds.toFixed(1) : "",
    `<code>${esc(r.runId ?? "")}</code>`,
    [link(r.notebook, "ipynb"), link(r.html, "html")].filter(Boolean).join(" · "),
    r.error ? `<span style="color:#a33">${esc(r.error)}</span>` : "",
  ];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
}

/**
 * Loads what the heatmap renders with (jsdom, ≈ 1 CPU-s): the command calls it while the driver starts
 * Ray, so writing sweep.html after the last run does not wait for it.
 */
export function warmReport(): void {
  plotDocument();
}

/** The whole page. */
export function writeSweepReport(doc: SweepDocument, options: ReportOptions): string {
  const metrics = metricNames(doc.runs);
  const head = ["#", "status", ...doc.parameters, ...metrics, "seconds", "MLflow run", "notebook", "error"];
  const counts = Object.entries(doc.summary).map(([k, v]) => `${esc(k)} ${v}`).join(" · ");
  return [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>sweep · ${esc(doc.experiment)}</title>`,
    "<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}code{font-size:12px}</style>",
    "</head><body>",
    `<h1>Sweep of ${esc(doc.notebook.split("/").pop())}</h1>`,
    `<p>${counts} · experiment <code>${esc(doc.experiment)}</code> (${esc(doc.experimentId ?? "")}) at <code>${esc(doc.trackingUri)}</code> · Ray ${esc(doc.ray.address ?? "")} with ${esc(doc.ray.slots ?? doc.workers)} workers · started ${esc(doc.startedAt)}${doc.finishedAt ? `, finished ${esc(doc.finishedAt)}` : ""}</p>`,
    "<h2>Heatmap</h2>",
    sweepHeatmap(doc, options),
    "<h2>Runs</h2>",
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>`,
    ...doc.runs.map((r) => row(r, doc.parameters, metrics, options.out)),
    "</tbody></table></body></html>",
  ].join("\n");
}
