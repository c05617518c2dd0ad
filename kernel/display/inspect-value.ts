/**
 * The value part of an inspection (Shift+Tab, `?name`): when the name under the cursor (`r`, `fit.adf`)
 * holds a value with its own text — statarb's results (OLS, ADF, PCA summaries like statsmodels',
 * Panel, BacktestResult, …: `util.inspect.custom`, lib/data/text.ts) — that text, as IPython shows an
 * object's string form beside its signature. The chain is walked through data properties only (no
 * getter runs, as in runtime completion); only the value's own text function runs.
 */
import { inspect } from "node:util";
import { codePointToUtf16 } from "../language-service/offsets.js";
import { resolve } from "../typescript/runtime-completer.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
/** The dotted chain ending in the word the cursor is in or right after. */
const CHAIN_BEFORE = /([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)?$/;
const MAX_LINES = 40;

/** The chain of names at code point `cursorPos` of `code` (empty when the cursor is on none). */
export function chainAt(code: string, cursorPos: number): string[] {
  const cursor = codePointToUtf16(code, cursorPos);
  const rest = /^[\w$]*/.exec(code.slice(cursor))![0];
  const before = code.slice(0, cursor) + rest;
  const m = CHAIN_BEFORE.exec(before);
  if (!m?.[1]) return [];
  return m[1].split(".").map((s) => s.trim());
}

/** The text of the value at the cursor when it has its own (util.inspect.custom); else undefined. */
export function valueTextAt(code: string, cursorPos: number, root: object = globalThis): string | undefined {
  const chain = chainAt(code, cursorPos);
  if (chain.length === 0) return undefined;
  const r = resolve(root, chain);
  const v = r.value;
  if (!r.found || v === null || typeof v !== "object" || typeof (v as Record<symbol, unknown>)[INSPECT] !== "function") return undefined;
  try {
    const lines = inspect(v).split("\n");
    return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), "…"].join("\n") : lines.join("\n");
  } catch {
    return undefined;
  }
}

/** An inspect_reply bundle with the value's text added (or the value's text alone when nothing else was found). */
export function withValueText(found: boolean, data: Record<string, unknown>, code: string, cursorPos: number): { found: boolean; data: Record<string, unknown> } {
  const text = valueTextAt(code, cursorPos);
  if (text === undefined) return { found, data };
  const plain = typeof data["text/plain"] === "string" && data["text/plain"] !== "" ? `${data["text/plain"]}\n\n` : "";
  const md = typeof data["text/markdown"] === "string" && data["text/markdown"] !== "" ? `${data["text/markdown"]}\n\n` : "";
  return { found: true, data: { ...data, "text/plain": `${plain}Value:\n${text}`, "text/markdown": `${md}**Value:**\n\n\`\`\`text\n${text}\n\`\`\`` } };
}
