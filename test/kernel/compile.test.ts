/**
 * Cell compilation (kernel/typescript/transform.ts) and the cell helpers: declarations become
 * redeclarable globals, the last expression is the value, imports go through the kernel's resolver,
 * and magics split out of the TypeScript without moving its lines.
 */
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { splitCell, typescriptOf } from "../../kernel/magics/parse.js";
import { isComplete } from "../../kernel/typescript/is-complete.js";
import { compileCell } from "../../kernel/typescript/transform.js";

/** Runs cells one after another in a fresh realm, as the kernel runs them in its own. */
function session() {
  const imported: string[] = [];
  const context = vm.createContext({
    __statarb__: { import: async (s: string) => (imported.push(s), { default: `default of ${s}`, named: `named of ${s}` }), require: (s: string) => `required ${s}` },
  });
  const runWrapped = async (source: string) => {
    const c = compileCell(source);
    if (c.syntaxErrors.length > 0) throw new Error(c.syntaxErrors[0]?.message);
    return (await (vm.runInContext(c.js, context) as Promise<{ value: unknown } | undefined>)) ?? undefined;
  };
  const run = async (source: string) => (await runWrapped(source))?.value;
  return { run, runWrapped, imported, context };
}

describe("compileCell", () => {
  it("lets let/const/class/function be declared again in later cells", async () => {
    const s = session();
    await s.run("let q = 5;\nconst s = 'a';\nclass A { v = 1 }\nfunction f() { return q; }");
    expect(await s.run("({ q, s, v: new A().v, f: f() })")).toEqual({ q: 5, s: "a", v: 1, f: 5 });
    await s.run("const q = 7;\nclass A { v = 2 }\nfunction f() { return q * 2; }");
    expect(await s.run("({ q, v: new A().v, f: f() })")).toEqual({ q: 7, v: 2, f: 14 });
  });

  it("hoists functions, destructures patterns, supports enums, namespaces and top-level await", async () => {
    const s = session();
    expect(await s.run("const r = g();\nfunction g(): number { return 3; }\nr")).toBe(3);
    expect(await s.run("const { a, b: [c, , ...rest], d = 9 } = { a: 1, b: [2, 0, 4, 5] } as any;\n[a, c, rest, d]")).toEqual([1, 2, [4, 5], 9]);
    expect(await s.run("enum Side { Buy = 1, Sell = -1 }\nSide.Sell")).toBe(-1);
    expect(await s.run("namespace N { export const k = 4; }\nN.k")).toBe(4);
    expect(await s.run("export namespace M { export const k = 5; }\nexport enum E { A = 2 }\nexport function g2() { return 1; }\nexport class C {}\nM.k + E.A + g2() + (new C() ? 1 : 0)")).toBe(9);
    expect(await s.run("const w = await Promise.resolve(6);\nw * 7")).toBe(42);
    await s.run("for (var i = 0; i < 3; i++) {}\nif (true) { var inBlock = 'global'; }\nfor (var key in { k: 1 }) {}\nfunction local() { var hidden = 1; return hidden; }");
    expect(await s.run("[i, inBlock, key, typeof hidden]")).toEqual([3, "global", "k", "undefined"]);
  });

  it("returns a promise value without awaiting it, and no value after a declaration", async () => {
    const s = session();
    const p = (await s.runWrapped("Promise.resolve(1)"))?.value;
    expect(Object.prototype.toString.call(p)).toBe("[object Promise]");
    expect(compileCell("let x = 1").hasValue).toBe(false);
    expect(compileCell("let x = 1;\nx\ninterface I {}").hasValue).toBe(true);
  });

  it("turns imports into calls of the kernel's resolver and keeps type-only imports out", async () => {
    const s = session();
    expect(await s.run('import d, { named as n } from "pkg";\nimport type { T } from "types";\nimport * as ns from "ns";\n[d, n, typeof ns]')).toEqual(["default of pkg", "named of pkg", "object"]);
    expect(await s.run('const m = await import("dyn");\nm.named')).toBe("named of dyn");
    expect(await s.run('import fs = require("fs");\nfs')).toBe("required fs");
    expect(s.imported).toEqual(["pkg", "ns", "dyn"]);
    expect(compileCell('import { a, type B } from "x"').declared).toEqual(["a"]);
  });

  it("reports syntax errors at the cell's own line and column", () => {
    expect(compileCell("let a = 1;\nlet = ;").syntaxErrors[0]).toMatchObject({ line: 1, column: 6 });
  });
});

describe("magics in cells", () => {
  it("splits a cell magic from its body", () => {
    expect(splitCell("%%sh -x\necho hi\n")).toEqual([{ kind: "cell", name: "sh", args: "-x", body: "echo hi\n" }]);
  });

  it("interleaves line magics and TypeScript, keeping TypeScript line numbers", () => {
    const segs = splitCell("let a = 1;\n%time a + 1\nconst b = 2;");
    expect(segs.map((s) => s.kind)).toEqual(["ts", "line", "ts"]);
    expect(segs[1]).toMatchObject({ name: "time", args: "a + 1" });
    expect(segs[2]).toMatchObject({ code: "\n\nconst b = 2;" });
    expect(typescriptOf("let a = 1;\n%who\na")).toBe("let a = 1;\n\na");
  });
});

describe("isComplete", () => {
  it.each([
    ["1 + 1", "complete"],
    ["function f(x: number) {", "incomplete"],
    ["const w = [0.5,", "incomplete"],
    ["const s = `a ${1 + 1} b", "incomplete"],
    ["const r = /[}]/.test(x)", "complete"],
    ["}", "invalid"],
    ["[1, 2)", "invalid"],
    ["const t = `${ {a: 1}.a }`", "complete"],
  ])("%s → %s", (code, status) => {
    expect(isComplete(code).status).toBe(status);
  });
});
