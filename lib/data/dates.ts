/**
 * Trading dates as epoch days (days since 1970-01-01, UTC) in `Int32Array`s.
 * Integer days keep date arithmetic exact and let date columns live in typed arrays.
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Anything the library accepts as a date: an ISO string, a `Date`, or an epoch day. */
export type DateLike = string | Date | number;

/** Converts a date to its epoch day. Numbers are taken as epoch days already. */
export function toEpochDay(date: DateLike): number {
  if (typeof date === "number") {
    if (!Number.isInteger(date)) throw new TypeError(`toEpochDay: ${date} is not an integer epoch day`);
    return date;
  }
  if (date instanceof Date) {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new TypeError("toEpochDay: invalid Date");
    return Math.floor(ms / MS_PER_DAY);
  }
  const m = ISO_DATE.exec(date);
  if (!m) throw new TypeError(`toEpochDay: "${date}" is not an ISO date (expected YYYY-MM-DD)`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / MS_PER_DAY;
  // Date.UTC silently rolls 2021-02-30 over to March; reject it instead.
  if (fromEpochDay(day) !== `${m[1]}-${m[2]}-${m[3]}`) throw new RangeError(`toEpochDay: "${date}" is not a calendar date`);
  return day;
}

/** Formats an epoch day as `YYYY-MM-DD`. */
export function fromEpochDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Converts an epoch day to a UTC midnight `Date`. */
export function epochDayToDate(day: number): Date {
  return new Date(day * MS_PER_DAY);
}

/** Converts a list of dates to a strictly typed `Int32Array` of epoch days. */
export function toEpochDays(dates: ArrayLike<DateLike> | Int32Array): Int32Array {
  if (dates instanceof Int32Array) return dates;
  const out = new Int32Array(dates.length);
  for (let i = 0; i < dates.length; i++) out[i] = toEpochDay(dates[i] as DateLike);
  return out;
}

/**
 * Index of the first date ≥ `day` in a sorted date array (binary search);
 * `dates.length` when every date is earlier.
 */
export function lowerBound(dates: Int32Array, day: number): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first date > `day` in a sorted date array. */
export function upperBound(dates: Int32Array, day: number): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid]! <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Year, month (1–12) and day of an epoch day, without allocating a string. */
export function civilFromEpochDay(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
