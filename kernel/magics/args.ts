/**
 * The one parser of a magic's argument line (`%timeit -n 10 -r 3 stmt`, `%%sql -o t -q`): flags first,
 * each a switch, a variable name or a positive count; then, for magics that take one, the rest of the
 * line as it was written (a statement to time). An unknown flag is an error naming the allowed usage,
 * unless the magic takes a rest (where `-x` may be code: unary minus).
 */

export type MagicFlagKind = "switch" | "name" | "count";

/** One flag of a magic: its spellings (`["-o", "--output"]`) and what it takes. */
export interface MagicFlag {
  readonly names: readonly string[];
  readonly kind: MagicFlagKind;
}

/** What a flag of each kind yields. */
type FlagValue<F extends MagicFlag> = F["kind"] extends "switch" ? true : F["kind"] extends "count" ? number : string;

export interface ParsedMagicLine<S extends Record<string, MagicFlag>> {
  /** The flags given (absent ones are undefined). */
  readonly flags: { readonly [K in keyof S]?: FlagValue<S[K]> };
  /** The rest of the line after the flags ("" when none or when the magic takes no rest). */
  readonly rest: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * Parses `args` of `magic` (e.g. "%timeit") against `spec`; `usage` ends the unknown-flag error; with
 * `rest`, parsing stops at the first token that is not a flag and returns the remainder verbatim.
 */
export function parseMagicLine<S extends Record<string, MagicFlag>>(magic: string, args: string, spec: S, options: { usage: string; rest?: boolean }): ParsedMagicLine<S> {
  const flags: Record<string, string | number | true> = {};
  let s = args.trim();
  while (s !== "") {
    const token = /^\S+/.exec(s)?.[0] as string;
    const hit = findFlag(spec, token);
    if (hit === undefined) {
      if (options.rest) break;
      throw new SyntaxError(`${magic}: unknown argument ${JSON.stringify(token)}; usage: ${options.usage}`);
    }
    const [key, flag, attached] = hit;
    s = s.slice(token.length).trimStart();
    if (flag.kind === "switch") {
      flags[key] = true;
      continue;
    }
    let value = attached;
    if (value === undefined) {
      value = /^\S+/.exec(s)?.[0];
      if (value !== undefined) s = s.slice(value.length).trimStart();
    }
    flags[key] = flagValue(magic, token.slice(0, token.length - (attached?.length ?? 0)), flag, value);
  }
  return { flags: flags as ParsedMagicLine<S>["flags"], rest: options.rest ? s : "" };
}

/** The flag `token` spells (a count may be attached: `-n10`), with the attached value. */
function findFlag(spec: Record<string, MagicFlag>, token: string): [string, MagicFlag, string | undefined] | undefined {
  for (const [key, flag] of Object.entries(spec)) {
    if (flag.names.includes(token)) return [key, flag, undefined];
    if (flag.kind !== "count") continue;
    for (const n of flag.names) if (/^-\w$/.test(n) && token.startsWith(n) && /^\d+$/.test(token.slice(n.length))) return [key, flag, token.slice(n.length)];
  }
  return undefined;
}

function flagValue(magic: string, name: string, flag: MagicFlag, value: string | undefined): string | number {
  if (flag.kind === "name") {
    if (value === undefined || !IDENT.test(value)) throw new SyntaxError(`${magic}: ${name} needs a TypeScript variable name, got ${value === undefined ? "nothing" : JSON.stringify(value)}`);
    return value;
  }
  const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1)) throw new SyntaxError(`${magic}: ${name} needs a positive integer`);
  return n;
}
