/**
 * The debugger's parts without a kernel: the Murmur2 cell paths JupyterLab computes (values from
 * ipykernel's murmur2_x86), cell lines ↔ compiled JavaScript, values as the panel shows them, and the
 * adapter's requests against a recorded inspector (the live session is in debugger.test.ts).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DebugAdapter } from "../../kernel/debugger/adapter.js";
import { CellFiles, HASH_SEED } from "../../kernel/debugger/cell-files.js";
import type { DapEvent, Inspector } from "../../kernel/debugger/dap.js";
import { debugScriptNames, HOOKS_GLOBAL, installDebugHooks, type DebugHooks } from "../../kernel/debugger/hooks.js";
import { CellMap } from "../../kernel/debugger/line-map.js";
import { murmur2 } from "../../kernel/debugger/murmur2.js";
import { RefTable, toVariable, typeText, valueText } from "../../kernel/debugger/variables.js";

describe("murmur2", () => {
  it("matches ipykernel's murmur2_x86 (the hash JupyterLab computes) on ASCII, multi-byte UTF-8 and every tail length", () => {
    const seed = 3339675911;
    const expected: [string, number][] = [
      ["", 3990065800],
      ["a", 2167009006],
      ["ab", 2805137849],
      ["abc", 3350977461],
      ["abcd", 804720481],
      ["let x = 1;\nx + 1", 1337468207],
      ["é€😀 unicode", 4293240558],
      ["x".repeat(1001), 2469510316],
    ];
    for (const [text, hash] of expected) expect(murmur2(text, seed), JSON.stringify(text)).toBe(hash);
    expect(HASH_SEED).toBe(seed);
  });
});

describe("CellFiles", () => {
  it("names a cell prefix + hash + suffix, one script URL per part, and parses them back", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statarb-dbg-"));
    const files = new CellFiles(dir + path.sep);
    const p = files.pathOf("let a = 1");
    expect(p).toBe(`${dir}${path.sep}${murmur2("let a = 1", HASH_SEED)}.ts`);
    expect(files.dump("let a = 1")).toBe(p);
    expect(readFileSync(p, "utf8")).toBe("let a = 1");
    expect(files.parseUrl(files.urlOf(p, 0))).toEqual({ path: p, part: 0 });
    expect(files.parseUrl(files.urlOf(p, 2))).toEqual({ path: p, part: 2 });
    expect(files.parseUrl("file:///elsewhere/1.ts")).toBeUndefined();
    expect(files.parseUrl("node:internal/timers")).toBeUndefined();
  });
});

const CELL = ["let total = 0;", "const xs: number[] = [1, 2, 3];", "function double(v: number): number {", "  const w = v * 2;", "  return w;", "}", "", "total = xs.length;", "double(total)"].join("\n");

describe("the main thread's hooks", () => {
  it("name cell parts by their cell file only while attached (and write the file), list the cells' names, render rich bundles synchronously", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statarb-dbg-"));
    const files = new CellFiles(dir + path.sep);
    let attached = false;
    const names = debugScriptNames(() => attached, files);
    expect(names("let a = 1")).toBeUndefined();
    attached = true;
    const part = names("let a = 1\n%time a\na");
    expect(part?.(0)).toBe(files.pathOf("let a = 1\n%time a\na"));
    expect(part?.(1)).toBe(files.pathOf("let a = 1\n%time a\na").replace(/\.ts$/, "-1.ts"));
    expect(readFileSync(part!(0), "utf8")).toBe("let a = 1\n%time a\na");

    const g: Record<string, unknown> = { kept: 1 };
    const user = new Set(["kept", "gone"]);
    installDebugHooks(g, () => user, (n) => user.add(n));
    const hooks = g[HOOKS_GLOBAL] as DebugHooks;
    expect(hooks.names()).toEqual(["kept"]);
    const table = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<table></table>" }) };
    expect(JSON.parse(hooks.rich(table))).toMatchObject({ data: { "text/html": "<table></table>" } });
    expect(JSON.parse(hooks.rich(3))).toEqual({ data: { "text/plain": "3" }, metadata: {} });
    expect(Object.keys(g)).toEqual(["kept"]); // the hook is not enumerable
  });
});

describe("CellMap", () => {
  it("puts a breakpoint on the JavaScript of the cell line, and maps that position back to the line", () => {
    const m = new CellMap(CELL);
    for (const line of [1, 2, 4, 5, 8, 9]) {
      const at = m.breakpoint(line);
      expect(at?.line, `line ${line}`).toBe(line);
      expect(m.parts[0]?.tsOf(at!.jsLine, at!.jsColumn)?.line, `line ${line} back`).toBe(line - 1);
    }
    expect(m.breakpoint(7)?.line).toBe(8); // an empty line: the next line with code
  });

  it("maps the parts of a cell with line magics on the cell's own lines", () => {
    const m = new CellMap("let a = 1;\n%time a\nlet b = 2;\nb");
    expect(m.parts).toHaveLength(2);
    expect(m.breakpoint(1)).toMatchObject({ part: 0, line: 1 });
    expect(m.breakpoint(3)).toMatchObject({ part: 1, line: 3 });
  });
});

describe("variables", () => {
  it("shows values on one line with their type, and gives objects a reference", () => {
    const refs = new RefTable(1);
    expect(valueText({ type: "string", value: 'a"b' })).toBe('"a\\"b"');
    expect(valueText({ type: "number", value: 3 })).toBe("3");
    expect(valueText({ type: "number", unserializableValue: "NaN", description: "NaN" })).toBe("NaN");
    expect(valueText({ type: "object", subtype: "null", value: null })).toBe("null");
    const arr = { type: "object", subtype: "array", className: "Array", description: "Array(3)", objectId: "o1", preview: { type: "object", subtype: "array", overflow: false, properties: [1, 2, 3].map((v, i) => ({ name: String(i), type: "number", value: String(v) })) } };
    expect(toVariable("xs", arr, refs)).toEqual({ name: "xs", value: "Array(3) [1, 2, 3]", type: "Array", evaluateName: "xs", variablesReference: 1 });
    expect(refs.get(1)).toEqual({ kind: "object", objectId: "o1" });
    // JupyterLab's variable tree shows the value of int/float/bool/str and only the type of the rest
    expect([typeText({ type: "number", value: 2 }), typeText({ type: "number", value: 2.5 }), typeText({ type: "boolean", value: true })]).toEqual(["int", "float", "bool"]);
    expect(toVariable("s", { type: "string", value: "KO" }, refs)).toMatchObject({ value: '"KO"', type: "str", presentationHint: { attributes: ["rawString"] }, variablesReference: 0 });
  });
});

/** An inspector that records what the adapter posts and answers from a table. */
function recorder(answers: Record<string, (p: Record<string, unknown>) => unknown> = {}) {
  const posts: [string, Record<string, unknown>][] = [];
  const listeners = new Map<string, (p: Record<string, unknown>) => void>();
  let n = 0;
  const inspector: Inspector = {
    post: <T>(method: string, params: Record<string, unknown> = {}) => {
      posts.push([method, params]);
      const a = answers[method];
      if (a) return Promise.resolve(a(params) as T);
      if (method === "Debugger.setBreakpointByUrl") return Promise.resolve({ breakpointId: `bp${++n}`, locations: [] } as T);
      return Promise.resolve({} as T);
    },
    on: (event, fn) => listeners.set(event, fn),
    disconnect: () => posts.push(["disconnect", {}]),
  };
  return { inspector, posts, fire: (event: string, p: Record<string, unknown>) => listeners.get(event)?.(p) };
}

describe("DebugAdapter", () => {
  const request = (command: string, args: Record<string, unknown> = {}) => ({ seq: 1, type: "request" as const, command, arguments: args });

  it("answers debugInfo before initialize, sets breakpoints by script URL at the compiled position, maps a paused frame to the cell line, and disconnect removes the breakpoints", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statarb-dbg-"));
    const rec = recorder();
    const events: DapEvent[] = [];
    const attached: boolean[] = [];
    const a = new DebugAdapter({ files: new CellFiles(dir + path.sep), connect: () => rec.inspector, emit: (e) => events.push(e), setAttached: (on) => attached.push(on) });
    const info = await a.handle(request("debugInfo"));
    expect(info).toMatchObject({ success: true, body: { isStarted: false, hashMethod: "Murmur2", hashSeed: HASH_SEED, tmpFilePrefix: dir + path.sep, tmpFileSuffix: ".ts", breakpoints: [], stoppedThreads: [], richRendering: true, copyToGlobals: true } });
    expect(rec.posts).toEqual([]);
    expect((await a.handle(request("initialize"))).success).toBe(true);
    expect((await a.handle(request("attach"))).success).toBe(true);
    expect(attached).toEqual([true]);
    const sourcePath = (await a.handle(request("dumpCell", { code: CELL }))).body?.sourcePath as string;
    const set = await a.handle(request("setBreakpoints", { source: { path: sourcePath }, breakpoints: [{ line: 4 }, { line: 7 }] }));
    expect(set.body?.breakpoints).toMatchObject([{ verified: true, line: 4 }, { verified: true, line: 8 }]);
    const byUrl = rec.posts.filter(([m]) => m === "Debugger.setBreakpointByUrl").map(([, p]) => p);
    const at = new CellMap(CELL).breakpoint(4)!;
    expect(byUrl[0]).toEqual({ url: new CellFiles(dir + path.sep).urlOf(sourcePath, 0), lineNumber: at.jsLine, columnNumber: at.jsColumn });

    const scope = { type: "local", object: { type: "object", objectId: "scope1" } };
    rec.fire("Debugger.paused", { reason: "other", hitBreakpoints: ["bp1"], callFrames: [{ callFrameId: "f1", functionName: "double", url: byUrl[0]!.url, location: { scriptId: "9", lineNumber: at.jsLine, columnNumber: at.jsColumn }, scopeChain: [scope] }] });
    await Promise.resolve();
    expect(events.map((e) => e.event)).toEqual(["initialized", "stopped"]);
    expect(events[1]?.body).toMatchObject({ reason: "breakpoint", threadId: 1 });
    const st = await a.handle(request("stackTrace", { threadId: 1 }));
    expect(st.body?.stackFrames).toEqual([{ id: 1, name: "double", source: { path: sourcePath, name: path.basename(sourcePath) }, line: 4, column: 3 }]);
    expect(((await a.handle(request("debugInfo"))).body as { stoppedThreads: number[] }).stoppedThreads).toEqual([1]);

    expect((await a.handle(request("disconnect"))).success).toBe(true);
    expect(rec.posts.filter(([m]) => m === "Debugger.removeBreakpoint").map(([, p]) => p.breakpointId)).toEqual(["bp1", "bp2"]);
    expect(rec.posts.map(([m]) => m)).toContain("Debugger.resume");
    expect(attached).toEqual([true, false]);
    expect((await a.handle(request("debugInfo"))).body).toMatchObject({ isStarted: false, breakpoints: [] });
  });

  it("refuses what it does not know, and bad arguments, with a message", async () => {
    const a = new DebugAdapter({ connect: () => recorder().inspector, emit: () => undefined, setAttached: () => undefined });
    expect(await a.handle(request("launch"))).toMatchObject({ success: false, message: expect.stringContaining("launch") });
    expect(await a.handle(request("stackTrace"))).toMatchObject({ success: false, message: expect.stringContaining("not started") });
    await a.handle(request("initialize"));
    expect(await a.handle(request("scopes", { frameId: "x" }))).toMatchObject({ success: false, message: expect.stringContaining("frameId") });
  });
});
