/**
 * makeDirs / makeDirsSync (lib/fs): create nested folders like `mkdir -p`, and return with an error —
 * never spin — where Node 20's `mkdir(…, { recursive: true })` loops forever (a missing parent under /proc).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDirs, makeDirsSync } from "../../lib/fs/index.js";

const root = mkdtempSync(join(tmpdir(), "statarb-make-dirs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("makeDirs", () => {
  it("creates missing parents, accepts an existing folder, keeps the mode asked for", async () => {
    const deep = join(root, "a", "b", "c");
    makeDirsSync(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(deep).mode & 0o777).toBe(0o700);
    makeDirsSync(deep);
    await makeDirs(join(root, "a", "x", "y"));
    expect(statSync(join(root, "a", "x", "y")).isDirectory()).toBe(true);
    await makeDirs(join(root, "a", "x", "y"));
  });

  it("refuses a path through a file with ENOTDIR", async () => {
    writeFileSync(join(root, "file"), "x");
    expect(() => makeDirsSync(join(root, "file", "sub"))).toThrow(/ENOTDIR/);
    await expect(makeDirs(join(root, "file", "sub"))).rejects.toThrow(/ENOTDIR/);
  });

  it.runIf(process.platform === "linux")("returns an error under /proc instead of looping (Node's recursive mkdir never returns there)", async () => {
    expect(() => makeDirsSync("/proc/statarb-none/out")).toThrow(/ENOENT/);
    await expect(makeDirs("/proc/statarb-none/out")).rejects.toThrow(/ENOENT/);
  });
});
