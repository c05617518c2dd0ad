/**
 * Completion from the running engine's values, for the seconds after a start or restart while the
 * language service (kernel/language-service/worker.ts) is still being built: names of the global
 * scope (the cells' variables included) and keywords, or the properties of `a.b.c` found by walking
 * data properties from the global scope. It never calls a getter or a function, so completing cannot
 * run user code. No types or signatures: the language service gives those once it is warm.
 */
import type { CompleteReply } from "../impl.js";
import { codePointToUtf16, utf16ToCodePoint } from "../language-service/offsets.js";

const KEYWORDS = [
  "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
  "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "interface", "let", "new", "null", "return", "static",
  "super", "switch", "this", "throw", "true", "try", "type", "typeof", "undefined", "var", "void", "while", "yield",
];

/** The dotted chain and the word being typed right before the cursor. */
const BEFORE_CURSOR = /(?:([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\.\s*)?([A-Za-z_$][\w$]*)?$/;

/** Every property name of `value` and its prototypes (no symbols), without reading any of them. */
function propertyNames(value: unknown): string[] {
  const names = new Set<string>();
  let o: unknown = typeof value === "object" || typeof value === "function" ? value : value === null || value === undefined ? undefined : Object(value);
  for (let depth = 0; o !== null && o !== undefined && depth < 16; depth++) {
    for (const n of Object.getOwnPropertyNames(o)) names.add(n);
    o = Object.getPrototypeOf(o);
  }
  return [...names];
}

/** The value of a data-property chain from `root` (undefined when a link is missing or an accessor). */
export function resolve(root: object, chain: readonly string[]): { found: boolean; value: unknown } {
  let value: unknown = root;
  for (const name of chain) {
    let o: unknown = value;
    let d: PropertyDescriptor | undefined;
    for (let depth = 0; o !== null && o !== undefined && d === undefined && depth < 16; depth++) {
      d = Object.getOwnPropertyDescriptor(Object(o), name);
      o = Object.getPrototypeOf(Object(o));
    }
    if (!d || !("value" in d)) return { found: false, value: undefined };
    value = d.value;
  }
  return { found: true, value };
}

/** Completions at code point `cursorPos` of `code`, from the values in `root` (the engine's global scope). */
export function runtimeCompletions(code: string, cursorPos: number, root: object = globalThis): CompleteReply {
  const cursor = codePointToUtf16(code, cursorPos);
  const before = code.slice(0, cursor);
  const m = BEFORE_CURSOR.exec(before);
  const word = m?.[2] ?? "";
  const start = cursor - word.length;
  let candidates: string[];
  if (/[.)\]]\s*$/.test(before.slice(0, m?.index ?? start))) {
    candidates = []; // a member of an expression (call, index, literal): only the language service knows its type
  } else if (m?.[1] !== undefined) {
    const chain = m[1].split(".").map((s) => s.trim());
    const r = resolve(root, chain);
    candidates = r.found ? propertyNames(r.value).filter((n) => n !== "constructor" && !n.startsWith("__")) : [];
  } else {
    candidates = [...propertyNames(root), ...KEYWORDS];
  }
  const matches = [...new Set(candidates.filter((n) => n.startsWith(word) && /^[A-Za-z_$][\w$]*$/.test(n)))].sort();
  const at = utf16ToCodePoint(code, start);
  return { matches: matches.slice(0, 200), cursor_start: at, cursor_end: cursorPos, metadata: { source: "runtime (the language service is still starting)" } };
}
