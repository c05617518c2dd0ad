/**
 * The tfjs models run on the WebAssembly backend loaded from node_modules, are reproducible (same
 * seed → bit-identical predictions from fresh models; another seed → different ones), and survive a
 * round trip through the model registry. Networks are tiny so the suite stays fast.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PanelView } from "../../lib/data/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { LSTMModel, loadTensorflow, ModelRegistry, TransformerModel } from "../../lib/signals/index.js";
import { bitDiff } from "./helpers.js";

const { prices } = syntheticPairsMarket({ nAssets: 10, nDays: 160, seed: 2 });
const view = PanelView.of(prices);
const at = prices.dates[prices.nDates - 1] as number;
const tiny = { sequenceLength: 12, hiddenDim: 8, epochs: 2, maxTrainSamples: 96, batchSize: 32 };
const dir = mkdtempSync(join(tmpdir(), "statarb-registry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tfjs alpha models", () => {
  it("use the wasm backend with its binaries from node_modules", async () => {
    const tf = await loadTensorflow();
    expect(tf.getBackend()).toBe("wasm");
  });

  for (const [name, make] of [
    ["transformer", (seed: number) => new TransformerModel({ ...tiny, attentionHeads: 2, layers: 2, dropout: 0.1, seed })],
    ["lstm", (seed: number) => new LSTMModel({ ...tiny, seed })],
  ] as const) {
    it(`${name}: same seed → same predictions, another seed → different`, async () => {
      const a = make(7);
      const b = make(7);
      const c = make(8);
      await a.fit(view);
      await b.fit(view);
      await c.fit(view);
      const pa = await a.predict(view, at);
      const pb = await b.predict(view, at);
      const pc = await c.predict(view, at);
      expect(bitDiff(pa, pb)).toEqual([]);
      expect(bitDiff(pa, pc).length).toBeGreaterThan(0);
      for (const v of pa) expect(v > 0 && v < 1).toBe(true);
      a.dispose();
      b.dispose();
      c.dispose();
    });
  }

  it("TransformerModel checks its options", () => {
    expect(() => new TransformerModel({ hiddenDim: 10, attentionHeads: 3 })).toThrow(/hiddenDim \(10\) must be divisible by attentionHeads \(3\)/);
    expect(() => new TransformerModel({ dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => new TransformerModel({ learningRate: -1 })).toThrow(/learningRate/);
  });

  it("registry: a saved transformer loads back and predicts the same", async () => {
    const m = new TransformerModel({ ...tiny, attentionHeads: 2, seed: 1 });
    await m.fit(view);
    const before = await m.predict(view, at);
    const reg = new ModelRegistry(dir);
    const rec = await reg.save(m, { trainingWindow: { start: prices.dates[0] as number, end: at }, metrics: { rankIC: 0.01 } });
    expect(rec.version).toBe(1);
    const { model, record } = await reg.load("transformer");
    expect(record.metrics).toEqual({ rankIC: 0.01 });
    expect(record.params).toMatchObject({ sequenceLength: 12, attentionHeads: 2 });
    const after = await model.predict(view, at);
    expect(bitDiff(before, after)).toEqual([]);
  });
});
