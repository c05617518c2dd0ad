/**
 * Notebooks executed by nbclient on the statarb kernel (a real Jupyter client over zeromq): state
 * across cells, redeclaration, await, ESM/CJS/statarb/relative imports, rich display and display
 * handles, errors with the cell's own TypeScript lines, and a kernel that survives bad cells.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson, repoRoot } from "./helpers.js";

interface Output {
  output_type: string;
  data?: Record<string, string | string[] | unknown>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Notebook {
  cells: { source: string | string[]; outputs: Output[]; execution_count: number | null }[];
}

const missing = jupyterMissing();
const NOTEBOOKS = ["state", "display", "errors", "typecheck"].map((n) => join("test", "kernel", "notebooks", `${n}.ipynb`));
let executed: Record<string, Notebook> = {};

const join2 = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const outputs = (nb: string, cell: number): Output[] => executed[join("test", "kernel", "notebooks", `${nb}.ipynb`)]?.cells[cell]?.outputs ?? [];
const result = (nb: string, cell: number, mime = "text/plain"): string => {
  const o = outputs(nb, cell).find((x) => x.output_type === "execute_result");
  return join2(o?.data?.[mime]);
};
const errorOf = (nb: string, cell: number) => outputs(nb, cell).find((o) => o.output_type === "error");
const streamText = (nb: string, cell: number) => outputs(nb, cell).filter((o) => o.output_type === "stream").map((o) => join2(o.text)).join("");

describe.skipIf(missing !== undefined)(`notebooks under nbclient ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled();
    const out = join(repoRoot, "test", ".tmp", "kernel");
    mkdirSync(out, { recursive: true });
    executed = await pythonJson<Record<string, Notebook>>(join("test", "kernel", "scripts", "run_notebooks.py"), [out, ...NOTEBOOKS]);
  });

  it("keeps state across cells and lets let/const/class/function be declared again", () => {
    expect(result("state", 1)).toBe("{ q: 5, s: 'a' }");
    expect(result("state", 3)).toBe("9"); // class A redeclared (v = 2) + f() reading the redeclared q = 7
  });

  it("runs top-level await", () => {
    expect(result("state", 4)).toBe("42");
  });

  it("imports ESM-only and CommonJS packages, statarb, and files next to the notebook", () => {
    expect(result("state", 5)).toBe("2"); // d3-array: ESM only
    expect(result("state", 6)).toBe("'number'"); // seedrandom: CommonJS
    expect(result("state", 7)).toBe("2"); // statarb Panel
    expect(result("state", 8)).toBe("126"); // ./helper.ts and ./helper.mjs
  });

  it("handles destructuring, enums and %who", () => {
    expect(result("state", 9)).toBe("5");
    expect(result("state", 10)).toBe("-1");
    const who = streamText("state", 11).trim().split("\t");
    expect(who).toEqual(expect.arrayContaining(["q", "s", "A", "f", "answer", "Panel", "Side", "rest"]));
  });

  it("lists the built-in magics and the bridges' magics (when dist/bridges/magics.js is built)", () => {
    const list = streamText("state", 12);
    for (const m of ["%time", "%timeit", "%who", "%typecheck", "%%sh"]) expect(list).toContain(m);
    if (existsSync(join(repoRoot, "dist", "bridges", "magics.js"))) for (const m of ["%%R", "%%octave", "%%q", "%put", "%get"]) expect(list).toContain(m);
  });

  it("runs %%time cells and passes %env to %%sh", () => {
    expect(streamText("state", 13)).toMatch(/^Wall time: [\d.]+ (ns|µs|ms|s)\n$/);
    expect(result("state", 13)).toBe("42");
    expect(streamText("state", 15)).toBe("var=on\n");
  });

  it("shows primitives as text/plain", () => {
    expect(result("display", 0)).toBe("2");
    expect(result("display", 1)).toBe("'text'");
  });

  it("shows a Panel as an HTML table with a text fallback", () => {
    expect(result("display", 2, "text/html")).toMatch(/<table[\s\S]*KO[\s\S]*PEP/);
    expect(result("display", 2)).toMatch(/^Panel 2 dates × 2 assets/);
  });

  it("renders Observable Plot figures as image/svg+xml", () => {
    const svg = result("display", 3, "image/svg+xml");
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain("<path");
    const figure = outputs("display", 4).find((o) => o.output_type === "execute_result");
    expect(join2(figure?.data?.["text/html"])).toMatch(/<figure[\s\S]*squares[\s\S]*<svg/);
    expect(join2(figure?.data?.["image/svg+xml"])).toMatch(/^<svg/);
  });

  it("updates a display handle in place", () => {
    const shown = outputs("display", 5).filter((o) => o.output_type === "display_data");
    expect(shown).toHaveLength(1);
    expect(join2(shown[0]?.data?.["text/html"])).toBe("<b>second</b>");
  });

  it("sends display.markdown/json/svg and custom Jupyter.display bundles", () => {
    const kinds = outputs("display", 6).map((o) => Object.keys(o.data ?? {}).find((k) => k !== "text/plain"));
    expect(kinds).toEqual(["text/markdown", "application/json", "image/svg+xml"]);
    expect(result("display", 7, "text/html")).toBe("<i>custom</i>");
  });

  it("shows a danfojs DataFrame as an HTML table", () => {
    const html = result("display", 8, "text/html");
    expect(html).toMatch(/<table[\s\S]*ticker[\s\S]*KO[\s\S]*170\.25/);
    expect(result("display", 8)).toContain("ticker");
  });

  it("shows an apache-arrow Table as an HTML table", () => {
    expect(result("display", 9, "text/html")).toMatch(/<table[\s\S]*px[\s\S]*qty[\s\S]*2\.5[\s\S]*20/);
    expect(result("display", 9)).toMatch(/^arrow Table 2 rows × 2 columns/);
  });

  it("reports runtime errors with ename, evalue and the cell's own TypeScript line", () => {
    const e = errorOf("errors", 0);
    expect(e?.ename).toBe("TypeError");
    expect(e?.evalue).toMatch(/Cannot read properties of null/);
    const tb = strip((e?.traceback ?? []).join("\n"));
    expect(tb).toContain("Cell In[1], line 3");
    expect(tb).toContain("(null as any).field"); // the TypeScript source line, not the transpiled one
  });

  it("points into the cell that defined a function that throws later", () => {
    const e = errorOf("errors", 3);
    expect(e?.ename).toBe("RangeError");
    const tb = strip((e?.traceback ?? []).join("\n"));
    expect(tb).toContain("at boom (Cell In[2], line 2");
    expect(tb).toContain("Cell In[4], line 3");
  });

  it("reports syntax errors and thrown non-errors", () => {
    expect(errorOf("errors", 4)?.ename).toBe("SyntaxError");
    expect(strip((errorOf("errors", 4)?.traceback ?? []).join("\n"))).toContain("Cell In[5], line 1");
    expect(errorOf("errors", 7)).toMatchObject({ ename: "Uncaught", evalue: "a string" });
  });

  it("survives errors, late rejections, huge output and process.exit, and the next cell runs", () => {
    expect(result("errors", 2)).toBe("3"); // right after an error
    expect(result("errors", 5)).toBe("'scheduled'");
    expect(streamText("errors", 6)).toContain("late rejection");
    expect(result("errors", 6)).toBe("'after rejection'");
    const huge = streamText("errors", 8);
    expect(huge.split("\n").length).toBeGreaterThan(50_000);
    expect(huge).toContain("row 49999 ");
    expect(result("errors", 9)).toBe("'still alive'");
    expect(errorOf("errors", 10)?.evalue).toMatch(/process.exit\(3\) would stop the kernel/);
    expect(result("errors", 11)).toBe("'survived exit'");
  });

  it("%typecheck on reports type errors as warnings and still runs the cell, knowing earlier cells' types", () => {
    expect(streamText("typecheck", 2)).toContain("Cell In[3], line 1:5: error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(result("typecheck", 2)).toBe("'ran anyway'");
    expect(streamText("typecheck", 3)).toBe(""); // px and names come from cell 1, with their types
    expect(result("typecheck", 3)).toBe("'5.0KO'");
  });

  it("%typecheck strict blocks a cell with type errors; statarb's types are known; %typecheck off turns it off", () => {
    expect(errorOf("typecheck", 5)).toMatchObject({ ename: "TSError" });
    expect(strip((errorOf("typecheck", 5)?.traceback ?? []).join("\n"))).toContain("error TS2322: Type 'number' is not assignable to type 'string'.");
    expect(errorOf("typecheck", 6)?.traceback?.join("\n")).toContain("Cannot find name 'blocked'"); // the blocked cell did not run
    expect(result("typecheck", 7)).toBe("1");
    expect(errorOf("typecheck", 8)?.traceback?.join("\n")).toContain("Property 'noSuchMember' does not exist on type 'Panel'");
    expect(result("typecheck", 10)).toBe("'fine'");
  });
});
