/**
 * A value → the mime bundle Jupyter shows: `[Symbol.for("Jupyter.display")]()` bundles (Deno's
 * protocol; statarb's Panel implements it), DOM elements (Observable Plot figures: SVG as
 * image/svg+xml), danfojs DataFrame/Series, apache-arrow Tables and arrays of plain row objects as
 * HTML tables, everything else
 * as text/plain.
 */
import { inspect } from "node:util";
import type { MimeBundle } from "../impl.js";
import { arrowTableBundle, dataFrameBundle, isArrowTable, isDanfoFrame } from "./dataframe.js";
import { rowColumns, rowsHtml } from "./rows.js";

export const DISPLAY_SYMBOL = Symbol.for("Jupyter.display");
const SVG_NS = "http://www.w3.org/2000/svg";

export interface Formatted {
  data: MimeBundle;
  metadata: Record<string, unknown>;
}

export function textPlain(value: unknown): string {
  return typeof value === "string" ? inspect(value) : inspect(value, { depth: 3, maxArrayLength: 100, breakLength: 100 });
}

export async function formatValue(value: unknown): Promise<Formatted> {
  return formatValueSync(value);
}

/** Like `formatValue`, synchronous unless the value's display method returns a promise. */
export function formatValueSync(value: unknown): Formatted | Promise<Formatted> {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const method = (value as Record<symbol, unknown>)[DISPLAY_SYMBOL];
    if (typeof method === "function") {
      const bundle = (method as () => unknown).call(value);
      if (bundle instanceof Promise || (bundle && typeof (bundle as { then?: unknown }).then === "function")) {
        return Promise.resolve(bundle).then((b) => fromBundle(value, b));
      }
      const f = fromBundle(value, bundle);
      if (f) return f;
    }
    if (isElement(value)) return { data: elementBundle(value), metadata: {} };
    if (isDanfoFrame(value)) return { data: dataFrameBundle(value), metadata: {} };
    if (isArrowTable(value)) return { data: arrowTableBundle(value), metadata: {} };
    const columns = rowColumns(value);
    if (columns !== undefined) return { data: { "text/html": rowsHtml(value as Record<string, unknown>[], columns), "text/plain": textPlain(value) }, metadata: {} };
  }
  return { data: { "text/plain": textPlain(value) }, metadata: {} };
}

function fromBundle(value: unknown, bundle: unknown): Formatted {
  if (!bundle || typeof bundle !== "object") return { data: { "text/plain": textPlain(value) }, metadata: {} };
  const data = { ...(bundle as MimeBundle) };
  if (!("text/plain" in data)) data["text/plain"] = plainFallback(value);
  return { data, metadata: {} };
}

function plainFallback(value: unknown): string {
  const s = (value as { toString?: () => string }).toString;
  if (typeof s === "function" && s !== Object.prototype.toString) {
    try {
      const text = s.call(value);
      if (typeof text === "string" && text !== "[object Object]") return text;
    } catch {
      /* fall back to inspect */
    }
  }
  return textPlain(value);
}

interface ElementLike {
  nodeType: number;
  outerHTML: string;
  tagName: string;
  namespaceURI?: string | null;
  querySelector?(sel: string): ElementLike | null;
}

function isElement(v: unknown): v is ElementLike {
  const e = v as Partial<ElementLike>;
  return e.nodeType === 1 && typeof e.outerHTML === "string" && typeof e.tagName === "string";
}

function svgText(e: ElementLike): string {
  const html = e.outerHTML;
  return /^<svg[^>]*\sxmlns=/.test(html) ? html : html.replace(/^<svg/, `<svg xmlns="${SVG_NS}"`);
}

/** An element as a bundle: `<svg>` → image/svg+xml; other elements (Plot's `<figure>`) → text/html plus their first SVG. */
export function elementBundle(e: ElementLike): MimeBundle {
  const tag = e.tagName.toLowerCase();
  if (tag === "svg") return { "image/svg+xml": svgText(e), "text/plain": `<svg> (${e.outerHTML.length} characters of SVG)` };
  const data: MimeBundle = { "text/html": e.outerHTML, "text/plain": `<${tag}> element` };
  const svg = e.querySelector?.("svg");
  if (svg) data["image/svg+xml"] = svgText(svg);
  return data;
}
