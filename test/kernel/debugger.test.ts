/**
 * JupyterLab's debugger against the kernel, over jupyter_client (test/kernel/scripts/debugger_checks.py):
 * debugInfo before initialize, dumpCell at the path JupyterLab computes (Murmur2), a breakpoint hit on
 * the TypeScript cell line, the stack and variables mapped to the cell, next/stepIn/stepOut/continue,
 * the variable explorer after the run, a rich view of a Panel, an interrupt while paused, and disconnect.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

interface Where {
  stopped?: boolean;
  line: number;
  path: string;
  name: string;
  frames: number;
  variables: Record<string, Record<string, string>>;
}

interface Checks {
  error?: string;
  kernelInfo: { debugger: boolean };
  kernelspecDebugger: boolean;
  debugInfoBefore: { success: boolean; body: Record<string, unknown> };
  initialize: { success: boolean };
  attach: { success: boolean };
  dumpCell: { path: string; expected: string; content: boolean };
  setBreakpoints: { breakpoints: { line: number; verified: boolean }[] };
  stopped: { reason: string; threadId: number };
  atBreakpoint: Where;
  debugInfoPaused: number[];
  evaluate: { result: string };
  evaluateTs: { result: string };
  next: Where;
  stepIn: Where;
  nextInside: Where;
  copyToGlobals: boolean;
  stepOut: Where;
  rich: { success: boolean; body: { data: Record<string, string> } };
  continue: boolean;
  cell: { status: string; result: string | null };
  inspectVariables: Record<string, { value: string; type: string; ref: number }>;
  expandXs: string[] | null;
  richPanel: { mimes: string[]; html: string };
  stepOff: { lines: number[]; cell: { status: string; result: string | null }; next: { status: string; result: string | null } };
  interruptStoppedAt: number | null;
  interrupted: { status: string; ename: string | null };
  afterInterrupt: { status: string; result: string | null };
  disconnect: boolean;
  debugInfoAfter: { isStarted: boolean; breakpoints: unknown[] };
  rerun: { status: string; result: string | null };
  rerun2: { status: string };
  alive: { status: string; result: string | null };
  kernelLog: string;
}

const missing = jupyterMissing();
let c: Checks;

describe.skipIf(missing !== undefined)(`the debugger under jupyter_client ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled();
    c = await pythonJson<Checks>("test/kernel/scripts/debugger_checks.py");
    expect(c.error, c.kernelLog).toBeUndefined();
  });

  it("offers the debugger (kernel_info, kernelspec) and answers debugInfo before initialize", () => {
    expect(c.kernelInfo.debugger).toBe(true);
    expect(c.kernelspecDebugger).toBe(true);
    expect(c.debugInfoBefore).toMatchObject({ success: true, body: { isStarted: false, hashMethod: "Murmur2", tmpFileSuffix: ".ts", stoppedThreads: [] } });
    expect(c.initialize.success && c.attach.success).toBe(true);
  });

  it("dumps the cell to tmpFilePrefix + Murmur2(code, hashSeed) + tmpFileSuffix (ipykernel's hash)", () => {
    expect(c.dumpCell.path).toBe(c.dumpCell.expected);
    expect(c.dumpCell.content).toBe(true);
    expect(c.setBreakpoints.breakpoints).toMatchObject([{ line: 7, verified: true }]);
  });

  it("stops on the TypeScript cell line, with the stack and variables of the cell", () => {
    expect(c.stopped).toMatchObject({ reason: "breakpoint", threadId: 1 });
    expect(c.atBreakpoint).toMatchObject({ line: 7, path: c.dumpCell.path, frames: 1 });
    expect(c.atBreakpoint.variables.Globals).toMatchObject({ total: "0", xs: "Array(3) [1, 2, 3]", double: "function double(v)" });
    expect(Object.keys(c.atBreakpoint.variables)).toEqual(["Globals"]);
    expect(c.debugInfoPaused).toEqual([1]);
    expect(c.evaluate.result).toBe("30");
    expect(c.evaluateTs.result).toBe("Array(3) [2, 4, 6]");
  });

  it("steps: next, stepIn into a function (its locals), next, stepOut", () => {
    expect(c.next).toMatchObject({ stopped: true, line: 8 });
    expect(c.next.variables.Globals?.total).toBe("3");
    expect(c.stepIn).toMatchObject({ stopped: true, line: 4, name: "double", frames: 2 });
    expect(c.stepIn.variables.Locals).toMatchObject({ v: "3" });
    expect(c.nextInside).toMatchObject({ stopped: true, line: 5 });
    expect(c.nextInside.variables.Locals).toMatchObject({ v: "3", w: "6" });
    expect(c.copyToGlobals).toBe(true);
    expect(c.stepOut.stopped).toBe(true);
    expect([8, 9]).toContain(c.stepOut.line);
    expect(c.rich).toMatchObject({ success: true, body: { data: { "text/plain": "[ 1, 2, 3 ]" } } });
  });

  it("continues to the end of the cell, then shows the variables (explorer) and a Panel as its HTML table", () => {
    expect(c.continue).toBe(true);
    expect(c.cell).toEqual({ status: "ok", ename: null, result: "7" });
    expect(c.inspectVariables).toMatchObject({ total: { value: "3", type: "int" }, y: { value: "6" }, z: { value: "7" }, w: { value: "6" }, xs: { value: "Array(3) [1, 2, 3]", type: "Array" } });
    expect(c.inspectVariables.xs?.ref).toBeGreaterThan(0);
    expect(c.expandXs?.slice(0, 3)).toEqual(["1", "2", "3"]);
    expect(c.richPanel.mimes).toContain("text/html");
    expect(c.richPanel.html).toContain("<table");
    expect(c.richPanel.html).toContain("KO");
  });

  it("stepping off the end of a cell ends it, and the next cell runs without stopping", () => {
    expect(c.stepOff.lines[0]).toBe(2);
    expect(c.stepOff.lines.every((l) => l === 2 || l === 3)).toBe(true);
    expect(c.stepOff.cell).toMatchObject({ status: "ok", result: "2" });
    expect(c.stepOff.next).toMatchObject({ status: "ok", result: "10" });
  });

  it("an interrupt while paused ends the cell and keeps the state", () => {
    expect(c.interruptStoppedAt).toBe(2);
    expect(c.interrupted).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
    expect(c.afterInterrupt).toMatchObject({ status: "ok", result: "[ 1, 'undefined', 7 ]" });
  });

  it("disconnect removes the breakpoints and the kernel runs the same cells without stopping", () => {
    expect(c.disconnect).toBe(true);
    expect(c.debugInfoAfter).toMatchObject({ isStarted: false, breakpoints: [] });
    expect(c.rerun).toMatchObject({ status: "ok", result: "7" });
    expect(c.rerun2.status).toBe("ok");
    expect(c.alive).toMatchObject({ status: "ok", result: "2" });
  });
});
