/**
 * TransformerModel inference speed: one batch of 500 assets × 60-step standardised return
 * sequences through a fitted model with the default architecture (hiddenDim 16, 2 heads, 1 layer):
 * statarb's path (lib/signals/tf-inference.ts: the first block's attention folded into its weights,
 * tfjs wasm backend) against, in the same run on the same network, (a) the previous path — the same
 * network layer by layer through each layer's call() on the wasm backend (planInference with
 * fold: false) — interleaved ABAB with it, wall and CPU time per batch, and (b) tfjs' pure
 * JavaScript cpu backend. Medians of 50 batches after warm-up.
 * Run: npx tsx bench/signals/transformer.ts   (writes bench/results/signals-transformer.md.part)
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { TransformerModel } from "../../lib/signals/index.js";
import { planInference } from "../../lib/signals/tf-inference.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { loadTensorflow } from "../../lib/signals/tf-backend.js";
import { createRng } from "../../lib/stats/index.js";
import { lead, writeRows } from "../rows.js";

const N = 500;
const L = 60;
const REPS = 50;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const { prices } = syntheticPairsMarket({ nAssets: 40, nDays: 400, seed: 3 });
const model = new TransformerModel({ sequenceLength: L, epochs: 1, maxTrainSamples: 512, seed: 1 });
await model.fit(prices);
const rng = createRng(9);
const seq = Float32Array.from({ length: N * L }, () => rng.normal());

/** The previous inference path: the same network layer by layer through each layer's call() (no folding). */
const layerByLayer = planInference(await loadTensorflow(), model.network as import("@tensorflow/tfjs").LayersModel, false);
async function previousPredict(): Promise<Float32Array> {
  return layerByLayer.run(await loadTensorflow(), seq, N, L);
}

interface Timed { wall: number[]; cpu: number[] }
async function timeOne(into: Timed, run: () => Promise<unknown>): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  into.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  into.cpu.push((c.user + c.system) / 1000);
}

/** New and previous path interleaved (ABAB…), wall and process CPU time per batch. */
async function timeWasm(): Promise<{ now: Timed; prev: Timed }> {
  for (let i = 0; i < 10; i++) { await model.predictSequences(seq, N); await previousPredict(); }
  const now: Timed = { wall: [], cpu: [] };
  const prev: Timed = { wall: [], cpu: [] };
  for (let i = 0; i < REPS; i++) {
    await timeOne(now, () => model.predictSequences(seq, N));
    await timeOne(prev, previousPredict);
  }
  return { now, prev };
}

const tf = await loadTensorflow();
const loadStart = loadavg().map((x) => x.toFixed(1)).join(" ");
const pNew = await model.predictSequences(seq, N);
const pPrev = await previousPredict();
let maxPrev = 0;
let scale = 0;
for (let i = 0; i < N; i++) {
  maxPrev = Math.max(maxPrev, Math.abs((pNew[i] as number) - (pPrev[i] as number)));
  scale = Math.max(scale, Math.abs(pPrev[i] as number));
}
const rank = (p: Float32Array) => Array.from({ length: N }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number) || a - b);
const [ra, rb] = [rank(pNew), rank(pPrev)];
const sameRank = ra.every((v, i) => v === rb[i]);
const { now: nowT, prev: prevT } = await timeWasm();
const wasm = nowT.wall;
const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) as boolean;
// the same network on the cpu backend (weights move across backends on first use)
const net = model.network;
if (net === null) throw new Error("model not fitted");
await tf.setBackend("cpu");
const x = tf.tensor3d(seq, [N, L, 1]);
const runCpu = (): void => {
  const y = tf.tidy(() => net.apply(x) as import("@tensorflow/tfjs").Tensor);
  y.dataSync();
  y.dispose();
};
for (let i = 0; i < 5; i++) runCpu();
const cpu: number[] = [];
for (let i = 0; i < Math.min(REPS, 20); i++) {
  const t0 = performance.now();
  runCpu();
  cpu.push(performance.now() - t0);
}
x.dispose();
// agreement of the two backends on this batch
const pw = await previousPredict(); // loadTensorflow switches back to wasm
const cpuOut = await (async () => {
  await tf.setBackend("cpu");
  const y = tf.tidy(() => net.apply(tf.tensor3d(seq, [N, L, 1])) as import("@tensorflow/tfjs").Tensor);
  const v = y.dataSync() as Float32Array;
  y.dispose();
  await tf.setBackend("wasm");
  return v;
})();
let maxDiff = 0;
for (let i = 0; i < N; i++) maxDiff = Math.max(maxDiff, Math.abs((pw[i] as number) - (cpuOut[i] as number)));

const mw = median(wasm);
const mc = median(cpu);
const [nw, nc, pw2, pc] = [median(nowT.wall), median(nowT.cpu), median(prevT.wall), median(prevT.cpu)];
const met = (x: number) => (x <= 5 ? "≤ 5 ms met" : "≤ 5 ms **missed**");
const lines = [
  "### TransformerModel inference (lib/signals)",
  "",
  `Command: \`npx tsx bench/signals/transformer.ts\` — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, tfjs 4.22, wasm backend (SIMD ${simd ? "on" : "off"}, single thread) loaded from node_modules. One batch = ${N} assets × ${L}-step sequences, default architecture (hiddenDim 16, 2 heads, 1 layer). statarb and the previous inference path interleaved (ABAB…), median of ${REPS} batches each after warm-up, wall and process CPU time per batch; peer: the same fitted network on tfjs' cpu backend (median of 20). Load average at start ${loadStart}, at the end ${loadavg().map((x) => x.toFixed(1)).join(" ")}.`,
  "",
  "| path | median wall ms / batch | min wall ms | median CPU ms / batch | previous / this (CPU) | target 500 × 60 |",
  "|---|---:|---:|---:|---:|---|",
  `| statarb (wasm, first block's attention folded) | ${nw.toFixed(2)} | ${Math.min(...nowT.wall).toFixed(2)} | ${nc.toFixed(2)} | ${(pc / nc).toFixed(2)}× (wall ${(pw2 / nw).toFixed(2)}×) | ${met(nc)} (CPU), ${met(nw)} (wall) |`,
  `| previous path (tfjs wasm, layer by layer) | ${pw2.toFixed(2)} | ${Math.min(...prevT.wall).toFixed(2)} | ${pc.toFixed(2)} | 1× | |`,
  `| cpu backend (tfjs JS, peer) | ${mc.toFixed(2)} | ${Math.min(...cpu).toFixed(2)} | | wall: this is ${(mc / mw).toFixed(1)}× faster | |`,
  "",
  `Predictions of this and the previous path on the batch: largest |Δ| ${maxPrev.toExponential(2)} (${(maxPrev / scale).toExponential(2)} of the largest |p|; float32 rounding), ranking of the ${N} assets ${sameRank ? "identical" : "**different**"}. Largest |p_wasm − p_cpu| (the two tfjs backends): ${maxDiff.toExponential(2)}.`,
  "",
];
writeFileSync(new URL("../results/signals-transformer.md.part", import.meta.url), lines.join("\n"));
// the rows for npm run bench's summary (bench/rows.ts): ms per batch, ratio = other / statarb (above 1 statarb is faster)
const tfLoad = `${loadStart} → ${loadavg().map((x) => x.toFixed(1)).join(" ")}`;
writeRows("signals", [
  {
    row: `transformer inference ${N} × ${L}, per batch`, statarb: nw, peer: mc, peerName: "tfjs cpu backend (wall only)", ratio: lead(nw, mc, "time"), unit: "ms", target: "≤ 5 ms (wall and CPU)",
    verdict: nw <= 5 && nc <= 5 ? "met" : "missed", load: tfLoad, cpu: { statarb: nc, peer: null, ratio: null },
  },
  { row: "transformer inference against the previous path", statarb: nw, peer: pw2, peerName: "previous path (not a peer)", ratio: lead(nw, pw2, "time"), unit: "ms", target: null, verdict: "info", load: tfLoad, cpu: { statarb: nc, peer: pc, ratio: lead(nc, pc, "time") } },
], { part: "transformer", command: "npx tsx bench/signals/transformer.ts" });
console.log(lines.join("\n"));
