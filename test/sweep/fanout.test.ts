/**
 * Library fan-out on Ray: `rayMap` runs an exported function over argument lists as Ray tasks (Node
 * processes), and the results are bit-identical to calling the function here, in order.
 */
import { execa } from "execa";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue } from "../../kernel/sweep/codec.js";
import { rayMap } from "../../kernel/sweep/fanout.js";
import { ensureKernelInstalled, repoRoot, venvPython } from "../kernel/helpers.js";
import { simulatePath } from "./fixtures/paths.js";

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

describe.skipIf(missing)("rayMap on the embedded Ray", () => {
  it("returns what the serial calls return, bit for bit and in order", async () => {
    await ensureKernelInstalled({ sources: ["kernel", "lib"] });
    const calls = [1, 2, 3, 4, 5, 6].map((seed) => [seed, 400] as const);
    const map = rayMap({ module: join(repoRoot, "test/sweep/fixtures/paths.ts"), export: "simulatePath", workers: 2 });
    const remote = (await map(calls)) as ReturnType<typeof simulatePath>[];
    const local = calls.map(([s, n]) => simulatePath(s, n));
    expect(remote.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < local.length; i++) {
      expect(Buffer.from(remote[i]!.returns.buffer).equals(Buffer.from(local[i]!.returns.buffer))).toBe(true);
      expect(remote[i]!.metrics).toEqual(local[i]!.metrics);
      expect(Object.is(remote[i]!.worst, local[i]!.worst)).toBe(true);
    }
  }, 400_000); // an embedded Ray start: seconds on a quiet machine, minutes on a crowded one

  it("refuses a module that does not exist before starting anything", () => {
    expect(() => rayMap({ module: "no/such.ts", export: "f" })).toThrow(/rayMap: module "no\/such.ts" does not exist/);
  });
});
