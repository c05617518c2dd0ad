import { describe, expect, it } from "vitest";
import { CloseFills, columnCapacity, grownColumn, OrderColumns } from "../../lib/execution/index.js";

describe("growable columns (lib/execution/columns.ts)", () => {
  it("grownColumn keeps the element type and the rows, zeros after; the old column is untouched", () => {
    for (const a of [Int8Array.of(-1, 2), Uint8Array.of(255, 7), Int32Array.of(-5, 1 << 30), Float64Array.of(Math.PI, -0)]) {
      const b = grownColumn(a, 5);
      expect(b.constructor).toBe(a.constructor);
      expect(b.length).toBe(5);
      expect([...b.subarray(0, 2)]).toEqual([...a]);
      expect([...b.subarray(2)]).toEqual([0, 0, 0]);
      b[0] = 3;
      expect(a[0]).not.toBe(3);
    }
  });

  it("columnCapacity refuses a capacity that is no integer ≥ 1, naming the owner; the column classes use it", () => {
    expect(columnCapacity("X", 1)).toBe(1);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) expect(() => columnCapacity("X", bad)).toThrow(new RangeError(`X: capacity must be an integer ≥ 1, got ${bad}`));
    expect(() => new OrderColumns(0)).toThrow(/^OrderColumns: capacity must be an integer ≥ 1, got 0$/);
    expect(() => new CloseFills(2.5)).toThrow(/^CloseFills: capacity must be an integer ≥ 1, got 2.5$/);
  });

  it("OrderColumns grows past its capacity with every order kept", () => {
    const o = new OrderColumns(1);
    for (let k = 0; k < 9; k++) o.submit(k, k % 2 ? -(k + 1) : k + 1);
    expect(o.length).toBe(9);
    for (let k = 0; k < 9; k++) expect([o.asset(k), o.side(k), o.quantity(k), o.status(k)]).toEqual([k, k % 2 ? -1 : 1, k + 1, "submitted"]);
  });
});
