/**
 * Library fan-out on Ray: a pool's map runs an exported function over argument lists as Ray tasks (Node
 * processes), and the results are bit-identical to calling the function here, in order; walk-forward
 * folds and Monte Carlo paths fan out through lib/backtest's `parallel` option with results identical
 * to the serial run's. One pool (one Ray start) serves every map of this file.
 */
import { execa } from "execa";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeValue, encodeValue } from "../../kernel/sweep/codec.js";
import { type RayPool, rayMap, rayPool } from "../../kernel/sweep/fanout.js";
import { monteCarloAssets, walkForwardOptimize } from "../../lib/backtest/index.js";
import { ensureKernelInstalled, repoRoot, venvPython } from "../kernel/helpers.js";
import { evaluatePair, pairMarket, runPath, simulatePath } from "./fixtures/paths.js";

const missing = (await execa(venvPython, ["-c", "import ray, statarb_sweep"], { reject: false })).exitCode !== 0;

describe("the exact codec of fan-out values", () => {
  it("round-trips typed arrays, non-finite numbers and -0 bit for bit, and class getters as fields", () => {
    class R {
      readonly returns = Float64Array.from([0.1, -0, Number.NaN, Infinity, 1e-310]);
      get total(): number {
        return 3;
      }
    }
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue({ r: new R(), i: Int32Array.from([1, -2]), x: -Infinity, z: -0 })))) as { r: { returns: Float64Array; total: number }; i: Int32Array; x: number; z: number };
    expect(Buffer.from(back.r.returns.buffer).equals(Buffer.from(new R().returns.buffer))).toBe(true);
    expect(back.r.total).toBe(3);
    expect(back.i).toEqual(Int32Array.from([1, -2]));
    expect(back.x).toBe(-Infinity);
    expect(Object.is(back.z, -0)).toBe(true);
  });
});

/** Byte-for-byte equality of two values (typed arrays by their bytes, numbers with Object.is). */
function sameBits(a: unknown, b: unknown, path = "value"): void {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    expect(a.constructor.name, path).toBe(b.constructor.name);
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength)), path).toBe(true);
  } else if (typeof a === "number" || typeof b === "number") expect(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`).toBe(true);
  else if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) sameBits((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else expect(a, path).toEqual(b);
}

describe.skipIf(missing)("fan-out on the embedded Ray (one pool for every map)", () => {
  const fixture = join(repoRoot, "test/sweep/fixtures/paths.ts");
  let pool: RayPool;
  beforeAll(async () => {
    await ensureKernelInstalled({ sources: ["kernel", "lib"] });
    pool = rayPool({ workers: 2 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it("returns what the serial calls return, bit for bit and in order", async () => {
    const calls = [1, 2, 3, 4, 5, 6].map((seed) => [seed, 400] as const);
    const remote = (await pool.map({ module: fixture, export: "simulatePath" })(calls)) as ReturnType<typeof simulatePath>[];
    const local = calls.map(([s, n]) => simulatePath(s, n));
    expect(remote.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < local.length; i++) {
      expect(Buffer.from(remote[i]!.returns.buffer).equals(Buffer.from(local[i]!.returns.buffer))).toBe(true);
      expect(remote[i]!.metrics).toEqual(local[i]!.metrics);
      expect(Object.is(remote[i]!.worst, local[i]!.worst)).toBe(true);
    }
  }, 400_000); // an embedded Ray start: seconds on a quiet machine, minutes on a crowded one

  it("walkForwardOptimize with parallel: the folds fan out and the result equals the serial run's", async () => {
    const options = { dates: pairMarket.dates, grid: { lookback: [5, 20, 60], entry: [0.5, 1.5] }, trainDays: 250, testDays: 120, evaluate: evaluatePair };
    const serial = await walkForwardOptimize(options);
    const parallel = await walkForwardOptimize({ ...options, parallel: pool.map({ module: fixture, export: "evaluatePair" }) });
    expect(serial.folds.length).toBe(4);
    expect(new Set(serial.folds.map((f) => JSON.stringify(f.bestParams))).size).toBeGreaterThan(1); // the choice matters
    sameBits(parallel, serial);
  }, 400_000);

  it("monteCarloAssets with parallel: the paths fan out and the bands equal the serial run's", async () => {
    const options = { simulations: 12, blockSize: 10, seed: 5 };
    const serial = await monteCarloAssets(pairMarket, runPath, options);
    const parallel = await monteCarloAssets(pairMarket, runPath, { ...options, parallel: pool.map({ module: fixture, export: "runPath", chunks: 3 }) });
    sameBits(parallel, serial);
  }, 400_000);

  it("refuses a module that does not exist, or a parallel option that is not a map, before starting anything", async () => {
    expect(() => rayMap({ module: "no/such.ts", export: "f" })).toThrow(/rayMap: module "no\/such.ts" does not exist/);
    expect(() => pool.map({ module: "no/such.ts", export: "f" })).toThrow(/rayPool.map: module "no\/such.ts" does not exist/);
    await expect(monteCarloAssets(pairMarket, runPath, { parallel: 2 as never })).rejects.toThrow(/monteCarloAssets: parallel must be a function, got 2/);
    await expect(walkForwardOptimize({ dates: pairMarket.dates, grid: { lookback: [5] }, evaluate: evaluatePair, trainDays: 250, testDays: 120, parallel: "ray" as never })).rejects.toThrow(/walkForwardOptimize: option parallel must be a function, got "ray"/);
  });
});
