/**
 * bench/avellaneda-lee: statarb's runAvellanedaLee (PCA, 15 eigenportfolios, same close, 5 bp a side)
 * beside a numpy implementation of the same algorithm (numpy_al.py), on the 452 stocks of
 * sp500-2003-2007, interleaved (statarb, numpy, statarb, numpy …), wall and CPU seconds with the load
 * average; medians per side and the ratio numpy / statarb (peer time / statarb time, above 1× statarb is
 * faster) per CPU-second and per wall second; the agreement of the two daily net-return series in every
 * round. Then, unless AL_FULL=0, the whole `statarb reproduce avellaneda-lee` command once (issue 17: ≤ 60 s;
 * needs dist/ built). Writes bench/results/avellaneda-lee.md.
 *   npx tsx bench/avellaneda-lee/bench.ts [rounds=3]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { runAvellanedaLee } from "../../lib/backtest/index.js";
import { loadDataset } from "../../lib/data/index.js";
import { type BenchRow, lead, writeRows } from "../rows.js";

const rounds = Number(process.argv[2] ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be an integer ≥ 1, got ${process.argv[2]}`);
const full = process.env.AL_FULL !== "0";
// one BLAS thread on both sides (numpy_al.py runs with OPENBLAS_NUM_THREADS=1): read when the
// linalg addon loads, i.e. at statarb's first window below
process.env.OPENBLAS_NUM_THREADS = "1";
process.env.STATARB_LINALG_THREADS = "1";
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(" / ");
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const loadStart = load();
const started = new Date().toISOString().slice(0, 16) + "Z";
const prices = await loadDataset("sp500-2003-2007");
const file = "/tmp/statarb-bench-al-prices.json";
writeFileSync(file, JSON.stringify({ prices: prices.columns.map((c) => Array.from(c)) }));
const rows: string[] = [];
const ourWall: number[] = [], ourCpu: number[] = [], theirWall: number[] = [], theirCpu: number[] = [];
let days = 0;
let maxDiff = 0;
let worstDiffer = 0;
for (let k = 0; k < rounds; k++) {
  const load0 = loadavg()[0]!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const study = runAvellanedaLee(prices, { variants: ["pca-15"], fillAt: ["close"] });
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const ours = study.runs[0]!.result.net;
  ourWall.push(wall);
  ourCpu.push((c.user + c.system) / 1e6);
  rows.push(`| ${k + 1} | statarb runAvellanedaLee | ${wall.toFixed(1)} | ${ourCpu[k]!.toFixed(1)} | ${load0.toFixed(1)} |`);
  const load1 = loadavg()[0]!;
  const py = JSON.parse(execFileSync(".venv/bin/python", ["bench/avellaneda-lee/numpy_al.py", file], { maxBuffer: 1 << 28, encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } })) as { net: number[]; seconds: number; cpu: number };
  theirWall.push(py.seconds);
  theirCpu.push(py.cpu);
  rows.push(`| ${k + 1} | numpy (numpy_al.py, 1 BLAS thread) | ${py.seconds.toFixed(1)} | ${py.cpu.toFixed(1)} | ${load1.toFixed(1)} |`);
  // agreement, every round (both sides are deterministic: each round must agree as well as the first)
  if (py.net.length !== ours.length) throw new Error(`round ${k + 1}: numpy gave ${py.net.length} days, statarb ${ours.length}`);
  days = ours.length;
  let differ = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i]! - py.net[i]!);
    maxDiff = Math.max(maxDiff, d);
    if (d > 1e-9) differ++;
  }
  worstDiffer = Math.max(worstDiffer, differ);
}
const loadEnd = load();
const med = { ourWall: median(ourWall), ourCpu: median(ourCpu), theirWall: median(theirWall), theirCpu: median(theirCpu) };
const ratioCpu = med.theirCpu / med.ourCpu;
const ratioWall = med.theirWall / med.ourWall;

// issue 17 item 2: the whole command (all variants, both fills, rebalancers, report) ≤ 60 s on 2 cores
let fullFigures: { wall: number; cpu: number; load: string } | null = null;
let fullLine = "The whole command (issue 17: `statarb reproduce avellaneda-lee` ≤ 60 s) was not timed in this run (AL_FULL=0).";
if (full) {
  const out = mkdtempSync(join(tmpdir(), "statarb-bench-al-"));
  const l0 = load();
  // /usr/bin/time writes "wall user sys" as the last line of stderr
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S", "node", "bin/statarb.js", "reproduce", "avellaneda-lee", "--out", out], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`statarb reproduce avellaneda-lee failed (status ${r.status}): ${r.stderr ?? r.error}`);
  const [e, u, s] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number) as [number, number, number];
  const verdict = e <= 60 ? "met" : "**missed**";
  fullFigures = { wall: e, cpu: u + s, load: `${l0} → ${load()}` };
  fullLine = `Whole command, once after the rounds: \`node bin/statarb.js reproduce avellaneda-lee --out DIR\` (dist/ build) — wall ${e.toFixed(1)} s, CPU ${(u + s).toFixed(1)} s (load ${l0} before, ${load()} after). Target (issue 17: full run ≤ 60 s on 2 cores): ${verdict} (wall).`;
}

const md = `## avellaneda-lee

\`npx tsx bench/avellaneda-lee/bench.ts ${rounds}\` (${started}, load average ${loadStart} at the start, ${loadEnd} at the end of the rounds) — the paper's PCA strategy (15 eigenportfolios, exact decomposition each day, 60-day OU fits, entry hedges, same close, 5 bp a side) on sp500-2003-2007 (452 stocks, ${days} accounted days), ${rounds} round${rounds > 1 ? "s" : ""} interleaved (statarb, numpy, statarb, numpy …), one process each, one BLAS thread each, on a shared 2-core machine (1-minute load average beside each row).

| round | run | wall s | CPU s | load |
|---|---|---|---|---|
${rows.join("\n")}

| median of ${rounds} | statarb | numpy | numpy / statarb (above 1× statarb is faster) | target | verdict |
|---|---|---|---|---|---|
| CPU s | ${med.ourCpu.toFixed(1)} | ${med.theirCpu.toFixed(1)} | ${ratioCpu.toFixed(2)}× | none (issue 17 asks for the numpy peer in the same run, no ratio) | info |
| wall s | ${med.ourWall.toFixed(1)} | ${med.theirWall.toFixed(1)} | ${ratioWall.toFixed(2)}× | none | info |

${fullLine}

Agreement of the daily net returns, every round: max |Δ| ${maxDiff.toExponential(2)}, at most ${worstDiffer} of ${days} days differ by more than 1e-9.
`;
writeFileSync("bench/results/avellaneda-lee.md", md);
process.stdout.write(md);
const fullRows: BenchRow[] = fullFigures === null ? [] : [
  { row: "whole `statarb reproduce avellaneda-lee` (dist/ build, once)", statarb: fullFigures.wall, peer: null, ratio: null, unit: "s", target: "≤ 60 s (issue 17)", verdict: fullFigures.wall <= 60 ? "met" : "missed", load: fullFigures.load, cpu: { statarb: fullFigures.cpu, peer: null, ratio: null } },
];
writeRows(
  "avellaneda-lee",
  [
    { row: `runAvellanedaLee pca-15, sp500-2003-2007 (median of ${rounds})`, statarb: med.ourWall, peer: med.theirWall, peerName: "numpy_al.py", ratio: lead(med.ourWall, med.theirWall, "time"), unit: "s", target: null, verdict: "info", load: `${loadStart} → ${loadEnd}`, cpu: { statarb: med.ourCpu, peer: med.theirCpu, ratio: lead(med.ourCpu, med.theirCpu, "time") } },
    ...fullRows,
  ],
  { command: `npx tsx bench/avellaneda-lee/bench.ts ${rounds}` },
);
