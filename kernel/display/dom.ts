/**
 * A DOM for cells, from jsdom, created on first use: a lazy `document` global, and Observable Plot
 * imported by a cell is given it (Plot reads `window.document`; a global `window` would make other
 * libraries, tfjs among them, believe they run in a browser, so `window` exists only while Plot renders).
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let win: { document: unknown } | undefined;

export function domWindow(): { document: unknown } {
  if (!win) {
    const { JSDOM } = require("jsdom") as { JSDOM: new (html: string, o?: object) => { window: { document: unknown } } };
    win = new JSDOM("<!DOCTYPE html><html><head></head><body></body></html>", { pretendToBeVisual: false }).window;
  }
  return win;
}

/** Defines the lazy `document` global (jsdom starts on first access). */
export function installLazyDocument(target: typeof globalThis): void {
  if ("document" in target) return;
  Object.defineProperty(target, "document", {
    configurable: true,
    enumerable: false,
    get: () => domWindow().document,
    set: (v: unknown) => Object.defineProperty(target, "document", { value: v, writable: true, configurable: true, enumerable: false }),
  });
}

function withWindow<T>(fn: () => T): T {
  const g = globalThis as { window?: unknown };
  if (g.window !== undefined) return fn();
  g.window = domWindow();
  try {
    return fn();
  } finally {
    delete g.window;
  }
}

const patched = new WeakSet<object>();

/** An import hook: Plot's `plot`, `legend` and `Mark#plot` render with the jsdom document. */
export function plotImportHook(specifier: string, ns: Record<string, unknown>): Record<string, unknown> {
  if (!/^@observablehq\/plot(\/|$)/.test(specifier) || typeof ns.plot !== "function") return ns;
  const mark = ns.Mark as { prototype?: Record<string, unknown> } | undefined;
  const proto = mark?.prototype;
  if (proto && typeof proto.plot === "function" && !patched.has(proto)) {
    patched.add(proto);
    const original = proto.plot as (...a: unknown[]) => unknown;
    proto.plot = function (this: unknown, ...args: unknown[]) {
      return withWindow(() => original.apply(this, args));
    };
  }
  const wrap = (f: unknown) => (typeof f === "function" ? (...args: unknown[]) => withWindow(() => (f as (...a: unknown[]) => unknown)(...args)) : f);
  const out: Record<string, unknown> = { ...ns, plot: wrap(ns.plot), legend: wrap(ns.legend) };
  if (ns.default && typeof ns.default === "object") out.default = { ...(ns.default as object), plot: out.plot, legend: out.legend };
  return out;
}
