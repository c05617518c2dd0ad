/**
 * Shared set-up of the kernel suites: the compiled kernel in dist/ (rebuilt when kernel/ is newer)
 * and the `statarb` kernelspec installed into .venv, so real Jupyter clients can start it.
 */
import { execa } from "execa";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { hasVenv, repoRoot, venvPython } from "../helpers/python.js";
import { retryPortRace } from "../helpers/port-race.js";

export { repoRoot, venvPython };

/** Why the Jupyter-client suites cannot run here (undefined when they can). */
export function jupyterMissing(): string | undefined {
  if (!hasVenv()) return "skipped: .venv is missing (run bash scripts/setup)";
  for (const tool of ["jupyter", "papermill"]) if (!existsSync(join(repoRoot, ".venv", "bin", tool))) return `skipped: .venv/bin/${tool} is missing (run bash scripts/setup)`;
  return undefined;
}

/**
 * Builds dist/ when a source under `sources` is newer than the compiled `stamp` (or either it or
 * dist/kernel/main.js is missing), then installs the kernelspec into .venv; serialised with flock
 * because vitest runs the suites in parallel.
 */
export async function ensureKernelInstalled(options: { sources?: readonly string[]; stamp?: string } = {}): Promise<void> {
  const sources = (options.sources ?? ["kernel"]).join(" ");
  const stamp = options.stamp ?? "dist/kernel/main.js";
  const script = [
    `if [ ! -f ${stamp} ] || [ ! -f dist/kernel/main.js ] || [ -n "$(find ${sources} -name '*.ts' -newer ${stamp} -print -quit)" ]; then`,
    // Other folders' type errors must not stop the kernel from being emitted (tsc emits anyway).
    "  npx tsc -p tsconfig.build.json >/dev/null 2>&1 || true",
    "fi",
    "node bin/statarb.js kernel install --prefix .venv >/dev/null",
  ].join("\n");
  await execa("flock", ["/tmp/statarb-kernel-build.lock", "bash", "-c", script], { cwd: repoRoot });
}

/** Runs a script with the .venv's Python; returns stdout parsed as JSON. */
export async function pythonJson<T>(script: string, args: string[] = [], timeoutMs = 240_000): Promise<T> {
  const { stdout } = await retryPortRace(() => execa(venvPython, [script, ...args], { cwd: repoRoot, timeout: timeoutMs, maxBuffer: 1 << 30 }));
  return JSON.parse(stdout) as T;
}
