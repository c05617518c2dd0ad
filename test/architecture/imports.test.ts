/**
 * The import rules of ARCHITECTURE.md, checked on the sources (relative imports, re-exports, dynamic
 * `import()` and `import("…")` types alike):
 *   (a) a lib/ folder's face is its index.ts: a file of another folder — or of kernel/, bridges/,
 *       native/ts — imports it only as `lib/<folder>/index.ts` (so never its `internal` files);
 *       lib/ never imports kernel/ or bridges/, and reaches native/ only through
 *       lib/execution/native-adapter.ts;
 *   (b) no cycle between lib/ folders;
 *   (c) no cycle between the files of lib/.
 * KNOWN lists violations being removed by their owners at the time this landed; it may only shrink.
 */
import { describe, expect, it } from "vitest";
import { type ImportEdge, importsOf, listFiles } from "./sources.js";

/**
 * Violations being removed by their owners (issue 14) when this check landed: it may only shrink —
 * the test fails when an entry is fixed, so the entry gets deleted. `from → to` for rule (a),
 * `a ↔ b` (sorted) for a file cycle of rule (c).
 */
const KNOWN: readonly string[] = [];

const SHIPPED = ["lib", "kernel", "bridges", "native/ts"];
const NATIVE_DOOR = "lib/execution/native-adapter.ts";

function allEdges(): ImportEdge[] {
  return SHIPPED.flatMap((dir) => listFiles(dir, [".ts"])).flatMap((f) => importsOf(f));
}

/** `lib/<folder>` of a file of lib/ (undefined for lib/index.ts and files outside lib/). */
function libFolder(file: string): string | undefined {
  const m = /^lib\/([^/]+)\//.exec(file);
  return m === null ? undefined : `lib/${m[1]}`;
}

function key(e: ImportEdge): string {
  return `${e.from} → ${e.to}`;
}

function ruleViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const from = libFolder(e.from);
    const to = libFolder(e.to);
    const fromLib = e.from.startsWith("lib/");
    if (fromLib && (e.to.startsWith("kernel/") || e.to.startsWith("bridges/"))) out.push(`${key(e)} (line ${e.line}): lib/ never imports kernel/ or bridges/`);
    else if (fromLib && e.to.startsWith("native/") && e.from !== NATIVE_DOOR) out.push(`${key(e)} (line ${e.line}): lib/ reaches native/ only through ${NATIVE_DOOR}`);
    else if (to !== undefined && to !== from && e.to !== `${to}/index.ts`) {
      out.push(`${key(e)} (line ${e.line}): import ${to} through its face, ${to}/index.ts ("${e.from.startsWith("lib/") ? `../${to.slice(4)}/index.js` : `…/${to}/index.js`}")`);
    }
  }
  return out;
}

/** Cycles of a directed graph given as adjacency sets: one representative cycle per strongly connected component. */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

function addEdge(graph: Map<string, Set<string>>, from: string, to: string): void {
  if (!graph.has(from)) graph.set(from, new Set());
  if (!graph.has(to)) graph.set(to, new Set());
  graph.get(from)!.add(to);
}

/** The import path(s) that tie a component together, for the message. */
function witnesses(edges: readonly ImportEdge[], comp: readonly string[], of: (file: string) => string | undefined): string[] {
  const inComp = new Set(comp);
  return edges.filter((e) => inComp.has(of(e.from) ?? "") && inComp.has(of(e.to) ?? "") && of(e.from) !== of(e.to)).map((e) => `  ${e.from}:${e.line} → ${e.to}${e.typeOnly ? " (type)" : ""}`);
}

describe("imports", () => {
  const edges = allEdges();

  it("(a) folders are imported through their index.ts; lib/ never imports kernel/ or bridges/; native/ only through the adapter", () => {
    const found = ruleViolations(edges);
    const known = KNOWN.filter((k) => k.includes(" → "));
    const unexpected = found.filter((v) => !known.some((k) => v.startsWith(`${k} `)));
    const fixed = known.filter((k) => !found.some((v) => v.startsWith(`${k} `)));
    expect(unexpected, unexpected.join("\n")).toEqual([]);
    expect(fixed, `fixed, now delete from KNOWN in test/architecture/imports.test.ts:\n${fixed.join("\n")}`).toEqual([]);
  });

  it("(b) no cycle between lib/ folders (type-only imports count: they couple the folders too)", () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const from = libFolder(e.from);
      const to = libFolder(e.to);
      if (from !== undefined && to !== undefined && from !== to) addEdge(graph, from, to);
    }
    const found = cycles(graph).map((c) => `${c.join(" ↔ ")}\n${witnesses(edges, c, libFolder).join("\n")}`);
    expect(found, found.join("\n")).toEqual([]);
  });

  it("(c) no cycle between the files of lib/ (type-only imports count)", () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) if (e.from.startsWith("lib/") && e.to.startsWith("lib/")) addEdge(graph, e.from, e.to);
    const found = cycles(graph);
    const known = KNOWN.filter((k) => k.includes(" ↔ "));
    const unexpected = found.filter((c) => !known.includes(c.join(" ↔ "))).map((c) => `${c.join(" ↔ ")}\n${witnesses(edges, c, (f) => f).join("\n")}`);
    const fixed = known.filter((k) => !found.some((c) => c.join(" ↔ ") === k));
    expect(unexpected, unexpected.join("\n")).toEqual([]);
    expect(fixed, `fixed, now delete from KNOWN in test/architecture/imports.test.ts:\n${fixed.join("\n")}`).toEqual([]);
  });

  it("the scan sees the imports it checks", () => {
    expect(edges.filter((e) => e.from.startsWith("lib/") && e.to === "lib/data/index.ts").length).toBeGreaterThan(0);
    expect(edges.filter((e) => e.from.startsWith("kernel/")).length).toBeGreaterThan(10);
  });
});
