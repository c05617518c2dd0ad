/**
 * bench/avellaneda-lee: statarb's runAvellanedaLee (PCA, 15 eigenportfolios, same close, 5 bp a side)
 * beside a numpy implementation of the same algorithm (numpy_al.py), on the 452 stocks of
 * sp500-2003-2007, interleaved (statarb, numpy, statarb, numpy …), wall and CPU seconds with the load
 * average; plus the agreement of the two daily net-return series. Writes bench/results/avellaneda-lee.md.
 *   npx tsx bench/avellaneda-lee/bench.ts [rounds=3]
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { runAvellanedaLee } from "../../lib/backtest/index.js";
import { loadDataset } from "../../lib/data/index.js";
import { lead, loadNow, writeRows } from "../rows.js";

const rounds = Number(process.argv[2] ?? 3);
// one BLAS thread on both sides (numpy_al.py runs with OPENBLAS_NUM_THREADS=1): read when the
// linalg addon loads, i.e. at statarb's first window below
process.env.OPENBLAS_NUM_THREADS = "1";
process.env.STATARB_LINALG_THREADS = "1";
const prices = await loadDataset("sp500-2003-2007");
const file = "/tmp/statarb-bench-al-prices.json";
writeFileSync(file, JSON.stringify({ prices: prices.columns.map((c) => Array.from(c)) }));
const rows: string[] = [];
let ours: Float64Array = new Float64Array(0);
let theirs: number[] = [];
const samples = { wall: [] as number[], cpu: [] as number[], pyWall: [] as number[], pyCpu: [] as number[] };
for (let k = 0; k < rounds; k++) {
  const load0 = loadavg()[0]!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const study = runAvellanedaLee(prices, { variants: ["pca-15"], fillAt: ["close"] });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  ours = study.runs[0]!.result.net;
  samples.wall.push(wall), samples.cpu.push((c.user + c.system) / 1e6);
  rows.push(`| statarb runAvellanedaLee | ${wall.toFixed(1)} | ${((c.user + c.system) / 1e6).toFixed(1)} | ${load0.toFixed(1)} |`);
  const load1 = loadavg()[0]!;
  const py = JSON.parse(execFileSync(".venv/bin/python", ["bench/avellaneda-lee/numpy_al.py", file], { maxBuffer: 1 << 28, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } })) as { net: number[]; seconds: number; cpu: number };
  theirs = py.net;
  samples.pyWall.push(py.seconds), samples.pyCpu.push(py.cpu);
  rows.push(`| numpy (numpy_al.py, 1 BLAS thread) | ${py.seconds.toFixed(1)} | ${py.cpu.toFixed(1)} | ${load1.toFixed(1)} |`);
}
let maxDiff = 0;
let differ = 0;
for (let i = 0; i < ours.length; i++) {
  const d = Math.abs(ours[i]! - theirs[i]!);
  maxDiff = Math.max(maxDiff, d);
  if (d > 1e-9) differ++;
}
const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[v.length >> 1]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
const [w, c, pw, pc] = [samples.wall, samples.cpu, samples.pyWall, samples.pyCpu].map(median) as [number, number, number, number];
const md = `## avellaneda-lee

\`npx tsx bench/avellaneda-lee/bench.ts ${rounds}\` — the paper's PCA strategy (15 eigenportfolios, exact decomposition each day, 60-day OU fits, entry hedges, same close, 5 bp a side) on sp500-2003-2007 (452 stocks, ${ours.length} accounted days), interleaved, one process each, one BLAS thread each, on a shared 2-core machine (load average beside each row).

| run | wall s | CPU s | load |
|---|---|---|---|
${rows.join("\n")}

Medians of ${rounds} round${rounds === 1 ? "" : "s"}: statarb ${w.toFixed(1)} s wall, ${c.toFixed(1)} CPU s; numpy ${pw.toFixed(1)} s wall, ${pc.toFixed(1)} CPU s — numpy / statarb ${(pw / w).toFixed(2)}× wall, ${(pc / c).toFixed(2)}× CPU (above 1× statarb is faster).

Agreement of the daily net returns: max |Δ| ${maxDiff.toExponential(2)}, ${differ} of ${ours.length} days differ by more than 1e-9.
`;
writeFileSync("bench/results/avellaneda-lee.md", md);
process.stdout.write(md);
writeRows(
  "avellaneda-lee",
  [{ row: `runAvellanedaLee pca-15, sp500-2003-2007 (median of ${rounds})`, statarb: w, peer: pw, peerName: "numpy_al.py", ratio: lead(w, pw, "time"), unit: "s", target: null, verdict: "info", load: loadNow(), cpu: { statarb: c, peer: pc, ratio: lead(c, pc, "time") } }],
  { command: `npx tsx bench/avellaneda-lee/bench.ts ${rounds}` },
);
