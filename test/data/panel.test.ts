/**
 * Panel: slicing, returns against pandas on real data, alignment, and the danfojs / Arrow edges
 * (lossless round trips, NaN kept), HTML rendering, and the checks made at construction.
 */
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { alignPanels, loadDataset, Panel, panelFromArrow, panelFromDataFrame, panelToArrow, panelToDataFrame } from "../../lib/data/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";

let dj: Panel;
beforeAll(async () => {
  dj = await loadDataset("dowjones30");
});

const sameBits = (a: Float64Array, b: Float64Array) => {
  expect(a.length).toBe(b.length);
  expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
};

describe("Panel", () => {
  it("slices by inclusive date range and by assets, sharing buffers", () => {
    const s = dj.slice({ start: "1995-01-01", end: "1995-12-31", assets: ["IBM", "KO"] });
    expect(s.assets).toEqual(["IBM", "KO"]);
    expect(s.dateRange?.[0]).toBe("1995-01-03");
    expect(s.dateRange?.[1]).toBe("1995-12-29");
    expect(s.column("KO").buffer).toBe(dj.column("KO").buffer);
    expect(s.get(0, 1)).toBe(dj.get(dj.indexOfDate("1995-01-03"), dj.assetIndex("KO")));
    expect(() => dj.column("NOPE")).toThrow(/no asset "NOPE"; known: AA, AXP/);
  });

  it.skipIf(!hasVenv())(venvTitle("simple and log returns equal pandas pct_change / log diff on DowJones30"), async () => {
    const s = dj.slice({ end: "1992-12-31" });
    const ref = await runPython<{ simple: (number | null)[][]; log: (number | null)[][] }>(
      `
import numpy as np, pandas as pd
df = pd.DataFrame({a: c for a, c in zip(data["assets"], data["cols"])})
emit({"simple": [df[c].pct_change(fill_method=None).tolist() for c in df.columns],
      "log": [np.log(df[c]).diff().tolist() for c in df.columns]})
`,
      { assets: s.assets, cols: s.columns },
    );
    for (const [kind, table] of [["simple", ref.simple], ["log", ref.log]] as const) {
      const r = s.returns(kind);
      expect(r.nDates).toBe(s.nDates); // same dates, first row NaN, as pandas
      table.forEach((col, j) => {
        for (let i = 0; i < col.length; i++) {
          const want = col[i] ?? Number.NaN;
          const got = r.get(i, j);
          if (Number.isNaN(want)) expect(got).toBeNaN();
          else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13);
        }
      });
    }
  });

  it("aligns two panels on their common dates", () => {
    const a = dj.sliceRows(0, 10);
    const b = dj.sliceRows(5, 20).select(["IBM"]);
    const [x, y] = alignPanels(a, b);
    expect(x.nDates).toBe(5);
    expect(Array.from(x.dates)).toEqual(Array.from(y.dates));
    expect(x.dates[0]).toBe(dj.dates[5]);
    expect(y.get(0, 0)).toBe(dj.get(5, dj.assetIndex("IBM")));
  });

  it("round-trips through an Arrow IPC buffer bit for bit, NaN included", () => {
    const cols = dj.sliceRows(0, 300).columns.map((c) => Float64Array.from(c));
    (cols[0] as Float64Array)[3] = Number.NaN;
    (cols[1] as Float64Array)[7] = Number.POSITIVE_INFINITY;
    const p = new Panel(dj.dates.subarray(0, 300), dj.assets, cols);
    const table = tableFromIPC(tableToIPC(panelToArrow(p)));
    expect(table.numRows).toBe(300);
    expect(table.schema.fields[0]?.name).toBe("date");
    const back = panelFromArrow(table);
    expect(back.assets).toEqual(p.assets);
    expect(Array.from(back.dates)).toEqual(Array.from(p.dates));
    back.columns.forEach((c, j) => sameBits(c, p.columns[j] as Float64Array));
  });

  it("converts to a danfojs DataFrame indexed by date and back", async () => {
    const p = dj.sliceRows(100, 140).select(["AA", "GE", "MSFT"]);
    const df = await panelToDataFrame(p);
    expect(df.shape).toEqual([40, 3]);
    expect(df.index[0]).toBe(p.dateStrings()[0]);
    expect(df.column("GE").values[5]).toBe(p.get(5, 1));
    const back = panelFromDataFrame(df);
    back.columns.forEach((c, j) => sameBits(c, p.columns[j] as Float64Array));
  });

  it("renders an HTML table with a text fallback for Jupyter", () => {
    const bundle = (dj as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]?.() ?? {};
    expect(bundle["text/html"]).toMatch(/<table[\s\S]*<th>AA<\/th>[\s\S]*1990-12-31/);
    expect(bundle["text/html"]).toContain("…");
    expect(bundle["text/plain"]).toMatch(/2529 dates × 30 assets|2529/);
  });

  it("refuses bad input with errors that name the problem", () => {
    expect(() => new Panel(["2020-01-02", "2020-01-01"], ["A"], [new Float64Array(2)])).toThrow(/increasing/);
    expect(() => new Panel(["2020-01-01"], ["A", "A"], [new Float64Array(1), new Float64Array(1)])).toThrow(/duplicate|A/);
    expect(() => new Panel(["2020-01-01", "2020-01-02"], ["A"], [new Float64Array(3)])).toThrow(/length|3/);
    expect(() => new Panel(["2020-02-30"], ["A"], [new Float64Array(1)])).toThrow(/not a calendar date/);
  });
});
