import { describe, expect, it } from "vitest";
import { checkConstruction, Construction } from "../../lib/backtest/construct.js";
import { scoresToWeights } from "../../lib/backtest/index.js";
import { RankScratch, rankAverage } from "../../lib/features/index.js";
import { nativeRankWeights } from "../../lib/stats/index.js";
import { resizable } from "../helpers/buffers.js";


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

describe("scoresToWeights rank: the O(n²) definition, bit for bit, on both paths", () => {
  /** Weights by the definition: average ranks of the finite scores by counting, centred, scaled to Σ|w| = gross. */
  const definition = (x: ArrayLike<number>, gross: number): Float64Array => {
    const finite = Array.from(x, (v) => Number.isFinite(v));
    const m = finite.filter(Boolean).length;
    const out = new Float64Array(x.length);
    if (m < 2) return out;
    const centre = (m + 1) / 2;
    const c = Array.from(x, (v, i) => {
      if (!finite[i]) return 0;
      let below = 0;
      let equal = 0;
      for (let j = 0; j < x.length; j++) if (finite[j] && x[j]! < v) below++;
      else if (finite[j] && x[j] === v) equal++;
      return below + (equal + 1) / 2 - centre;
    });
    const g = c.reduce((s, v) => s + Math.abs(v), 0);
    c.forEach((v, i) => (out[i] = finite[i] ? (g > 0 ? (v * gross) / g : v) : 0));
    return out;
  };
  let seed = 5;
  const u = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const n = 400;
  const rows: Float64Array[] = [
    Float64Array.from({ length: n }, (_, j) => (j % 2 ? 0 : -0)),
    Float64Array.from({ length: n }, (_, j) => (j === 0 ? 1.7e308 : j === 1 ? -1.7e308 : u())),
    Float64Array.from({ length: n }, (_, j) => (j < 3 ? 5e-324 * j : Number.NaN)),
    Float64Array.from({ length: n }, (_, j) => (j === 7 ? 1 : 0)),
    Float64Array.from({ length: n }, () => Number.NaN),
    Float64Array.from({ length: n }, (_, j) => (j === 3 ? 0.5 : Number.NaN)),
    Float64Array.from({ length: n }, (_, j) => (j === 3 ? 0.5 : j % 2 ? Infinity : -Infinity)),
    Float64Array.from({ length: n }, () => 2.5),
    Float64Array.from({ length: n }, () => Math.floor(u() * 5)),
    Float64Array.from({ length: n }, (_, j) => (j % 3 === 0 ? 0.1 : u())),
    Float64Array.from({ length: n }, () => Math.exp(30 * u())),
    Float64Array.from({ length: n }, (_, j) => (j % 9 === 0 ? Number.NaN : j % 11 === 0 ? -Infinity : u() - 0.5)),
    Float64Array.from({ length: n }, (_, j) => 1 + j * Number.EPSILON),
    Float64Array.of(1, 1),
    Float64Array.of(2, -1),
    Float64Array.of(Number.NaN, 3, Infinity),
    new Float64Array(0),
  ];
  for (let r = 0; r < 30; r++) rows.push(Float64Array.from({ length: n }, () => (u() < 0.1 ? Number.NaN : u() < 0.2 ? 0.25 : (u() - 0.5) * 10 ** Math.floor(u() * 6))));
  const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  it("native kernel (when built) and TypeScript give the definition's weights", () => {
    const kernel = nativeRankWeights();
    for (const gross of [1, 2, 0.3, 0]) {
      for (const x of rows) {
        const want = definition(x, gross);
        // a Float64Array takes the addon when built; a plain array of the same numbers takes TypeScript
        expect(same(scoresToWeights(x, { method: "rank", gross }), want)).toBe(true);
        expect(same(scoresToWeights(Array.from(x) as unknown as Float64Array, { method: "rank", gross }), want)).toBe(true);
        const out = new Float64Array(x.length).fill(7);
        expect(same(new Construction(checkConstruction({ gross }), x.length).weights(x, out), want)).toBe(true);
        if (kernel) {
          const k = new Float64Array(x.length).fill(7);
          kernel(x, gross, k);
          expect(same(k, want)).toBe(true);
        }
      }
    }
  });
  it("native kernel: a row-major block of rows in one call gives each row's weights", () => {
    const kernel = nativeRankWeights();
    if (!kernel) return;
    const block = rows.filter((x) => x.length === n);
    const scores = new Float64Array(block.length * n);
    block.forEach((x, r) => scores.set(x, r * n));
    const out = new Float64Array(scores.length);
    kernel(scores, 1, out, block.length);
    block.forEach((x, r) => expect(same(out.subarray(r * n, (r + 1) * n), definition(x, 1))).toBe(true));
    expect(() => kernel(scores, 1, new Float64Array(3), block.length)).toThrow(RangeError);
  });
  it("native kernel: hostile arguments are refused by name, each read once; shared and resizable buffers give the same weights", () => {
    const kernel = nativeRankWeights() as ((...args: unknown[]) => unknown) | null;
    if (!kernel) return;
    const x = Float64Array.of(0.3, -0.1, 0.2, 0.5), out = new Float64Array(4);
    const getter = { valueOf: () => { throw new Error("valueOf ran"); } };
    expect(() => kernel(x, Number.NaN, out)).toThrow(new RangeError("rankWeights: gross must be a finite number, got nan"));
    expect(() => kernel(x, Infinity, out)).toThrow(/gross must be a finite number/);
    expect(() => kernel(x, getter, out)).toThrow(new TypeError("rankWeights: gross must be a number, got a value of type object"));
    expect(() => kernel(x, 1, out, "2")).toThrow(new TypeError("rankWeights: rows must be a number, got a value of type string"));
    expect(() => kernel(x, 1, out, 1.5)).toThrow(/rows must be an integer in \[1, /);
    expect(() => kernel(x, 1, out, 0)).toThrow(/rows must be an integer in \[1, /);
    expect(() => kernel(x, 1, out, 3)).toThrow(new RangeError("rankWeights: rows (3) must divide the scores' length 4"));
    expect(() => kernel(x, 1, new Float64Array(3))).toThrow(new RangeError("rankWeights: out must have the scores' length 4, got 3"));
    expect(() => kernel(new Float32Array(4), 1, out)).toThrow(/scores must be a Float64Array/);
    expect(() => kernel(new Proxy(x, {}), 1, out)).toThrow(/scores must be a Float64Array/);
    expect(() => kernel(x, 1)).toThrow(/expected \(scores: Float64Array, gross: number, out: Float64Array, rows\?: number\), got 2 arguments/);
    // out over the scores' memory (it is written while they are read): refused, the scores untouched
    const both = Float64Array.of(0.3, -0.1, 0.2, 0.5, 0);
    expect(() => kernel(both.subarray(0, 4), 1, both.subarray(1, 5))).toThrow(new RangeError("rankWeights: out must not share memory with scores (pass a separate Float64Array)"));
    expect(() => kernel(x, 1, x)).toThrow(/out must not share memory with scores/);
    expect(Array.from(both)).toEqual([0.3, -0.1, 0.2, 0.5, 0]);
    kernel(x, 1, out, undefined); // an explicit undefined is the default, one row
    const want = Array.from(out);
    expect(want).toEqual(Array.from(definition(x, 1)));
    const buf = new ArrayBuffer(32);
    const gone = new Float64Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(() => kernel(gone, 1, out)).toThrow(new RangeError("rankWeights: out must have the scores' length 0, got 4"));
    expect(kernel(new Float64Array(0), 1, new Float64Array(0), 2 ** 40)).toBeUndefined(); // no 2^40 empty rows walked
    const shared = new Float64Array(new SharedArrayBuffer(32));
    shared.set(x);
    const sharedOut = new Float64Array(new SharedArrayBuffer(32));
    kernel(shared, 1, sharedOut);
    expect(Array.from(sharedOut)).toEqual(want);
    const rab = resizable(48, 64);
    const tracking = new Float64Array(rab);
    tracking.set(x);
    rab.resize(32);
    kernel(tracking, 1, out.fill(9));
    expect(Array.from(out)).toEqual(want);
  });
  it("out sharing the scores' memory reads cleared scores (as before: all 0); out of another length is refused", () => {
    const x = Float64Array.of(0.3, -0.1, 0.2);
    expect(Array.from(scoresToWeights(x, {}, x))).toEqual([0, 0, 0]);
    expect(() => scoresToWeights(x, {}, new Float64Array(4))).toThrow(/out must have the scores' length 3, got 4/);
  });
});
