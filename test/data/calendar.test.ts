import { describe, expect, it } from "vitest";
import { fromEpochDay, isNyseTradingDay, loadDataset, NYSE_SPECIAL_CLOSURES, nyseHolidays, nyseTradingDays } from "../../lib/data/index.js";

const iso = (days: Int32Array): string[] => Array.from(days, fromEpochDay);

describe("NYSE calendar", () => {
  it("has exactly 1,258 trading days from 2003-01-02 to 2007-12-31", () => {
    const days = nyseTradingDays("2003-01-01", "2007-12-31");
    expect(days.length).toBe(1258);
    expect(fromEpochDay(days[0] as number)).toBe("2003-01-02");
    expect(fromEpochDay(days.at(-1) as number)).toBe("2007-12-31");
  });

  it("closes on the 2003–2007 holidays, Good Fridays and the special closures", () => {
    expect(iso(nyseHolidays(2004))).toEqual([
      "2004-01-01", "2004-01-19", "2004-02-16", "2004-04-09", "2004-05-31",
      "2004-06-11", // Reagan
      "2004-07-05", "2004-09-06", "2004-11-25", "2004-12-24",
    ]);
    expect(iso(nyseHolidays(2007))).toEqual([
      "2007-01-01", "2007-01-02", // Ford
      "2007-01-15", "2007-02-19", "2007-04-06", "2007-05-28", "2007-07-04", "2007-09-03", "2007-11-22", "2007-12-25",
    ]);
    // New Year's Day 2005 fell on a Saturday: no closure on Friday 2004-12-31.
    expect(isNyseTradingDay("2004-12-31")).toBe(true);
    expect(isNyseTradingDay("2006-01-02")).toBe(false); // Sunday's New Year observed on Monday
    expect(isNyseTradingDay("2003-04-18")).toBe(false); // Good Friday
    expect(isNyseTradingDay("2005-12-26")).toBe(false); // Christmas on a Sunday
    for (const d of Object.keys(NYSE_SPECIAL_CLOSURES)) expect(isNyseTradingDay(d), d).toBe(false);
  });

  // The Yahoo-sourced datasets carry the exchange's real dates: the rule must reproduce them day for day.
  for (const [name, from, to] of [
    ["skfolio-sp500", "1990-01-02", "2022-12-28"],
    ["arch-sp500", "1999-01-04", "2018-12-31"],
    ["vega-sp500", "2000-01-03", "2020-04-17"],
  ] as const) {
    it(`reproduces the dates of ${name} (${from} … ${to})`, async () => {
      const p = await loadDataset(name);
      expect(iso(nyseTradingDays(from, to))).toEqual(p.dateStrings());
    });
  }

  it("refuses years it does not know and inverted ranges", () => {
    expect(() => nyseTradingDays("1989-12-01", "1990-01-05")).toThrow(/year 1989 is outside the NYSE calendar's years 1990–2030/);
    expect(() => nyseTradingDays("2005-01-02", "2005-01-01")).toThrow(/end 2005-01-01 is before start 2005-01-02/);
  });
});
