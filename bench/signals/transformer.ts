/**
 * TransformerModel inference speed: one batch of 500 assets × 60-step standardised return
 * sequences through a fitted model with the default architecture (hiddenDim 16, 2 heads, 1 layer),
 * on tfjs' wasm backend (the one statarb uses) against, in the same run on the same network, (a) the
 * previous inference path (re-created below: tfjs' dynamic imports on every call and the last time
 * step taken with slice), interleaved ABAB with it, wall and CPU time per batch, and (b) tfjs' pure
 * JavaScript cpu backend. Medians of 50 batches after warm-up.
 * Run: npx tsx bench/signals/transformer.ts   (writes bench/results/signals-transformer.md.part)
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { TransformerModel } from "../../lib/signals/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { loadTensorflow } from "../../lib/signals/tf-backend.js";
import { createRng } from "../../lib/stats/index.js";

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

type T = import("@tensorflow/tfjs").Tensor;
/** The inference path before this change: loadTensorflow's three dynamic imports on every call, then each layer's call() without the inference flag (so the last time step is a slice). */
async function previousPredict(): Promise<Float32Array> {
  const t = (await import("@tensorflow/tfjs")) as typeof import("@tensorflow/tfjs");
  await import("@tensorflow/tfjs-backend-wasm");
  await import("../../lib/signals/tf-layers.js");
  const net = model.network as import("@tensorflow/tfjs").LayersModel;
  const out = t.tidy(() => {
    const input = t.tensor3d(seq, [N, L, 1]);
    const values = new Map<string, T>();
    let last: T = input;
    for (const layer of net.layers) {
      const ins = (layer.inboundNodes[0]?.inboundLayers ?? []).map((l) => values.get(l.name) as T);
      last = ins.length === 0 ? input : (layer.call(ins.length === 1 ? (ins[0] as T) : ins, {}) as T);
      values.set(layer.name, last);
    }
    return last;
  });
  const v = out.dataSync() as Float32Array;
  out.dispose();
  return v;
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
const loadStart = (await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ");
const pNew = await model.predictSequences(seq, N);
const pPrev = await previousPredict();
const identical = pNew.length === pPrev.length && pNew.every((v, i) => Object.is(v, pPrev[i]));
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
const pw = await model.predictSequences(seq, N); // switches back to wasm
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
  `Command: \`npx tsx bench/signals/transformer.ts\` — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, tfjs 4.22 wasm backend (SIMD ${simd ? "on" : "off"}, single thread) loaded from node_modules. One batch = ${N} assets × ${L}-step sequences, default architecture (hiddenDim 16, 2 heads, 1 layer). statarb and the previous inference path interleaved (ABAB…), median of ${REPS} batches each after warm-up, wall and process CPU time per batch; peer: the same fitted network on tfjs' cpu backend (median of 20). Load average at start ${loadStart}, at the end ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}.`,
  "",
  "| path | median wall ms / batch | min wall ms | median CPU ms / batch | previous / this (CPU) | target 500 × 60 |",
  "|---|---:|---:|---:|---:|---|",
  `| wasm, statarb (this) | ${nw.toFixed(2)} | ${Math.min(...nowT.wall).toFixed(2)} | ${nc.toFixed(2)} | ${(pc / nc).toFixed(2)}× (wall ${(pw2 / nw).toFixed(2)}×) | ${met(nc)} (CPU), ${met(nw)} (wall) |`,
  `| wasm, previous path | ${pw2.toFixed(2)} | ${Math.min(...prevT.wall).toFixed(2)} | ${pc.toFixed(2)} | 1× | |`,
  `| cpu backend (tfjs JS, peer) | ${mc.toFixed(2)} | ${Math.min(...cpu).toFixed(2)} | | wall: this is ${(mc / mw).toFixed(1)}× faster | |`,
  "",
  `Predictions of this and the previous path bit-identical on the batch: ${identical ? "yes" : "**NO**"}. Largest |p_wasm − p_cpu|: ${maxDiff.toExponential(2)} (float32).`,
  "",
];
writeFileSync(new URL("../results/signals-transformer.md.part", import.meta.url), lines.join("\n"));
console.log(lines.join("\n"));
