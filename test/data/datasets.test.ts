import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { datasetInfo, listDatasets, loadDataset, parsePanelCSV, type DatasetName } from "../../lib/data/index.js";
import { runPython } from "../helpers/python.js";

// Spot values read off the packages' own files (zcat / Rscript on the unpacked sources), not through our loader.
const expected: Record<DatasetName, { rows: number; cols: number; range: [string, string]; spot: [string, string, number] }> = {
  "skfolio-sp500": { rows: 8313, cols: 20, range: ["1990-01-02", "2022-12-28"], spot: ["1990-01-02", "AAPL", 0.264] },
  "skfolio-sp500-index": { rows: 8313, cols: 1, range: ["1990-01-02", "2022-12-28"], spot: ["1990-01-03", "SP500", 358.76] },
  "arch-frenchdata": { rows: 1109, cols: 4, range: ["1926-07-01", "2018-11-01"], spot: ["1926-07-01", "Mkt-RF", 2.96] },
  "arch-sp500": { rows: 5031, cols: 6, range: ["1999-01-04", "2018-12-31"], spot: ["1999-01-04", "Close", 1228.099976] },
  "linearmodels-french": { rows: 819, cols: 35, range: ["1949-01-01", "2017-03-01"], spot: ["1949-01-01", "MktRF", 0.0023] },
  dowjones30: { rows: 2529, cols: 30, range: ["1990-12-31", "2001-01-02"], spot: ["1990-12-31", "AA", 5.92] },
  sp2001: { rows: 103, cols: 500, range: ["2001-07-31", "2001-12-31"], spot: ["2001-07-31", "A", 28.61] },
  "gmm-finance": { rows: 4012, cols: 24, range: ["1993-01-05", "2009-01-30"], spot: ["1993-01-05", "rf", 0.011] },
  "vega-sp500": { rows: 5105, cols: 6, range: ["2000-01-03", "2020-04-17"], spot: ["2000-01-03", "close", 1455.219971] },
  "sp500-2003-2007": { rows: 1258, cols: 452, range: ["2003-01-02", "2007-12-31"], spot: ["2003-01-02", "ACE", 30.51] },
};

describe("datasets", () => {
  it("lists every dataset of the manifest with its source and license", () => {
    const names = listDatasets().map((d) => d.name);
    expect(names.sort()).toEqual(Object.keys(expected).sort());
    for (const d of listDatasets()) {
      expect(["pypi", "debian", "npm"]).toContain(d.source.registry);
      expect(d.source.version).toMatch(/\d/);
      expect(d.license.length).toBeGreaterThan(3);
    }
  });

  for (const [name, e] of Object.entries(expected) as [DatasetName, (typeof expected)[DatasetName]][]) {
    it(`loads ${name}: shape, date range, a spot value, manifest agreement`, async () => {
      const p = await loadDataset(name);
      expect(p.nDates).toBe(e.rows);
      expect(p.nAssets).toBe(e.cols);
      expect(p.dateRange).toEqual(e.range);
      const [date, asset, value] = e.spot;
      expect(p.get(p.indexOfDate(date), p.assetIndex(asset))).toBeCloseTo(value, 9);
      const info = datasetInfo(name);
      expect(info.dateRange).toEqual(e.range);
      if (info.columns) expect([...p.assets]).toEqual(info.columns);
      if (info.nAssets) expect(p.nAssets).toBe(info.nAssets);
    });
  }

  it("skfolio-sp500 equals skfolio's own loader value for value (all 8,313 × 20)", async () => {
    const p = await loadDataset("skfolio-sp500");
    const ref = await runPython<{ dates: string[]; assets: string[]; values: (number | null)[][] }>(`
from skfolio.datasets import load_sp500_dataset
df = load_sp500_dataset()
emit({"dates": [d.strftime("%Y-%m-%d") for d in df.index], "assets": list(df.columns), "values": [df[c].tolist() for c in df.columns]})
`);
    expect(p.dateStrings()).toEqual(ref.dates);
    expect([...p.assets]).toEqual(ref.assets);
    ref.values.forEach((col, j) => {
      const mine = p.column(j);
      col.forEach((v, i) => expect(mine[i]).toBe(v === null ? Number.NaN : v));
    });
  });

  it("gmm-finance documents its factor columns, which are its last four", async () => {
    const p = await loadDataset("gmm-finance");
    expect(p.assets.slice(-4)).toEqual(datasetInfo("gmm-finance").factorColumns);
  });

  it("an unknown name lists the known ones", async () => {
    await expect(loadDataset("sp600")).rejects.toThrow(/Unknown dataset "sp600".*skfolio-sp500.*vega-sp500/);
  });

  it("a dataset missing from the cache names its package and the retry command", async () => {
    const empty = mkdtempSync(join(tmpdir(), "statarb-empty-cache-"));
    await expect(loadDataset("dowjones30", { cacheDir: empty })).rejects.toThrow(
      /debian package r-cran-fbasics 4021\.93-1.*node scripts\/fetch-datasets\.mjs --only dowjones30/,
    );
  });

  it("a corrupt cached price (≤ 0) is refused with the date, the asset and the fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "statarb-bad-cache-"));
    mkdirSync(join(dir, "dowjones30"));
    const csv = "date,AA,AXP\n1991-01-02,5.9,4.7\n1991-01-03,-1,4.8\n";
    writeFileSync(join(dir, "dowjones30", "data.csv"), csv);
    // A consistent meta.json (the file is as fetched), so the value check is what refuses it.
    writeFileSync(join(dir, "dowjones30", "meta.json"), JSON.stringify({ name: "dowjones30", rows: 2, sha256: createHash("sha256").update(csv).digest("hex") }));
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(/AA on 1991-01-03 is -1.*--force --only dowjones30/);
  });
});

describe("parsePanelCSV", () => {
  it("parses dates, numbers and missing cells", () => {
    const p = parsePanelCSV("date,A,B\n2020-01-02,1.5,\n2020-01-03,NA,2e-3\n");
    expect(p.dateStrings()).toEqual(["2020-01-02", "2020-01-03"]);
    expect(Array.from(p.column("A"))).toEqual([1.5, Number.NaN]);
    expect(Array.from(p.column("B"))).toEqual([Number.NaN, 0.002]);
  });

  it("names the line and column of a bad value", () => {
    expect(() => parsePanelCSV("date,A,B\n2020-01-02,1,2\n2020-01-03,1,x7\n", { source: "prices.csv" })).toThrow(
      'prices.csv: line 3, column 3 (B): "x7" is not a number',
    );
    expect(() => parsePanelCSV("date,A\n02/01/2020,1\n")).toThrow(/line 2, column 1 \(date\)/);
    expect(() => parsePanelCSV("date,A\n2020-01-02,1,2\n")).toThrow(/line 2 has 3 fields, the header has 2/);
  });

  it("refuses unsorted dates and duplicate assets unless asked to sort", () => {
    expect(() => parsePanelCSV("date,A\n2020-01-03,1\n2020-01-02,2\n")).toThrow(/strictly increasing/);
    expect(parsePanelCSV("date,A\n2020-01-03,1\n2020-01-02,2\n", { sort: true }).dateStrings()).toEqual(["2020-01-02", "2020-01-03"]);
    expect(() => parsePanelCSV("date,A,A\n2020-01-02,1,2\n")).toThrow(/duplicate asset "A"/);
  });
});
