/**
 * lib/stats (and lib/risk's VaR/ES, lib/features' rolling windows) against their peers, measured in
 * the SAME run on the SAME seeded data, interleaved: one long-lived Python worker holds the peers
 * (statsmodels, numpy, pandas, empyrical: bench/stats/peers.py); the timing is bench/harness.ts' (two
 * warm-up rounds): every round times statarb's batch and the peer's batch of each workload back to back (A B, then B A the next round, so neither side always runs first on a
 * drifting machine), and each side's figure is the median over rounds. Ratio = peer ms / statarb ms
 * (> 1: statarb is faster). Rows print statarb, peer, ratio, target, met/missed; writes
 * bench/results/stats.md. Never part of npm test.
 *
 * Each side's figure is given per call in wall time and in process CPU time (every thread counted),
 * with the load average at the start and the end: the machine is shared.
 *
 * Run: npx tsx bench/stats/stats.ts [rounds]   (default 11; numpy's OpenBLAS and the addon's LAPACK
 * both run with OPENBLAS_NUM_THREADS threads, default 1, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset).
 * STATS_BENCH_ONLY=<regex> runs only the rows whose name matches (printed, bench/results/stats.md
 * left as it is).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { adf, coint, corrMatrix, createRng, eigh, hasNativeLinalg, johansen, ols } from "../../lib/stats/index.js";
import { linalgAddon } from "../../lib/stats/native-linalg.js";
import { rollingZ } from "../../lib/features/rolling.js";
import { expectedShortfall, valueAtRisk } from "../../lib/risk/index.js";
import { interleave, loadText, PEER_TABLE_HEAD, type PeerResult, PeerWorker, type PeerWorkload, peerRows } from "../harness.js";
import { writeRows } from "../rows.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ROUNDS = Number(process.argv[2] ?? 11);
const dir = mkdtempSync(path.join(tmpdir(), "statarb-bench-stats-"));

// ---- data (seeded, shared with Python through raw float64 files) ----------------------------------
const rng = createRng(2024);
function walk(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = x[i - 1]! + rng.normal();
  return x;
}
/** Fat-tailed daily returns: a normal scaled by a slowly varying volatility. */
function returns(n: number): Float64Array {
  const r = new Float64Array(n);
  let v = 0.01;
  for (let i = 0; i < n; i++) {
    v = Math.min(0.05, Math.max(0.003, v * Math.exp(0.1 * rng.normal())));
    r[i] = 0.0003 + v * rng.normal();
  }
  return r;
}
const x10k = walk(10_000);
const cx = walk(2520);
const cy = cx.map((v) => 0.7 * v + 3 * rng.normal());
const jo = Array.from({ length: 10 }, () => walk(2520));
const oy = rng.normals(2520);
const ox = Array.from({ length: 5 }, () => rng.normals(2520));
for (let i = 1; i < 2520; i++) oy[i] = oy[i]! + 0.3 * ox[0]![i]! - 0.2 * ox[3]![i]! + 0.4 * oy[i - 1]!;
const factor = rng.normals(1000);
const corr = corrMatrix(Array.from({ length: 500 }, () => factor.map((f) => 0.5 * f + rng.normal())));
const prices = Array.from({ length: 500 }, () => walk(2520).map((v) => 100 + v));
const r2520 = returns(2520);
const r100k = returns(100_000);
const HAC_LAGS = Math.floor(4 * (2520 / 100) ** (2 / 9)); // statsmodels' and statarb's default rule, given explicitly to both

function save(name: string, cols: readonly Float64Array[]): string {
  const flat = new Float64Array(cols.reduce((s, c) => s + c.length, 0));
  let o = 0;
  for (const c of cols) flat.set(c, o), (o += c.length);
  const f = path.join(dir, `${name}.f64`);
  writeFileSync(f, Buffer.from(flat.buffer));
  return f;
}
const files = {
  x10k: save("x10k", [x10k]), cx: save("cx", [cx]), cy: save("cy", [cy]), jo: save("jo", jo), oy: save("oy", [oy]), ox: save("ox", ox),
  corr: save("corr", [corr.data]), px: save("px", prices), r2520: save("r2520", [r2520]), r100k: save("r100k", [r100k]),
};

// ---- workloads -------------------------------------------------------------------------------------
// the same BLAS thread count on both sides, set before the addon (and its OpenBLAS) loads
process.env.OPENBLAS_NUM_THREADS ??= "1";
const addon = linalgAddon();
const eigenOnly = addon !== null && typeof (addon as { eighEigen?: unknown }).eighEigen === "function" ? (addon as unknown as { eighEigen: (a: Float64Array, n: number, v: Float64Array, z: Float64Array) => void }).eighEigen : null;
const eigV = new Float64Array(500), eigZ = new Float64Array(500 * 500);
const WORKLOADS: PeerWorkload[] = [
  { name: "adf, autolag AIC, 10,000 points", peer: "statsmodels adfuller", py: `adfuller(x10k, autolag="AIC")`, ts: () => adf(x10k, { autolag: "AIC" }), batch: 1, target: "≥ 1×" },
  { name: "coint, 2 × 2,520", peer: "statsmodels coint", py: "coint(cy, cx)", ts: () => coint(cy, cx), batch: 2, target: "≥ 1×" },
  { name: "johansen, 10 × 2,520, detOrder 0, kArDiff 1", peer: "statsmodels coint_johansen", py: "coint_johansen(jo, 0, 1)", ts: () => johansen(jo, { detOrder: 0, kArDiff: 1 }), batch: 10, target: "≥ 1×" },
  { name: "ols, 2,520 × 6, nonrobust", peer: "statsmodels OLS.fit", py: "sm.OLS(oy, oxc).fit()", ts: () => ols(oy, ox), batch: 40, target: "≥ 1×" },
  { name: `ols, 2,520 × 6, HAC (Newey-West, ${HAC_LAGS} lags)`, peer: "statsmodels OLS.fit(cov_type='HAC')", py: `sm.OLS(oy, oxc).fit(cov_type="HAC", cov_kwds={"maxlags": ${HAC_LAGS}})`, ts: () => ols(oy, ox, { cov: "HAC", maxlags: HAC_LAGS }), batch: 40, target: "≥ 1×" },
  { name: `eigh 500 × 500 (${hasNativeLinalg() ? (addon?.backend ?? "native").split(";")[0] : "TypeScript"})`, peer: "numpy.linalg.eigh", py: "np.linalg.eigh(corr)", ts: () => eigh(corr), batch: 1, target: "≥ 1×" },
  ...(eigenOnly ? [{ name: "eigh 500 × 500 (native Eigen path, raw addon call)", peer: "numpy.linalg.eigh", py: "np.linalg.eigh(corr)", ts: () => eigenOnly(corr.data, 500, eigV, eigZ), batch: 1, target: "info" as const }] : []),
  { name: "eigh 500 × 500 (TypeScript fallback)", peer: "numpy.linalg.eigh", py: "np.linalg.eigh(corr)", ts: () => eigh(corr, { backend: "ts" }), batch: 1, target: "info", rounds: 5 },
  { name: "rolling z-score, 500 × 2,520, window 60", peer: "pandas rolling mean/std", py: "(px - px.rolling(60).mean()) / px.rolling(60).std()", ts: () => prices.forEach((c) => rollingZ(c, 60)), batch: 1, target: "≥ 1×" },
  ...varWorkloads("2,520", "r2520", r2520, 1000),
  ...varWorkloads("100,000", "r100k", r100k, 20),
];

const ONLY = process.env.STATS_BENCH_ONLY ? new RegExp(process.env.STATS_BENCH_ONLY) : null;
if (ONLY) WORKLOADS.splice(0, WORKLOADS.length, ...WORKLOADS.filter((w) => ONLY.test(w.name)));

function varWorkloads(label: string, py: string, r: Float64Array, batch: number): PeerWorkload[] {
  return [
    { name: `historical VaR 95 %, ${label} returns`, peer: "empyrical value_at_risk", py: `ep.value_at_risk(${py}, 0.05)`, ts: () => valueAtRisk(r, { confidence: 0.95 }), batch, target: "≥ 1×" },
    { name: `historical ES 95 %, ${label} returns`, peer: "empyrical conditional_value_at_risk", py: `ep.conditional_value_at_risk(${py}, 0.05)`, ts: () => expectedShortfall(r, { confidence: 0.95 }), batch, target: "≥ 1×" },
    { name: `gaussian VaR 95 %, ${label} returns`, peer: "numpy + scipy.stats.norm.ppf (empyrical has none)", py: `-(np.mean(${py}) + norm.ppf(0.05) * np.std(${py}, ddof=1))`, ts: () => valueAtRisk(r, { confidence: 0.95, method: "gaussian" }), batch, target: "≥ 1×" },
  ];
}

// ---- the Python worker (bench/stats/peers.py on bench/peer_worker.py) --------------------------------
const env = { ...process.env }; // OPENBLAS_NUM_THREADS as set above
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const worker = new PeerWorker("bench/stats", path.join(root, ".venv/bin/python"), [path.join(root, "bench/stats/peers.py"), JSON.stringify(files)], env);

async function main(): Promise<void> {
  await worker.ready();
  const loadBefore = loadavg();
  // two warm-up rounds (JIT, caches, imports), then ROUNDS measured ones (the TypeScript fallback's eigh: at most 5)
  const results = await interleave(worker, WORKLOADS, ROUNDS, 2);
  worker.end();
  rmSync(dir, { recursive: true, force: true });
  report(results, loadBefore, loadavg());
}

function report(results: readonly PeerResult[], loadBefore: number[], loadAfter: number[]): void {
  const { table: rows, rows: benchRows } = peerRows(WORKLOADS, results, `${loadText(loadBefore)} → ${loadText(loadAfter)}`);
  const out = [
    "## stats (lib/stats, lib/risk VaR/ES, lib/features rolling)",
    "",
    `Command: \`npx tsx bench/stats/stats.ts ${ROUNDS}\` (OpenBLAS threads: ${process.env.OPENBLAS_NUM_THREADS}) — ${new Date().toISOString().slice(0, 16)}Z, ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, native linalg: ${addon?.backend ?? "not built"}; ` +
      `load average (1, 5, 15 min) ${loadText(loadBefore)} at the start, ${loadText(loadAfter)} at the end — a shared machine, so the per-CPU-second columns (process CPU time, every thread of each process counted) are the steadier comparison. ` +
      "One process per side in the same run on the same seeded data; each round times a batch of statarb calls and a batch of peer calls back to back (the order alternates every round), each batch after a full garbage collection on its side (untimed; statarb's followed by a 25 ms pause for V8's concurrent sweeping), after two warm-up rounds; figures are per-call medians over the rounds. " +
      "Ratio = peer / statarb (above 1× statarb is faster); a target is met when both the wall and the CPU ratio reach it. numpy's OpenBLAS and the addon's OpenBLAS (eigh) run with the same thread count (OPENBLAS_NUM_THREADS, set by the bench for both processes; default 1: on 2 busy cores a second spinning BLAS thread slows either side by 5–20×).",
    "",
    ...PEER_TABLE_HEAD,
    ...rows,
    "",
    "Notes (what each row runs): OLS solves equilibrated normal equations with one refinement step (QR when ill-conditioned); with the addon its sums run in C++ (native/linalg/ols.cc: Gram and Xᵀy, the refinement, residuals, and for HAC the Bartlett lag sum once per column and the score cross products, O(n·p·L + n·p²)), each sum in the TypeScript's order, so the same bits with and without the addon; " +
      "eigh is the divide and conquer numpy.linalg.eigh calls (LAPACK dsyevd) in the addon, step by step: Debian's OpenBLAS dsytrd, then dstedc's tridiagonal divide and conquer with each merge's secular equation and rank-one eigenvectors in vector arithmetic (native/linalg/eigh_dc.cc; LAPACK's deflation, leaves and GEMMs; dsyevd's results to rounding, not bit for bit), then dormtr — without dsyevd's norm pass and its final n × n copy " +
      "(the addon keeps the workspace between calls, checks every value finite while it copies the lower triangle, and fixes the signs in C++). From C at 500 × 500 (one thread) Debian's OpenBLAS 0.3.21 and numpy's scipy-openblas 0.3.31 run dsyevd in about the same time (≈ 8.3 ms dsytrd, 12 ms dstedc, 8.2 ms dormtr); the vectorised merges take the tridiagonal step to ≈ 7.7 ms (dstedc spent half its time in the scalar dlaed4/dlaed3 loops). Without libopenblas64 the addon falls back to Eigen's solver (the \"native Eigen path\" row) and without the addon to TypeScript (\"TypeScript fallback\"), neither of which is at par. " +
      "Historical VaR/ES never sort or copy the returns: one pass keeps the values under a threshold from a strided sample (in C++ when the addon is built: AVX2 compare-and-compress, same values in the same order, checking every return finite on the way so that VaR/ES make no finiteness pass of their own), selection finds the quantile among them, ES adds the tail with a compensated sum; " +
      "empyrical's ES is a single np.partition on the returns. Johansen's moment matrices come from one Gram matrix of the VECM columns (BLAS dsyrk in the addon).",
    "",
  ];
  if (ONLY) return console.log(`(STATS_BENCH_ONLY=${ONLY.source}, load ${loadText(loadBefore)} → ${loadText(loadAfter)}: bench/results/stats.md not written)`);
  mkdirSync(path.join(root, "bench/results"), { recursive: true });
  writeFileSync(path.join(root, "bench/results/stats.md"), out.join("\n"));
  // the rows for npm run bench's summary (bench/rows.ts): per-call ms, ratio = peer / statarb, met when wall and CPU reach the target
  writeRows("stats", benchRows, { command: `npx tsx bench/stats/stats.ts ${ROUNDS}` });
}

await main();
