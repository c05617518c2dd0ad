/**
 * The KubeRay deployment (kernel/sweep/kuberay/, not run by the tests) agrees with the driver's side:
 * the RayCluster's Ray version is the one requirements.txt pins into .venv, the image's Debian release
 * ships the .venv's Python minor version (Ray Client refuses a mismatch) and a Node that package.json's
 * engines accept, every pod runs that one image with STATARB_ROOT set, and the MLflow server serves
 * artifacts from its volume.
 */
import { execa } from "execa";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, venvPython } from "../kernel/helpers.js";

const dir = join(repoRoot, "kernel", "sweep", "kuberay");
const DEBIAN_PYTHON: Record<string, string> = { bookworm: "3.11", trixie: "3.13" };

interface Container { image: string; env?: { name: string; value: string }[]; command?: string[] }
type Doc = { kind: string; spec: Record<string, unknown> };

async function manifests(): Promise<Doc[]> {
  const script = "import sys, json, yaml; print(json.dumps([d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f))]))";
  const r = await execa(venvPython, ["-c", script, join(dir, "raycluster.yaml"), join(dir, "mlflow.yaml")]);
  return JSON.parse(r.stdout) as Doc[];
}

describe("KubeRay manifests and image", () => {
  it("pin the driver's Ray, Python and Node, one image everywhere, STATARB_ROOT in every Ray pod", async () => {
    const docs = await manifests();
    const cluster = docs.find((d) => d.kind === "RayCluster") as Doc;
    const ray = /^ray\[client\]==(\S+)$/m.exec(readFileSync(join(repoRoot, "requirements.txt"), "utf8"))?.[1];
    expect(cluster.spec.rayVersion).toBe(ray);
    const head = (cluster.spec.headGroupSpec as { template: { spec: { containers: Container[] } } }).template.spec.containers;
    const workers = (cluster.spec.workerGroupSpecs as { template: { spec: { containers: Container[] } } }[]).flatMap((g) => g.template.spec.containers);
    const mlflow = (docs.find((d) => d.kind === "Deployment") as Doc).spec as { template: { spec: { containers: Container[] } } };
    const all = [...head, ...workers, ...mlflow.template.spec.containers];
    expect(new Set(all.map((c) => c.image)).size).toBe(1);
    for (const c of [...head, ...workers]) expect(c.env).toContainEqual({ name: "STATARB_ROOT", value: "/opt/statarb" });
    expect(mlflow.template.spec.containers[0]?.command).toEqual(expect.arrayContaining(["/opt/statarb/.venv/bin/mlflow", "--serve-artifacts"]));

    const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
    const release = /^ARG BASE=debian:(\w+)-slim$/m.exec(dockerfile)?.[1] as string;
    const venv = (await execa(venvPython, ["-c", "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')"])).stdout.trim();
    expect(DEBIAN_PYTHON[release]).toBe(venv);
    const node = /npm install -g node@(\d+)\.(\d+)\.\d+/.exec(dockerfile);
    const engines = /^>=(\d+)\.(\d+)$/.exec((JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { engines: { node: string } }).engines.node);
    expect(Number(node?.[1]) * 1000 + Number(node?.[2])).toBeGreaterThanOrEqual(Number(engines?.[1]) * 1000 + Number(engines?.[2]));
    expect(dockerfile).toMatch(/ENV STATARB_ROOT=\/opt\/statarb /);
  });
});
