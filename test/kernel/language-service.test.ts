/**
 * The kernel's completion and inspection (kernel/language-service.ts), in process: the TypeScript
 * language service over the cell history, statarb's declarations and node_modules.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CellLanguageService, type CompletionResult } from "../../kernel/language-service.js";
import { repoRoot } from "../helpers/python.js";

/** Completes at the end of `code` (Jupyter counts the cursor in code points). */
function completeAtEnd(ls: CellLanguageService, code: string): CompletionResult {
  return ls.complete(code, [...code].length);
}

interface TypedMatch {
  text: string;
  type: string;
  start: number;
  end: number;
  signature: string;
}

function typed(result: CompletionResult): TypedMatch[] {
  return result.metadata._jupyter_types_experimental as TypedMatch[];
}

/** The TSDoc summary right above `export function <name>` in a library source file. */
function tsdocOf(file: string, name: string): string {
  const text = readFileSync(path.join(repoRoot, file), "utf8");
  const m = new RegExp(String.raw`/\*\*\s*([^]*?)\s*\*/\s*export function ${name}\b`).exec(text);
  if (!m?.[1]) throw new Error(`no TSDoc above ${name} in ${file}`);
  const last = m[1].split("/**").pop() ?? "";
  return last.replace(/^\s*\* ?/gm, "").split("\n")[0]!.trim();
}

describe("CellLanguageService (notebook in the repo)", () => {
  let ls: CellLanguageService;
  beforeAll(() => {
    ls = new CellLanguageService({ cwd: repoRoot });
  });

  it("completes names declared in earlier cells, with their kind and call signature", () => {
    ls.addCell("const alphaSignal = 0.5;\nfunction computeSpread(a: number, b: number) { return a - b; }\nclass SpreadModel { fit() { return 1; } }");
    const r = completeAtEnd(ls, "compu");
    expect(r.matches).toEqual(["computeSpread"]);
    expect(r.cursorStart).toBe(0);
    expect(r.cursorEnd).toBe(5);
    expect(typed(r)).toEqual([{ text: "computeSpread", type: "function", start: 0, end: 5, signature: "(a: number, b: number) => number" }]);
    expect(completeAtEnd(ls, "alphaS").matches).toEqual(["alphaSignal"]);
    expect(typed(completeAtEnd(ls, "SpreadMo"))[0]).toMatchObject({ text: "SpreadModel", type: "class" });
    expect(completeAtEnd(ls, "new SpreadModel().f").matches).toEqual(["fit"]);
  });

  it("completes the members of a statarb Panel loaded with top-level await", () => {
    ls.addCell('import { loadDataset } from "statarb";\nconst prices = await loadDataset("dowjones30");');
    const r = completeAtEnd(ls, "prices.");
    expect(r.matches).toEqual(expect.arrayContaining(["returns", "slice", "column", "assets", "dates", "nDates"]));
    expect(r.cursorStart).toBe(7);
    expect(r.cursorEnd).toBe(7);
    const narrowed = completeAtEnd(ls, "prices.sl");
    expect(narrowed.matches).toEqual(expect.arrayContaining(["slice"]));
    expect(narrowed.matches.every((m) => m.toLowerCase().startsWith("sl"))).toBe(true);
    expect(narrowed.cursorStart).toBe(7);
    const returns = typed(completeAtEnd(ls, "prices.retu")).find((m) => m.text === "returns");
    expect(returns?.type).toBe("method");
    expect(returns?.signature).toMatch(/=> Panel$/);
    // chained: a method's result is a Panel too
    expect(completeAtEnd(ls, "prices.returns().sli").matches).toContain("slice");
  });

  it("completes the dataset names loadDataset accepts inside its string argument", () => {
    const code = 'loadDataset("dowj';
    const r = completeAtEnd(ls, code);
    expect(r.matches).toEqual(["dowjones30"]);
    expect(r.cursorStart).toBe(code.indexOf('"') + 1);
  });

  it("completes an npm package's exports, imported in the cell or in an earlier one", () => {
    const plot = completeAtEnd(ls, 'import * as Plot from "@observablehq/plot";\nPlot.lin');
    expect(plot.matches).toEqual(expect.arrayContaining(["line", "lineX", "lineY"]));
    const named = ls.complete('import { tableFromA } from "apache-arrow";', 'import { tableFromA'.length);
    expect(named.matches).toContain("tableFromArrays");
    ls.addCell('import { tableFromArrays } from "apache-arrow";');
    const later = typed(completeAtEnd(ls, "tableFromArr")).find((m) => m.text === "tableFromArrays");
    expect(later?.type).toBe("function");
    expect(later?.signature).toContain("=>");
  });

  it("shows a statarb function's signature and its TSDoc on hover", () => {
    const code = 'import { sharpeRatio } from "statarb";\nsharpeRatio';
    const r = ls.inspect(code, [...code].length, 0);
    expect(r.found).toBe(true);
    const doc = tsdocOf("lib/analytics/metrics.ts", "sharpeRatio");
    expect(r.data["text/plain"]).toMatch(/^function sharpeRatio\(returns: .*\): number/);
    expect(r.data["text/plain"]).toContain(doc);
    expect(r.data["text/markdown"]).toContain("```typescript\nfunction sharpeRatio(");
    expect(r.data["text/markdown"]).toContain(doc);
    // in the middle of the name, and inside the call's arguments
    expect(ls.inspect(code, [...code].length - 4, 0).data["text/plain"]).toContain(doc);
    const call = code + "(prices.column(0), ";
    expect(ls.inspect(call, [...call].length, 0).data["text/plain"]).toContain(doc);
    const detailed = ls.inspect(code, [...code].length, 1);
    const source = readFileSync(path.join(repoRoot, "lib/analytics/metrics.ts"), "utf8").split("\n");
    const line = source.findIndex((l) => l.startsWith("export function sharpeRatio(")) + 1;
    expect(detailed.data["text/plain"]).toContain(`Defined in lib/analytics/metrics.ts:${line}`);
    expect(detailed.data["text/markdown"]).toContain("Defined in `lib/analytics/metrics.ts");
  });

  it("shows names from earlier cells as what they are on hover", () => {
    const r = ls.inspect("prices", 3, 0);
    expect(r.found).toBe(true);
    expect(r.data["text/plain"]).toBe("const prices: Panel");
    expect(ls.inspect("   ", 1, 0)).toEqual({ found: false, data: {} });
  });

  it("counts the cursor in code points past emoji and other non-BMP characters", () => {
    const code = 'const label = "📈 𝔸lpha"; Math.flo';
    expect(code.length).toBe([...code].length + 2);
    const r = completeAtEnd(ls, code);
    expect(r.matches).toEqual(["floor"]);
    expect(r.cursorStart).toBe([...code].length - 3);
    expect(r.cursorEnd).toBe([...code].length);
    expect(typed(r)[0]).toMatchObject({ start: r.cursorStart, end: r.cursorEnd });
    const hover = 'const s = "🚀"; Math.floor';
    expect(ls.inspect(hover, [...hover].length, 0).data["text/plain"]).toMatch(/floor\(x: number\): number/);
  });

  it("answers an edit context asked again (its module kept) as the first time, and sees the cells run since", () => {
    const first = completeAtEnd(ls, "Math.fl");
    expect(first.matches).toEqual(["floor"]);
    for (const other of ["Math.", "alphaS", "[1, 2].inc", "new SpreadModel().", "prices.ret", "compu"]) completeAtEnd(ls, other);
    expect(completeAtEnd(ls, "Math.fl")).toEqual(first);
    expect(completeAtEnd(ls, "Math.flo")).toEqual({ ...first, cursorEnd: 8, metadata: { _jupyter_types_experimental: typed(first).map((m) => ({ ...m, end: 8 })) } });
    expect(completeAtEnd(ls, "zetaSp").matches).toEqual([]);
    ls.addCell("const zetaSpread = 2;");
    expect(completeAtEnd(ls, "zetaSp").matches).toEqual(["zetaSpread"]);
    // the cursor inside a word: TypeScript is asked about the whole code as it is
    expect(ls.complete("zetaSpread", 4)).toMatchObject({ matches: ["zetaSpread"], cursorStart: 0 });
  });

  it("takes a const redeclared in a later cell with its new type", () => {
    ls.addCell("const regime = 1;");
    ls.addCell('const regime = "risk-off";\nconst lookback = 60;');
    expect(ls.inspect("regime", 6, 0).data["text/plain"]).toBe('const regime: "risk-off"');
    expect(completeAtEnd(ls, "regime.toUpp").matches).toEqual(["toUpperCase"]);
    // and a redeclaration in the cell being edited wins over every earlier one
    expect(ls.inspect("const regime = [1, 2];\nregime", 29, 0).data["text/plain"]).toBe("const regime: number[]");
    expect(completeAtEnd(ls, "look").matches).toEqual(["lookback"]);
  });

  it("keeps names and their latest types over a long session (many blocks of cells)", () => {
    ls.addCell("let counter = 0;\nconst firstOfSession = { ok: true };");
    for (let i = 0; i < 75; i++) ls.addCell(i % 10 === 0 ? `const counter${i} = ${i};\ncounter = ${i};` : `const step${i} = "s${i}";`);
    ls.addCell("const counter = [0];");
    expect(ls.inspect("firstOfSession", 3, 0).data["text/plain"]).toBe("const firstOfSession: {\n    ok: boolean;\n}");
    expect(ls.inspect("counter", 3, 0).data["text/plain"]).toBe("const counter: number[]");
    expect(completeAtEnd(ls, "counter7").matches).toEqual(["counter70"]);
    expect(completeAtEnd(ls, "step7").matches).toEqual(["step7", "step71", "step72", "step73", "step74"]);
    expect(completeAtEnd(ls, "firstOfSession.o").matches).toEqual(["ok"]);
  });

  it("sees through line magics and stays out of cell magics", () => {
    expect(completeAtEnd(ls, "%time Math.flo").matches).toEqual(["floor"]);
    expect(completeAtEnd(ls, "%who\nalphaS").matches).toEqual(["alphaSignal"]);
    const sh = completeAtEnd(ls, "%%sh\nech");
    expect(sh.matches).toEqual([]);
    expect(sh.cursorStart).toBe(sh.cursorEnd);
    expect(ls.inspect("%%R\nmean", 8, 0).found).toBe(false);
  });

  it("knows the kernel's display global", () => {
    expect(completeAtEnd(ls, "display.ht").matches).toEqual(["html"]);
  });
});

describe("CellLanguageService (notebook outside the repo)", () => {
  let dir: string;
  let ls: CellLanguageService;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "statarb-ls-"));
    ls = new CellLanguageService({ cwd: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("still resolves statarb's types and its npm dependencies", () => {
    ls.addCell('import { loadDataset, sharpeRatio } from "statarb";\nconst p = await loadDataset("dowjones30");');
    expect(completeAtEnd(ls, "p.ret").matches).toContain("returns");
    expect(ls.inspect("sharpeRatio", 5, 0).data["text/plain"]).toContain(tsdocOf("lib/analytics/metrics.ts", "sharpeRatio"));
    expect(completeAtEnd(ls, 'import * as Plot from "@observablehq/plot";\nPlot.dot').matches).toContain("dotY");
  });
});
