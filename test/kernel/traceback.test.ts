/** Tracebacks like IPython's: the user's frames with their cells' lines, the kernel's and Node's own hidden. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CellRegistry, errorContent } from "../../kernel/typescript/traceback.js";

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
const kernelDir = join(import.meta.dirname, "..", "..", "kernel");

describe("errorContent", () => {
  it("shows every cell frame with its lines (outermost first) and hides kernel and Node frames", () => {
    const cells = new CellRegistry();
    const js = "x\n".repeat(20);
    const f1 = cells.register(2, "function boom() {\n  throw new Error('boom');\n}", "", js);
    const f2 = cells.register(4, "const x = 1;\nconst y = 2;\nboom();", "", js);
    const err = new Error("boom");
    err.stack = [
      "Error: boom",
      `    at boom (${f1}:2:9)`,
      `    at ${f2}:3:1`,
      "    at Script.runInContext (node:vm:149:12)",
      `    at runCell (${kernelDir}/executor/main.ts:10:3)`,
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      "    at EventEmitter.emit (node:events:519:28)",
      "    at ChildProcess._handle.onexit (node:internal/child_process:293:12)",
      "    at new Promise (<anonymous>)",
      "    at Array.map (<anonymous>)",
      "    at loadData (/app/node_modules/statarb/dist/lib/data/csv.js:12:7)",
    ].join("\n");
    const tb = errorContent(err, cells).traceback.map(strip);
    expect(tb.slice(0, 4)).toEqual(["Error: boom", "    at boom (Cell In[2], line 2:9)", "    at Cell In[4], line 3:1", "    at loadData (/app/node_modules/statarb/dist/lib/data/csv.js:12:7)"]);
    const text = tb.join("\n");
    expect(text).not.toMatch(/node:|<anonymous>|executor\/main/);
    const outer = text.indexOf("Cell In[4], line 3\n");
    const inner = text.indexOf("Cell In[2], line 2, in boom\n");
    expect(outer).toBeGreaterThan(0);
    expect(inner).toBeGreaterThan(outer);
    expect(text).toContain("---> 3 boom();");
    expect(text).toContain("---> 2   throw new Error('boom');");
  });

  it("a KeyboardInterrupt raised in kernel code keeps only the user's frames", () => {
    const cells = new CellRegistry();
    const f = cells.register(7, "while (true) {}", "", "x\n".repeat(5));
    const err = Object.assign(new Error("interrupted"), { name: "KeyboardInterrupt" });
    err.stack = ["KeyboardInterrupt: interrupted", `    at ${f}:1:8`, `    at Guard.check (${kernelDir}/typescript/interrupt-guard.ts:40:11)`, "    at listOnTimeout (node:internal/timers:581:17)"].join("\n");
    const tb = errorContent(err, cells).traceback.map(strip);
    expect(tb).toEqual(["KeyboardInterrupt: interrupted", "    at Cell In[7], line 1:8", "", "Cell In[7], line 1", "---> 1 while (true) {}"]);
  });
});
