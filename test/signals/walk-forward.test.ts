/** walkForward: refit cadence, rolling vs expanding windows, embargo, and out-of-sample-only scores. */
import { describe, expect, it } from "vitest";
import type { Panel } from "../../lib/data/panel.js";
import { PanelView } from "../../lib/data/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { type AlphaModel, type FitOptions, ReversalModel, walkForward } from "../../lib/signals/index.js";
import { fromEpochDay, toEpochDay } from "../../lib/data/dates.js";

/** Records what each fit saw. */
class Recorder implements AlphaModel {
  readonly name = "recorder";
  readonly params = {};
  fits: { end: number; start: number; rows: number }[] = [];
  predictions: { cutoff: number; at: number }[] = [];
  fit(data: PanelView | Panel, options?: FitOptions): void {
    const v = data as PanelView;
    this.fits.push({ end: v.cutoff, start: toEpochDay(options?.start ?? v.dates[0] as number), rows: v.nDates });
  }
  predict(data: PanelView | Panel, at: number | string): Float64Array {
    const v = data as PanelView;
    this.predictions.push({ cutoff: v.cutoff, at: toEpochDay(at) });
    return new Float64Array(v.nAssets).fill(this.fits.length);
  }
}

const { prices } = syntheticPairsMarket({ nAssets: 4, nDays: 200, seed: 3 });

describe("walkForward", () => {
  it("rolling: refits every retrainEvery dates on a window ending embargo dates before the scored date", async () => {
    const m = new Recorder();
    const r = await walkForward(m, prices, { trainWindow: 50, retrainEvery: 20, embargo: 5 });
    expect(r.firstRow).toBe(55);
    expect(m.fits.length).toBe(Math.ceil((200 - 55) / 20));
    m.fits.forEach((f, k) => {
      const scoredRow = 55 + 20 * k;
      expect(f.end).toBe(prices.dates[scoredRow - 5]);
      expect(f.start).toBe(prices.dates[scoredRow - 5 - 49]);
    });
    for (const p of m.predictions) expect(p.cutoff).toBe(p.at);
    // rows before the first scored date stay NaN: only out-of-sample scores
    for (const c of r.scores.columns) {
      expect(Array.from(c.subarray(0, 55)).every(Number.isNaN)).toBe(true);
      expect(c[55]).toBe(1);
      expect(c[75]).toBe(2);
    }
    expect(r.fits[0]).toMatchObject({ trainEnd: fromEpochDay(prices.dates[50] as number), firstScored: fromEpochDay(prices.dates[55] as number), lastScored: fromEpochDay(prices.dates[74] as number) });
  });

  it("expanding: every fit starts at the first date", async () => {
    const m = new Recorder();
    await walkForward(m, prices, { expanding: true, trainWindow: 60, retrainEvery: 50, embargo: 0 });
    expect(m.fits.map((f) => f.start)).toEqual(m.fits.map(() => prices.dates[0]));
    expect(m.fits.map((f) => f.rows)).toEqual([61, 111, 161]);
  });

  it("real model: scores equal a direct predict on a view cut at each date", async () => {
    const model = new ReversalModel({ lookback: 5 });
    const r = await walkForward(model, prices, { trainWindow: 20, retrainEvery: 10 });
    for (const i of [r.firstRow, 100, 199]) {
      const s = model.predict(new PanelView(prices, prices.dates[i] as number), prices.dates[i] as number);
      prices.assets.forEach((_, j) => expect((r.scores.columns[j] as Float64Array)[i]).toBe(s[j]));
    }
  });

  it("checks its options", async () => {
    const m = new Recorder();
    await expect(walkForward(m, prices, { expanding: "yes" as never })).rejects.toThrow(/expanding must be true or false/);
    await expect(walkForward(m, prices, { retrainEvery: 0 })).rejects.toThrow(/retrainEvery must be a positive integer/);
    await expect(walkForward(m, prices, { trainWindow: 500 })).rejects.toThrow(/nothing to score/);
    await expect(walkForward({} as AlphaModel, prices)).rejects.toThrow(/must be an AlphaModel/);
  });
});
