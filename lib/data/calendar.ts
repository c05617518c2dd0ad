/**
 * The New York Stock Exchange trading calendar, 1990–2030: weekdays minus the exchange's full-day
 * holidays (a rule per holiday, with NYSE's weekend observance) minus an explicit list of special
 * closures (funerals of presidents, 9/11, hurricane Sandy, …).
 *
 * DESIGN.md says calendars come from the data, not from a rule; this one exists for data that stores
 * no dates (the `sp500-2003-2007` dataset is a bare 1,258 × 452 matrix). It is checked in the tests
 * against the dates of the Yahoo-sourced datasets shipped here (skfolio-sp500 1990–2022, arch-sp500
 * 1999–2018, vega-sp500 2000–2020), day for day. Early closes (half days) are trading days.
 *
 * Rules (NYSE Rule 7.2 and its history):
 * - New Year's Day: Jan 1; on a Sunday the Monday after; on a Saturday no weekday closure (the
 *   exchange does not close on the Friday of the previous year).
 * - Martin Luther King Jr. Day: third Monday of January, from 1998.
 * - Washington's Birthday: third Monday of February.
 * - Good Friday: two days before Western Easter.
 * - Memorial Day: last Monday of May.
 * - Juneteenth: June 19, from 2022 (Saturday → Friday, Sunday → Monday).
 * - Independence Day: July 4 (Saturday → Friday, Sunday → Monday).
 * - Labor Day: first Monday of September.
 * - Thanksgiving: fourth Thursday of November.
 * - Christmas: December 25 (Saturday → Friday, Sunday → Monday).
 */
import { type DateLike, fromEpochDay, toEpochDay } from "./dates.js";

/** First and last year the calendar covers; outside them holidays are not known here. */
export const NYSE_CALENDAR_YEARS: readonly [number, number] = Object.freeze([1990, 2030] as [number, number]);

/** Full-day closures outside the holiday rules, with the reason (1990–2030). */
export const NYSE_SPECIAL_CLOSURES: Readonly<Record<string, string>> = Object.freeze({
  "1994-04-27": "national day of mourning for President Nixon",
  "2001-09-11": "September 11 attacks",
  "2001-09-12": "September 11 attacks",
  "2001-09-13": "September 11 attacks",
  "2001-09-14": "September 11 attacks",
  "2004-06-11": "national day of mourning for President Reagan",
  "2007-01-02": "national day of mourning for President Ford",
  "2012-10-29": "hurricane Sandy",
  "2012-10-30": "hurricane Sandy",
  "2018-12-05": "national day of mourning for President George H. W. Bush",
  "2025-01-09": "national day of mourning for President Carter",
});

const utcDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
/** Day of week of an epoch day, 0 = Sunday (1970-01-01 was a Thursday). */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** The n-th (1-based) given weekday of a month, or the last one when n = -1. */
function nthWeekday(y: number, m: number, dow: number, n: number): number {
  if (n > 0) {
    const first = utcDay(y, m, 1);
    return first + ((dow - weekday(first) + 7) % 7) + 7 * (n - 1);
  }
  const last = utcDay(y, m + 1, 0);
  return last - ((weekday(last) - dow + 7) % 7);
}

/** Saturday → Friday, Sunday → Monday. */
function observed(day: number): number {
  const w = weekday(day);
  return w === 6 ? day - 1 : w === 0 ? day + 1 : day;
}

/** Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus, Astronomical Algorithms, ch. 8). */
function easter(y: number): number {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - Math.floor(b / 4) - g + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const n = h + l - 7 * m + 114;
  return utcDay(y, Math.floor(n / 31), (n % 31) + 1);
}

function checkYear(where: string, y: number): void {
  const [lo, hi] = NYSE_CALENDAR_YEARS;
  if (!Number.isInteger(y) || y < lo || y > hi) throw new RangeError(`${where}: year ${y} is outside the NYSE calendar's years ${lo}–${hi}`);
}

/**
 * The NYSE's full-day closures on weekdays in `year` (holidays by rule and special closures), as
 * sorted epoch days.
 */
export function nyseHolidays(year: number): Int32Array {
  checkYear("nyseHolidays", year);
  const days = [
    weekday(utcDay(year, 1, 1)) === 6 ? Number.NaN : observed(utcDay(year, 1, 1)),
    year >= 1998 ? nthWeekday(year, 1, 1, 3) : Number.NaN,
    nthWeekday(year, 2, 1, 3),
    easter(year) - 2,
    nthWeekday(year, 5, 1, -1),
    year >= 2022 ? observed(utcDay(year, 6, 19)) : Number.NaN,
    observed(utcDay(year, 7, 4)),
    nthWeekday(year, 9, 1, 1),
    nthWeekday(year, 11, 4, 4),
    observed(utcDay(year, 12, 25)),
  ].filter((d) => !Number.isNaN(d));
  for (const iso of Object.keys(NYSE_SPECIAL_CLOSURES)) if (iso.startsWith(`${year}-`)) days.push(toEpochDay(iso));
  return Int32Array.from(new Set(days)).sort();
}

/** Whether the NYSE traded on `date` (a weekday that is not a closure). */
export function isNyseTradingDay(date: DateLike): boolean {
  const day = toEpochDay(date);
  const w = weekday(day);
  if (w === 0 || w === 6) return false;
  return !nyseHolidays(Number(fromEpochDay(day).slice(0, 4))).includes(day);
}

/** NYSE trading days from `start` to `end`, both inclusive, as epoch days. */
export function nyseTradingDays(start: DateLike, end: DateLike): Int32Array {
  const lo = toEpochDay(start);
  const hi = toEpochDay(end);
  if (hi < lo) throw new RangeError(`nyseTradingDays: end ${fromEpochDay(hi)} is before start ${fromEpochDay(lo)}`);
  const y0 = Number(fromEpochDay(lo).slice(0, 4));
  const y1 = Number(fromEpochDay(hi).slice(0, 4));
  checkYear("nyseTradingDays", y0);
  checkYear("nyseTradingDays", y1);
  const closed = new Set<number>();
  for (let y = y0; y <= y1; y++) for (const d of nyseHolidays(y)) closed.add(d);
  const out: number[] = [];
  for (let d = lo; d <= hi; d++) {
    const w = weekday(d);
    if (w !== 0 && w !== 6 && !closed.has(d)) out.push(d);
  }
  return Int32Array.from(out);
}
