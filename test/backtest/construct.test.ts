import { describe, expect, it } from "vitest";
import { scoresToWeights } from "../../lib/backtest/index.js";
import { RankScratch, rankAverage } from "../../lib/features/index.js";

const sum = (w: Float64Array) => w.reduce((s, v) => s + v, 0);
const gross = (w: Float64Array) => w.reduce((s, v) => s + Math.abs(v), 0);

describe("scoresToWeights (built-in dollar-neutral construction)", () => {
  const s = Float64Array.from([0.3, Number.NaN, -0.1, 0.3, 0.05, -0.4]);
  it("rank: dollar neutral, gross as asked, ties equal, NaN gets 0", () => {
    const w = scoresToWeights(s, { method: "rank", gross: 2 });
    expect(sum(w)).toBeCloseTo(0, 14);
    expect(gross(w)).toBeCloseTo(2, 14);
    expect(w[1]).toBe(0);
    expect(w[0]).toBe(w[3]);
    expect(w[5]!).toBeLessThan(w[2]!);
  });
  it("zscore and topk", () => {
    const z = scoresToWeights(s, { method: "zscore" });
    expect(sum(z)).toBeCloseTo(0, 14);
    expect(gross(z)).toBeCloseTo(1, 14);
    const t = scoresToWeights(s, { method: "topk", k: 1 });
    expect(Array.from(t).filter((v) => v !== 0)).toHaveLength(2);
    expect(t[5]).toBe(-0.5);
  });
  it("proportional keeps position-like signals as they are", () => {
    const w = scoresToWeights(Float64Array.from([1, -1, 0, Number.NaN, 1, -1]), { method: "proportional", gross: 1 });
    expect(Array.from(w)).toEqual([0.25, -0.25, 0, 0, 0.25, -0.25]);
  });
  it("checks its options", () => {
    expect(() => scoresToWeights(s, { method: "equal" as never })).toThrow(/portfolio.method must be/);
    expect(() => scoresToWeights(s, { gross: -1 })).toThrow(/portfolio.gross/);
    expect(() => scoresToWeights(s, { method: "topk", k: 0 })).toThrow(/portfolio.k/);
  });
});

describe("rankAverage (the rank construction's ranks)", () => {
  /** Average 1-based ranks by counting (O(n²)): the definition. */
  const reference = (x: Float64Array): Float64Array =>
    x.map((v) => {
      if (Number.isNaN(v)) return Number.NaN;
      let below = 0;
      let equal = 0;
      for (const w of x) if (w < v) below++;
      else if (w === v) equal++;
      return below + (equal + 1) / 2;
    });
  it("bucket sort (RankScratch), the quicksort form and no scratch give the definition's ranks on hostile rows", () => {
    let seed = 11;
    const u = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const n = 300;
    const rows: Float64Array[] = [
      Float64Array.from({ length: n }, (_, j) => (j % 2 ? 0 : -0)),
      Float64Array.from({ length: n }, (_, j) => (j === 0 ? 1.7e308 : j === 1 ? -1.7e308 : u())),
      Float64Array.from({ length: n }, (_, j) => (j < 3 ? 5e-324 * j : Number.NaN)),
      Float64Array.from({ length: n }, (_, j) => (j === 7 ? 1 : 0)),
      Float64Array.from({ length: n }, () => Number.NaN),
      new Float64Array(0),
      Float64Array.of(3),
      Float64Array.from({ length: n }, () => Math.floor(u() * 5)),
      Float64Array.from({ length: n }, () => Math.exp(30 * u())),
      Float64Array.from({ length: n }, (_, j) => (j % 9 === 0 ? Number.NaN : u() - 0.5)),
      Float64Array.from({ length: n }, (_, j) => 1 + j * Number.EPSILON),
    ];
    for (let r = 0; r < 40; r++) rows.push(Float64Array.from({ length: n }, () => (u() < 0.1 ? Number.NaN : u() < 0.2 ? 0.25 : (u() - 0.5) * 10 ** Math.floor(u() * 6))));
    const scratch = new RankScratch(n);
    for (const x of rows) {
      const want = reference(x);
      const count = x.filter((v) => !Number.isNaN(v)).length;
      const outs = [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(x.length)];
      expect(rankAverage(x, outs[0]!, scratch)).toBe(count);
      expect(rankAverage(x, outs[1]!, new Int32Array(x.length), new Float64Array(x.length))).toBe(count);
      expect(rankAverage(x, outs[2]!)).toBe(count);
      for (const out of outs) expect(Array.from(out)).toEqual(Array.from(want));
    }
  });
});
