/**
 * Time decomposition on real daily returns (skfolio S&P 500 index, 2019–2021) against pandas'
 * calendar grouping of the same series, plus the invariants: periods compound to the total.
 */
import { describe, expect, it } from "vitest";
import { compoundByPeriod, timeDecomposition } from "../../lib/analytics/index.js";
import { loadDataset } from "../../lib/data/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";
import { arrayMismatches } from "../peers/real-data.js";

describe("timeDecomposition", () => {
  it.skipIf(!hasVenv())(venvTitle("monthly and yearly compounding match pandas on real data"), async () => {
    const idx = await loadDataset("skfolio-sp500-index");
    const r = idx.slice({ start: "2018-12-31", end: "2021-12-31" }).returns();
    const dates = r.dates.subarray(1);
    const ret = (r.columns[0] as Float64Array).subarray(1);
    const bench = ret.map((v) => v * 0.5 + 0.0001);
    const td = timeDecomposition({ dates, returns: ret, benchmark: bench });
    const peer = await runPython<{ m: number[]; y: number[]; ml: string[]; yl: string[]; n: number[] }>(
      `
import pandas as pd
s = pd.Series(data["r"], index=pd.to_datetime(data["d"]))
m = (1 + s).groupby(s.index.to_period("M")).prod() - 1
y = (1 + s).groupby(s.index.year).prod() - 1
emit({"m": m.values, "y": y.values, "ml": [str(p) for p in m.index], "yl": [str(p) for p in y.index], "n": s.groupby(s.index.to_period("M")).size().values})
`,
      { r: ret, d: Array.from(dates, (d) => new Date(d * 864e5).toISOString().slice(0, 10)) },
    );
    expect(td.monthly.labels).toEqual(peer.ml);
    expect(td.yearly.labels).toEqual(peer.yl);
    expect(arrayMismatches(td.monthly.returns, peer.m, 1e-12, 1e-15)).toEqual([]);
    expect(arrayMismatches(td.yearly.returns, peer.y, 1e-12, 1e-15)).toEqual([]);
    expect(Array.from(td.monthly.days)).toEqual(peer.n);
    expect(td.daily.returns).toEqual(ret);
    let g = 1;
    for (const v of td.monthly.returns) g *= 1 + v;
    expect(g - 1).toBeCloseTo(td.totalReturn, 12);
    expect(td.monthly.active[0]).toBeCloseTo((td.monthly.returns[0] as number) - (td.monthly.benchmark[0] as number), 15);
    expect(td.yearly.periodStart[1]).toBe(Date.UTC(2020, 0, 1) / 864e5);
  });

  it("windows by date and checks its input", () => {
    const d = Int32Array.from([18262, 18263, 18294, 18295]); // 2020-01-01, 01-02, 02-02, 02-03
    const td = timeDecomposition({ dates: d, returns: [0.1, 0.1, -0.5, 0], startDate: "2020-01-02" });
    expect(td.monthly.labels).toEqual(["2020-01", "2020-02"]);
    expect(td.monthly.returns[0]).toBeCloseTo(0.1, 15);
    expect(td.benchmarkTotalReturn).toBeNaN();
    expect(() => compoundByPeriod(d, new Float64Array(4), "weekly" as never)).toThrow(/"daily", "monthly" or "yearly"/);
    expect(() => compoundByPeriod(Int32Array.from([2, 1]), new Float64Array(2), "daily")).toThrow(/strictly increase/);
    expect(() => timeDecomposition({ dates: d, returns: [1, 2] })).toThrow(/2 returns for 4 dates/);
  });
});
