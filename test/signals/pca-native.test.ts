/**
 * PCA residual s-scores: the native Eigen kernels (native/linalg) against the TypeScript path —
 * same algorithm, so both must agree to rounding on the subspace-tracking (wide) path and the exact
 * (narrow) path, including dates where assets enter and leave the universe; and the addon's
 * absence must be one clear error for `backend: "native"` and a silent fallback for "auto".
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Panel } from "../../lib/data/panel.js";
import { loadDataset, PanelView } from "../../lib/data/index.js";
import { PCAResidualModel, pcaResidualScores, type PCAResidualOptions } from "../../lib/signals/index.js";
import { createRng } from "../../lib/stats/index.js";
import { nativePcaKernels } from "../../lib/stats/native-linalg.js";
import { bitDiff } from "./helpers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const kernels = nativePcaKernels();

/** Seeded factor-model prices (n assets, T days) with NaN gaps so the valid universe changes. */
function factorPanel(n: number, T: number, seed: number): Panel {
  const rng = createRng(seed);
  const K = 6;
  const f = Array.from({ length: K }, () => Float64Array.from({ length: T }, () => 0.01 * rng.normal()));
  const cols = Array.from({ length: n }, (_, j) => {
    const b = Float64Array.from({ length: K }, () => 0.5 * rng.normal());
    const c = new Float64Array(T);
    let p = 40;
    let e = 0;
    for (let t = 0; t < T; t++) {
      const prev = e;
      e = 0.9 * e + 0.01 * rng.normal();
      let r = 0.006 * rng.normal() + (e - prev);
      for (let q = 0; q < K; q++) r += (b[q] as number) * ((f[q] as Float64Array)[t] as number);
      p *= 1 + r;
      c[t] = p;
    }
    if (j === 3) c.fill(Number.NaN, 0, 30); // listed late
    if (j === 7) c[T - 40] = Number.NaN; // one missing print
    return c;
  });
  return new Panel(Int32Array.from({ length: T }, (_, i) => 12000 + i), cols.map((_, j) => `S${j}`), cols);
}

function expectClose(a: Panel, b: Panel, tol: number): number {
  let compared = 0;
  a.columns.forEach((ca, j) => {
    const cb = b.columns[j] as Float64Array;
    for (let t = 0; t < ca.length; t++) {
      const x = ca[t] as number;
      const y = cb[t] as number;
      expect(Number.isNaN(x), `NaN pattern at asset ${j}, row ${t}`).toBe(Number.isNaN(y));
      if (!Number.isNaN(x)) {
        expect(Math.abs(x - y), `asset ${j}, row ${t}: ${x} vs ${y}`).toBeLessThan(tol * Math.max(1, Math.abs(y)));
        compared++;
      }
    }
  });
  return compared;
}

describe.skipIf(kernels === null)("PCA residual s-scores: native kernels vs TypeScript", () => {
  it("agree on the subspace-tracking path with a changing universe (80 assets, exactLimit 32)", () => {
    const prices = factorPanel(80, 340, 5);
    const o: PCAResidualOptions = { exactLimit: 32 };
    const nat = pcaResidualScores(prices, { ...o, backend: "native" });
    const ts = pcaResidualScores(prices, { ...o, backend: "ts" });
    expect(expectClose(nat.sScore, ts.sScore, 1e-9)).toBeGreaterThan(2000);
    expect(expectClose(nat.kappa, ts.kappa, 1e-9)).toBeGreaterThan(2000);
  });

  it("agree on the exact path on real data (skfolio-sp500)", async () => {
    const prices = (await loadDataset("skfolio-sp500")).sliceRows(0, 700);
    const nat = pcaResidualScores(prices, { backend: "native" });
    const ts = pcaResidualScores(prices, { backend: "ts" });
    expect(expectClose(nat.sScore, ts.sScore, 1e-10)).toBeGreaterThan(1000);
    // eigenportfolios held between refreshes go through the same residual kernel
    const o: PCAResidualOptions = { eigenRefresh: 3 };
    expect(expectClose(pcaResidualScores(prices, { ...o, backend: "native" }).kappa, pcaResidualScores(prices, { ...o, backend: "ts" }).kappa, 1e-10)).toBeGreaterThan(1000);
  });

  it("a sweep and single-date calls give bit-identical native scores", () => {
    const prices = factorPanel(30, 330, 9);
    const all = pcaResidualScores(prices, { backend: "native" });
    const model = new PCAResidualModel({ backend: "native" });
    for (const i of [260, 291, 329]) {
      const { s } = model.sScores(new PanelView(prices, prices.dates[i] as number), prices.dates[i] as number);
      const row = Float64Array.from(all.sScore.columns, (c) => c[i] as number);
      expect(bitDiff(row, s)).toEqual([]);
    }
  });

  it("the kernels reject wrong array types and lengths with JavaScript errors", () => {
    const k = kernels as NonNullable<typeof kernels>;
    const mu = new Float64Array(4);
    const cols = Int32Array.from([0, 1, 2, 3]);
    const src = new Float64Array(40); // 4 columns of 10 rows
    expect(() => k.windowMoments(src, 10, cols, 8, 3, mu, mu, mu)).toThrow(/row0 \+ rows exceeds ld/);
    expect(() => k.windowMoments(src, 10, Int32Array.from([0, 4]), 0, 3, new Float64Array(2), new Float64Array(2), new Float64Array(2))).toThrow(/cols\[1\] = 4 is outside/);
    expect(() => k.pcaTrack(new Float32Array(40) as unknown as Float64Array, 10, cols, 0, 3, mu, mu, new Float64Array(8), 2, 1)).toThrow(TypeError);
    expect(() => k.pcaTrack(src, 10, [0, 1, 2, 3] as unknown as Int32Array, 0, 3, mu, mu, new Float64Array(8), 2, 1)).toThrow(/cols must be an Int32Array/);
    expect(() => k.pcaResiduals(src, 10, cols, 0, 10, new Float64Array(8), 2, 252, 8.4, new Float64Array(3), mu)).toThrow(/s must have length 4/);
    expect(() => k.pcaTrack(src, 10, cols, -3, 3, mu, mu, new Float64Array(8), 2, 1)).toThrow(RangeError);
  });
});

describe("PCA residual s-scores without the addon", () => {
  it('backend "native" fails with one clear message; "auto" falls back to TypeScript', () => {
    const dir = mkdtempSync(path.join(tmpdir(), "statarb-pca-native-"));
    try {
      const file = path.join(dir, "probe.mts");
      const lib = (p: string): string => JSON.stringify(path.join(root, p));
      writeFileSync(
        file,
        `import { PCAResidualModel, pcaResidualScores } from ${lib("lib/signals/index.ts")};
import { Panel } from ${lib("lib/data/panel.ts")};
let message = "";
try { new PCAResidualModel({ backend: "native" }); } catch (e) { message = (e as Error).message; }
const T = 300, n = 25;
let a = 7;
const u = () => ((a = (a * 16807) % 2147483647) / 2147483647) - 0.5;
const cols = Array.from({ length: n }, () => { let p = 30; return Float64Array.from({ length: T }, () => (p *= 1 + 0.02 * u())); });
const r = pcaResidualScores(new Panel(Int32Array.from({ length: T }, (_, i) => i), cols.map((_, j) => "x" + j), cols));
const finite = r.sScore.columns.reduce((m, c) => m + c.filter(Number.isFinite).length, 0);
console.log(JSON.stringify({ message, finite }));
`,
      );
      const out = execFileSync(process.execPath, ["--import", "tsx", file], {
        cwd: root,
        env: { ...process.env, STATARB_NATIVE_LINALG: "0" },
        encoding: "utf8",
      });
      const res = JSON.parse(out.trim().split("\n").pop() as string) as { message: string; finite: number };
      expect(res.message).toMatch(/PCAResidualModel: backend "native": the native linalg addon .* is not built: run `node native\/linalg\/build\.mjs`/);
      expect(res.finite).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("PCA residual options", () => {
  it("correlationWindow below 2 is refused naming it (one return per window gives no standard deviation)", () => {
    for (const w of [0, 1]) {
      expect(() => new PCAResidualModel({ correlationWindow: w, factors: 0, ouWindow: 1 })).toThrow(RangeError);
      expect(() => new PCAResidualModel({ correlationWindow: w, factors: 0, ouWindow: 1 })).toThrow(/PCAResidualModel: correlationWindow must be .*2.*, got /);
    }
  });
});
