/**
 * The grid a script or a notebook's `await sweep({ params: { … } })` gives as an object (or as a list of
 * parameter sets) reaches the driver as `gridObject` / `gridSets` and is expanded and checked there
 * exactly as `-p` and `--grid` are: no Ray, no MLflow (the driver's plan-only mode).
 */
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { sweepSpec, type SweepOptions } from "../../kernel/sweep/options.js";
import { repoRoot, venvPython } from "../kernel/helpers.js";

const missing = (await execa(venvPython, ["-c", "import statarb_sweep"], { reject: false })).exitCode !== 0;

/** The driver's plan of a sweep: the parameter sets it would run, or its refusal. */
async function plan(options: Omit<SweepOptions, "notebook">): Promise<{ exitCode: number; sets?: Record<string, unknown>[]; refused?: string }> {
  const { spec } = sweepSpec({ notebook: "test/sweep/notebooks/tiny.ipynb", cwd: repoRoot, ...options });
  const r = await execa(venvPython, ["-m", "statarb_sweep", "--events-fd", "1"], { input: JSON.stringify({ ...spec, validateOnly: true }), reject: false, cwd: repoRoot });
  const events = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { event: string; parameters?: Record<string, unknown>[]; message?: string });
  const planned = events.find((e) => e.event === "plan");
  const refused = events.find((e) => e.event === "refused");
  return { exitCode: r.exitCode ?? -1, ...(planned?.parameters ? { sets: planned.parameters } : {}), ...(refused?.message ? { refused: refused.message } : {}) };
}

describe.skipIf(missing)("object grids (runSweep / the notebook's sweep())", () => {
  it("expands { name: [values…] } as the product, in key then value order", async () => {
    const r = await plan({ params: { x: [1, 2], y: ["a", "bb"] } });
    expect(r.exitCode).toBe(0);
    expect(r.sets).toEqual([{ x: 1, y: "a" }, { x: 1, y: "bb" }, { x: 2, y: "a" }, { x: 2, y: "bb" }]);
  });

  it("refuses an unknown name, or a set with a value of the wrong kind, before anything starts", async () => {
    const unknown = await plan({ params: { xx: [1] } });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.refused).toMatch(/unknown parameter 'xx'; did you mean 'x'\?/);
    const kind = await plan({ grid: [{ x: 3 }, { x: "one", fail: true }] });
    expect(kind.exitCode).toBe(2);
    expect(kind.refused).toMatch(/grid: x='one': x is declared `number` \(default 1\); 'one' is not a number/);
  });
});
