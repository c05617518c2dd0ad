/**
 * The kernel driven by jupyter_client directly (test/kernel/scripts/client_checks.py): interrupts on
 * control and by SIGINT keep the kernel's state, prompt() asks through stdin, wrongly signed and
 * unsigned messages are dropped and logged, and kernel_info/is_complete/history/comms answer.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

interface Checks {
  interrupts: { mode: string; code: string; status: string; ename: string | null; seconds: number; keptAfter: string | null }[];
  prompt: { prompts: { prompt: string; password: boolean }[]; value: string | null };
  promptWithoutStdin: { status: string; ename: string | null };
  hmac: { value: string | null };
  kernelInfo: Record<string, unknown> & { language_info: Record<string, unknown> };
  isComplete: Record<string, string>;
  history: { status: string; history: [number, number, string][] };
  commInfo: { comms: Record<string, { target_name: string }> };
  comm: { comm_id: string; data: Record<string, unknown> }[];
  unknownTargetClosed: boolean;
  aliveAtEnd: boolean;
  kernelLog: string;
}

const missing = jupyterMissing();
let checks: Checks;

describe.skipIf(missing !== undefined)(`the kernel under jupyter_client ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled();
    checks = await pythonJson<Checks>("test/kernel/scripts/client_checks.py");
  });

  it("interrupts runaway cells (sync loop, loop after await, in a timer, an interval, a nextTick, pending promise, %%sh, SIGINT) and keeps state", () => {
    expect(checks.interrupts).toHaveLength(8);
    for (const i of checks.interrupts) {
      expect(i, i.code).toMatchObject({ status: "error", ename: "KeyboardInterrupt", keptAfter: "42" });
    }
    // Measured, not asserted (timings belong to bench/): printed for the record.
    console.log(checks.interrupts.map((i) => `${i.mode} ${JSON.stringify(i.code)}: interrupt → reply ${(i.seconds * 1000).toFixed(0)} ms`).join("\n"));
  });

  it("answers prompt() through an input_request on stdin", () => {
    expect(checks.prompt.prompts).toEqual([{ prompt: "your name?", password: false }]);
    expect(checks.prompt.value).toBe("'hello Ada'");
    expect(checks.promptWithoutStdin).toEqual({ status: "error", ename: "StdinNotImplementedError" });
  });

  it("drops wrongly signed and unsigned messages without executing them, and logs them", () => {
    expect(checks.hmac.value).toBe("[ 'undefined', 'undefined' ]");
    expect(checks.kernelLog).toContain("dropped a message on shell: bad HMAC signature");
    expect(checks.kernelLog).toContain("dropped a message on shell: unsigned message");
  });

  it("replies kernel_info with the full language_info", () => {
    expect(checks.kernelInfo).toMatchObject({ status: "ok", protocol_version: "5.3", implementation: "statarb" });
    expect(checks.kernelInfo.language_info).toMatchObject({ name: "typescript", mimetype: "text/typescript", file_extension: ".ts", pygments_lexer: "typescript" });
    expect(checks.kernelInfo.language_info.codemirror_mode).toBe("typescript");
  });

  it("answers is_complete and history", () => {
    expect(checks.isComplete).toEqual({ "let x = 1": "complete", "function f() {": "incomplete", "const s = `abc": "incomplete", "foo)": "invalid", "%%sh\necho": "complete" });
    expect(checks.history.status).toBe("ok");
    expect(checks.history.history.map((h) => h[2])).toContain('prompt("no stdin")');
  });

  it("routes comms to registered targets and closes comms to unknown ones", () => {
    expect(checks.comm).toEqual([{ comm_id: "c1", data: { opened: { hello: 1 } } }]);
    expect(checks.commInfo.comms).toEqual({ c1: { target_name: "echo" } });
    expect(checks.unknownTargetClosed).toBe(true);
    expect(checks.aliveAtEnd).toBe(true);
  });
});
