/** The kernel's own log: straight to fd 2, never through process.stderr (which cells' output capture replaces). */
import { writeSync } from "node:fs";

export function kernelLog(line: string, source = "statarb kernel"): void {
  try {
    writeSync(2, `[${source}] ${line}\n`);
  } catch {
    /* stderr closed */
  }
}
