/** Option checks shared by lib/signals, lib/features and lib/portfolio: errors name the option and what is allowed. */

export function positiveInt(where: string, name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`${where}: ${name} must be a positive integer, got ${String(v)}`);
  return x;
}

export function nonNegInt(where: string, name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${where}: ${name} must be a non-negative integer, got ${String(v)}`);
  return x;
}

export function finiteIn(where: string, name: string, v: number | undefined, dflt: number, lo: number, hi: number, open = false): number {
  const x = v ?? dflt;
  const ok = Number.isFinite(x) && (open ? x > lo && x < hi : x >= lo && x <= hi);
  if (!ok) throw new RangeError(`${where}: ${name} must be a number in ${open ? "(" : "["}${lo}, ${hi}${open ? ")" : "]"}, got ${String(v)}`);
  return x;
}

export function oneOf<T extends string>(where: string, name: string, v: T | undefined, dflt: T, allowed: readonly T[]): T {
  const x = v ?? dflt;
  if (!allowed.includes(x)) throw new RangeError(`${where}: ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(v)}`);
  return x;
}
