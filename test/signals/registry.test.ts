/** ModelRegistry: versioned folders, atomic writes, round trips of every classical and tree model. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PanelView } from "../../lib/data/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { type AlphaModel, GradientBoostingModel, ModelRegistry, PairsModel, PCAResidualModel, ReversalModel, RidgeModel } from "../../lib/signals/index.js";
import { bitDiff } from "./helpers.js";

const { prices } = syntheticPairsMarket({ nAssets: 12, nDays: 320, seed: 8 });
const view = PanelView.of(prices);
const at = prices.dates[prices.nDates - 1] as number;
const dir = mkdtempSync(join(tmpdir(), "statarb-registry-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = { horizons: [1, 5, 20], volatilityWindow: 10, zWindow: 10, rsiPeriod: 14 };

describe("ModelRegistry", () => {
  const window = { start: prices.dates[0] as number, end: at };
  for (const make of [
    () => new ReversalModel({ lookback: 3 }),
    () => new PairsModel({ formationDays: 150, pairs: 2 }),
    () => new PCAResidualModel({ correlationWindow: 60, factors: 3, ouWindow: 30, output: "score" }),
    () => new RidgeModel({ ...small, alpha: 3 }),
    () => new GradientBoostingModel({ ...small, nEstimators: 8, minSamplesLeaf: 20 }),
  ] as (() => AlphaModel)[]) {
    const m = make();
    it(`${m.name}: saves and loads back with identical predictions`, async () => {
      await m.fit(view);
      const before = await m.predict(view, at);
      const reg = new ModelRegistry(dir);
      const rec = await reg.save(m, { trainingWindow: window, metrics: { ic: 0.03 }, notes: "test" });
      expect(rec.trainingWindow).toEqual({ start: prices.dateStrings()[0], end: prices.dateStrings().at(-1) });
      const { model, record } = await reg.load(m.name, rec.version);
      expect(record).toMatchObject({ name: m.name, kind: m.name, version: rec.version, metrics: { ic: 0.03 }, notes: "test" });
      expect(JSON.parse(JSON.stringify(model.params))).toEqual(JSON.parse(JSON.stringify(m.params)));
      expect(bitDiff(before, await model.predict(view, at))).toEqual([]);
    });
  }

  it("numbers versions, loads the latest by default and leaves no temporary folders", async () => {
    const reg = new ModelRegistry(dir);
    const r1 = await reg.save(new ReversalModel({ lookback: 2 }), { name: "rev", trainingWindow: window });
    const r2 = await reg.save(new ReversalModel({ lookback: 9 }), { name: "rev", trainingWindow: window });
    const both = await Promise.all([1, 2].map((k) => reg.save(new ReversalModel({ lookback: 10 + k }), { name: "rev", trainingWindow: window })));
    expect([r1.version, r2.version]).toEqual([1, 2]);
    expect(both.map((r) => r.version).sort()).toEqual([3, 4]);
    expect(await reg.versions("rev")).toEqual([1, 2, 3, 4]);
    expect((await reg.load("rev", 2)).model.params).toMatchObject({ lookback: 9 });
    expect(readdirSync(join(dir, "rev")).filter((d) => d.startsWith(".tmp"))).toEqual([]);
    expect(existsSync(join(dir, "rev", "v0004", "model.json"))).toBe(true);
    expect(await reg.names()).toContain("rev");
  });

  it("explains bad names, missing models and versions", async () => {
    const reg = new ModelRegistry(dir);
    await expect(reg.save(new ReversalModel(), { name: "../evil", trainingWindow: window })).rejects.toThrow(/name must use letters/);
    await expect(reg.load("nothing-here")).rejects.toThrow(/no saved model named "nothing-here"/);
    await expect(reg.load("rev", 99)).rejects.toThrow(/has no version 99; saved versions: 1, 2, 3, 4/);
  });
});
