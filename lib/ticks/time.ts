/**
 * Time spans of the tick API: a number of nanoseconds (bigint or safe integer) or a string such as
 * "500ms", "1s", "5min", "1h", "1d" (units ns, us, ms, s, min, h, d); and the time window options
 * shared by queries (`start`, `end` as ISO date-times, Dates or nanoseconds since 1970).
 */
import { describeValue } from "../data/index.js";
import { toEpochNs } from "./store.js";

const UNIT_NS: Record<string, bigint> = { ns: 1n, us: 1_000n, µs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, min: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** A span in nanoseconds (> 0) from a number of ns, a bigint, or "<n><unit>". */
export function parseSpan(where: string, name: string, v: unknown): bigint {
  if (typeof v === "bigint" && v > 0n) return v;
  if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return BigInt(v);
  if (typeof v === "string") {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|min|h|d)\s*$/.exec(v);
    if (m) {
      const unit = UNIT_NS[m[2] as string] as bigint;
      const [whole, frac = ""] = (m[1] as string).split(".");
      const scale = 10n ** BigInt(frac.length);
      const ns = (BigInt(`${whole}${frac}`) * unit) / scale;
      if (ns > 0n && (BigInt(`${whole}${frac}`) * unit) % scale === 0n) return ns;
    }
  }
  throw new RangeError(`${where}: ${name} must be a positive whole number of nanoseconds or a span such as "500ms", "1s", "5min", "1h", "1d", got ${describeValue(v)}`);
}

/** `start`/`end` of a query as ns since 1970, or undefined. */
export function parseInstant(where: string, name: string, v: unknown): bigint | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string" || typeof v === "bigint" || v instanceof Date) {
    try {
      return toEpochNs(v);
    } catch (err) {
      throw new TypeError(`${where}: ${name}: ${(err as Error).message}`);
    }
  }
  throw new TypeError(`${where}: ${name} must be an ISO date-time string, a Date or a bigint of ns since 1970, got ${describeValue(v)}`);
}
