/**
 * The engine ends with its kernel: the kernel process killed (SIGKILL) while a cell spins leaves no
 * engine process behind (test/kernel/scripts/orphan_checks.py).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson } from "./helpers.js";

const missing = jupyterMissing();
let checks: { engines: number; aliveAfter: number; seconds: number };

describe.skipIf(missing !== undefined)(`the engine of a killed kernel ${missing ?? ""}`, () => {
  beforeAll(async () => {
    await ensureKernelInstalled();
    checks = await pythonJson<typeof checks>("test/kernel/scripts/orphan_checks.py");
  });

  it("ends while its cell still runs, within seconds of the kernel's SIGKILL", () => {
    expect(checks.engines).toBe(1);
    expect(checks.aliveAfter).toBe(0);
  });
});
