/**
 * lib/stats, lib/features/rolling+ewm, lib/analytics/metrics and lib/risk/var without peers:
 * algebraic identities, bad input (clear errors or documented NaN), determinism.
 * The numerical agreement with statsmodels/pandas/empyrical is in test/peers.
 */
import { describe, expect, it } from "vitest";
import {
  Matrix,
  adf,
  cholesky,
  coint,
  createRng,
  eigh,
  halfLife,
  hasNativeLinalg,
  hedgeRatio,
  inverse,
  johansen,
  lstsq,
  mackinnonCriticalValues,
  mackinnonPValue,
  matmul,
  normalCdf,
  normalPpf,
  ols,
  ouFit,
  pca,
  quantile,
  solve,
  studentTCdf,
} from "../../lib/stats/index.js";
import { linalgAddon } from "../../lib/stats/native-linalg.js";
import { hasVenv, runPython } from "../helpers/python.js";
import { rollingMax, rollingMean, rollingMin, rollingStd, rollingZ } from "../../lib/features/rolling.js";
import { ewmAlpha, ewmMean } from "../../lib/features/ewm.js";
import { annualVolatility, maxDrawdown, sharpeRatio, winRate, drawdownSeries } from "../../lib/analytics/metrics.js";
import { performanceSummary } from "../../lib/analytics/performance-summary.js";
import { expectedShortfall, historicalTail, valueAtRisk } from "../../lib/risk/var.js";
import { componentVaR } from "../../lib/risk/component-var.js";
import { resizable } from "../helpers/buffers.js";


function randomWalk(n: number, seed: number, phi = 1): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) x[i] = phi * (x[i - 1] as number) + rng.normal();
  return x;
}

function spd(n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const a = new Matrix(n, n, rng.normals(n * n));
  const m = matmul(a.transpose(), a);
  for (let i = 0; i < n; i++) m.set(i, i, m.get(i, i) + n);
  return m;
}

describe("linear algebra", () => {
  it("solve, inverse and cholesky reproduce the identity", () => {
    const a = spd(12, 1);
    const inv = inverse(a);
    const id = matmul(a, inv);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) expect(id.get(i, j)).toBeCloseTo(i === j ? 1 : 0, 12);
    const l = cholesky(a);
    const llt = matmul(l, l.transpose());
    for (let i = 0; i < a.data.length; i++) expect(llt.data[i]).toBeCloseTo(a.data[i] as number, 10);
    const b = Float64Array.from({ length: 12 }, (_, i) => i - 3);
    const x = solve(a, b);
    const ax = matmul(a, new Matrix(12, 1, x));
    for (let i = 0; i < 12; i++) expect(ax.data[i]).toBeCloseTo(b[i] as number, 10);
  });
  it("singular and non-SPD inputs throw clear errors", () => {
    const s = Matrix.fromRows([[1, 2], [2, 4]]);
    expect(() => solve(s, [1, 2])).toThrow(/singular/);
    expect(() => cholesky(Matrix.fromRows([[1, 2], [2, 1]]))).toThrow(/not positive definite/);
    expect(() => lstsq(Matrix.fromColumns([[1, 1, 1], [2, 2, 2]]), [1, 2, 3])).toThrow(/singular/);
  });
  it("eigh: A·v = λ·v, orthonormal, ascending, deterministic sign, TS and native agree", () => {
    for (const n of [1, 2, 5, 40]) {
      const a = spd(n, n);
      const { values, vectors } = eigh(a, { backend: "ts" });
      for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1] as number);
      const av = matmul(a, vectors);
      for (let j = 0; j < n; j++) {
        let norm = 0, big = 0;
        for (let i = 0; i < n; i++) {
          expect(av.get(i, j)).toBeCloseTo((values[j] as number) * vectors.get(i, j), 8);
          norm += vectors.get(i, j) ** 2;
          if (Math.abs(vectors.get(i, j)) > Math.abs(big)) big = vectors.get(i, j);
        }
        expect(norm).toBeCloseTo(1, 12);
        expect(big).toBeGreaterThan(0);
      }
      if (hasNativeLinalg()) {
        const nat = eigh(a, { backend: "native" });
        for (let j = 0; j < n; j++) expect(nat.values[j]).toBeCloseTo(values[j] as number, 8);
        for (let i = 0; i < n * n; i++) expect(nat.vectors.data[i]).toBeCloseTo(vectors.data[i] as number, 7);
      }
    }
  });
  it("eigh: rank-deficient matrices (clusters of zero eigenvalues) converge; the threaded native path (n ≥ 128) matches TypeScript", () => {
    const n = 200;
    const rng = createRng(77);
    const b = new Matrix(n, 20, rng.normals(n * 20));
    const a = matmul(b, b.transpose()); // rank 20
    const ts = eigh(a, { backend: "ts" });
    for (let j = 0; j < n - 20; j++) expect(Math.abs(ts.values[j] as number)).toBeLessThan(1e-10 * (ts.values[n - 1] as number));
    const av = matmul(a, ts.vectors);
    for (let j = n - 20; j < n; j++) for (let i = 0; i < n; i += 17) expect(av.get(i, j)).toBeCloseTo((ts.values[j] as number) * ts.vectors.get(i, j), 8);
    if (hasNativeLinalg()) {
      const c = spd(n, 78);
      const t1 = eigh(c, { backend: "ts" }), t2 = eigh(c, { backend: "native" });
      for (let j = 0; j < n; j++) expect(t2.values[j]).toBeCloseTo(t1.values[j] as number, 9);
      for (let i = 0; i < n * n; i++) expect(t2.vectors.data[i]).toBeCloseTo(t1.vectors.data[i] as number, 7);
      expect(eigh(a, { backend: "native" }).values[n - 1]).toBeCloseTo(ts.values[n - 1] as number, 8);
    }
  });
  it.skipIf(!hasNativeLinalg())("the native eigh refuses hostile arguments with JavaScript errors (never an abort); its Eigen path agrees with LAPACK's", () => {
    const addon = linalgAddon()! as ReturnType<typeof linalgAddon> & { eighEigen?: (a: Float64Array, n: number, v: Float64Array, z: Float64Array) => void };
    const v = new Float64Array(2), z = new Float64Array(4), a = Float64Array.of(2, 1, 1, 2);
    expect(() => addon.eigh(Float64Array.of(1, 2, 3), 2, v, z)).toThrow(/a must have length 4, got 3/);
    expect(() => addon.eigh(Float64Array.of(Number.NaN, 0, 0, 1), 2, v, z)).toThrow(RangeError);
    expect(() => addon.eigh(a, 2.5, v, z)).toThrow(/n must be an integer/);
    expect(() => addon.eigh(a, -1, v, z)).toThrow(RangeError);
    expect(() => addon.eigh(a, "2" as never, v, z)).toThrow(TypeError);
    expect(() => addon.eigh(Float32Array.of(2, 1, 1, 2) as never, 2, v, z)).toThrow(/a must be a Float64Array/);
    expect(() => (addon.eigh as (...x: unknown[]) => void)(a, 2, v)).toThrow(TypeError);
    const buf = new ArrayBuffer(32);
    const detached = new Float64Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(() => addon.eigh(detached, 2, v, z)).toThrow(/a must have length 4, got 0/);
    const c = spd(60, 79);
    const lapack = eigh(c, { backend: "native" });
    if (addon.eighEigen) {
      const w = new Float64Array(60), q = new Float64Array(3600);
      addon.eighEigen(c.data, 60, w, q);
      const sorted = Float64Array.from(w).sort();
      for (let j = 0; j < 60; j++) expect(sorted[j]).toBeCloseTo(lapack.values[j]!, 10);
    }
  });
  it.skipIf(!hasNativeLinalg())("eigh's native divide and conquer (n > 25; LAPACK's dstedc where it declines): orthonormal, A·V = V·Λ, TypeScript agrees", () => {
    const rng = createRng(83);
    const block = (n: number): Matrix => { // two SPD blocks: a zero off-diagonal entry in the tridiagonal (dstedc splits it)
      const m = new Matrix(n, n);
      for (const [o, b] of [[0, spd(n >> 1, 84)], [n >> 1, spd(n - (n >> 1), 85)]] as const) for (let j = 0; j < b.cols; j++) for (let i = 0; i < b.rows; i++) m.set(o + i, o + j, b.get(i, j));
      return m;
    };
    const clustered = (n: number): Matrix => { // values 1, 2, 3 repeated, broken by 1e-9: deflation in every merge
      const m = new Matrix(n, n);
      for (let j = 0; j < n; j++) for (let i = j; i < n; i++) { const v = (i === j ? 1 + (i % 3) : 0) + 1e-9 * rng.normal(); m.set(i, j, v), m.set(j, i, v); }
      return m;
    };
    const tiny = spd(60, 86);
    tiny.data.forEach((v, i) => (tiny.data[i] = v * 1e-143)); // a tridiagonal norm below 1e-140: dstedc
    for (const a of [spd(26, 87), spd(27, 88), spd(150, 89), block(90), clustered(120), tiny]) {
      const n = a.rows, { values, vectors } = eigh(a, { backend: "native" }), ts = eigh(a, { backend: "ts" });
      const vtv = matmul(vectors.transpose(), vectors), av = matmul(a, vectors);
      const top = Math.max(Math.abs(values[0]!), Math.abs(values[n - 1]!));
      let orth = 0, res = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        orth = Math.max(orth, Math.abs(vtv.get(i, j) - (i === j ? 1 : 0)));
        res = Math.max(res, Math.abs(av.get(i, j) - values[j]! * vectors.get(i, j)) / top);
      }
      expect(orth).toBeLessThan(1e-13);
      expect(res).toBeLessThan(1e-13);
      for (let j = 0; j < n; j++) expect(Math.abs(values[j]! - ts.values[j]!) / top).toBeLessThan(1e-12);
    }
  });
  it.skipIf(!hasNativeLinalg())("the native eigh reads each argument once: getters, proxies, shared and resizable buffers, aliased outputs, n at its bounds", () => {
    const eighRaw = linalgAddon()!.eigh as (...x: unknown[]) => unknown;
    const a = Float64Array.of(2, 1, 1, 2), v = new Float64Array(2), z = new Float64Array(4);
    const getter = { valueOf: () => { throw new Error("valueOf ran"); } };
    expect(() => eighRaw(a, getter, v, z)).toThrow(new TypeError("eigh: n must be a number, got a value of type object"));
    expect(() => eighRaw(new Proxy(a, {}), 2, v, z)).toThrow(/eigh: a must be a Float64Array/);
    expect(() => eighRaw(a, 2, new Float32Array(2), z)).toThrow(/eigh: values must be a Float64Array/);
    for (const bad of [46341, 1e300, Number.NaN, Infinity, -0.5]) expect(() => eighRaw(a, bad, v, z)).toThrow(/eigh: n must be an integer in \[0, 46340\]/);
    // outputs sharing memory with each other or with a: refused, nothing written
    const buf = new Float64Array(8).fill(7);
    expect(() => eighRaw(a, 2, buf.subarray(0, 2), buf.subarray(1, 5))).toThrow(new RangeError("eigh: values must not share memory with vectors (pass a separate Float64Array)"));
    expect(() => eighRaw(a, 2, v, a)).toThrow(/eigh: vectors must not share memory with a/);
    expect(() => eighRaw(buf.subarray(0, 4), 2, v, buf.subarray(3, 7))).toThrow(/vectors must not share memory with a/);
    expect(Array.from(buf)).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
    eighRaw(a, 2, buf.subarray(0, 2), buf.subarray(2, 6)); // adjacent, not overlapping
    expect(Array.from(buf.subarray(0, 2), (x) => Math.round(x * 1e12) / 1e12).sort()).toEqual([1, 3]);
    // n = 0 and 1
    expect(eighRaw(new Float64Array(0), 0, new Float64Array(0), new Float64Array(0))).toBeUndefined();
    const v1 = new Float64Array(1), z1 = new Float64Array(1);
    eighRaw(Float64Array.of(-3.5), 1, v1, z1);
    expect([v1[0], z1[0]]).toEqual([-3.5, 1]);
    expect(() => eighRaw(Float64Array.of(Number.NaN), 1, v1, z1)).toThrow(/NaN or infinite/);
    // a SharedArrayBuffer and a resizable (length-tracking) buffer: read as they are now, the same bits
    const c = spd(40, 90), want = eigh(c, { backend: "native" });
    const shared = new Float64Array(new SharedArrayBuffer(8 * 1600));
    shared.set(c.data);
    const sv = new Float64Array(new SharedArrayBuffer(8 * 40)), sz = new Float64Array(new SharedArrayBuffer(8 * 1600));
    eighRaw(shared, 40, sv, sz);
    expect(Array.from(sv)).toEqual(Array.from(want.values));
    expect(Array.from(sz)).toEqual(Array.from(want.vectors.data));
    const rab = resizable(8 * 1600, 8 * 1700);
    const tracking = new Float64Array(rab);
    tracking.set(c.data);
    const rv = new Float64Array(40), rz = new Float64Array(1600);
    eighRaw(tracking, 40, rv, rz);
    expect(Array.from(rv)).toEqual(Array.from(want.values));
    rab.resize(8 * 1599);
    expect(() => eighRaw(tracking, 40, rv, rz)).toThrow(new RangeError("eigh: a must have length 1600, got 1599"));
    rab.resize(0);
    expect(() => eighRaw(tracking, 40, rv, rz)).toThrow(/a must have length 1600, got 0 \(a detached or emptied buffer\)/);
    // the upper triangle is checked for finiteness but never read: a non-symmetric a is its lower triangle's matrix
    const lower = Float64Array.from(c.data);
    for (let j = 0; j < 40; j++) for (let i = 0; i < j; i++) lower[j * 40 + i] = (i * 7 + j) % 5;
    const lv = new Float64Array(40), lz = new Float64Array(1600);
    eighRaw(lower, 40, lv, lz);
    expect(Array.from(lv)).toEqual(Array.from(want.values));
  });
  it.skipIf(!hasNativeLinalg())("eigh's divide and conquer on adversarial matrices: ‖VᵀV − I‖, ‖AV − VΛ‖/‖A‖ below 1e-13, values as numpy's eigvalsh", async () => {
    const rng = createRng(91);
    const n = 84;
    const orthogonal = spd(n, 92); // its eigenvectors: a random orthogonal Q
    const q = eigh(orthogonal, { backend: "ts" }).vectors;
    const withValues = (lam: number[]): Matrix => matmul(matmul(q, Matrix.fromRows(lam.map((l, i) => lam.map((_, j) => (i === j ? l : 0))))), q.transpose());
    const wilkinson = new Matrix(n, n); // four glued Wilkinson W21+ (pairs equal to ~1e-14), glue 1e-10
    for (let i = 0; i < n; i++) {
      wilkinson.set(i, i, Math.abs(10 - (i % 21)));
      if (i + 1 < n) { const e = (i + 1) % 21 === 0 ? 1e-10 : 1; wilkinson.set(i + 1, i, e), wilkinson.set(i, i + 1, e); }
    }
    const graded = spd(n, 93); // rows and columns scaled 1 … 1e-12
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) graded.set(i, j, graded.get(i, j) * 10 ** (-12 * (i + j) / (2 * (n - 1))));
    const b = new Matrix(n, 5, rng.normals(5 * n));
    const cases: [string, Matrix][] = [
      ["wilkinson", wilkinson],
      ["graded", graded],
      ["cluster", withValues(Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 + 1e-12 * i : 2 + i)))],
      ["geometric", withValues(Array.from({ length: n }, (_, i) => 10 ** (-15 * i / (n - 1))))],
      ["rank5", matmul(b, b.transpose())],
      ["scaled1e130", new Matrix(n, n, spd(n, 94).data.map((x) => x * 1e130))],
      ["scaled1e-130", new Matrix(n, n, spd(n, 94).data.map((x) => x * 1e-130))],
      ["scaled1e150", new Matrix(n, n, spd(n, 94).data.map((x) => x * 1e150))],
      ["scaled1e-150", new Matrix(n, n, spd(n, 94).data.map((x) => x * 1e-150))],
    ];
    const got: number[][] = [];
    for (const [name, a] of cases) {
      const { values, vectors } = eigh(a, { backend: "native" });
      const top = a.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      let orth = 0, res = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        let vtv = 0, av = 0;
        for (let k = 0; k < n; k++) vtv += vectors.get(k, i) * vectors.get(k, j), av += (a.get(i, k) / top) * vectors.get(k, j);
        orth = Math.max(orth, Math.abs(vtv - (i === j ? 1 : 0)));
        res = Math.max(res, Math.abs(av - (values[j]! / top) * vectors.get(i, j)));
      }
      expect([name, orth < 1e-13, res < 1e-13]).toEqual([name, true, true]);
      got.push(Array.from(values, (x) => x / top));
    }
    if (!hasVenv()) return;
    const ref = await runPython<number[][]>("import numpy as np\nemit([(np.linalg.eigvalsh(np.array(m).reshape(84, 84)) / np.abs(m).max()).tolist() for m in data])", cases.map(([, a]) => Array.from(a.data)));
    cases.forEach(([name], c) => expect([name, Math.max(...got[c]!.map((x, i) => Math.abs(x - ref[c]![i]!)))]).toEqual([name, expect.closeTo(0, 13)]));
  });
  it("eigh handles repeated eigenvalues (identity, block matrices)", () => {
    const { values, vectors } = eigh(Matrix.identity(6), { backend: "ts" });
    expect(Array.from(values)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Math.abs(vectors.get(0, 0))).toBeCloseTo(1, 12);
    expect(() => eigh(Matrix.fromRows([[1, Number.NaN], [Number.NaN, 1]]))).toThrow(/NaN/);
  });
  it("eigh refuses a NaN or ±Infinity anywhere (upper triangle too) on every path; matrices LAPACK must scale (max |a| near 1e±150) decompose", () => {
    for (const backend of ["auto", "ts", ...(hasNativeLinalg() ? ["native" as const] : [])] as const) {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const a = spd(40, 81);
        a.data[3 * 40 + 1] = bad; // row 1, column 3: upper triangle, never read by the solvers
        expect(() => eigh(a, { backend })).toThrow(new RangeError("eigh: matrix contains NaN or infinite values"));
      }
    }
    const c = spd(50, 82);
    const ref = eigh(c, { backend: "ts" });
    for (const scale of [1e-150, 1e150]) {
      const got = eigh(new Matrix(50, 50, c.data.map((v) => v * scale)));
      for (let j = 0; j < 50; j++) expect(got.values[j]! / scale).toBeCloseTo(ref.values[j]!, 8);
      for (let i = 0; i < 2500; i++) expect(got.vectors.data[i]).toBeCloseTo(ref.vectors.data[i]!, 7);
    }
  });
});

describe("ols", () => {
  it("recovers known coefficients and its result is frozen", () => {
    const rng = createRng(3);
    const n = 400;
    const x1 = rng.normals(n), x2 = rng.normals(n);
    const y = x1.map((v, i) => 1.5 + 2 * v - 0.5 * (x2[i] as number) + 0.01 * rng.normal());
    const r = ols(y, [x1, x2]);
    expect(r.params[0]).toBeCloseTo(1.5, 2);
    expect(r.params[1]).toBeCloseTo(2, 2);
    expect(r.params[2]).toBeCloseTo(-0.5, 2);
    expect(r.names).toEqual(["const", "x0", "x1"]);
    expect(r.kConstant).toBe(1);
    expect(Object.isFrozen(r)).toBe(true);
    // no constant added twice: a ones column already present is kept
    const withOnes = ols(y, [new Float64Array(n).fill(1), x1, x2]);
    expect(withOnes.params.length).toBe(3);
  });
  it("bad input: mismatched lengths, NaN, singular design, too few observations", () => {
    expect(() => ols([1, 2, 3], [[1, 2]])).toThrow();
    expect(() => ols([1, 2, 3, 4], [1, 2, 3])).toThrow(/4 observations but X has 3 rows/);
    expect(() => ols([1, 2, Number.NaN, 4, 5], [1, 2, 3, 4, 6])).toThrow(/NaN.*missing: "drop"/);
    expect(ols([1, 2, Number.NaN, 4, 5], [1, 2, 3, 4, 6], { missing: "drop" }).nobs).toBe(4);
    expect(() => ols([1, 2, 3, 4, 5], [Float64Array.of(1, 2, 3, 4, 5), Float64Array.of(2, 4, 6, 8, 10)])).toThrow(/singular design/);
    expect(() => ols([1, 2], [3, 4])).toThrow(/more observations than regressors/);
    expect(() => ols([1, 2, 3], [1, 2, 4], { cov: "HC0" as never })).toThrow(/cov must be/);
  });
});

describe("unit-root and cointegration tests", () => {
  it("ADF rejects a unit root for a stationary AR(1) and not for a random walk", () => {
    expect(adf(randomWalk(1000, 5, 0.5)).pValue).toBeLessThan(0.01);
    expect(adf(randomWalk(1000, 6)).pValue).toBeGreaterThan(0.05);
    const r = adf(randomWalk(500, 7), { autolag: null, maxlag: 3 });
    expect(r.usedLag).toBe(3);
    expect(Number.isNaN(r.icBest)).toBe(true);
    expect(r.nullHypothesis).toBe("unit root");
    expect(Object.keys(r.criticalValues)).toEqual(["1%", "5%", "10%"]);
  });
  it("ADF bad input", () => {
    expect(() => adf([])).toThrow(/empty/);
    expect(() => adf(new Float64Array(50).fill(3))).toThrow(/constant/);
    expect(() => adf([1, 2, Number.NaN, 4, 5, 6, 7, 8, 9, 10])).toThrow(/NaN/);
    expect(() => adf(randomWalk(100, 1), { maxlag: 60 })).toThrow(/maxlag must be ≤/);
    expect(() => adf(randomWalk(100, 1), { regression: "x" as never })).toThrow(/regression must be one of/);
    expect(() => adf(randomWalk(100, 1), { autolag: "aic" as never })).toThrow(/autolag must be/);
  });
  it("MacKinnon tables: asymptotic ADF critical values and p-value monotonicity", () => {
    expect(mackinnonCriticalValues(1, "c")).toEqual([-3.43035, -2.86154, -2.56677]);
    expect(mackinnonPValue(-2.86154, "c")).toBeCloseTo(0.05, 2);
    expect(mackinnonPValue(-30, "c")).toBe(0);
    expect(mackinnonPValue(5, "c")).toBe(1);
    expect(mackinnonPValue(-4, "ct")).toBeLessThan(mackinnonPValue(-3, "ct"));
  });
  it("coint finds a cointegrated pair; collinear series give −∞; mismatched lengths throw", () => {
    const x = randomWalk(800, 11);
    const noise = createRng(12).normals(800);
    const y = x.map((v, i) => 2 * v + 0.5 * (noise[i] as number));
    expect(coint(y, x).pValue).toBeLessThan(0.01);
    const exact = coint(x.map((v) => 3 * v + 1), x);
    expect(exact.statistic).toBe(-Infinity);
    expect(exact.pValue).toBe(0);
    expect(() => coint(y, x.subarray(1))).toThrow(/observations/);
  });
  it("johansen: rank 1 for a cointegrated pair; bad options throw", () => {
    const x = randomWalk(1000, 21);
    const e = createRng(22).normals(1000);
    const y = x.map((v, i) => v + (e[i] as number));
    const j = johansen([x, y], { detOrder: 0, kArDiff: 1 });
    expect(j.trace[0]).toBeGreaterThan(j.traceCrit.get(0, 2));
    expect(j.trace[1]).toBeLessThan(j.traceCrit.get(1, 2));
    expect(() => johansen([x, y], { detOrder: -2 })).toThrow(/detOrder/);
    expect(() => johansen([x.subarray(0, 5), y.subarray(0, 5)], { kArDiff: 2 })).toThrow(/too few/);
  });
  it("half-life, hedge ratio and OU fit on a simulated OU process", () => {
    const rng = createRng(31);
    const n = 5000;
    const s = new Float64Array(n);
    for (let i = 1; i < n; i++) s[i] = 0.95 * (s[i - 1] as number) + 0.1 * rng.normal();
    expect(Math.abs(halfLife(s) / (Math.log(2) / -Math.log(0.95)) - 1)).toBeLessThan(0.3);
    const x = randomWalk(n, 32);
    expect(hedgeRatio(x.map((v, i) => 1.7 * v + (s[i] as number)), x)).toBeCloseTo(1.7, 1);
    const f = ouFit(s);
    expect(f.b).toBeCloseTo(0.95, 1);
    expect(f.kappa).toBeCloseTo(-Math.log(f.b) * 252, 10);
    expect(f.sigmaEq).toBeCloseTo(Math.sqrt(f.varZeta / (1 - f.b * f.b)), 12);
    expect(halfLife(randomWalk(200, 3).map((v, i) => v + i))).toBe(Infinity);
    expect(() => halfLife(new Float64Array(30).fill(1))).toThrow(/constant/);
    expect(() => ouFit([1, 2])).toThrow(/at least 4/);
  });
});

describe("pca", () => {
  it("eigenvalues descending, explained sums to 1, deterministic signs", () => {
    const rng = createRng(41);
    const f = rng.normals(500);
    const cols = Array.from({ length: 6 }, () => f.map((v) => v + 0.5 * rng.normal()));
    const r = pca(cols, { standardize: true });
    for (let j = 1; j < 6; j++) expect(r.eigenvalues[j]).toBeLessThanOrEqual(r.eigenvalues[j - 1] as number);
    expect(Array.from(r.explained).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.explained[0]).toBeGreaterThan(0.5);
    expect(pca(cols, { k: 2 }).eigenvectors.cols).toBe(2);
    expect(() => pca(cols, { k: 9 })).toThrow(/k must be/);
    expect(() => pca([...cols, new Float64Array(500).fill(2)])).toThrow(/constant/);
  });
});

describe("distributions and rng", () => {
  it("normal cdf/ppf round trip and symmetry", () => {
    for (const p of [1e-200, 1e-10, 0.01, 0.3, 0.5, 0.77, 0.999]) expect(normalCdf(normalPpf(p)) / p).toBeCloseTo(1, 12);
    expect(normalPpf(0)).toBe(-Infinity);
    expect(Number.isNaN(normalPpf(1.5))).toBe(true);
    expect(studentTCdf(0, 5)).toBe(0.5);
  });
  it("createRng is reproducible, uniform in [0,1), and rejects bad seeds", () => {
    const a = createRng(123), b = createRng(123), c = createRng(124);
    const xs = a.uniforms(10000);
    expect(Array.from(b.uniforms(10000))).toEqual(Array.from(xs));
    expect(c.next()).not.toBe(xs[0]);
    let mean = 0;
    for (const v of xs) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
      mean += v;
    }
    expect(mean / xs.length).toBeCloseTo(0.5, 1);
    const z = createRng(5).normals(20000);
    expect(quantile(z, 0.5)).toBeCloseTo(0, 1);
    expect(() => createRng(-1)).toThrow(/seed/);
    expect(createRng(9).int(10)).toBeLessThan(10);
  });
});

describe("rolling and ewm windows", () => {
  it("a window of equal values has std exactly 0 and z-score NaN (pandas gives rounding noise there)", () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => (i >= 30 && i < 70 ? 123.456 : Math.sin(i) + 100));
    const s = rollingStd(x, 20);
    for (let i = 49; i < 70; i++) expect(s[i]).toBe(0);
    expect(Number.isNaN((rollingZ(x, 20) as Float64Array)[60] as number)).toBe(true);
  });
  it("min/max by deque equal the naive window extrema", () => {
    const x = createRng(51).normals(300);
    const mn = rollingMin(x, 17), mx = rollingMax(x, 17);
    for (let i = 16; i < 300; i++) {
      const w = Array.from(x.subarray(i - 16, i + 1));
      expect(mn[i]).toBe(Math.min(...w));
      expect(mx[i]).toBe(Math.max(...w));
    }
  });
  it("window longer than the data gives all NaN; bad options throw", () => {
    expect(Array.from(rollingMean([1, 2, 3], 5)).every(Number.isNaN)).toBe(true);
    expect(() => rollingMean([1, 2, 3], 0)).toThrow(/window must be a positive integer/);
    expect(() => rollingMean([1, 2, 3], 2, { minPeriods: 3 })).toThrow(/minPeriods/);
    expect(() => ewmMean([1, 2], {})).toThrow(/exactly one of com, span, halflife, alpha/);
    expect(() => ewmMean([1, 2], { span: 3, alpha: 0.5 })).toThrow(/exactly one/);
    expect(ewmAlpha({ span: 19 })).toBeCloseTo(0.1, 15);
  });
});

describe("metrics and VaR", () => {
  it("historical VaR/ES read the returns' length once, the engine's (the native candidate pass sees the same): own length getters never run, resizable/detached buffers and proxies", () => {
    const x = createRng(14).normals(5000).map((v) => v / 100);
    const o = { confidence: 0.99 };
    const want = [valueAtRisk(x, o), expectedShortfall(x, o)];
    // an own `length` that lies (and would shrink the buffer): never read
    const buf = resizable(8 * 5000, 8 * 5000);
    const y = new Float64Array(buf);
    y.set(x);
    let ran = 0;
    Object.defineProperty(y, "length", { get: () => (ran++, buf.resize(8 * 300), 5000) });
    expect([valueAtRisk(y, o), expectedShortfall(y, o)]).toEqual(want);
    expect(historicalTail(y, 0.01).es).toBe(want[1]);
    expect(ran).toBe(0);
    expect(buf.byteLength).toBe(8 * 5000);
    // an option's getter that shrinks the buffer runs before the returns are read: the shrunk returns' figures
    const shrinking = { get confidence() { buf.resize(8 * 1000); return 0.99; } };
    const short = x.slice(0, 1000);
    expect(valueAtRisk(y, shrinking)).toBe(valueAtRisk(short, o));
    buf.resize(8 * 5000);
    y.set(x);
    expect(expectedShortfall(y, shrinking)).toBe(expectedShortfall(short, o));
    // detached or out of bounds: no returns
    const gone = new ArrayBuffer(8 * 5000);
    const g = new Float64Array(gone);
    g.set(x);
    structuredClone(gone, { transfer: [gone] });
    expect(() => valueAtRisk(g, o)).toThrow(new RangeError("valueAtRisk: no returns (empty or all NaN)"));
    const rb = resizable(8 * 5000, 8 * 5000);
    const fixed = new Float64Array(rb, 0, 5000);
    rb.resize(8);
    expect(() => expectedShortfall(fixed, o)).toThrow(/no returns/);
    // a Proxy of a Float64Array is none (a Proxy of an array is an array: read through its traps once, copied)
    expect(() => valueAtRisk(new Proxy(x, {}), o)).toThrow(new TypeError("valueAtRisk: returns must be a Float64Array or number[], got an object"));
    expect(valueAtRisk(new Proxy(Array.from(x), {}), o)).toBe(want[0]);
    // a SharedArrayBuffer: the same figures
    const sab = new Float64Array(new SharedArrayBuffer(8 * 5000));
    sab.set(x);
    expect([valueAtRisk(sab, o), expectedShortfall(sab, o)]).toEqual(want);
  });
  it("empty / constant inputs give the documented NaN or error", () => {
    expect(Number.isNaN(sharpeRatio([]))).toBe(true);
    expect(Number.isNaN(annualVolatility([0.01]))).toBe(true);
    expect(Number.isNaN(maxDrawdown([]))).toBe(true);
    expect(Number.isNaN(winRate([Number.NaN]))).toBe(true);
    expect(sharpeRatio([0.01, 0.01, 0.01])).toBe(Infinity);
    expect(() => valueAtRisk([])).toThrow(/no returns/);
    expect(() => valueAtRisk([Number.NaN, Number.NaN])).toThrow(/no returns/);
    expect(() => valueAtRisk([0.1, 0.2], { confidence: 95 })).toThrow(/confidence must be in \(0, 1\)/);
    expect(() => valueAtRisk([0.1, 0.2], { method: "kernel" as never })).toThrow(/method must be one of/);
    expect(Number.isNaN(valueAtRisk([0.01, 0.01, 0.01], { method: "cornish-fisher" }))).toBe(true);
  });
  it("Cornish-Fisher: population σ by default (PerformanceAnalytics), the sample σ on request; other values refused", () => {
    const r = createRng(5).normals(250).map((v) => v / 100 + 0.0005);
    const mu = r.reduce((a, v) => a + v, 0) / r.length;
    const pop = valueAtRisk(r, { method: "cornish-fisher" });
    const smp = valueAtRisk(r, { method: "cornish-fisher", moments: "sample" });
    // VaR = −(μ + z_cf σ): the two conventions differ only through σ, by √(n/(n − 1))
    expect((smp + mu) / (pop + mu)).toBeCloseTo(Math.sqrt(250 / 249), 12);
    expect(valueAtRisk(r, { method: "cornish-fisher", moments: "population" })).toBe(pop);
    expect(valueAtRisk(r, { moments: "sample" })).toBe(valueAtRisk(r)); // other methods ignore it
    expect(() => valueAtRisk(r, { method: "cornish-fisher", moments: "samples" as never })).toThrow(/moments must be one of "population", "sample", got "samples" \(did you mean "sample"\?\)/);
  });
  it("historical VaR/ES of unchecked returns (finiteness proved in the candidate pass) equal historicalTail bit for bit; NaN dropped, ±Infinity refused wherever they sit", () => {
    const rng = createRng(77);
    for (const n of [256, 1001, 100_003]) {
      const x = rng.normals(n).map((v, i) => (v / 100) * (1 + (i % 7)));
      for (const confidence of [0.95, 0.99, 0.975]) {
        const t = historicalTail(x, 1 - confidence);
        expect(valueAtRisk(x, { confidence })).toBe(t.varLoss);
        expect(expectedShortfall(x, { confidence })).toBe(t.es);
      }
    }
    const x = rng.normals(4099).map((v) => v / 100);
    const es = expectedShortfall(x);
    for (const at of [0, 1, 2, 5, 4096, 4097, 4098]) { // sample and non-sample positions, vector body and tail
      const withNaN = Float64Array.from([...x.subarray(0, at), Number.NaN, ...x.subarray(at)]);
      expect(expectedShortfall(withNaN)).toBe(historicalTail(x, 0.05).es);
      for (const inf of [Infinity, -Infinity]) {
        const y = Float64Array.from(x);
        y[at] = inf;
        expect(() => expectedShortfall(y)).toThrow(/returns contain ±Infinity/);
      }
    }
    expect(es).toBe(historicalTail(x, 0.05).es);
  });
  it("drawdowns are ≤ 0 and ES ≥ VaR", () => {
    const r = createRng(61).normals(1000).map((v) => v / 100);
    expect(Math.max(...drawdownSeries(r))).toBeLessThanOrEqual(0);
    for (const method of ["historical", "gaussian", "cornish-fisher", "monte-carlo"] as const) {
      expect(expectedShortfall(r, { method })).toBeGreaterThanOrEqual(valueAtRisk(r, { method }));
    }
  });
  it("component VaR sums to the total; mismatched shapes throw", () => {
    const cov = [[0.04, 0.01, 0], [0.01, 0.09, 0.02], [0, 0.02, 0.16]];
    const d = componentVaR([0.5, 0.3, 0.2], cov, { confidence: 0.99 });
    expect(Array.from(d.component).reduce((a, b) => a + b, 0)).toBeCloseTo(d.total, 14);
    expect(Array.from(d.percent).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(() => componentVaR([1, 2], cov)).toThrow(/3×3 but there are 2 weights/);
  });
  it("performanceSummary has a fixed shape and renders HTML", () => {
    const r = createRng(71).normals(300).map((v) => v / 100);
    const s = performanceSummary(r);
    expect(Number.isNaN(s.beta)).toBe(true);
    expect(s.toHTML()).toContain("Sharpe ratio");
    expect(Object.isFrozen(s)).toBe(true);
  });
});
