/**
 * Runs the jupyter_kernel_test conformance suite (test/kernel/test_statarb_kernel.py) against the
 * installed `statarb` kernelspec with .venv's jupyter_client, and fails with its output when any
 * of its tests fails or errors.
 */
import { execa } from "execa";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasVenv, repoRoot, venvPython } from "../helpers/python.js";
import { retryPortRace } from "../helpers/port-race.js";

const kernelSpec = path.join(repoRoot, ".venv", "share", "jupyter", "kernels", "statarb", "kernel.json");
const hasConformanceSuite = hasVenv() && existsSync(path.join(repoRoot, ".venv", "lib", "python3.11", "site-packages", "jupyter_kernel_test"));
const skipReason = !hasVenv()
  ? ".venv missing (run scripts/setup)"
  : !hasConformanceSuite
    ? "jupyter_kernel_test not installed in .venv"
    : !existsSync(kernelSpec)
      ? "statarb kernelspec missing (node bin/statarb.js kernel install --prefix .venv)"
      : "";

describe("jupyter_kernel_test conformance", () => {
  it.skipIf(skipReason !== "")(`passes every test of jupyter_kernel_test${skipReason ? ` (skipped: ${skipReason})` : ""}`, async () => {
    const run = await retryPortRace(
      () =>
        execa(venvPython, ["-m", "unittest", "discover", "-s", "test/kernel", "-p", "test_statarb_kernel.py", "-v"], {
          cwd: repoRoot,
          reject: false,
          timeout: 80_000,
          all: true,
          env: { PYTHONDONTWRITEBYTECODE: "1", PATH: `${path.join(repoRoot, ".venv", "bin")}${path.delimiter}${process.env.PATH ?? ""}` },
        }),
      (r) => (r.exitCode === 0 ? null : (r.all ?? "")),
    );
    const output = run.all ?? "";
    const summary = /^Ran (\d+) tests?/m.exec(output);
    // unittest ends with "OK" (possibly "OK (skipped=n)") or "FAILED (failures=…, errors=…)".
    const skipped = [...output.matchAll(/^(test_\w+) .*\.\.\. skipped (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
    expect(run.timedOut, `the suite timed out:\n${output}`).toBe(false);
    expect(summary, `no unittest summary:\n${output}`).not.toBeNull();
    expect(run.exitCode, output).toBe(0);
    expect(output).toMatch(/^OK\b/m);
    // Every test the package offers is enabled, so none may skip.
    expect(skipped, output).toEqual([]);
  });
});
