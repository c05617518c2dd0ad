/**
 * The `statarb` kernelspec: what Jupyter runs to start the kernel, written atomically into a Jupyter
 * data directory (`--user`, `--sys-prefix`, `--prefix DIR`).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { makeDirsSync } from "../lib/fs/index.js";

export const KERNEL_NAME = "statarb";

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "message" | "signal";
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

/** The kernelspec of this installation (node running dist/kernel/main.js). */
export function kernelSpec(mainJs = join(dirname(fileURLToPath(import.meta.url)), "main.js")): KernelSpec {
  return {
    // The kernel process only keeps the sockets; the engine process it starts runs the cells with its own flags (kernel/executor/client.ts).
    argv: [process.execPath, "--disable-warning=ExperimentalWarning", mainJs, "-f", "{connection_file}"],
    display_name: "TypeScript (statarb)",
    language: "typescript",
    // Interrupts arrive as interrupt_request on control: the engine's control thread stops what its main thread is stuck in.
    interrupt_mode: "message",
    env: {},
    metadata: { debugger: true, statarb: { version: "0.1.0" } },
  };
}

export type InstallTarget = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; dir: string };

/** The kernels/ directory of a target. */
export function kernelsDir(target: InstallTarget): string {
  switch (target.kind) {
    case "prefix":
      return join(resolve(target.dir), "share", "jupyter", "kernels");
    case "sys-prefix":
      return join(sysPrefix(), "share", "jupyter", "kernels");
    default: {
      const data = process.env.JUPYTER_DATA_DIR ?? (process.platform === "darwin" ? join(homedir(), "Library", "Jupyter") : join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter"));
      return join(data, "kernels");
    }
  }
}

function sysPrefix(): string {
  const env = process.env.VIRTUAL_ENV ?? process.env.CONDA_PREFIX;
  if (env) return env;
  for (const py of ["python3", "python"]) {
    try {
      return execFileSync(py, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" }).trim();
    } catch {
      /* try the next */
    }
  }
  throw new Error("--sys-prefix: no active Python environment (VIRTUAL_ENV/CONDA_PREFIX unset and no python3 on PATH); use --prefix DIR");
}

/** The launcher logos Jupyter looks for beside kernel.json (drawn by scripts/make-logos.mjs). */
export const KERNEL_LOGOS = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] as const;

/** kernel/logos/ of the sources (also when running from dist/kernel/). */
export function logosDir(): string {
  return fileURLToPath(new URL("./logos/", import.meta.url)).replace(/\/dist\/kernel\/logos\/$/, "/kernel/logos/");
}

/** Writes kernel.json for `spec` and the logos under `target`; returns the kernel's directory. */
export function installKernelSpec(target: InstallTarget, spec: KernelSpec = kernelSpec(), name = KERNEL_NAME): string {
  const dir = join(kernelsDir(target), name);
  makeDirsSync(dir);
  for (const logo of KERNEL_LOGOS) if (existsSync(join(logosDir(), logo))) copyFileSync(join(logosDir(), logo), join(dir, logo));
  const file = join(dir, "kernel.json");
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(spec, null, 2)}\n`);
  renameSync(tmp, file);
  return dir;
}
