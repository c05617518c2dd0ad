import { describe, expect, it } from "vitest";
import { boolean, checkKeys, closest, integer, number, oneOf, optional, readOptions, string } from "../../lib/options/index.js";

const spec = {
  window: integer(60, { min: 1 }),
  threshold: number(1.25, { min: 0, open: "min" }),
  method: oneOf(["pearson", "spearman"] as const, "pearson"),
  demean: boolean(true),
  label: string("x"),
  seed: optional(integer(0)),
};

describe("readOptions", () => {
  it("fills defaults and returns a frozen object", () => {
    const o = readOptions("f", undefined, spec);
    expect(o).toEqual({ window: 60, threshold: 1.25, method: "pearson", demean: true, label: "x", seed: undefined });
    expect(Object.isFrozen(o)).toBe(true);
    expect(readOptions("f", { window: 5, method: "spearman", seed: 3 }, spec)).toMatchObject({ window: 5, method: "spearman", seed: 3 });
  });

  it("refuses an unknown key with a suggestion and the allowed list", () => {
    expect(() => readOptions("backtest", { windw: 5 }, spec)).toThrow(RangeError);
    expect(() => readOptions("backtest", { windw: 5 }, spec)).toThrow(/backtest: unknown option "windw" \(did you mean "window"\?\); allowed: "window"/);
    expect(() => readOptions("backtest", { zzzzzzzz: 1 }, spec)).toThrow(/unknown option "zzzzzzzz"; allowed/);
    expect(closest("transactionCost", ["transactionCosts", "riskManager"])).toBe("transactionCosts");
    expect(closest("Threshold", ["threshold"])).toBe("threshold");
  });

  it("names the option, the value and what is allowed", () => {
    expect(() => readOptions("f", { window: 0 }, spec)).toThrow(new RangeError("f: window must be an integer ≥ 1, got 0"));
    expect(() => readOptions("f", { window: 2.5 }, spec)).toThrow(RangeError);
    expect(() => readOptions("f", { window: "5" }, spec)).toThrow(new TypeError('f: window must be an integer ≥ 1, got "5"'));
    expect(() => readOptions("f", { threshold: 0 }, spec)).toThrow(/threshold must be a finite number > 0, got 0/);
    expect(() => readOptions("f", { threshold: NaN }, spec)).toThrow(/got NaN/);
    expect(() => readOptions("f", { method: "spearmen" }, spec)).toThrow(/method must be one of "pearson", "spearman", got "spearmen" \(did you mean "spearman"\?\)/);
    expect(() => readOptions("f", { demean: 1 }, spec)).toThrow(TypeError);
    expect(() => readOptions("f", null, spec)).toThrow(/f: options must be an object \(or omitted\), got null/);
    expect(() => readOptions("f", [1], spec)).toThrow(TypeError);
  });

  it("reads each value once, so a getter cannot change it between check and use", () => {
    let reads = 0;
    const hostile = {
      get window() {
        reads++;
        return reads === 1 ? 10 : -1;
      },
    };
    expect(readOptions("f", hostile, spec).window).toBe(10);
    expect(reads).toBe(1);
    const throwing = {
      get window(): number {
        throw new Error("boom");
      },
    };
    expect(() => readOptions("f", throwing, spec)).toThrow("boom");
  });

  it("checkKeys snapshots the values once", () => {
    let reads = 0;
    const o = { a: 1, get b() { reads++; return 2; } };
    const m = checkKeys("g", o, ["a", "b"]);
    expect(m.get("b")).toBe(2);
    expect(m.get("b")).toBe(2);
    expect(reads).toBe(1);
    expect(() => checkKeys("g", { c: 1 }, ["a", "b"])).toThrow(/g: unknown option "c"/);
  });
});
