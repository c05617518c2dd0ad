/**
 * The sweep task's kernel reuse (kernel/sweep/statarb_sweep/task.py): one Ray worker keeps its statarb
 * kernel between runs and resets it (statarb_reset_request: a fresh engine, execution count 0, empty
 * history). Run through test/sweep/scripts/kernel_reuse.py in one Python process, as a worker runs its
 * tasks: a run on a reused kernel sees nothing of the run before it (variables, globals, environment,
 * module state) and its executed notebook equals a fresh kernel's apart from timings; a failing run, a run
 * whose engine crashes and a kept kernel killed between runs leave the worker usable; no replaced engine
 * outlives its reset.
 */
import { execa } from "execa";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureKernelInstalled, jupyterMissing, pythonJson, repoRoot, venvPython } from "../kernel/helpers.js";

interface Run {
  status: string;
  error: string | null;
  records: Record<string, unknown[]>;
  kernelBefore: number | null;
  kernelAfter: number | null;
}
interface Report {
  first: Run;
  second: Run;
  failed: Run;
  crashed: Run;
  afterFaults: Run;
  afterKill: Run;
  sameAsFresh: boolean;
  secondComparable?: string;
  freshComparable?: string;
  freshCells: [number, unknown[]][];
  killedKernel: number;
  engines: number[];
  enginesAlive: number[];
}

async function sweepMissing(): Promise<string | undefined> {
  const r = await execa(venvPython, ["-c", "import statarb_sweep.task"], { reject: false });
  return r.exitCode === 0 ? undefined : "skipped: statarb_sweep is not installed in .venv (run bash scripts/setup)";
}

const missing = jupyterMissing() ?? (await sweepMissing());
const tmp = join(repoRoot, "test", ".tmp", "sweep-reuse");
// engineEnv: the engines a kernel starts after a reset get STATARB_ENGINE_LEAN (kernel/executor/client.ts) and take it out before any cell runs
const clean = JSON.stringify({ variable: "undefined", global: "undefined", env: "unset", maxListeners: 10, engineEnv: "STATARB_ENGINE_MEMORY_MB,STATARB_ENGINE_OUTPUT_BYTES" });

describe.skipIf(missing !== undefined)(`sweep worker's kernel reuse ${missing ?? ""}`, () => {
  let r: Report;
  beforeAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await ensureKernelInstalled({ sources: ["kernel", "lib"] });
    r = await pythonJson<Report>(join(repoRoot, "test", "sweep", "scripts", "kernel_reuse.py"), [repoRoot, tmp]);
  }, 300_000);

  it("runs the second parameter set on the first run's kernel, which shows nothing the first run left", () => {
    expect(r.first.status).toBe("FINISHED");
    expect(r.second.status).toBe("FINISHED");
    expect(r.second.kernelBefore).toBe(r.first.kernelAfter);
    expect(r.second.kernelAfter).toBe(r.first.kernelAfter);
    for (const run of [r.first, r.second, r.failed, r.crashed, r.afterFaults, r.afterKill]) expect(run.records.before).toEqual([clean]);
    expect(r.second.records.score).toEqual([20]);
  });

  it("gives the executed notebook a fresh kernel gives (counts, outputs, metadata; timings aside)", () => {
    expect(r.sameAsFresh, `${r.secondComparable}\n--- fresh ---\n${r.freshComparable}`).toBe(true);
    expect(r.freshCells.map(([count]) => count)).toEqual([1, 2, 3, 4, 5]);
  });

  it("stays usable after a failing run, a crashed engine and a killed kernel", () => {
    expect(r.failed.status).toBe("FAILED");
    expect(r.failed.error).toMatch(/failing on purpose \(x=3\)/);
    expect(r.failed.kernelAfter).toBe(r.first.kernelAfter);
    expect(r.crashed.status).toBe("FAILED");
    expect(r.crashed.error).toMatch(/^EngineCrashError/);
    expect(r.crashed.kernelAfter).toBe(r.first.kernelAfter);
    expect(r.afterFaults.status).toBe("FINISHED");
    expect(r.afterFaults.records.score).toEqual([50]);
    expect(r.afterKill.kernelBefore).toBe(r.killedKernel);
    expect(r.afterKill.status).toBe("FINISHED");
    expect(r.afterKill.records.score).toEqual([60]);
    expect(r.afterKill.kernelAfter).not.toBe(r.killedKernel);
  });

  it("ends every engine a reset replaced (one engine a run, each ended)", () => {
    expect(r.engines.length).toBe(7); // six runs and the fresh kernel's
    expect(new Set(r.engines).size).toBe(7);
    expect(r.enginesAlive).toEqual([]);
  });
});
