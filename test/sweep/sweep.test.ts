/**
 * `statarb sweep` end to end, through the command line, with the embedded Ray and a local MLflow store:
 * a bad `-p` is refused before anything starts; a 4-run sweep (one run fails on purpose) records every
 * run in sweep.json and MLflow with its params, metrics, executed notebook, HTML export and tags; a
 * second sweep skips the finished sets, and its one new run, whose Ray worker the test kills mid-run,
 * is retried and finishes; a third is cancelled with Ctrl-C (SIGINT) mid-run. Nothing is left running:
 * no kernel, no Ray process.
 */
import { execa, type ResultPromise } from "execa";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { SweepDocument, SweepRun } from "../../kernel/sweep/types.js";
import { ensureKernelInstalled, jupyterMissing, pythonJson, repoRoot, venvPython } from "../kernel/helpers.js";

async function sweepMissing(): Promise<string | undefined> {
  const r = await execa(venvPython, ["-c", "import ray, mlflow, statarb_sweep"], { reject: false });
  return r.exitCode === 0 ? undefined : "skipped: ray, mlflow or statarb_sweep is not installed in .venv (run bash scripts/setup)";
}

const missing = jupyterMissing() ?? (await sweepMissing());
const tmp = join(repoRoot, "test", ".tmp", "sweep");
const notebook = "test/sweep/notebooks/tiny.ipynb";
const tracking = `sqlite:///${join(tmp, "mlflow.db")}`;

interface MlflowRun {
  runId: string;
  status: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  steps: Record<string, number[]>;
  artifacts: string[];
}

function sweep(args: string[]): ResultPromise<{ cwd: string; reject: false; all: true; env: Record<string, string> }> {
  return execa("node", ["bin/statarb.js", "sweep", notebook, "--tracking-uri", tracking, "--workers", "2", ...args], {
    cwd: repoRoot, reject: false, all: true, env: { MLFLOW_TRACKING_URI: "", RAY_ADDRESS: "" },
  });
}

const readDoc = (out: string) => JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as SweepDocument;
const byX = (doc: SweepDocument, x: number, y = "a") => doc.runs.find((r) => r.params.x === x && (r.params.y ?? "a") === y) as SweepRun;

/** Processes whose environment holds the sweep's id (the driver sets it before Ray starts: Ray's processes, workers, kernels). */
function processesOfSweep(sweepId: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(`STATARB_SWEEP_ID=${sweepId}`)) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ")}`);
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/** Processes whose command line mentions `needle` (a Ray GCS address, a kernel pid). */
async function processesWith(needle: string): Promise<string[]> {
  const { stdout } = await execa("ps", ["-eo", "pid=,args="]);
  return stdout.split("\n").filter((l) => l.includes(needle) && !l.includes("ps -eo"));
}

describe.skipIf(missing !== undefined)(`statarb sweep ${missing ?? ""}`, () => {
  beforeAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    await ensureKernelInstalled({ sources: ["kernel", "lib"] });
  });

  it("refuses an unknown parameter and an unparsable value before anything starts", async () => {
    const out = join(tmp, "refused");
    const unknown = await sweep(["-p", "xx=1,2", "--out", out]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.all).toMatch(/unknown parameter 'xx'; did you mean 'x'\?.*declares: x, y, fail, marker/);
    const bad = await sweep(["-p", "x=1,two", "-p", "y=a", "--out", out]);
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toMatch(/-p x=two: x is declared `number` \(default 1\); 'two' is not a number/);
    const json = await sweep(["-p", "x=[1,2", "--out", out]);
    expect(json.exitCode).toBe(2);
    expect(json.all).toMatch(/cannot parse .\[1,2. as a JSON array/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(tmp, "mlflow.db"))).toBe(false);
  });

  describe("a sweep of 4 runs, one failing on purpose", () => {
    const out = join(tmp, "first");
    let doc: SweepDocument;
    let runs: MlflowRun[];
    let exitCode: number | undefined;
    beforeAll(async () => {
      const grid = join(tmp, "grid.yaml");
      writeFileSync(grid, "- {x: 1, y: a}\n- {x: 2, y: a}\n- {x: 1, y: bb}\n- {x: 2, y: bb, fail: true}\n");
      const r = await sweep(["--grid", grid, "--out", out, "--experiment", "tiny-test"]);
      exitCode = r.exitCode;
      if (!existsSync(join(out, "sweep.json"))) throw new Error(`the sweep wrote no sweep.json:\n${r.all}`);
      doc = readDoc(out);
      runs = await pythonJson<MlflowRun[]>("test/sweep/scripts/mlflow_runs.py", [tracking, "tiny-test"]);
    });

    it("lists every run in sweep.json with its status, metrics and executed notebook", () => {
      expect(exitCode).toBe(1);
      expect(doc.summary).toEqual({ FINISHED: 3, FAILED: 1 });
      expect(doc.ray.embedded).toBe(true);
      const r = byX(doc, 1, "bb");
      expect(r.status).toBe("FINISHED");
      expect(r.metrics).toEqual({ score: 12, steps: 2 });
      expect(r.values).toEqual({ label: "bb-1" });
      expect(existsSync(r.notebook as string) && existsSync(r.html as string)).toBe(true);
      const failed = byX(doc, 2, "bb");
      expect(failed.status).toBe("FAILED");
      expect(failed.error).toMatch(/Error: failing on purpose \(x=2\)/);
    });

    it("keeps the failed run's notebook up to the failing cell", () => {
      const nb = JSON.parse(readFileSync(byX(doc, 2, "bb").notebook as string, "utf8")) as { cells: { source: string | string[]; outputs?: { output_type: string }[] }[] };
      const src = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source);
      const failing = nb.cells.find((c) => src(c).includes("failing on purpose"));
      expect(failing?.outputs?.some((o) => o.output_type === "error")).toBe(true);
      const after = nb.cells.find((c) => src(c).includes('record("label"'));
      expect(after?.outputs ?? []).toEqual([]);
    });

    it("tracks each run in MLflow: params, metrics with steps, notebook and HTML artifacts, tags", () => {
      expect(runs).toHaveLength(4);
      const entry = byX(doc, 1, "bb");
      const run = runs.find((m) => m.runId === entry.runId) as MlflowRun;
      expect(run.status).toBe("FINISHED");
      expect(run.params).toEqual({ x: "1", y: "bb" });
      expect(run.metrics).toEqual({ score: 12, steps: 2 });
      expect(run.steps.steps).toEqual([1, 2]);
      expect(run.artifacts).toEqual(["tiny.html", "tiny.ipynb"]);
      expect(run.tags["mlflow.source.git.commit"]).toMatch(/^[0-9a-f]{40}$/);
      expect(run.tags["statarb.kernel"]).toBe("statarb");
      expect(run.tags["statarb.run_key"]).toBe(entry.key);
      expect(Object.keys(run.tags).some((k) => /^statarb\.dataset\..+\.sha256$/.test(k))).toBe(true);
      const failed = runs.find((m) => m.runId === byX(doc, 2, "bb").runId) as MlflowRun;
      expect(failed.status).toBe("FAILED");
      expect(failed.tags["statarb.error"]).toMatch(/failing on purpose/);
      expect(failed.artifacts).toEqual(["error.txt", "tiny.html", "tiny.ipynb"]);
    });

    it("writes sweep.html with the table and a heatmap of score over x and y", () => {
      const html = readFileSync(join(out, "sweep.html"), "utf8");
      expect(html).toMatch(/<b>score<\/b> over <code>x<\/code> × <code>y<\/code>/);
      expect(html).toMatch(/<svg[\s\S]*<rect[\s\S]*<\/svg>/);
      expect(html.match(/<tr><td>/g)).toHaveLength(4);
    });

    it("leaves no Ray process behind", async () => {
      expect(await processesWith(String(doc.ray.gcsAddress))).toEqual([]);
      expect(processesOfSweep(doc.sweepId)).toEqual([]); // no worker, no kernel (nor the spare one started for a next run)
    });
  });

  describe("a second sweep: finished sets are skipped, a killed worker's run is retried", () => {
    const out = join(tmp, "second");
    const marker = join(tmp, "marker");
    let doc: SweepDocument;
    let exitCode: number | undefined;
    let pids: number[] = [];
    beforeAll(async () => {
      const grid = join(tmp, "grid2.json");
      writeFileSync(grid, JSON.stringify([{ x: 1, y: "a" }, { x: 2, y: "a" }, { x: 3, y: "a", marker }]));
      const running = sweep(["--grid", grid, "--out", out, "--experiment", "tiny-test"]);
      for (let i = 0; i < 1200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 200));
      pids = readFileSync(marker, "utf8").trim().split(" ").map(Number);
      process.kill(pids[0] as number, "SIGKILL"); // the Ray worker running the task
      const r = await running;
      exitCode = r.exitCode;
      if (!existsSync(join(out, "sweep.json"))) throw new Error(`the sweep wrote no sweep.json:\n${r.all}`);
      doc = readDoc(out);
    });

    it("skips the parameter sets MLflow already holds as FINISHED", () => {
      expect(exitCode).toBe(0);
      expect(byX(doc, 1).status).toBe("SKIPPED");
      expect(byX(doc, 2).status).toBe("SKIPPED");
      expect(byX(doc, 1).metrics).toEqual({ score: 11, steps: 2 });
      expect(byX(doc, 1).runId).toMatch(/^[0-9a-f]{32}$/);
    });

    it("retries the run whose worker was killed, and it finishes", () => {
      const r = byX(doc, 3);
      expect(r.status).toBe("FINISHED");
      expect(r.attempts).toBe(2);
      expect(r.metrics?.score).toBe(31);
    });

    it("the killed worker's kernel died with it, and no Ray process is left", async () => {
      expect(() => process.kill(pids[1] as number, 0)).toThrow();
      expect(await processesWith(String(doc.ray.gcsAddress))).toEqual([]);
      expect(processesOfSweep(doc.sweepId)).toEqual([]); // no worker, no kernel (nor the spare one started for a next run)
    });
  });

  describe("Ctrl-C during a run", () => {
    const out = join(tmp, "cancelled");
    const marker = join(tmp, "marker-cancel");
    let doc: SweepDocument;
    let result: { exitCode?: number; all?: string };
    let pids: number[] = [];
    beforeAll(async () => {
      const running = sweep(["-p", "x=7", "-p", `marker=${marker}`, "--out", out, "--experiment", "tiny-cancel"]);
      for (let i = 0; i < 3000 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 200));
      pids = readFileSync(marker, "utf8").trim().split(" ").map(Number);
      running.kill("SIGINT"); // what a terminal's Ctrl-C sends the command
      result = await running;
      if (!existsSync(join(out, "sweep.json"))) throw new Error(`the sweep wrote no sweep.json:\n${result.all}`);
      doc = readDoc(out);
    });

    it("cancels: exit code 130, the run CANCELLED in sweep.json", () => {
      expect(result.exitCode).toBe(130);
      expect(result.all).toMatch(/cancelling/);
      expect(doc.summary).toEqual({ CANCELLED: 1 });
      expect(doc.finishedAt).not.toBeNull();
    });

    it("leaves no kernel, no Ray worker and no Ray process behind", async () => {
      for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid}`).toThrow();
      expect(await processesWith(String(doc.ray.gcsAddress))).toEqual([]);
      expect(processesOfSweep(doc.sweepId)).toEqual([]); // no worker, no kernel (nor the spare one started for a next run)
    });
  });
});
