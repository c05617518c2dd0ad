/**
 * Option validation: the one helper every public entry point of statarb uses to read its options
 * (DESIGN.md "Check options where they enter"; the habit of Plot's `keyword()` and statsmodels'
 * `tools/validation`).
 *
 * - An unknown key is an error with a "did you mean …" suggestion: a typo such as `transactionCost`
 *   must never run a backtest with zero costs.
 * - Each value is read exactly once (a getter or a Proxy cannot show one value to the check and
 *   another to the computation), checked, and defaulted; the result is a frozen plain object.
 * - Errors name the entry point, the option, the value received and what is allowed:
 *   `TypeError` for the wrong kind of value, `RangeError` for a value of the right kind out of range.
 *
 * Two ways to use it:
 * - `readOptions(where, options, { window: integer(60, { min: 1 }), method: oneOf(["a", "b"], "a") })`
 *   returns the typed, defaulted options (preferred);
 * - `checkKeys(where, options, allowedKeys)` (a Map) or `knownKeys` (a typed plain snapshot) for an
 *   entry point whose options are read by hand (nested or interdependent options), together with the
 *   single-value checkers `positiveInt`, `nonNegInt`, `finiteIn`, `oneOfValue`; `optionKeys<T>()`
 *   lists an interface's keys, checked complete by the compiler.
 */

/** How one option is read: its default, its check, and a description of what is allowed. */
export interface OptionRule<T> {
  /** What is allowed, for error messages and docs, e.g. "an integer ≥ 1". */
  readonly allowed: string;
  /** Checks a value that is present (not `undefined`) and returns it, or throws. */
  check(where: string, name: string, value: unknown): T;
  /** The value when the option is absent or `undefined`. */
  readonly fallback: () => T;
}

/** A record of rules, one per allowed option key. */
export type OptionSpec = Record<string, OptionRule<unknown>>;

/** The resolved options of a spec: every key present, typed by its rule. */
export type ResolvedOptions<S extends OptionSpec> = { readonly [K in keyof S]: S[K] extends OptionRule<infer T> ? T : never };

/**
 * Reads `options` against `spec`: refuses unknown keys, reads every known key once, checks it and fills
 * the default. `options` may be `undefined` (all defaults); anything but a plain object is a `TypeError`.
 */
export function readOptions<S extends OptionSpec>(where: string, options: unknown, spec: S): ResolvedOptions<S> {
  const keys = Object.keys(spec);
  const source = ownOptions(where, options, keys);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const rule = spec[key] as OptionRule<unknown>;
    const raw = source.get(key);
    out[key] = raw === undefined ? rule.fallback() : rule.check(where, key, raw);
  }
  return Object.freeze(out) as ResolvedOptions<S>;
}

/**
 * Refuses keys of `options` outside `allowed` (with a suggestion) and returns a snapshot of its own
 * enumerable values, each read once: read every option from the returned map, not from `options` again.
 */
export function checkKeys(where: string, options: unknown, allowed: readonly string[]): ReadonlyMap<string, unknown> {
  return ownOptions(where, options, allowed);
}

/**
 * `checkKeys` for options read field by field afterwards (nested or interdependent options): refuses
 * unknown keys and returns a plain snapshot, each value read once, typed as the options interface.
 * The values are not checked yet: read them from the snapshot with the single-value checkers.
 */
export function knownKeys<T extends object>(where: string, options: T | undefined, allowed: readonly (keyof T & string)[]): T {
  return Object.fromEntries(ownOptions(where, options, allowed)) as T;
}

/**
 * The keys of an options interface as a runtime list, checked complete at compile time: a key the
 * interface has but the list lacks, or one the interface lacks, is a type error.
 * `const MACD_KEYS = optionKeys<MACDOptions>()(["fast", "slow", "signal", "normalize"]);`
 */
export function optionKeys<T extends object>(): <const K extends readonly (keyof T & string)[]>(
  keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
) => K {
  return (keys) => keys;
}

function ownOptions(where: string, options: unknown, allowed: readonly string[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  if (options === undefined) return values;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${where}: options must be an object (or omitted), got ${describeValue(options)}`);
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) throw unknownOption(where, key, allowed);
    values.set(key, record[key]);
  }
  return values;
}

/** The error for an unknown option key, with the closest allowed key when one is near. */
export function unknownOption(where: string, key: string, allowed: readonly string[]): RangeError {
  const near = closest(key, allowed);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  const list = allowed.length === 0 ? "it takes no options" : `allowed: ${allowed.map((k) => `"${k}"`).join(", ")}`;
  return new RangeError(`${where}: unknown option "${key}"${hint}; ${list}`);
}

/** The allowed key nearest to `key` (case-insensitive edit distance, or a prefix), if near enough to be a typo. */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const c = candidate.toLowerCase();
    const d = c.startsWith(k) || k.startsWith(c) ? Math.min(1, Math.abs(c.length - k.length)) : editDistance(k, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** A short, safe rendering of a received value for an error message (never calls user code). */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "undefined":
      return "undefined";
    case "string":
      return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    case "number":
    case "boolean":
    case "bigint":
      return String(v) + (typeof v === "bigint" ? "n" : "");
    case "symbol":
      return "a symbol";
    case "function":
      return "a function";
    default:
      if (Array.isArray(v)) return `an array of length ${v.length}`;
      if (ArrayBuffer.isView(v)) return `a ${Object.prototype.toString.call(v).slice(8, -1)} of length ${(v as unknown as { length?: number }).length ?? (v as ArrayBufferView).byteLength}`;
      return "an object";
  }
}

interface Bounds {
  /** Smallest allowed value (inclusive unless `open`). */
  min?: number;
  /** Largest allowed value (inclusive unless `open`). */
  max?: number;
  /** Exclude the bounds: `true` both, or `"min"` / `"max"` one of them. */
  open?: boolean | "min" | "max";
}

function boundsText(b: Bounds): string {
  const loOpen = b.open === true || b.open === "min";
  const hiOpen = b.open === true || b.open === "max";
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`${loOpen ? ">" : "≥"} ${b.min}`);
  if (b.max !== undefined) parts.push(`${hiOpen ? "<" : "≤"} ${b.max}`);
  return parts.join(" and ");
}

function inBounds(x: number, b: Bounds): boolean {
  const loOpen = b.open === true || b.open === "min";
  const hiOpen = b.open === true || b.open === "max";
  if (b.min !== undefined && (loOpen ? !(x > b.min) : !(x >= b.min))) return false;
  if (b.max !== undefined && (hiOpen ? !(x < b.max) : !(x <= b.max))) return false;
  return true;
}

function numericRule(kind: "a finite number" | "an integer", dflt: number | (() => number), bounds: Bounds, text?: string): OptionRule<number> {
  const range = boundsText(bounds);
  const allowed = text ?? (range === "" ? kind : `${kind} ${range}`);
  return {
    allowed,
    fallback: typeof dflt === "function" ? dflt : () => dflt,
    check(where, name, value) {
      if (typeof value !== "number") throw new TypeError(`${where}: ${name} must be ${allowed}, got ${describeValue(value)}`);
      const ok = kind === "an integer" ? Number.isSafeInteger(value) : Number.isFinite(value);
      if (!ok || !inBounds(value, bounds)) throw new RangeError(`${where}: ${name} must be ${allowed}, got ${describeValue(value)}`);
      return value;
    },
  };
}

/** A finite number, optionally bounded; `dflt` may be a function (a default that depends on nothing else). */
export function number(dflt: number | (() => number), bounds: Bounds = {}): OptionRule<number> {
  return numericRule("a finite number", dflt, bounds);
}

/** A safe integer, optionally bounded. */
export function integer(dflt: number | (() => number), bounds: Bounds = {}): OptionRule<number> {
  return numericRule("an integer", dflt, bounds);
}

/** An integer ≥ 1, described as "a positive integer". */
export function positiveInteger(dflt: number | (() => number)): OptionRule<number> {
  return numericRule("an integer", dflt, { min: 1 }, "a positive integer");
}

/** An integer ≥ 0, described as "a non-negative integer". */
export function nonNegativeInteger(dflt: number | (() => number)): OptionRule<number> {
  return numericRule("an integer", dflt, { min: 0 }, "a non-negative integer");
}

/**
 * A finite number in [lo, hi] ((lo, hi) when `open`), described as "a number in [lo, hi]";
 * a bound of ±Number.MAX_VALUE reads as ±∞ ("a number in (0, ∞)").
 */
export function numberIn(dflt: number | (() => number), lo: number, hi: number, open = false): OptionRule<number> {
  const from = lo === -Number.MAX_VALUE ? "(−∞" : `${open ? "(" : "["}${lo}`;
  const to = hi === Number.MAX_VALUE ? "∞)" : `${hi}${open ? ")" : "]"}`;
  return numericRule("a finite number", dflt, { min: lo, max: hi, open }, `a number in ${from}, ${to}`);
}

/** `rule`, or exactly `Infinity` (no bound), e.g. `orInfinity(numberIn(Infinity, 0, Number.MAX_VALUE, true))`. */
export function orInfinity(rule: OptionRule<number>): OptionRule<number> {
  const allowed = `${rule.allowed} or Infinity`;
  return {
    allowed,
    fallback: rule.fallback,
    check(where, name, value) {
      if (value === Infinity) return Infinity;
      try {
        return rule.check(where, name, value);
      } catch (e) {
        const message = `${where}: ${name} must be ${allowed}, got ${describeValue(value)}`;
        throw e instanceof TypeError ? new TypeError(message) : new RangeError(message);
      }
    },
  };
}

/** One of a fixed set of strings (or other primitives). */
export function oneOf<const T extends string | number | boolean>(values: readonly T[], dflt: T): OptionRule<T> {
  const allowed = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return {
    allowed,
    fallback: () => dflt,
    check(where, name, value) {
      if (!(values as readonly unknown[]).includes(value)) {
        const near = typeof value === "string" ? closest(value, values.filter((v): v is T & string => typeof v === "string")) : undefined;
        const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
        throw new RangeError(`${where}: ${name} must be ${allowed}, got ${describeValue(value)}${hint}`);
      }
      return value as T;
    },
  };
}

/** `true` or `false`. */
export function boolean(dflt: boolean): OptionRule<boolean> {
  return {
    allowed: "true or false",
    fallback: () => dflt,
    check(where, name, value) {
      if (typeof value !== "boolean") throw new TypeError(`${where}: ${name} must be true or false, got ${describeValue(value)}`);
      return value;
    },
  };
}

/** A string, optionally non-empty. */
export function string(dflt: string, { nonEmpty = false }: { nonEmpty?: boolean } = {}): OptionRule<string> {
  const allowed = nonEmpty ? "a non-empty string" : "a string";
  return {
    allowed,
    fallback: () => dflt,
    check(where, name, value) {
      if (typeof value !== "string" || (nonEmpty && value.length === 0)) {
        throw new TypeError(`${where}: ${name} must be ${allowed}, got ${describeValue(value)}`);
      }
      return value;
    },
  };
}

/** A function (a callback such as `onProgress`). */
export function callback<F extends (...args: never[]) => unknown>(): OptionRule<F | undefined> {
  return {
    allowed: "a function",
    fallback: () => undefined,
    check(where, name, value) {
      if (typeof value !== "function") throw new TypeError(`${where}: ${name} must be a function, got ${describeValue(value)}`);
      return value as F;
    },
  };
}

/** A rule with no default: absent stays `undefined`, present is checked by `rule`. */
export function optional<T>(rule: OptionRule<T>): OptionRule<T | undefined> {
  return { allowed: rule.allowed, check: rule.check, fallback: () => undefined };
}

/**
 * A value checked by a guard the caller writes, for objects and unions the builders above do not cover
 * (`allowed` describes them: "a Panel", "a cost model or an array of them").
 */
export function custom<T>(allowed: string, dflt: () => T, check: (value: unknown) => value is T, kind: "type" | "range" = "type"): OptionRule<T> {
  return {
    allowed,
    fallback: dflt,
    check(where, name, value) {
      if (!check(value)) {
        const message = `${where}: ${name} must be ${allowed}, got ${describeValue(value)}`;
        throw kind === "type" ? new TypeError(message) : new RangeError(message);
      }
      return value;
    },
  };
}

// Single-value checkers for options read by hand after `checkKeys` (the argument `v` was read once).

/** `v` (or `dflt` when undefined) as an integer ≥ 1 ("must be a positive integer"). */
export function positiveInt(where: string, name: string, v: unknown, dflt: number): number {
  return v === undefined ? dflt : positiveInteger(dflt).check(where, name, v);
}

/** `v` (or `dflt` when undefined) as an integer ≥ 0 ("must be a non-negative integer"). */
export function nonNegInt(where: string, name: string, v: unknown, dflt: number): number {
  return v === undefined ? dflt : nonNegativeInteger(dflt).check(where, name, v);
}

/** `v` (or `dflt`) as a finite number in [lo, hi] ((lo, hi) when `open`; ±Number.MAX_VALUE reads as ±∞). */
export function finiteIn(where: string, name: string, v: unknown, dflt: number, lo: number, hi: number, open = false): number {
  return v === undefined ? dflt : numberIn(dflt, lo, hi, open).check(where, name, v);
}

/** `v` (or `dflt`) as one of `allowed`. */
export function oneOfValue<const T extends string>(where: string, name: string, v: unknown, dflt: T, allowed: readonly T[]): T {
  return v === undefined ? dflt : oneOf(allowed, dflt).check(where, name, v);
}
