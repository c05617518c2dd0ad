/**
 * The native kernels behind residualSignals (native/linalg windowEigen, residualFits): agreement with
 * the TypeScript path (Gram/correlation product + full eigh; the fallback when the addon is absent),
 * and hostile arguments (wrong types, wrong lengths, detached buffers, NaN windows, values whose
 * valueOf throws) give JavaScript errors, never an abort.
 */
import { describe, expect, it, vi } from "vitest";
import { createRng, eigh, gram, inverse, Matrix, matvec, nativeResidualFits, nativeWindowEigen } from "../../lib/stats/index.js";
import { linalgAddon, nativeGram } from "../../lib/stats/native-linalg.js";
import { resizable } from "../helpers/buffers.js";

const hasKernels = (): boolean => typeof linalgAddon()?.windowEigen === "function" && typeof linalgAddon()?.residualFits === "function";

/** Column-major T × n returns with a few common factors (so the top eigenvalues separate). */
function returns(T: number, n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const f = rng.normals(T * 3);
  const out = new Float64Array(T * n);
  for (let j = 0; j < n; j++) {
    const e = rng.normals(T);
    const b = [1 + 0.3 * Math.sin(j), 0.5 * Math.cos(j), 0.3 * ((j % 5) - 2)];
    for (let t = 0; t < T; t++) out[j * T + t] = 0.01 * (b[0]! * f[t]! + b[1]! * f[T + t]! + b[2]! * f[2 * T + t]! + e[t]!);
  }
  return out;
}

/** The TypeScript reference: standardise, C = YᵀY/(W − 1), full eigh, top k rows. */
function reference(src: Float64Array, T: number, cols: number[], row0: number, W: number, k: number) {
  const nv = cols.length;
  const y = new Float64Array(W * nv);
  const sigma = new Float64Array(nv);
  cols.forEach((c, a) => {
    let m = 0;
    for (let i = 0; i < W; i++) m += src[c * T + row0 + i]!;
    m /= W;
    let ss = 0;
    for (let i = 0; i < W; i++) ss += (src[c * T + row0 + i]! - m) ** 2;
    sigma[a] = Math.sqrt(ss / (W - 1));
    for (let i = 0; i < W; i++) y[i * nv + a] = (src[c * T + row0 + i]! - m) / sigma[a]!;
  });
  const c = new Float64Array(nv * nv);
  for (let a = 0; a < nv; a++) for (let b = 0; b < nv; b++) {
    let s = 0;
    for (let i = 0; i < W; i++) s += y[i * nv + a]! * y[i * nv + b]!;
    c[b * nv + a] = s / (W - 1);
  }
  const e = eigh(new Matrix(nv, nv, c), { backend: "ts" });
  const values = Float64Array.from(e.values).reverse();
  const vectors = new Float64Array(k * nv);
  for (let j = 0; j < k; j++) vectors.set(e.vectors.column(nv - 1 - j), j * nv);
  return { values, vectors, sigma };
}

describe("native windowEigen / residualFits", () => {
  it.skipIf(!hasKernels())("windowEigen agrees with standardise + full eigh on both paths (n ≤ W and the Gram path n > W)", () => {
    const T = 90, n = 40;
    const src = returns(T, n, 3);
    for (const { cols, W } of [{ cols: [...Array(25).keys()].map((j) => j + 3), W: 60 }, { cols: [...Array(40).keys()], W: 30 }]) {
      const k = 5;
      const got = nativeWindowEigen(src, T, Int32Array.from(cols), 10, W, k)!;
      const ref = reference(src, T, cols, 10, W, k);
      for (let a = 0; a < cols.length; a++) expect(got.sigma[a]).toBeCloseTo(ref.sigma[a]!, 14);
      const dim = Math.min(W, cols.length);
      expect(got.values.length).toBe(dim);
      for (let j = 0; j < dim; j++) expect(Math.abs(got.values[j]! - ref.values[j]!)).toBeLessThan(1e-11);
      // a Gram vector's projection fixes its sign in the Gram space, so compare up to sign there
      for (let j = 0; j < k; j++) {
        const g = got.vectors.subarray(j * cols.length, (j + 1) * cols.length), r = ref.vectors.subarray(j * cols.length, (j + 1) * cols.length);
        let dot = 0;
        for (let a = 0; a < cols.length; a++) dot += g[a]! * r[a]!;
        const sgn = Math.sign(dot);
        if (cols.length <= W) expect(sgn).toBe(1);
        for (let a = 0; a < cols.length; a++) expect(Math.abs(g[a]! - sgn * r[a]!)).toBeLessThan(1e-9);
      }
    }
  });

  it.skipIf(!hasKernels())("residualFits agrees with OLS on [1, F] + AR(1) written out in TypeScript", () => {
    const T = 80, n = 12, L = 40, k = 2, row0 = 30;
    const src = returns(T, n, 4);
    const cols = Int32Array.from([...Array(n).keys()]);
    const q = createRng(9).normals(k * n);
    const got = nativeResidualFits(src, T, cols, row0, L, q, k)!;
    const F = Array.from({ length: k }, (_, j) => Float64Array.from({ length: L }, (_, i) => {
      let s = 0;
      for (let a = 0; a < n; a++) s += q[j * n + a]! * src[a * T + row0 + i]!;
      return s;
    }));
    const X = new Matrix(L, k + 1, Float64Array.from({ length: L * (k + 1) }, (_, z) => (z < L ? 1 : F[Math.floor(z / L) - 1]![z % L]!)));
    const xtx = new Float64Array((k + 1) ** 2);
    for (let u = 0; u <= k; u++) for (let v = 0; v <= k; v++) for (let i = 0; i < L; i++) xtx[v * (k + 1) + u] = xtx[v * (k + 1) + u]! + X.get(i, u) * X.get(i, v);
    for (let a = 0; a < n; a++) {
      const r = src.subarray(a * T + row0, a * T + row0 + L);
      const xty = Float64Array.from({ length: k + 1 }, (_, u) => r.reduce((s, x, i) => s + X.get(i, u) * x, 0));
      const beta = Array.from(matvec(inverse(new Matrix(k + 1, k + 1, xtx)), xty));
      for (let j = 0; j < k; j++) expect(got.beta[a * k + j]).toBeCloseTo(beta[j + 1]!, 9);
      let cum = 0;
      const x = Float64Array.from(r, (ri, i) => (cum += ri - beta.reduce((s, b, u) => s + b * X.get(i, u), 0)));
      expect(got.last[a]).toBeCloseTo(x[L - 1]!, 12);
      const m = L - 1;
      let mx = 0, my = 0;
      for (let i = 0; i < m; i++) (mx += x[i]! / m), (my += x[i + 1]! / m);
      let sxx = 0, sxy = 0;
      for (let i = 0; i < m; i++) (sxx += (x[i]! - mx) ** 2), (sxy += (x[i]! - mx) * (x[i + 1]! - my));
      const b = sxy / sxx;
      if (b > 0 && b < 1) expect(got.kappa[a]).toBeCloseTo(-Math.log(b), 8);
      else expect(got.kappa[a]).toBeNaN();
    }
  });

  it.skipIf(!hasKernels())("refuse hostile arguments with JavaScript errors; the outputs may alias the input", () => {
    const addon = linalgAddon()!;
    const we = addon.windowEigen!.bind(addon) as (...a: unknown[]) => void;
    const rf = addon.residualFits!.bind(addon) as (...a: unknown[]) => boolean;
    const T = 50, n = 6;
    const src = returns(T, n, 5);
    const cols = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const v = new Float64Array(6), z = new Float64Array(12), s = new Float64Array(6);
    expect(() => we(src, T, cols, 0, 40, 2, v, z)).toThrow(/expected 9 arguments/);
    expect(() => we(src, T, cols, 0, 40, 7, v, new Float64Array(42), s)).toThrow(/k \(7\) must be at most/);
    expect(() => we(src, T, cols, 20, 40, 2, v, z, s)).toThrow(/row0 \+ rows exceeds ld/);
    expect(() => we(src, T, Int32Array.from([0, 9]), 0, 40, 2, v, z, s)).toThrow(/cols\[1\] = 9 is outside/);
    expect(() => we(src, T, [0, 1] as never, 0, 40, 2, v, z, s)).toThrow(/cols must be an Int32Array/);
    expect(() => we(src, T, cols, 0, 40, 2.5, v, z, s)).toThrow(/must be a non-negative integer/);
    expect(() => we(src, T, cols, 0, 40, { valueOf: () => { throw new Error("getter"); } }, v, z, s)).toThrow(TypeError);
    expect(() => we(src, T, cols, 0, 40, 2, v, new Float32Array(12), s)).toThrow(/vectors must be a Float64Array/);
    const buf = new ArrayBuffer(48);
    const detached = new Float64Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(() => we(src, T, cols, 0, 40, 2, detached, z, s)).toThrow(/values must have length 6, got 0/);
    const srcBuf = new ArrayBuffer(8 * T * n);
    const gone = new Float64Array(srcBuf);
    structuredClone(srcBuf, { transfer: [srcBuf] });
    expect(() => we(gone, T, cols, 0, 40, 2, v, z, s)).toThrow(/outside the source's 0 columns/);
    const many = new Int32Array(50_000); // repeated column 0: a 50,000² product would not fit
    expect(() => we(src, T, many, 0, T, 0, new Float64Array(T), new Float64Array(0), new Float64Array(50_000))).not.toThrow(); // dim = W = 50
    expect(() => linalgAddon()!.gram!(src, T, many, 0, T, new Float64Array(1))).toThrow(/at most 46340 columns/);
    const nan = Float64Array.from(src);
    nan[3 * T + 5] = Number.NaN;
    expect(() => we(nan, T, cols, 0, 40, 2, v, z, s)).toThrow(/NaN or infinite/);
    const fitsOut = (): Float64Array[] => [new Float64Array(12), new Float64Array(6), new Float64Array(6), new Float64Array(6), new Float64Array(6)];
    expect(() => rf(src, T, cols, 0, 40, new Float64Array(12), 2, ...fitsOut())).not.toThrow();
    expect(() => rf(src, T, cols, 0, 3, new Float64Array(12), 2, ...fitsOut())).toThrow(/L must exceed k \+ 1/);
    expect(() => rf(src, T, cols, 0, 40, new Float64Array(11), 2, ...fitsOut())).toThrow(/q must have length 12/);
    expect(() => rf(src, T, cols, 0, 40, new Float64Array(12), 2, ...fitsOut().slice(0, 4))).toThrow(/expected 12 arguments/);
    // collinear regressors (q = 0: the factor columns are all zero) → false, no throw
    expect(rf(src, T, cols, 0, 40, new Float64Array(12), 2, ...fitsOut())).toBe(false);
    // outputs aliasing the source: the window is copied first, so no crash and the same values
    const copy = Float64Array.from(src);
    const ref = nativeWindowEigen(src, T, cols, 0, 40, 2)!;
    we(copy, T, cols, 0, 40, 2, copy.subarray(0, 6), copy.subarray(6, 18), copy.subarray(18, 24));
    expect(Array.from(copy.subarray(0, 6))).toEqual(Array.from(ref.values));
    // but not one output over another (values are written, then vectors): refused by name, nothing written
    const both = new Float64Array(18).fill(7);
    expect(() => we(src, T, cols, 0, 40, 2, both.subarray(0, 6), both.subarray(5, 17), s)).toThrow(new RangeError("windowEigen: values must not share memory with vectors (pass a separate Float64Array)"));
    expect(both.every((x) => x === 7)).toBe(true);
    // windowMoments and pcaResiduals write their outputs while they read the window: an output over src is refused
    const wm = addon.windowMoments!.bind(addon) as (...a: unknown[]) => void;
    const pr = addon.pcaResiduals!.bind(addon) as (...a: unknown[]) => unknown;
    const own = Float64Array.from(src);
    expect(() => wm(own, T, cols, 0, 40, own.subarray(T, T + 6), new Float64Array(6), new Float64Array(6))).toThrow(new RangeError("windowMoments: mu must not share memory with src (pass a separate Float64Array)"));
    expect(() => wm(own, T, cols, 0, 40, v, s, v)).toThrow(/windowMoments: mu must not share memory with inv/);
    expect(Array.from(own)).toEqual(Array.from(src));
    const q = new Float64Array(12).fill(0.1);
    expect(() => pr(own, T, cols, 0, 40, q, 2, 252, 0, own.subarray(0, 6), new Float64Array(6))).toThrow(/pcaResiduals: s must not share memory with src/);
    expect(() => pr(own, T, cols, 0, 40, q, 2, 252, 0, q.subarray(0, 6), new Float64Array(6))).toThrow(/pcaResiduals: s must not share memory with q/);
    expect(() => pr(own, T, cols, 0, 40, q, 2, 252, 0, v, v)).toThrow(/pcaResiduals: s must not share memory with kappa/);
    expect(Array.from(own)).toEqual(Array.from(src));
    // every window kernel reads its numbers through the one reader: a getter never runs, the argument is named
    const getter = { valueOf: () => { throw new Error("valueOf ran"); } };
    expect(() => pr(own, T, cols, 0, 40, q, 2, getter, 0, new Float64Array(6), new Float64Array(6))).toThrow(new TypeError("pcaResiduals: periodsPerYear must be a number, got a value of type object"));
    expect(() => wm(own, getter, cols, 0, 40, new Float64Array(6), new Float64Array(6), new Float64Array(6))).toThrow(/windowMoments: ld must be a number/);
    expect(() => wm(own, T, cols, 0, 1e10, new Float64Array(6), new Float64Array(6), new Float64Array(6))).toThrow(/windowMoments: rows must be a non-negative integer \(at most 1000000000\)/);
    const wmMu = new Float64Array(6);
    wm(own, T, cols, 0, 40, wmMu, new Float64Array(6), new Float64Array(6));
    expect(wmMu.every((x) => Number.isFinite(x))).toBe(true);
  });

  it.skipIf(!hasKernels())("residualFits: outputs over src, q or cols give the values of separate outputs (all three copied first); an output over another output is refused by name, nothing written", () => {
    const addon = linalgAddon()!;
    const rf = addon.residualFits!.bind(addon) as (...a: unknown[]) => boolean;
    const T = 50, n = 6, L = 40, k = 2;
    const src = returns(T, n, 6);
    const cols = Int32Array.from([5, 0, 3, 1, 4, 2]);
    const q = createRng(10).normals(k * n);
    const ref = nativeResidualFits(src, T, cols, 0, L, q, k)!;
    const flat = (o: Float64Array[]): number[] => o.flatMap((a) => Array.from(a));
    const want = flat([ref.beta, ref.kappa, ref.m, ref.sigmaEq, ref.last]);
    expect(want.filter((v) => Number.isFinite(v)).length).toBeGreaterThan(20);
    // all five outputs inside the window itself (column 5, rows 0–35, which the fit reads)
    const own = Float64Array.from(src);
    const inSrc = [own.subarray(5 * T, 5 * T + 12), own.subarray(5 * T + 12, 5 * T + 18), own.subarray(5 * T + 18, 5 * T + 24), own.subarray(5 * T + 24, 5 * T + 30), own.subarray(5 * T + 30, 5 * T + 36)];
    expect(rf(own, T, cols, 0, L, q, k, ...inSrc)).toBe(true);
    expect(flat(inSrc)).toEqual(want);
    // beta exactly over q, kappa over cols' bytes (cols an Int32Array on the same buffer)
    const qq = Float64Array.from(q);
    const shared = new ArrayBuffer(48);
    const cols2 = new Int32Array(shared, 0, 6);
    cols2.set(cols);
    const overQ = [qq, new Float64Array(shared), new Float64Array(6), new Float64Array(6), new Float64Array(6)];
    expect(rf(src, T, cols2, 0, L, qq, k, ...overQ)).toBe(true);
    expect(flat(overQ)).toEqual(want);
    // one output over another: refused by name (the first overlapping pair in argument order), nothing written
    const names = ["beta", "kappa", "m", "sigmaEq", "last"];
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) {
      const big = new Float64Array(40).fill(7);
      const outs = fitsOutputs();
      outs[i] = big.subarray(0, outs[i]!.length);
      outs[j] = big.subarray(outs[i]!.length - 1, outs[i]!.length - 1 + outs[j]!.length); // one element in common
      expect(() => rf(src, T, cols, 0, L, q, k, ...outs)).toThrow(new RangeError(`residualFits: ${names[i]} must not share memory with ${names[j]} (pass a separate Float64Array)`));
      expect(big.every((x) => x === 7)).toBe(true);
    }
    const same = new Float64Array(6);
    expect(() => rf(src, T, cols, 0, L, q, k, new Float64Array(12), same, new Float64Array(6), new Float64Array(6), same)).toThrow(/residualFits: kappa must not share memory with last/);
    expect(same.every((x) => x === 0)).toBe(true);
    function fitsOutputs(): Float64Array[] {
      return [new Float64Array(12), new Float64Array(6), new Float64Array(6), new Float64Array(6), new Float64Array(6)];
    }
  });

  it.skipIf(typeof linalgAddon()?.gram !== "function")("gram (johansen's moments) agrees with the TypeScript Gram kernel and refuses hostile arguments", () => {
    const T = 300, m = 7;
    const src = returns(T, m, 8);
    const got = nativeGram(src, T, m)!;
    const ref = gram(Array.from({ length: m }, (_, j) => src.subarray(j * T, (j + 1) * T)), T);
    for (let i = 0; i < m * m; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-15 * T);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) expect(got[i * m + j]).toBe(got[j * m + i]);
    const g = linalgAddon()!.gram!.bind(linalgAddon()) as (...a: unknown[]) => void;
    const cols = Int32Array.from([0, 1, 2]);
    expect(() => g(src, T, cols, 0, T, new Float64Array(8))).toThrow(/out must have length 9, got 8/);
    expect(() => g(src, T, cols, 0, T)).toThrow(/expected 6 arguments/);
    expect(() => g(src, T, cols, 1, T, new Float64Array(9))).toThrow(/row0 \+ rows exceeds ld/);
    expect(() => g(src, 0, cols, 0, 0, new Float64Array(9))).toThrow(/ld must be positive/);
    expect(() => g(src, T, cols, 0, -1, new Float64Array(9))).toThrow(/non-negative integer/);
    expect(() => g(src, T, cols, 0, { valueOf: () => { throw new Error("getter"); } }, new Float64Array(9))).toThrow(TypeError);
    const buf = new ArrayBuffer(72);
    const out = new Float64Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(() => g(src, T, cols, 0, T, out)).toThrow(/out must have length 9, got 0/);
    const alias = Float64Array.from(src);
    g(alias, T, cols, 0, T, alias.subarray(0, 9)); // out inside the source: the window is copied first
    const fresh = new Float64Array(9);
    g(src, T, cols, 0, T, fresh);
    expect(Array.from(alias.subarray(0, 9))).toEqual(Array.from(fresh));
  });

  it.skipIf(typeof linalgAddon()?.smallestCandidates !== "function")("smallestCandidates (historical VaR/ES) keeps exactly the values ≤ the sample's r-th smallest, in order; hostile arguments refused", () => {
    const x = createRng(12).normals(5000);
    const stride = 7, r = 40, cap = 2000;
    const got = linalgAddon()!.smallestCandidates!(x, 100, stride, r, cap)!;
    const sample = Float64Array.from({ length: Math.ceil(5000 / stride) }, (_, j) => x[j * stride]!).sort();
    const t = sample[r]!;
    expect(Array.from(got)).toEqual(Array.from(x).filter((v) => v <= t));
    const sc = linalgAddon()!.smallestCandidates!.bind(linalgAddon()) as (...a: unknown[]) => unknown;
    expect(sc(x, 100, stride, r, 10)).toBeUndefined(); // more candidates than cap: the caller's pass decides
    expect(sc(x, 4000, stride, r, cap)).toBeUndefined(); // fewer than count
    const nan = Float64Array.from(x);
    nan[7 * 3] = Number.NaN;
    expect(sc(nan, 100, stride, r, cap)).toBeUndefined();
    for (const at of [1, 2500, 4997, 4999]) { // outside the sample too: every value is checked
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const y = Float64Array.from(x);
        y[at] = bad;
        expect(sc(y, 100, stride, r, cap)).toBeUndefined();
      }
    }
    expect(() => sc(Array.from(x), 100, stride, r, cap)).toThrow(/x must be a Float64Array/);
    expect(() => sc(x, -1, stride, r, cap)).toThrow(/non-negative integer/);
    expect(() => sc(x, 100, stride, r)).toThrow(/expected 5 arguments/);
    expect(() => sc(x, 100, { valueOf: () => { throw new Error("getter"); } }, r, cap)).toThrow(TypeError);
    const buf = new ArrayBuffer(800);
    const gone = new Float64Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(sc(gone, 10, 1, 5, 50)).toBeUndefined();
  });

  it.skipIf(linalgAddon()?.smallestCandidatesChecksFinite !== true)("smallestCandidates reads x once: no getter or valueOf of another argument runs (so none can resize or detach x's buffer mid-call); resizable, out-of-bounds, detached, shared buffers and proxies", () => {
    const sc = linalgAddon()!.smallestCandidates!.bind(linalgAddon()) as (...a: unknown[]) => Float64Array | undefined;
    const x = createRng(13).normals(5000);
    const stride = 7, r = 40, cap = 2000;
    const plain = Array.from(sc(x, 100, stride, r, cap)!);
    expect(plain.length).toBeGreaterThanOrEqual(100);
    // a length-tracking view of a resizable buffer, and arguments whose valueOf / getter would shrink it
    const buf = resizable(8 * 5000, 8 * 5000);
    const y = new Float64Array(buf);
    y.set(x);
    let ran = 0;
    const shrink = { valueOf: () => (ran++, buf.resize(800), 100) };
    for (const at of [1, 2, 3, 4]) {
      const args: unknown[] = [y, 100, stride, r, cap];
      args[at] = shrink;
      expect(() => sc(...args)).toThrow(new TypeError(`smallestCandidates: ${["x", "count", "stride", "r", "cap"][at]} must be a number, got a value of type object`));
    }
    const getter = Object.defineProperty({}, "valueOf", { get: () => (ran++, buf.resize(800), () => 100) });
    expect(() => sc(y, getter, stride, r, cap)).toThrow(TypeError);
    expect(ran).toBe(0);
    expect(buf.byteLength).toBe(8 * 5000);
    expect(Array.from(sc(y, 100, stride, r, cap)!)).toEqual(plain);
    // an own `length` on the typed array (a lie, and a getter that would shrink it) is never read: the engine's length is
    Object.defineProperty(y, "length", { get: () => (ran++, buf.resize(800), 10) });
    expect(Array.from(sc(y, 100, stride, r, cap)!)).toEqual(plain);
    expect(ran).toBe(0);
    // resized before the call: read at its current length, the same as a copy of that length
    buf.resize(8 * 3000);
    const short = Float64Array.from(x.subarray(0, 3000));
    expect(sc(y, 50, stride, 30, 1500)).toEqual(sc(short, 50, stride, 30, 1500));
    expect(sc(y, 50, stride, 30, 1500)!.length).toBeGreaterThanOrEqual(50);
    // a fixed-length view its buffer has shrunk under (out of bounds): no elements, undefined
    const buf2 = resizable(8 * 5000, 8 * 5000);
    const fixed = new Float64Array(buf2, 0, 5000);
    fixed.set(x);
    buf2.resize(8 * 10);
    expect(sc(fixed, 100, stride, r, cap)).toBeUndefined();
    // detached, including a view of a detached resizable buffer
    const buf3 = resizable(8 * 5000, 8 * 6000);
    const tracked = new Float64Array(buf3);
    tracked.set(x);
    structuredClone(buf3, { transfer: [buf3] });
    expect(sc(tracked, 100, stride, r, cap)).toBeUndefined();
    // proxies and look-alikes are no Float64Array (no trap runs)
    let trapped = 0;
    const spy = new Proxy(x, { get: (t, p) => (trapped++, Reflect.get(t, p)) });
    expect(() => sc(spy, 100, stride, r, cap)).toThrow(new TypeError("smallestCandidates: x must be a Float64Array"));
    expect(() => sc({ length: 5000, 0: 1 }, 100, stride, r, cap)).toThrow(/x must be a Float64Array/);
    expect(() => sc(new Float32Array(5000), 100, stride, r, cap)).toThrow(/x must be a Float64Array/);
    expect(trapped).toBe(0);
    // a SharedArrayBuffer is read as it is: the same values as an ordinary buffer
    const sab = new Float64Array(new SharedArrayBuffer(8 * 5000));
    sab.set(x);
    expect(Array.from(sc(sab, 100, stride, r, cap)!)).toEqual(plain);
    // a subarray at an odd offset (the scan's unaligned loads) gives the filter of that subarray
    const sub = x.subarray(3, 4803);
    const subSample = Float64Array.from({ length: Math.ceil(4800 / stride) }, (_, j) => sub[j * stride]!).sort();
    expect(Array.from(sc(sub, 50, stride, r, cap)!)).toEqual(Array.from(sub).filter((v) => v <= subSample[r]!));
  });

  it.skipIf(typeof linalgAddon()?.olsHac !== "function")("OLS through the addon's kernels (ols.cc) is bit-identical to the TypeScript path (STATARB_NATIVE_LINALG=0, a fresh module graph), HAC and nonrobust; hostile arguments refused", async () => {
    const { createRng, ols } = await import("../../lib/stats/index.js");
    const rng = createRng(11);
    const cases: { y: Float64Array; x: Float64Array[] }[] = [];
    for (const [n, p] of [[9, 3], [64, 1], [257, 5], [1001, 8]] as const) {
      const x = Array.from({ length: p }, (_, j) => rng.normals(n).map((v) => v * 10 ** j));
      const y = rng.normals(n);
      for (let i = 1; i < n; i++) y[i] = y[i]! + 0.3 * x[0]![i]! + 0.4 * y[i - 1]!;
      cases.push({ y, x });
    }
    const optsList = [{}, { addConstant: false }, { cov: "HAC" as const }, { cov: "HAC" as const, maxlags: 0 }, { cov: "HAC" as const, maxlags: 30, useCorrection: true }];
    const bits = (fit: typeof ols): number[][] => cases.flatMap(({ y, x }) => optsList.map((o) => {
      const r = fit(y, x, o);
      return [...r.params, ...r.bse, ...r.resid, ...r.fittedValues, ...r.covParams.data, ...r.normalizedCovParams.data, r.ssr, r.fvalue];
    }));
    const native = bits(ols);
    vi.resetModules();
    process.env.STATARB_NATIVE_LINALG = "0";
    try {
      const stats = await import("../../lib/stats/index.js");
      expect(stats.hasNativeLinalg()).toBe(false);
      const ts = bits(stats.ols);
      expect(ts.length).toBe(native.length);
      let differ = 0;
      for (let k = 0; k < ts.length; k++) {
        expect(ts[k]!.length).toBe(native[k]!.length);
        for (let i = 0; i < ts[k]!.length; i++) if (!Object.is(ts[k]![i], native[k]![i])) differ++;
      }
      expect(differ).toBe(0);
    } finally {
      delete process.env.STATARB_NATIVE_LINALG;
      vi.resetModules();
    }
    const a = linalgAddon()!;
    const hac = a.olsHac!.bind(a) as (...args: unknown[]) => void;
    const x = new Float64Array(20), r = new Float64Array(10), w = new Float64Array(3), g = new Float64Array(4);
    expect(() => hac(x, 10, 2, r, w, 2, g)).toThrow(/expected/);
    expect(() => hac([1, 2], 10, 2, r, w, 2, g, g)).toThrow(TypeError);
    expect(() => hac(x, 11, 2, r, w, 2, g, g)).toThrow(/at least 22/);
    expect(() => hac(x, 10, 2, r, w, 10, g, g)).toThrow(/L must be below n/);
    expect(() => hac(x, 10, -1, r, w, 2, g, g)).toThrow(/non-negative integer/);
    expect(() => hac(x, 10, 0, r, w, 2, g, g)).toThrow(/out of range/);
    expect(() => a.olsGram!(x, 10, 2, r, new Float64Array(7))).toThrow(/at least 8/);
    expect(a.olsGram!(new Float64Array(20), 10, 2, r, new Float64Array(8))).toBe(false);
    // hostile values: read once each, refused by name (no getter runs, a proxy is no typed array, a detached buffer has no elements)
    const gram = a.olsGram!.bind(a) as (...args: unknown[]) => unknown;
    const getter = { valueOf: () => { throw new Error("getter"); } };
    expect(() => gram(x, getter, 2, r, new Float64Array(8))).toThrow(/olsGram: n must be a number/);
    expect(() => gram(x, 10, 2, new Float32Array(10), new Float64Array(8))).toThrow(/olsGram: y must be a Float64Array/);
    expect(() => gram(new Proxy(x, {}), 10, 2, r, new Float64Array(8))).toThrow(/olsGram: x must be a Float64Array/);
    const buf = new ArrayBuffer(160);
    const gone = new Float64Array(buf);
    structuredClone(buf, { transfer: [buf] });
    expect(() => gram(gone, 10, 2, r, new Float64Array(8))).toThrow(/olsGram: x must have at least 20 elements/);
    expect(() => hac(x, 10, 2, r, w, getter, g, g)).toThrow(/olsHac: L must be a number/);
    // an output sharing memory with another argument (written while the inputs are read): refused by name
    const wide = new Float64Array(28);
    expect(() => gram(wide.subarray(0, 20), 10, 2, r, wide.subarray(20))).not.toThrow();
    expect(() => gram(wide.subarray(0, 20), 10, 2, r, wide.subarray(19, 27))).toThrow(new RangeError("olsGram: out must not share memory with x (pass a separate Float64Array)"));
    expect(() => gram(x, 10, 2, x.subarray(10), new Float64Array(8))).not.toThrow(); // inputs may share memory
    const resid = a.olsResiduals!.bind(a) as (...args: unknown[]) => unknown;
    const fr = new Float64Array(10);
    expect(() => resid(x, 10, 2, r, Float64Array.of(1, 2), fr, fr)).toThrow(/olsResiduals: fitted must not share memory with resid/);
    expect(() => resid(x, 10, 2, r, Float64Array.of(1, 2), new Float64Array(10), r)).toThrow(/olsResiduals: resid must not share memory with y/);
    expect(() => hac(x, 10, 2, r, w, 2, g, g)).toThrow(/olsHac: g must not share memory with g0/);
    const refine = a.olsRefineRhs!.bind(a) as (...args: unknown[]) => unknown;
    const cs = Float64Array.of(1, 1, 0);
    expect(() => refine(x, 10, 2, r, Float64Array.of(1, 1), cs.subarray(0, 2), cs.subarray(1, 3))).toThrow(/olsRefineRhs: out must not share memory with scale/);
    // a SharedArrayBuffer design gives the same bits as an ordinary one
    const sx = new Float64Array(new SharedArrayBuffer(160));
    const design = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i + 1));
    sx.set(design);
    const o1 = new Float64Array(8), o2 = new Float64Array(8);
    expect(gram(design, 10, 2, r, o1)).toBe(true);
    expect(gram(sx, 10, 2, r, o2)).toBe(true);
    expect(Array.from(o2)).toEqual(Array.from(o1));
  });

  it("residualSignals without the addon (STATARB_NATIVE_LINALG=0, a fresh module graph) gives the native path's s-scores to rounding", async () => {
    const { syntheticPairsMarket } = await import("../../lib/stats/index.js");
    const { ResidualSignals } = await import("../../lib/signals/index.js");
    const prices = syntheticPairsMarket({ nAssets: 50, nDays: 120, seed: 21 }).prices;
    const opts = { count: 4, correlationWindow: 40, ouWindow: 30 };
    const native = new ResidualSignals(prices, opts).at(110);
    vi.resetModules();
    process.env.STATARB_NATIVE_LINALG = "0";
    try {
      const ts = await import("../../lib/signals/index.js");
      const stats = await import("../../lib/stats/index.js");
      expect(stats.hasNativeLinalg()).toBe(false);
      const row = new ts.ResidualSignals(prices, opts).at(110);
      let finite = 0;
      for (let j = 0; j < 50; j++) {
        if (Number.isNaN(row.s[j]!)) expect(native.s[j]).toBeNaN();
        else (finite++, expect(Math.abs(native.s[j]! - row.s[j]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(row.s[j]!))));
      }
      expect(finite).toBeGreaterThan(5);
    } finally {
      delete process.env.STATARB_NATIVE_LINALG;
      vi.resetModules();
    }
  });
});
