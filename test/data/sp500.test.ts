import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  adjustPrices,
  datasetCorporateActions,
  datasetInfo,
  jumpCandidates,
  loadDataset,
  nyseTradingDays,
  Panel,
  parseCorporateActions,
  splitCSVLine,
  type CorporateAction,
} from "../../lib/data/index.js";
import { repoRoot } from "../helpers/python.js";

const NAME = "sp500-2003-2007";
const key = (asset: string, date: string): string => `${asset}@${date}`;

/** real-moves.csv: candidate jumps judged to be genuine price moves. */
function realMoves(): Map<string, number> {
  const text = readFileSync(join(repoRoot, "datasets", NAME, "real-moves.csv"), "utf8");
  const lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  expect(lines.shift()).toBe("asset,date,logReturn,evidence");
  return new Map(
    lines.map((l) => {
      const [asset, date, r, evidence] = splitCSVLine(l) as [string, string, string, string];
      expect(evidence.length, l).toBeGreaterThan(20);
      return [key(asset, date), Number(r)];
    }),
  );
}

describe("dataset sp500-2003-2007", () => {
  let raw: Panel;
  let adjusted: Panel;
  let actions: readonly CorporateAction[];
  beforeAll(async () => {
    [raw, adjusted] = await Promise.all([loadDataset(NAME, { adjusted: false }), loadDataset(NAME)]);
    actions = datasetCorporateActions(NAME);
  });

  it("is 452 stocks × the 1,258 NYSE trading days of 2003–2007, raw closes as the package ships them", () => {
    expect(raw.nDates).toBe(1258);
    expect(raw.nAssets).toBe(452);
    expect(Array.from(raw.dates)).toEqual(Array.from(nyseTradingDays("2003-01-02", "2007-12-31")));
    expect(raw.dateRange).toEqual(["2003-01-02", "2007-12-31"]);
    // Microsoft's 2:1 split on 2003-02-18, unadjusted (values read with numpy from stockdata.npz).
    const msft = raw.column("MSFT");
    expect([msft[raw.indexOfDate("2003-02-14")], msft[raw.indexOfDate("2003-02-18")]]).toEqual([48.3, 24.96]);
    expect(raw.get(0, raw.assetIndex("MMM"))).toBe(126.75);
  });

  it("exposes sectors and names, and states its biases", () => {
    const info = datasetInfo(NAME);
    const sectors = info.sectors as Readonly<Record<string, string>>;
    expect(Object.keys(sectors).sort()).toEqual([...raw.assets].sort());
    expect(new Set(Object.values(sectors)).size).toBe(10);
    expect(sectors.MSFT).toBe("Information Technology");
    expect(info.names?.XOM).toBe("Exxon Mobil Corp.");
    expect(Object.keys(info)).not.toContain("sectors"); // lazy and not enumerable: listing the manifest reads no cache
    expect(info.description).toMatch(/survivorship/);
    expect(info.description).toMatch(/closes only/);
    expect(info.description).toMatch(/no dividends/);
  });

  it("every candidate jump is in the corporate-actions table or on the list of real moves, and nothing else is listed", () => {
    const inTable = new Set(actions.map((a) => key(a.asset, a.date)));
    const real = realMoves();
    const candidates = jumpCandidates(raw);
    expect(candidates.length).toBe(385);
    for (const c of candidates) {
      const k = key(c.asset, c.date);
      expect(inTable.has(k) !== real.has(k), `${k} (log return ${c.logReturn.toFixed(4)}) must be in exactly one list`).toBe(true);
      if (real.has(k)) expect(real.get(k)).toBeCloseTo(c.logReturn, 4);
    }
    const candidateKeys = new Set(candidates.map((c) => key(c.asset, c.date)));
    for (const k of real.keys()) expect(candidateKeys.has(k), `${k} is listed as a real move but is no candidate`).toBe(true);
    // The cases: a split that printed beyond its ratio is in the table; crashes near a ratio are real.
    expect(actions.find((a) => a.asset === "MSFT" && a.date === "2003-02-18")).toMatchObject({ kind: "split", ratio: 2 });
    expect(real.has(key("ETFC", "2007-11-12")) && real.has(key("CERN", "2003-04-03"))).toBe(true);
  });

  it("back-adjusts: last day equals the raw close, tabled jumps disappear, real moves stay", () => {
    for (let j = 0; j < raw.nAssets; j++) expect(adjusted.get(raw.nDates - 1, j)).toBe(raw.get(raw.nDates - 1, j));
    const left = new Set(jumpCandidates(adjusted).map((c) => key(c.asset, c.date)));
    expect(left).toEqual(new Set(realMoves().keys()));
    const m = adjusted.column("MSFT");
    // 2:1 on 2003-02-18 and the $3.00 special dividend on 2004-11-15 (previous close 29.97).
    expect(m[raw.indexOfDate("2003-02-14")]).toBeCloseTo((48.3 / 2) * (1 - 3 / 29.97), 10);
    const etfc = adjusted.column("ETFC");
    const i = raw.indexOfDate("2007-11-12");
    expect((etfc[i] as number) / (etfc[i - 1] as number)).toBeCloseTo(3.55 / 8.59, 12);
  });

  it("agrees with Yahoo's adjustment factors (skfolio-sp500) on every event above 2 % of the shared stocks", async () => {
    const yahoo = (await loadDataset("skfolio-sp500")).slice({ start: "2003-01-02", end: "2007-12-31" });
    expect(Array.from(yahoo.dates)).toEqual(Array.from(raw.dates));
    const shared = yahoo.assets.filter((a) => raw.has(a));
    expect(shared.length).toBe(20);
    const ours = new Map<string, number>();
    for (const a of actions) if (shared.includes(a.asset)) ours.set(key(a.asset, a.date), 0);
    let events = 0;
    for (const a of shared) {
      const [y, r, adj] = [yahoo.column(a), raw.column(a), adjusted.column(a)];
      for (let t = 1; t < raw.nDates; t++) {
        const rr = (r[t] as number) / (r[t - 1] as number);
        const mYahoo = ((y[t - 1] as number) / (y[t] as number)) * rr;
        const mOurs = ((adj[t - 1] as number) / (adj[t] as number)) * rr;
        if (Math.abs(Math.log(mYahoo)) < 0.02) continue;
        events++;
        const k = key(a, raw.dateStrings()[t] as string);
        expect(ours.has(k), `Yahoo adjusts ${k} by ${mYahoo.toFixed(4)}; the table has no row`).toBe(true);
        expect(Math.abs(Math.log(mOurs / mYahoo)), k).toBeLessThan(0.005);
        ours.delete(k);
      }
    }
    expect(events).toBe(11); // 9 splits, Microsoft's special dividend, Merck's Medco spin-off
    expect([...ours.keys()]).toEqual([]);
  });

  it("only datasets with a corporate-actions table take the adjusted option", async () => {
    await expect(loadDataset("dowjones30", { adjusted: true })).rejects.toThrow(/option adjusted applies to datasets with a corporate-actions table \(sp500-2003-2007\)/);
    await expect(loadDataset(NAME, { adjustd: false } as never)).rejects.toThrow(/unknown option "adjustd" \(did you mean "adjusted"\?\)/);
  });
});

describe("corporate actions", () => {
  /** A tiny panel over the first trading days of 2003. */
  const panel = (cols: Record<string, number[]>): Panel =>
    Panel.fromColumns(nyseTradingDays("2003-01-02", "2003-01-31").slice(0, (Object.values(cols)[0] as number[]).length), cols);
  const csv = (rows: string): CorporateAction[] => parseCorporateActions(`asset,date,kind,ratio,amount,evidence\n${rows}`, "t.csv");

  it("splits, reverse splits and distributions combine into one multiplier per ex-date", () => {
    const p = panel({ A: [100, 50, 51], B: [10, 40, 41], C: [100, 90, 91] });
    const acts = csv(
      "A,2003-01-03,split,2,0,two for one\n" +
        "B,2003-01-03,reverse split,0.25,0,one for four\n" +
        "C,2003-01-03,special dividend,1,10,ten dollars\n" +
        "C,2003-01-06,split,2,0,x\nC,2003-01-06,spin-off,1,5,y\n",
    );
    const adj = adjustPrices(p, acts);
    expect(Array.from(adj.column("A"))).toEqual([50, 50, 51]);
    expect(Array.from(adj.column("B"))).toEqual([40, 40, 41]);
    // C: on 2003-01-06, ratio 2 and 5 per new share: m = ½·(1 − 5·2/90); on 2003-01-03, m = 1 − 10/100.
    const m2 = 0.5 * (1 - 10 / 90);
    expect(adj.column("C")[2]).toBe(91);
    expect(adj.column("C")[1]).toBeCloseTo(90 * m2, 12);
    expect(adj.column("C")[0]).toBeCloseTo(100 * m2 * 0.9, 12);
  });

  it("refuses malformed rows, unknown assets and dates, naming the line", () => {
    expect(() => csv("A,2003-01-03,split,0.5,0,x")).toThrow("t.csv: line 2: a split has ratio > 1 and amount 0");
    expect(() => csv("A,2003-01-03,merger,2,0,x")).toThrow(/line 2: kind "merger" is not one of split, reverse split, spin-off, special dividend/);
    expect(() => csv("A,2003-02-30,split,2,0,x")).toThrow(/line 2: date "2003-02-30" is not a YYYY-MM-DD calendar date/);
    expect(() => csv("A,2003-01-03,spin-off,1,0,x")).toThrow(/a spin-off has ratio 1 and amount > 0/);
    expect(() => csv("A,2003-01-03,split,2,0,")).toThrow(/evidence must not be empty/);
    const p = panel({ A: [100, 50, 51] });
    expect(() => adjustPrices(p, csv("Z,2003-01-03,split,2,0,x"))).toThrow(/corporate action for Z on 2003-01-03, an asset the panel does not hold/);
    expect(() => adjustPrices(p, csv("A,2003-01-04,split,2,0,x"))).toThrow(/A on 2003-01-04, which is not a date of the panel/);
    expect(() => adjustPrices(p, csv("A,2003-01-02,split,2,0,x"))).toThrow(/the panel's first date/);
    expect(() => adjustPrices(p, csv("A,2003-01-03,special dividend,1,100,x"))).toThrow(/leaves no positive price/);
    expect(() => jumpCandidates(p, { down: -1 })).toThrow(/jumpCandidates: down must be a finite number > 0, got -1/);
  });
});
