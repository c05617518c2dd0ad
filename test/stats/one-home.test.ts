/**
 * lib/stats owns the numerics (DESIGN.md "One home per concept"): quantiles with numpy's method names
 * (checked against numpy), selection, the dense Cholesky kernels, the one seeded generator, and the
 * one option helper refusing unknown keys at the numerical entry points.
 */
import { describe, expect, it } from "vitest";
import {
  cholesky,
  choleskyInPlace,
  choleskySemidefinite,
  choleskySolveInPlace,
  createRng,
  eigh,
  Matrix,
  ols,
  quantile,
  quantileInPlace,
  quantileSorted,
  type QuantileMethod,
  seededUniform,
  selectInPlace,
  smallestValues,
  solve,
  solveDense,
} from "../../lib/stats/index.js";
import { rollingMean } from "../../lib/features/rolling.js";
import { expectedShortfall, RiskManager, VaRAnalyzer, valueAtRisk } from "../../lib/risk/index.js";
import { PCAResidualModel } from "../../lib/signals/pca-residual.js";
import { hasVenv, runPython } from "../helpers/python.js";

const METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "nearest", "midpoint"];

/** Samples with ties and a size whose (n − 1)·q lands on exact halves (the "nearest" tie rule). */
function samples(): number[][] {
  const rng = createRng(3);
  return [[4], [2, 1], [3, 1, 2, 5, 4], Array.from({ length: 9 }, (_, i) => i % 3), Array.from({ length: 1001 }, () => Math.round(rng.normal() * 50) / 10), Array.from({ length: 2500 }, () => rng.normal())];
}
const QS = [0, 0.01, 0.05, 0.125, 0.25, 0.375, 0.5, 0.625, 0.9, 0.99, 1];

describe("quantiles", () => {
  it.skipIf(!hasVenv())("every method equals numpy.quantile exactly, by selection and on sorted data", async () => {
    const xs = samples();
    const peer = await runPython<number[][][]>(`
import numpy as np
emit([[[float(np.quantile(np.asarray(x, float), q, method=m)) for q in data["qs"]] for m in data["methods"]] for x in data["xs"]])
`, { xs, qs: QS, methods: METHODS });
    xs.forEach((x, i) => METHODS.forEach((method, k) => QS.forEach((q, j) => {
      const want = peer[i]![k]![j]!;
      expect(quantile(x, q, { method })).toBe(want);
      expect(quantileSorted(Float64Array.from(x).sort(), q, method)).toBe(want);
    })));
  });

  it("selection partitions around the k-th value and never reorders the caller's data", () => {
    const rng = createRng(8);
    for (const n of [1, 2, 17, 700, 5000]) {
      const x = Float64Array.from({ length: n }, () => Math.round(rng.normal() * 20));
      const sorted = x.slice().sort();
      for (const k of [0, Math.floor(n / 3), n - 1]) {
        const a = x.slice();
        selectInPlace(a, k);
        expect(a[k]).toBe(sorted[k]);
        for (let i = 0; i < k; i++) expect(a[i]!).toBeLessThanOrEqual(a[k]!);
        for (let i = k + 1; i < n; i++) expect(a[i]!).toBeGreaterThanOrEqual(a[k]!);
      }
      const copy = x.slice();
      expect(quantile(x, 0.05)).toBe(quantileSorted(sorted, 0.05));
      expect(x).toEqual(copy);
      expect(quantileInPlace(copy, 0.05)).toBe(quantileSorted(sorted, 0.05));
    }
  });

  it("the smallest values (sampled threshold, one pass) hold every order statistic of the tail; historical VaR/ES equal a full sort's", () => {
    const rng = createRng(11);
    const shapes: [string, (n: number) => Float64Array][] = [
      ["normal", (n) => rng.normals(n)],
      ["ties", (n) => Float64Array.from({ length: n }, () => Math.round(rng.normal() * 3))],
      ["ascending", (n) => Float64Array.from({ length: n }, (_, i) => i)],
      ["descending", (n) => Float64Array.from({ length: n }, (_, i) => -i)],
      ["constant", (n) => new Float64Array(n).fill(0.5)],
      ["periodic", (n) => Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? -1 - i / n : i / n))],
    ];
    for (const [, make] of shapes) {
      for (const n of [300, 2520, 10_000]) {
        const x = make(n);
        const copy = x.slice();
        const sorted = x.slice().sort();
        for (const tail of [0.001, 0.01, 0.05, 0.3]) {
          const alpha = 1 - (1 - tail); // as valueAtRisk forms it from the confidence
          const k = Math.floor((n - 1) * alpha);
          const s = smallestValues(x, k + 2).sort();
          let same = true;
          for (let i = 0; i <= k + 1; i++) same &&= s[i] === sorted[i];
          expect(same).toBe(true);
          const q = quantileSorted(sorted, alpha);
          expect(valueAtRisk(x, { confidence: 1 - tail })).toBe(-q);
          let sum = 0, c = 0;
          for (let i = 0; i < n && sorted[i]! <= q; i++) (sum += sorted[i]!), c++;
          expect(expectedShortfall(x, { confidence: 1 - tail })).toBeCloseTo(-sum / c, 13);
        }
        expect(x.every((v, i) => Object.is(v, copy[i]))).toBe(true);
      }
    }
  });

  it("bad q or method is refused; NaN in the data gives NaN", () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(/q must be in \[0, 1\]/);
    expect(() => quantile([1, 2], 0.5, { method: "linar" as never })).toThrow(/method must be one of "linear"/);
    expect(() => quantile([1, 2], 0.5, { metod: "linear" } as never)).toThrow(/unknown option "metod" \(did you mean "method"\?\)/);
    expect(quantile([1, Number.NaN], 0.5)).toBeNaN();
  });
});

describe("dense kernels: one Cholesky", () => {
  const rng = createRng(12);
  const n = 6;
  const g = Array.from({ length: n }, () => Float64Array.from({ length: 20 }, () => rng.normal()));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < 20; t++) a[i * n + j] = a[i * n + j]! + g[i]![t]! * g[j]![t]!;

  it("the in-place factor, cholesky(Matrix) and the solves agree with LU", () => {
    const l = a.slice();
    expect(choleskyInPlace(l, n)).toBe(true);
    const L = cholesky(new Matrix(n, n, a.slice())); // symmetric: column-major = row-major
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(L.get(i, j)).toBe(l[i * n + j]);
    const b = Float64Array.from({ length: n }, (_, i) => i - 2);
    const x = b.slice();
    choleskySolveInPlace(l, n, x);
    const lu = solve(new Matrix(n, n, a.slice()), b);
    const dense = solveDense(a, n, b)!;
    for (let i = 0; i < n; i++) {
      expect(x[i]!).toBeCloseTo(lu[i]!, 10);
      expect(dense[i]!).toBeCloseTo(lu[i]!, 10);
    }
  });

  it("indefinite input fails (false / a RangeError naming the pivot); semidefinite input factors with zero columns", () => {
    expect(choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
    expect(() => cholesky(Matrix.fromRows([[1, 2], [2, 1]]))).toThrow(/pivot 1/);
    // rank 1: [1 2; 2 4]
    const s = Float64Array.of(1, 2, 2, 4);
    expect(choleskyInPlace(s.slice(), 2)).toBe(false);
    const L = choleskySemidefinite(s, 2);
    expect(Array.from(L)).toEqual([1, 0, 2, 0]);
    expect(solveDense(Float64Array.of(1, 2, 2, 4), 2, Float64Array.of(1, 1))).toBeNull();
  });
});

describe("the one seeded generator", () => {
  it("seededUniform is createRng's stream (seeds reduced to 32 bits)", () => {
    const u = seededUniform(7);
    const r = createRng(7);
    for (let i = 0; i < 100; i++) expect(u()).toBe(r.next());
    const v = seededUniform(-1);
    const w = createRng(2 ** 32 - 1);
    expect(v()).toBe(w.next());
    expect(() => seededUniform(Number.NaN)).toThrow(/seed/);
  });
});

describe("unknown option keys are refused with a suggestion", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["ols", () => ols([1, 2, 3, 4], [1, 2, 4, 3], { covType: "HAC" } as never), /ols: unknown option "covType" \(did you mean "cov"\?\)/],
    ["eigh", () => eigh(Matrix.identity(2), { backnd: "ts" } as never), /eigh: unknown option "backnd" \(did you mean "backend"\?\)/],
    ["rollingMean", () => rollingMean([1, 2, 3], 2, { minPeriod: 1 } as never), /unknown option "minPeriod" \(did you mean "minPeriods"\?\)/],
    ["valueAtRisk", () => valueAtRisk([0.01, -0.02, 0.005], { confidenceLevel: 0.99 } as never), /valueAtRisk: unknown option "confidenceLevel" \(did you mean "confidence"\?\)/],
    ["VaRAnalyzer", () => new VaRAnalyzer({ simulation: 1000 } as never), /VaRAnalyzer: unknown option "simulation" \(did you mean "simulations"\?\)/],
    ["RiskManager", () => new RiskManager({ maxLeverag: 2 } as never), /RiskManager: unknown option "maxLeverag" \(did you mean "maxLeverage"\?\)/],
    ["PCAResidualModel", () => new PCAResidualModel({ factor: 5 } as never), /PCAResidualModel: unknown option "factor" \(did you mean "factors"\?\)/],
  ];
  for (const [name, f, re] of cases) it(name, () => expect(f).toThrow(re));
});
