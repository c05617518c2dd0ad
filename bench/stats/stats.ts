/**
 * lib/stats speed vs its peers, measured in the same run on the same data:
 * adf (autolag AIC, 10,000 points), coint (2 × 2,520), johansen (10 × 2,520), ols (2,520 × 6)
 * vs statsmodels; pca of a 500 × 500 correlation matrix vs numpy.linalg.eigh; rolling z-score over
 * 500 assets × 2,520 days vs pandas rolling. Writes bench/results/stats.md.
 * Run: npx tsx bench/stats/stats.ts   (numpy runs with OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset)
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { adf, coint, createRng, eigh, hasNativeLinalg, johansen, ols, pca, corrMatrix } from "../../lib/stats/index.js";
import { rollingZ } from "../../lib/features/rolling.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "statarb-bench-stats-"));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(f: () => unknown, reps: number): number {
  // warm-up until the JIT has settled: at least 5 calls and 300 ms
  const w0 = performance.now();
  for (let i = 0; i < 5 || performance.now() - w0 < 300; i++) f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function save(name: string, a: Float64Array): string {
  const f = path.join(dir, `${name}.f64`);
  writeFileSync(f, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return f;
}

const rng = createRng(2024);
function walk(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = (x[i - 1] as number) + rng.normal();
  return x;
}

// data (seeded, shared with Python through raw float64 files)
const x10k = walk(10_000);
const cx = walk(2520);
const cy = cx.map((v) => 0.7 * v + 3 * rng.normal());
const jo = Array.from({ length: 10 }, () => walk(2520));
const joFlat = new Float64Array(10 * 2520);
jo.forEach((c, j) => joFlat.set(c, j * 2520));
const oy = rng.normals(2520);
const ox = Array.from({ length: 5 }, () => rng.normals(2520));
const oxFlat = new Float64Array(5 * 2520);
ox.forEach((c, j) => oxFlat.set(c, j * 2520));
for (let i = 0; i < 2520; i++) oy[i] = (oy[i] as number) + 0.3 * (ox[0]![i] as number) - 0.2 * (ox[3]![i] as number);
// 500 assets: a one-factor return panel → its 500 × 500 correlation matrix
const factor = rng.normals(1000);
const rets = Array.from({ length: 500 }, () => factor.map((f) => 0.5 * f + rng.normal()));
const corr = corrMatrix(rets);
const prices = Array.from({ length: 500 }, () => walk(2520).map((v) => 100 + v));
const pxFlat = new Float64Array(500 * 2520);
prices.forEach((c, j) => pxFlat.set(c, j * 2520));

const files = {
  x10k: save("x10k", x10k),
  cx: save("cx", cx),
  cy: save("cy", cy),
  jo: save("jo", joFlat),
  oy: save("oy", oy),
  ox: save("ox", oxFlat),
  corr: save("corr", corr.data),
  px: save("px", pxFlat),
};

const REPS = 7;
const ts = {
  adf: time(() => adf(x10k, { autolag: "AIC" }), REPS),
  coint: time(() => coint(cy, cx), REPS),
  johansen: time(() => johansen(jo, { detOrder: 0, kArDiff: 1 }), REPS),
  ols: time(() => ols(oy, ox), 31),
  pca: time(() => pca(corr, { input: "matrix", standardize: false }), REPS),
  pcaTs: time(() => eigh(corr, { backend: "ts" }), 3),
  rolling: time(() => {
    for (const c of prices) rollingZ(c, 60);
  }, REPS),
};

const PY = String.raw`
import json, sys, time, warnings
import numpy as np, pandas as pd
warnings.simplefilter("ignore")
from statsmodels.tsa.stattools import adfuller, coint
from statsmodels.tsa.vector_ar.vecm import coint_johansen
import statsmodels.api as sm
f = json.loads(sys.argv[1]); R = int(sys.argv[2])
ld = lambda k: np.fromfile(f[k], dtype=np.float64)
x10k = ld("x10k"); cx = ld("cx"); cy = ld("cy"); jo = ld("jo").reshape(10, 2520).T.copy()
oy = ld("oy"); ox = sm.add_constant(ld("ox").reshape(5, 2520).T.copy()); corr = ld("corr").reshape(500, 500)
px = pd.DataFrame(ld("px").reshape(500, 2520).T.copy())
def t(fn, reps):
    w0 = time.perf_counter(); i = 0
    while i < 5 or time.perf_counter() - w0 < 0.3: fn(); i += 1
    out = []
    for _ in range(reps):
        t0 = time.perf_counter(); fn(); out.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(out))
res = {
  "adf": t(lambda: adfuller(x10k, autolag="AIC"), R),
  "coint": t(lambda: coint(cy, cx), R),
  "johansen": t(lambda: coint_johansen(jo, 0, 1), R),
  "ols": t(lambda: sm.OLS(oy, ox).fit(), 31),
  "pca": t(lambda: np.linalg.eigh(corr), R),
  "rolling": t(lambda: (px - px.rolling(60).mean()) / px.rolling(60).std(), R),
}
print(json.dumps(res))
`;
const env = { ...process.env };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const pyOut = execFileSync(path.join(root, ".venv/bin/python"), ["-c", PY, JSON.stringify(files), String(REPS)], { env, encoding: "utf8", maxBuffer: 1 << 26 });
const py = JSON.parse(pyOut) as Record<keyof typeof ts, number>;
rmSync(dir, { recursive: true, force: true });

const rows: [string, string, number, number, string][] = [
  ["adf, autolag AIC, 10,000 points", "statsmodels adfuller", ts.adf, py.adf, "faster"],
  ["coint, 2 × 2,520", "statsmodels coint", ts.coint, py.coint, "faster"],
  ["johansen, 10 × 2,520, detOrder 0, kArDiff 1", "statsmodels coint_johansen", ts.johansen, py.johansen, "faster"],
  ["ols, 2,520 × 6 (nonrobust)", "statsmodels OLS.fit", ts.ols, py.ols, "faster"],
  [`pca 500 × 500 (${hasNativeLinalg() ? "native Eigen" : "TypeScript"})`, "numpy.linalg.eigh", ts.pca, py.pca, "≤ 3×"],
  ["pca 500 × 500 (TypeScript fallback)", "numpy.linalg.eigh", ts.pcaTs, py.pca, "(info)"],
  ["rolling z-score, 500 × 2,520, window 60", "pandas rolling mean/std", ts.rolling, py.rolling, "≤ 2×"],
];
const cpu = cpus()[0]?.model ?? "unknown CPU";
const lines = [
  "## stats (lib/stats, lib/features/rolling)",
  "",
  `Command: \`npx tsx bench/stats/stats.ts\` — ${cpus().length} cores, ${cpu}, Node ${process.version}; median of ${REPS} runs (ols: 31) after ≥ 300 ms of warm-up on both sides, same seeded data in both; numpy/OpenBLAS with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.`,
  "",
  "| workload | peer | statarb ms | peer ms | statarb / peer | target |",
  "|---|---|---:|---:|---:|---|",
  ...rows.map(([w, p, a, b, t]) => {
    const ratio = a / b;
    const ok = t === "faster" ? ratio < 1 : t === "≤ 3×" ? ratio <= 3 : t === "≤ 2×" ? ratio <= 2 : true;
    return `| ${w} | ${p} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${ratio.toFixed(2)}× | ${t}${t === "(info)" ? "" : ok ? " ✓" : " ✗"} |`;
  }),
  "",
];
mkdirSync(path.join(root, "bench/results"), { recursive: true });
writeFileSync(path.join(root, "bench/results/stats.md"), lines.join("\n"));
console.log(lines.join("\n"));
