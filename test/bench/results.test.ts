/**
 * bench/RESULTS.md is generated (bench/results/README.md): it must be exactly what `bash scripts/bench --collect`
 * writes from bench/results/<area>.md and <area>.notes.md, so that a rerun or a --collect never drops a note or
 * brings back an older figure. Pure file comparison (no bench runs, no timings).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../bench/rows.js";

describe("bench/RESULTS.md", () => {
  it("is exactly what `bash scripts/bench --collect` writes (no hand edits: notes go into bench/results/<area>.notes.md)", () => {
    const r = spawnSync("bash", [join(ROOT, "scripts/bench"), "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout + r.stderr).toContain("bench/RESULTS.md is what --collect writes");
    expect(r.status).toBe(0);
  });
});
