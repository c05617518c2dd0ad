/**
 * Issue 15, kernel: whatever a cell or a client does, the kernel answers and keeps its state where it
 * can — driven through the real kernel by jupyter_client (test/kernel/scripts/hostile_checks.py): runaway
 * work a cell leaves behind (microtask loop, endless promise chain, a loop in a timer) ends on an
 * interrupt with an error and earlier variables kept; timers are cancelled by interrupts; memory
 * exhaustion stops the cell with a MemoryError (variables kept), an engine that dies is restarted and
 * the cell says so; huge outputs are cut with a notice; replayed, malformed and badly shaped messages
 * are refused with an error reply and busy/idle; bad comm messages harm nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

interface Detached {
  setup: string;
  firstStatus: string;
  firstValue: string | null;
  stuck: boolean;
  controlSeconds: number | null;
  status: string;
  ename: string | null;
  seconds: number;
  keptAfter: string | null;
}

interface Failure {
  status: string;
  ename: string | null;
  evalue: string | null;
}

interface Checks {
  detached: Detached[];
  timers: { cellEname: string | null; cellTimerAfter: string | null; leftTimerRanBeforeIdleInterrupt: string | null; leftTimerAfterIdleInterrupt: string | null };
  memory: Failure & { keptAfter: string | null };
  heap: Failure & { keptAfter: string | null };
  engineKilled: Failure & { after: string | null; alive: boolean };
  hugeStream: { chars: number; text: string; value: string | null };
  hugeDisplay: { bundles: Record<string, string>[]; value: string | null };
  replay: { count: string | null };
  malformed: {
    badType: { reply: Record<string, unknown>; states: string[] };
    notJson: { reply: Record<string, unknown>; states: string[] };
    keptAfter: string | null;
  };
  comms: { keptAfter: string | null; commInfo: Record<string, { target_name: string }> };
  failed?: string;
  aliveAtEnd: boolean;
  kernelLog: string;
}

const missing = jupyterMissing();
let checks: Checks;

describe.skipIf(missing !== undefined)(`the kernel under hostile cells and messages ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled();
    checks = await pythonJson<Checks>("test/kernel/scripts/hostile_checks.py", [], 480_000);
    expect(checks.failed, checks.kernelLog).toBeUndefined();
  }, 500_000);

  it("ends runaway work left behind by a cell (microtask loop, promise chain, loop in a timer) on interrupt, with an error, keeping state", () => {
    expect(checks.detached).toHaveLength(3);
    for (const d of checks.detached) {
      expect(d, d.setup).toMatchObject({ firstStatus: "ok", stuck: true, status: "error", ename: "KeyboardInterrupt", keptAfter: "42" });
      // the kernel process itself answered on control while the engine was stuck
      expect(d.controlSeconds, d.setup).not.toBeNull();
    }
    console.log(checks.detached.map((d) => `${JSON.stringify(d.setup.split("\n")[0])}: interrupt → error reply ${(d.seconds * 1000).toFixed(0)} ms; kernel_info on control while stuck ${((d.controlSeconds ?? 0) * 1000).toFixed(0)} ms`).join("\n"));
  });

  it("cancels the interrupted cell's timers, and every timer cells left when it interrupts an idle kernel", () => {
    expect(checks.timers).toEqual({ cellEname: "KeyboardInterrupt", cellTimerAfter: "0", leftTimerRanBeforeIdleInterrupt: "true", leftTimerAfterIdleInterrupt: "0" });
  });

  it("stops a cell that exhausts memory with a MemoryError and keeps the earlier variables", () => {
    for (const m of [checks.memory, checks.heap]) {
      expect(m).toMatchObject({ status: "error", ename: "MemoryError", keptAfter: "42" });
      expect(m.evalue).toContain("STATARB_KERNEL_MEMORY_MB");
    }
  });

  it("restarts an engine that dies, says so in the cell's error, and lives on", () => {
    expect(checks.engineKilled).toMatchObject({ status: "error", ename: "EngineCrashError", after: "'undefined'", alive: true });
    expect(checks.engineKilled.evalue).toContain("it was restarted, so every variable is gone");
  });

  it("cuts huge outputs at the limit (1 MB here) with a visible notice", () => {
    const mb = 1 << 20;
    expect(checks.hugeStream.value).toBe("'done'");
    expect(checks.hugeStream.chars).toBeGreaterThan(mb);
    expect(checks.hugeStream.chars).toBeLessThan(mb + 2000);
    expect(checks.hugeStream.text).toContain("more of this cell's stdout was not shown (limit 1.0 MB per output; set STATARB_MAX_OUTPUT_MB to raise it)");
    expect(checks.hugeDisplay.value).toBe("'shown'");
    expect(checks.hugeDisplay.bundles).toHaveLength(1);
    expect(checks.hugeDisplay.bundles[0]?.["text/plain"]).toMatch(/^\[statarb kernel\] an output of 2\.9 MB \(text\/html.*\) is not shown: the limit is 1\.0 MB per output/);
  });

  it("refuses a replayed signed message (executed once) and logs it", () => {
    expect(checks.replay.count).toBe("1");
    expect(checks.kernelLog).toContain("dropped a message on shell: duplicate signature (a replayed message)");
  });

  it("answers a signed but malformed request with an error reply between busy and idle", () => {
    expect(checks.malformed.badType.reply).toMatchObject({ status: "error", ename: "BadRequest", evalue: "execute_request: content.code must be a string, got 5" });
    expect(checks.malformed.badType.states).toEqual(["busy", "idle"]);
    expect(checks.malformed.notJson.reply).toMatchObject({ status: "error", ename: "MalformedMessage" });
    expect(String(checks.malformed.notJson.reply.evalue)).toContain("content is not JSON");
    expect(checks.malformed.notJson.states).toEqual(["busy", "idle"]);
    expect(checks.malformed.keptAfter).toBe("42");
  });

  it("survives comm messages of the wrong shape, to unknown comms, and handlers that throw", () => {
    expect(checks.comms.keptAfter).toBe("42");
    expect(checks.comms.commInfo).toEqual({ b2: { target_name: "boom" } });
    expect(checks.aliveAtEnd).toBe(true);
  });
});
