/**
 * The WHERE clause shared by the as-of join, bars and replay: symbols and a time window, passed to
 * DuckDB as parameters (never pasted into the SQL text).
 */
import { describeValue } from "../data/index.js";
import { parseInstant } from "./time.js";

/** Which ticks a query reads. */
export interface TickFilter {
  /** Symbols to keep (default: all). */
  symbols?: readonly string[];
  /** First instant kept, inclusive: ISO date-time, Date, or bigint ns since 1970 (default: the first tick). */
  start?: string | Date | bigint;
  /** Last instant kept, exclusive (default: after the last tick). */
  end?: string | Date | bigint;
}

export const FILTER_KEYS = ["symbols", "start", "end"] as const;

/** SQL conditions on `alias.sym` (or `alias.sid` with the raw tables' `dictionary`) / `alias.ts` and their parameters (appended to `params`). */
export function filterSql(where: string, alias: string, f: { symbols?: unknown; start?: unknown; end?: unknown }, params: (string | bigint)[], dictionary?: readonly string[]): string {
  const parts: string[] = [];
  if (f.symbols !== undefined) {
    if (!Array.isArray(f.symbols) || f.symbols.length === 0 || f.symbols.some((s) => typeof s !== "string" || s === "")) {
      throw new TypeError(`${where}: symbols must be a non-empty array of symbol strings, got ${describeValue(f.symbols)}`);
    }
    if (dictionary !== undefined) {
      // raw tables: the symbols' codes (an unknown symbol matches nothing)
      const ids = (f.symbols as string[]).map((s) => dictionary.indexOf(s)).filter((k) => k >= 0);
      parts.push(ids.length === 0 ? "FALSE" : `${alias}.sid IN (${ids.join(", ")})`);
    } else {
      const marks = (f.symbols as string[]).map((s) => {
        params.push(s);
        return `$${params.length}`;
      });
      parts.push(`${alias}.sym IN (${marks.join(", ")})`);
    }
  }
  const start = parseInstant(where, "start", f.start);
  const end = parseInstant(where, "end", f.end);
  if (start !== undefined && end !== undefined && end <= start) throw new RangeError(`${where}: end must be after start`);
  if (start !== undefined) {
    params.push(start);
    parts.push(`${alias}.ts >= make_timestamp_ns($${params.length}::BIGINT)`);
  }
  if (end !== undefined) {
    params.push(end);
    parts.push(`${alias}.ts < make_timestamp_ns($${params.length}::BIGINT)`);
  }
  return parts.length === 0 ? "TRUE" : parts.join(" AND ");
}
