/**
 * notebooks/08_ab_test under papermill, once (it trains and registers two ridge versions, logs both to
 * MLflow through the registry's hook, and runs both on the same walk-forward folds): clean run, two
 * fresh registry versions mirrored as MLflow model versions 1 and 2 in the run's own store, identical
 * folds, and a paired Sharpe-difference test whose p-value is the two-sided normal tail of its statistic.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { normalCdf } from "../../lib/stats/index.js";
import { assertClean, chartCount, codeOutputs, keyNumbers, notebookEnvironment, removeRun, runNotebook, tableCount } from "./harness.js";

const env = notebookEnvironment();

interface Key08 {
  versions: number[];
  mlflowVersions: number[];
  sameFolds: boolean;
  sharpeA: number;
  sharpeB: number;
  z: number;
  pValue: number;
  nobs: number;
}

describe.skipIf(!env.ok)(`notebook 08_ab_test${env.ok ? "" : ` (skipped: ${env.reason})`}`, () => {
  it("registers two versions in the registry and MLflow, and tests their Sharpe difference on the same folds", async () => {
    const run = await runNotebook("08_ab_test", (dir) => ({ registryRoot: join(dir, "registry"), trackingUri: `sqlite:///${join(dir, "mlflow.db")}` }), { timeoutMs: 560_000 });
    assertClean(run);
    expect(chartCount(run.notebook).svg + chartCount(run.notebook).htmlFigures).toBeGreaterThanOrEqual(1);
    expect(tableCount(run.notebook)).toBeGreaterThanOrEqual(2);
    const k = keyNumbers<Key08>(run.notebook);
    expect(k.versions).toEqual([1, 2]);
    expect(k.mlflowVersions).toEqual([1, 2]);
    expect(k.sameFolds).toBe(true);
    expect(k.nobs).toBeGreaterThan(500); // 2016–2018 out of sample
    expect(Number.isFinite(k.sharpeA) && Number.isFinite(k.sharpeB)).toBe(true);
    expect(k.pValue).toBeCloseTo(2 * (1 - normalCdf(Math.abs(k.z))), 12);
    expect(existsSync(join(run.dir, "registry", "ridge-ab", "v0002", "model.json"))).toBe(true);
    expect(existsSync(join(run.dir, "mlflow.db"))).toBe(true);
    const recorded = codeOutputs(run.notebook).map((o) => (o as { metadata?: { statarb?: { record?: { name: string } } } }).metadata?.statarb?.record?.name).filter(Boolean);
    expect(recorded).toEqual(["sharpeA", "sharpeB", "sharpeDifference", "z", "pValue", "versions"]);
    removeRun(run);
  }, 600_000); // three Python processes importing MLflow and four walk-forwards: minutes on a crowded machine
});
