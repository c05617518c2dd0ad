/**
 * TransformerModel inference speed: one batch of 500 assets × 60-step standardised return
 * sequences through a fitted model with the default architecture (hiddenDim 16, 2 heads, 1 layer),
 * on tfjs' wasm backend (the one statarb uses) and, in the same run on the same network, tfjs' pure
 * JavaScript cpu backend as the peer. Median of 50 batches after warm-up.
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

async function timeWasm(): Promise<number[]> {
  for (let i = 0; i < 10; i++) await model.predictSequences(seq, N);
  const t: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await model.predictSequences(seq, N);
    t.push(performance.now() - t0);
  }
  return t;
}

const tf = await loadTensorflow();
const wasm = await timeWasm();
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
const lines = [
  "### TransformerModel inference (lib/signals)",
  "",
  `Command: \`npx tsx bench/signals/transformer.ts\` — ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, tfjs 4.22 wasm backend (SIMD ${simd ? "on" : "off"}, single thread) loaded from node_modules; peer: the same fitted network on tfjs' cpu backend in the same process. One batch = ${N} assets × ${L}-step sequences, default architecture (hiddenDim 16, 2 heads, 1 layer); median of ${REPS} (cpu: 20) batches after warm-up, load average at start ${(await import("node:os")).loadavg()[0]?.toFixed(1)}.`,
  "",
  "| backend | median ms / batch | min ms | wasm / cpu | target |",
  "|---|---:|---:|---:|---|",
  `| wasm (statarb) | ${mw.toFixed(2)} | ${Math.min(...wasm).toFixed(2)} | ${(mw / mc).toFixed(2)}× | < 10 ms ${mw < 10 ? "✓" : "✗"} |`,
  `| cpu (tfjs JS, peer) | ${mc.toFixed(2)} | ${Math.min(...cpu).toFixed(2)} | 1× | |`,
  "",
  `Largest |p_wasm − p_cpu| over the batch: ${maxDiff.toExponential(2)} (float32).`,
  "",
];
writeFileSync(new URL("../results/signals-transformer.md.part", import.meta.url), lines.join("\n"));
console.log(lines.join("\n"));
