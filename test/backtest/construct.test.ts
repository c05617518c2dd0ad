import { describe, expect, it } from "vitest";
import { scoresToWeights } from "../../lib/backtest/index.js";

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
