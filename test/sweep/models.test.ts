/**
 * The A/B pieces: the paired Sharpe-difference test against the Jobson–Korkie–Memmel formula computed
 * with numpy, and the model registry's MLflow hook (a saved version becomes an MLflow run and a model
 * version with its metrics; a failing hook is reported and the saved version stays).
 */
import { execa } from "execa";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mlflowModelLogger, mlflowModelVersions } from "../../kernel/sweep/mlflow-models.js";
import { modelRegistry, reversalModel, sharpeDifferenceTest } from "../../lib/index.js";
import { createRng } from "../../lib/stats/index.js";
import { repoRoot, runPython, venvPython, venvTitle } from "../helpers/python.js";

const mlflowMissing = (await execa(venvPython, ["-c", "import mlflow, statarb_sweep"], { reject: false })).exitCode !== 0;

function pairedReturns(n: number): { a: Float64Array; b: Float64Array } {
  const rng = createRng(11);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const common = rng.normal() * 0.01;
    a[t] = 0.0008 + common + rng.normal() * 0.004;
    b[t] = 0.0002 + common + rng.normal() * 0.006;
  }
  return { a, b };
}

describe("sharpeDifferenceTest (Jobson–Korkie with Memmel's correction)", () => {
  it(venvTitle("matches the formula computed with numpy"), async () => {
    const { a, b } = pairedReturns(750);
    const r = sharpeDifferenceTest(a, b);
    const ref = await runPython<{ z: number; p: number; sa: number; sb: number }>(
      `
import numpy as np
from scipy.stats import norm
a, b = np.array(data["a"]), np.array(data["b"])
T = len(a); ma, mb = a.mean(), b.mean(); C = np.cov(a, b, ddof=1); va, vb, vab = C[0,0], C[1,1], C[0,1]
sa, sb = np.sqrt(va), np.sqrt(vb)
theta = (2*va*vb - 2*sa*sb*vab + 0.5*ma**2*vb + 0.5*mb**2*va - ma*mb/(sa*sb)*vab**2) / T
z = (sb*ma - sa*mb) / np.sqrt(theta)
emit({"z": z, "p": 2*norm.sf(abs(z)), "sa": ma/sa*np.sqrt(252), "sb": mb/sb*np.sqrt(252)})
`,
      { a, b },
    );
    expect(r.statistic).toBeCloseTo(ref.z, 10);
    expect(r.pValue).toBeCloseTo(ref.p, 10);
    expect(r.sharpeA).toBeCloseTo(ref.sa, 10);
    expect(r.sharpeB).toBeCloseTo(ref.sb, 10);
    expect(r.nobs).toBe(750);
    expect(Object.isFrozen(r)).toBe(true);
  });

  it("is antisymmetric, drops NaN pairs, and refuses unpaired or constant input", () => {
    const { a, b } = pairedReturns(300);
    expect(sharpeDifferenceTest(b, a).statistic).toBeCloseTo(-sharpeDifferenceTest(a, b).statistic, 12);
    const an = Float64Array.from(a);
    an[5] = Number.NaN;
    expect(sharpeDifferenceTest(an, b).nobs).toBe(299);
    expect(() => sharpeDifferenceTest(a, b.subarray(1))).toThrow(/paired \(same length\), got 300 and 299/);
    expect(() => sharpeDifferenceTest(new Float64Array(10).fill(0.01), b.subarray(0, 10))).toThrow(/zero variance/);
  });
});

describe.skipIf(mlflowMissing)("model registry → MLflow", () => {
  it("logs each saved version as an MLflow run and model version with its metrics", async () => {
    const dir = join(repoRoot, "test", ".tmp", "sweep-models");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const trackingUri = `sqlite:///${join(dir, "mlflow.db")}`;
    const hook = mlflowModelLogger({ trackingUri, experiment: "models-test" });
    const registry = modelRegistry(join(dir, "registry"), { onSave: hook });
    const window = { start: "2020-01-01", end: "2020-12-31" };
    const r1 = await registry.save(reversalModel({ lookback: 5 }), { name: "rev", trainingWindow: window, metrics: { ic: 0.02 } });
    const r2 = await registry.save(reversalModel({ lookback: 10 }), { name: "rev", trainingWindow: window, metrics: { ic: 0.03 } });
    expect([r1.version, r2.version]).toEqual([1, 2]);
    expect(hook.versions.map((v) => v.version)).toEqual([1, 2]);
    const versions = await mlflowModelVersions("rev", { trackingUri });
    expect(versions.map((v) => [v.version, v.statarbVersion, v.metrics.ic])).toEqual([[1, 1, 0.02], [2, 2, 0.03]]);
    const failing = modelRegistry(join(dir, "registry"), { onSave: () => Promise.reject(new Error("tracking server down")) });
    await expect(failing.save(reversalModel({ lookback: 3 }), { name: "rev", trainingWindow: window })).rejects.toThrow(/rev v3 is saved at .*v0003, but its onSave hook failed: tracking server down/);
    expect(existsSync(join(dir, "registry", "rev", "v0003", "model.json"))).toBe(true);
    expect(() => modelRegistry(dir, { onSave: 1 as never })).toThrow(/onSave must be a function/);
  }, 400_000); // three Python processes importing MLflow: minutes on a machine shared by many sessions
});
