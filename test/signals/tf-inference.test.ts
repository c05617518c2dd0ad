/**
 * The sequence models' inference plan (lib/signals/tf-inference.ts) agrees with the layer-by-layer
 * tfjs path it replaced on fitted networks: largest |difference| within 1e-5 of the prediction scale
 * (float32 rounding: the folded attention sums in another order) and the same ranking of the assets
 * in every cross-section; where nothing folds (the LSTM) the predictions stay bit-identical. A model
 * leaves no tensor behind.
 */
import { describe, expect, it } from "vitest";
import { PanelView } from "../../lib/data/index.js";
import { createRng, syntheticPairsMarket } from "../../lib/stats/index.js";
import { LSTMModel, loadTensorflow, type SequenceModel, TransformerModel } from "../../lib/signals/index.js";
import { planInference } from "../../lib/signals/tf-inference.js";

const { prices } = syntheticPairsMarket({ nAssets: 40, nDays: 260, seed: 5 });
const view = PanelView.of(prices);
const DATES = 5;

/** Standardised sequences of every asset at the last DATES rows (as SequenceModel.predict builds them), then 500 random ones. */
function testSequences(model: SequenceModel, L: number): { seq: Float32Array; n: number } {
  const { mu, sd } = model.toJSON() as { mu: number; sd: number };
  const rows: number[] = [];
  for (let i = view.nDates - DATES; i < view.nDates; i++) {
    for (const p of view.columns) for (let u = 0; u < L; u++) rows.push((p[i - L + 1 + u]! / p[i - L + u]! - 1 - mu) / sd);
  }
  const rng = createRng(11);
  for (let k = 0; k < 500 * L; k++) rows.push(rng.normal());
  return { seq: Float32Array.from(rows), n: rows.length / L };
}

function order(p: Float32Array, from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i).sort((a, b) => (p[a] as number) - (p[b] as number) || a - b);
}

/** Planned vs layer-by-layer predictions of one fitted model on the test sequences. */
async function both(model: SequenceModel, L: number, folds: number): Promise<{ planned: Float32Array; reference: Float32Array; n: number }> {
  await model.fit(view);
  const net = model.network;
  if (net === null) throw new Error("not fitted");
  const { seq, n } = testSequences(model, L);
  const planned = await model.predictSequences(seq, n);
  const tf = await loadTensorflow();
  const plan = planInference(tf, net);
  expect(plan.foldedAttentions).toBe(folds);
  expect(Array.from(plan.run(tf, seq, n, L))).toEqual(Array.from(planned));
  plan.dispose();
  const layerByLayer = planInference(tf, net, false);
  expect(layerByLayer.foldedAttentions).toBe(0);
  const reference = layerByLayer.run(tf, seq, n, L);
  layerByLayer.dispose();
  model.dispose();
  if (folds === 0) expect(Array.from(planned)).toEqual(Array.from(reference)); // nothing folded: the same kernels
  return { planned, reference, n };
}

/** max |Δ| / max |p| ≤ 1e-5 and the same ranking in each cross-section (DATES × 40 assets, then the 500 random sequences). */
function expectAgreement({ planned, reference, n }: { planned: Float32Array; reference: Float32Array; n: number }): void {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    diff = Math.max(diff, Math.abs((planned[i] as number) - (reference[i] as number)));
    scale = Math.max(scale, Math.abs(reference[i] as number));
  }
  expect(diff / scale).toBeLessThanOrEqual(1e-5);
  const nAssets = view.nAssets;
  const sections: [number, number][] = [...Array.from({ length: DATES }, (_, k): [number, number] => [k * nAssets, (k + 1) * nAssets]), [DATES * nAssets, n]];
  for (const [a, b] of sections) expect(order(planned, a, b)).toEqual(order(reference, a, b));
}

describe("sequence-model inference plan", () => {
  it("transformer, default architecture (60 steps, hiddenDim 16, 2 heads, 1 layer): agrees with the layer-by-layer path to float32 rounding, same ranking", async () => {
    expectAgreement(await both(new TransformerModel({ epochs: 1, maxTrainSamples: 256, seed: 4 }), 60, 1));
  });

  it("transformer, two layers (full attention first, then from the last position of a non-affine input: nothing folds), dropout, 4 heads: agrees, same ranking", async () => {
    expectAgreement(await both(new TransformerModel({ sequenceLength: 20, hiddenDim: 8, attentionHeads: 4, layers: 2, dropout: 0.1, epochs: 2, maxTrainSamples: 128, batchSize: 32, seed: 2 }), 20, 0));
  });

  it("transformer, one layer with dropout, 4 heads of 4: agrees, same ranking", async () => {
    expectAgreement(await both(new TransformerModel({ sequenceLength: 30, attentionHeads: 4, dropout: 0.2, epochs: 2, maxTrainSamples: 128, batchSize: 32, seed: 6 }), 30, 1));
  });

  it("the LSTM (nothing to fold): bit-identical to the layer-by-layer path", async () => {
    const { planned, reference } = await both(new LSTMModel({ sequenceLength: 12, hiddenDim: 8, epochs: 1, maxTrainSamples: 64, seed: 1 }), 12, 0);
    expect(Array.from(planned)).toEqual(Array.from(reference));
  });

  it("fit, predict, refit, predict and dispose leave no tensor behind (the plan's constants and the optimizer's state are freed)", async () => {
    const tf = await loadTensorflow();
    const before = tf.memory().numTensors;
    const m = new TransformerModel({ sequenceLength: 10, hiddenDim: 4, epochs: 1, maxTrainSamples: 64, seed: 1 });
    const at = prices.dates[prices.nDates - 1] as number;
    await m.fit(view);
    await m.predict(view, at);
    await m.fit(view);
    await m.predict(view, at);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("predictSequences checks the length of its input", async () => {
    const m = new TransformerModel({ sequenceLength: 10, hiddenDim: 4, epochs: 1, maxTrainSamples: 64, seed: 1 });
    await m.fit(view);
    await expect(m.predictSequences(new Float32Array(25), 3)).rejects.toThrow(/n × sequenceLength = 3 × 10 values, got 25/);
    m.dispose();
  });
});
