import { describe, expect, it } from "vitest";
import { RiskManager, type RiskIntervention } from "../../lib/risk/index.js";
import { toEpochDay } from "../../lib/data/dates.js";

const assets = ["A", "B", "C", "D", "E", "F"];
const date = toEpochDay("2020-03-02");
const ctx = (log: RiskIntervention[], extra: Partial<Parameters<RiskManager["apply"]>[1]> = {}) => ({ date, assets, equity: 1e6, peakEquity: 1e6, log, ...extra });
const gross = (w: Float64Array) => w.reduce((s, v) => s + Math.abs(v), 0);
const net = (w: Float64Array) => w.reduce((s, v) => s + v, 0);

describe("RiskManager", () => {
  it("clips positions, then scales net, leverage and gross, and records each intervention", () => {
    const rm = new RiskManager({ maxPosition: 0.3, maxNet: 0.1, maxLeverage: 1.0, maxGross: 600_000 });
    const log: RiskIntervention[] = [];
    const w0 = Float64Array.from([0.6, 0.4, 0.2, -0.1, -0.2, -0.3]);
    const w = rm.apply(w0, ctx(log));
    expect(Array.from(w0)).toEqual([0.6, 0.4, 0.2, -0.1, -0.2, -0.3]); // input untouched
    for (const v of w) expect(Math.abs(v)).toBeLessThanOrEqual(0.3 + 1e-15);
    expect(Math.abs(net(w))).toBeLessThanOrEqual(0.1 + 1e-12);
    expect(gross(w)).toBeLessThanOrEqual(1 + 1e-12);
    expect(gross(w) * 1e6).toBeLessThanOrEqual(600_000 + 1e-6);
    expect(log.map((x) => x.rule)).toEqual(["maxPosition", "maxNet", "maxGross"]);
    expect(log[0]).toMatchObject({ date: "2020-03-02", rule: "maxPosition", before: 0.6, after: 0.3 });
    expect(log[0]!.reason).toMatch(/2 position\(s\) clipped.*largest A/);
    expect(Object.isFrozen(log[0])).toBe(true);
  });

  it("scales sectors by net exposure", () => {
    const rm = new RiskManager({ maxSector: 0.2, sectors: { A: "tech", B: "tech", C: "energy", D: "energy", E: "tech" } });
    const log: RiskIntervention[] = [];
    const w = rm.apply(Float64Array.from([0.3, 0.2, 0.1, -0.05, -0.1, 0]), ctx(log));
    expect(w[0]! + w[1]! + w[4]!).toBeCloseTo(0.2, 12);
    expect(w[2]).toBeCloseTo(0.1, 15); // energy net 0.05: untouched
    expect(log).toHaveLength(1);
    expect(log[0]!.reason).toMatch(/sector tech/);
    expect(() => new RiskManager({ maxSector: 0.2 })).toThrow(/needs option sectors/);
  });

  it("flattens on the drawdown stop", () => {
    const rm = new RiskManager({ maxDrawdown: 0.1 });
    const log: RiskIntervention[] = [];
    const w = rm.apply(Float64Array.from([0.5, -0.5, 0, 0, 0, 0]), ctx(log, { equity: 880_000, peakEquity: 1e6 }));
    expect(gross(w)).toBe(0);
    expect(log[0]).toMatchObject({ rule: "maxDrawdown" });
    expect(log[0]!.before).toBeCloseTo(-0.12, 12);
    const ok = rm.apply(Float64Array.from([0.5, -0.5, 0, 0, 0, 0]), ctx(log, { equity: 950_000, peakEquity: 1e6 }));
    expect(gross(ok)).toBe(1);
  });

  it("scales to the VaR limit on trailing returns (historical and gaussian)", () => {
    const T = 300;
    let s = 1;
    const u = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
    const returns = assets.map(() => Float64Array.from({ length: T }, () => 0.04 * u()));
    for (const varMethod of ["historical", "gaussian"] as const) {
      const rm = new RiskManager({ varLimit: 0.005, confidence: 0.99, varMethod });
      const log: RiskIntervention[] = [];
      const w = rm.apply(Float64Array.from([0.5, 0.5, 0.3, -0.2, 0.4, 0.1]), ctx(log, { returns, row: T - 1 }));
      expect(log[0]!.rule).toBe("varLimit");
      expect(rm.bookVaR(w, returns, T - 1)).toBeCloseTo(0.005, 10);
    }
  });

  it("counts NaN targets as zero and checks options", () => {
    const rm = new RiskManager({ maxLeverage: 3 });
    const w = rm.apply(Float64Array.from([Number.NaN, 1, -1, 0, 0, 0]), ctx([]));
    expect(Array.from(w)).toEqual([0, 1, -1, 0, 0, 0]);
    expect(() => new RiskManager({ maxLeverage: -1 })).toThrow(/option maxLeverage must be a number ≥ 0/);
    expect(() => new RiskManager({ maxDrawdown: 20 })).toThrow(/positive fraction/);
    expect(() => new RiskManager({ confidence: 95 })).toThrow(/confidence/);
    expect(() => new RiskManager({ varMethod: "cf" as never })).toThrow(/varMethod/);
  });

  it("logs to itself when no log is given", () => {
    const rm = new RiskManager({ maxLeverage: 1 });
    rm.apply(Float64Array.from([1, -1, 0, 0, 0, 0]), { date, assets, equity: 1, peakEquity: 1 });
    expect(rm.interventions).toHaveLength(1);
  });

  it("refuses bad input to apply with an error naming the argument, and logs nothing", () => {
    const rm = new RiskManager({ maxLeverage: 1, maxPosition: 0.1, varLimit: 0.02 });
    const log: RiskIntervention[] = [];
    const six = Float64Array.from([0.5, -0.5, 0.2, -0.2, 0, 0]);
    const returns = assets.map(() => new Float64Array(40).fill(0.01));
    const cases: [() => unknown, ErrorConstructor, RegExp][] = [
      [() => rm.apply(Float64Array.from([1, -1, 0]), ctx(log)), RangeError, /RiskManager\.apply: weights has 3 entries but context\.assets has 6 assets/],
      [() => rm.apply([0, 0, 0, 0, 0, 0] as never, ctx(log)), TypeError, /weights must be a Float64Array of 6 weights .* got an array of length 6/],
      [() => rm.apply(Float64Array.from([0, Number.POSITIVE_INFINITY, 0, 0, 0, 0]), ctx(log)), RangeError, /weights\[1\] \(B\) is Infinity; weights must be finite/],
      [() => rm.apply(six, ctx(log, { assets: undefined as never })), TypeError, /context\.assets must be an array/],
      [() => rm.apply(six, null as never), TypeError, /context must be an object/],
      [() => rm.apply(six, ctx(log, { equity: Number.NaN })), RangeError, /context\.equity must be a finite number .* got NaN/],
      [() => rm.apply(six, ctx(log, { peakEquity: Number.POSITIVE_INFINITY })), RangeError, /context\.peakEquity must be a finite number/],
      [() => rm.apply(six, ctx(log, { date: 1.5 })), TypeError, /context\.date must be an epoch day/],
      [() => rm.apply(six, ctx(log, { returns: returns.slice(0, 5), row: 39 })), RangeError, /context\.returns must be 6 Float64Array return columns/],
      [() => rm.apply(six, ctx(log, { returns, row: 40 })), RangeError, /context\.row must be an integer row of context\.returns in \[0, 39\], got 40/],
    ];
    for (const [f, type, message] of cases) {
      expect(f).toThrow(type);
      expect(f).toThrow(message);
    }
    expect(log).toHaveLength(0);
    expect(rm.interventions).toHaveLength(0);
    expect(Array.from(six)).toEqual([0.5, -0.5, 0.2, -0.2, 0, 0]);
    // the same call with good input still acts (and logs)
    rm.apply(six, ctx(log, { returns, row: 39 }));
    expect(log.length).toBeGreaterThan(0);
  });

  it("applyInto writes apply's weights and interventions into the caller's buffer (which may be the input)", () => {
    const opts = { maxPosition: 0.3, maxNet: 0.1, maxLeverage: 1.0, maxGross: 600_000, maxDrawdown: 0.1 };
    const books = [Float64Array.from([0.6, 0.4, Number.NaN, -0.1, -0.2, -0.3]), Float64Array.from([0.01, -0.02, 0, 0.03, -0.01, 0])];
    for (const equity of [1e6, 8e5]) {
      for (const w0 of books) {
        const logA: RiskIntervention[] = [];
        const logB: RiskIntervention[] = [];
        const want = new RiskManager(opts).apply(w0, ctx(logA, { equity }));
        const out = new Float64Array(6).fill(7);
        const got = new RiskManager(opts).applyInto(w0, ctx(logB, { equity }), out);
        expect(got).toBe(out);
        expect(Array.from(out)).toEqual(Array.from(want));
        expect(logB).toEqual(logA);
        const same = Float64Array.from(w0);
        new RiskManager(opts).applyInto(same, ctx([], { equity }), same);
        expect(Array.from(same)).toEqual(Array.from(want));
      }
    }
    const rm = new RiskManager(opts);
    const log: RiskIntervention[] = [];
    expect(() => rm.applyInto(books[1]!, ctx(log), new Float64Array(5))).toThrow(TypeError);
    expect(() => rm.applyInto(books[1]!, ctx(log), new Float64Array(5))).toThrow(/RiskManager.applyInto: out must be a Float64Array of 6 weights/);
    expect(() => rm.applyInto(new Float64Array(5), ctx(log), new Float64Array(6))).toThrow(/RiskManager.applyInto: weights has 5 entries/);
    expect(log).toHaveLength(0);
  });
});
