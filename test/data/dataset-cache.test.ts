/** A truncated or edited dataset cache is refused with the file and the repair command, never loaded (issue 15). */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { datasetInfo, loadDataset } from "../../lib/data/index.js";
import { repoRoot } from "../helpers/python.js";

const cache = join(repoRoot, "datasets", ".cache");
const dir = mkdtempSync(join(tmpdir(), "statarb-cache-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "dowjones30", "data.csv");
const original = readFileSync(join(cache, "dowjones30", "data.csv"), "utf8");
const repair = /node scripts\/fetch-datasets\.mjs --force --only dowjones30/;

describe("dataset cache integrity", () => {
  beforeEach(() => {
    rmSync(join(dir, "dowjones30"), { recursive: true, force: true });
    cpSync(join(cache, "dowjones30"), join(dir, "dowjones30"), { recursive: true });
  });

  it("loads an intact copy", async () => {
    expect((await loadDataset("dowjones30", { cacheDir: dir })).nDates).toBe(2529);
  });

  it("refuses a cache cut to 1,000 of its 2,529 rows, naming the file and the repair", async () => {
    writeFileSync(file, original.split("\n").slice(0, 1001).join("\n") + "\n");
    const load = loadDataset("dowjones30", { cacheDir: dir });
    await expect(load).rejects.toThrow(`the cached file ${file} has`);
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(/truncated or edited after it was fetched; nothing of it was loaded/);
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(repair);
  });

  it("refuses one edited value (23.24 → 23.2), even after an intact load in the same process", async () => {
    expect((await loadDataset("dowjones30", { cacheDir: dir })).nDates).toBe(2529);
    const at = original.indexOf(",23.24,");
    expect(at).toBeGreaterThan(0);
    writeFileSync(file, original.slice(0, at) + ",23.2," + original.slice(at + 7));
    // Caches fetched before sizes were recorded in meta.json are caught by the sha256 alone.
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(/has (\d+ bytes where meta\.json records \d+|sha256 [0-9a-f]{12}… where)/);
    // The same size: a digit changed in place is caught by the sha256.
    writeFileSync(file, original.slice(0, at) + ",23.25," + original.slice(at + 7));
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(/has sha256 [0-9a-f]{12}… where meta\.json records [0-9a-f]{12}…/);
  });

  it("refuses a cache whose meta.json is missing or unreadable", async () => {
    rmSync(join(dir, "dowjones30", "meta.json"));
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(/meta\.json is missing.*--force --only dowjones30/);
    writeFileSync(join(dir, "dowjones30", "meta.json"), "{ trunc");
    await expect(loadDataset("dowjones30", { cacheDir: dir })).rejects.toThrow(/meta\.json is not valid JSON/);
  });

  it("checks the sectors file of sp500-2003-2007 the same way", () => {
    cpSync(join(cache, "sp500-2003-2007"), join(dir, "sp500-2003-2007"), { recursive: true });
    const assets = join(dir, "sp500-2003-2007", "assets.csv");
    writeFileSync(assets, readFileSync(assets, "utf8").replace("AAPL,Information Technology", "AAPL,Energy"));
    const saved = process.env.STATARB_DATA_DIR;
    process.env.STATARB_DATA_DIR = dir;
    try {
      expect(() => datasetInfo("sp500-2003-2007").sectors).toThrow(`the cached file ${assets} has 16424 bytes where meta.json records 16440`);
    } finally {
      if (saved === undefined) delete process.env.STATARB_DATA_DIR;
      else process.env.STATARB_DATA_DIR = saved;
    }
    expect(datasetInfo("sp500-2003-2007").sectors?.AAPL).toBe("Information Technology");
  });
});
