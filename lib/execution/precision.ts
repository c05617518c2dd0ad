/**
 * Prices and quantities as integers with a decimal precision (NautilusTrader habit,
 * DESIGN.md example 5): `raw = round(value · 10^precision)` held in a safe integer, so order
 * arithmetic (fills adding up to the order quantity, leaves reaching exactly zero) is exact.
 * Each type has a throwing constructor and a checked factory that returns an error instead.
 */

/** Largest precision accepted (raw values stay well inside 2^53 for realistic magnitudes). */
export const MAX_DECIMAL_PRECISION = 9;

/** Outcome of a checked construction: the value, or the reason it was refused. */
export type PrecisionChecked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function checkRaw(kind: string, value: number, precision: number, allowNegative: boolean): string | number {
  if (!Number.isInteger(precision) || precision < 0 || precision > MAX_DECIMAL_PRECISION) {
    return `${kind}: precision must be an integer in 0..${MAX_DECIMAL_PRECISION}, got ${precision}`;
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return `${kind}: value must be a finite number, got ${String(value)}`;
  if (!allowNegative && value < 0) return `${kind}: value must be ≥ 0, got ${value}`;
  const scale = 10 ** precision;
  const raw = Math.round(value * scale);
  if (!Number.isSafeInteger(raw)) return `${kind}: ${value} at precision ${precision} overflows the integer range (|raw| ≤ 2^53)`;
  // Refuse values with more decimals than the precision holds (small slack for binary noise).
  if (Math.abs(raw - value * scale) > 1e-6 + 1e-12 * Math.abs(value * scale)) {
    return `${kind}: ${value} has more decimals than precision ${precision} allows; round it first (e.g. ${raw / scale})`;
  }
  return raw;
}

/** A price: integer `raw` units of 10^-precision (may be negative, e.g. spreads). */
export class Price {
  readonly raw: number;
  readonly precision: number;

  /** Throws a `RangeError` naming the problem when `value` is not representable. */
  constructor(value: number, precision: number) {
    const r = checkRaw("Price", value, precision, true);
    if (typeof r === "string") throw new RangeError(r);
    this.raw = r;
    this.precision = precision;
    Object.freeze(this);
  }

  /** Like the constructor, but returns `{ ok: false, error }` instead of throwing. */
  static checked(value: number, precision: number): PrecisionChecked<Price> {
    const r = checkRaw("Price", value, precision, true);
    return typeof r === "string" ? { ok: false, error: r } : { ok: true, value: new Price(value, precision) };
  }

  /** Builds from a raw integer (no rounding). */
  static fromRaw(raw: number, precision: number): Price {
    if (!Number.isSafeInteger(raw)) throw new RangeError(`Price.fromRaw: raw must be a safe integer, got ${raw}`);
    return new Price(raw / 10 ** precision, precision);
  }

  /** The value as a float (for reporting; arithmetic stays on `raw`). */
  get value(): number {
    return this.raw / 10 ** this.precision;
  }

  equals(other: Price): boolean {
    return this.precision === other.precision && this.raw === other.raw;
  }

  toString(): string {
    return this.value.toFixed(this.precision);
  }
}

/** A non-negative quantity: integer `raw` units of 10^-precision (shares: precision 0). */
export class Quantity {
  readonly raw: number;
  readonly precision: number;

  /** Throws a `RangeError` naming the problem when `value` is negative or not representable. */
  constructor(value: number, precision = 0) {
    const r = checkRaw("Quantity", value, precision, false);
    if (typeof r === "string") throw new RangeError(r);
    this.raw = r;
    this.precision = precision;
    Object.freeze(this);
  }

  /** Like the constructor, but returns `{ ok: false, error }` instead of throwing. */
  static checked(value: number, precision = 0): PrecisionChecked<Quantity> {
    const r = checkRaw("Quantity", value, precision, false);
    return typeof r === "string" ? { ok: false, error: r } : { ok: true, value: new Quantity(value, precision) };
  }

  static fromRaw(raw: number, precision = 0): Quantity {
    if (!Number.isSafeInteger(raw) || raw < 0) throw new RangeError(`Quantity.fromRaw: raw must be a non-negative safe integer, got ${raw}`);
    return new Quantity(raw / 10 ** precision, precision);
  }

  get value(): number {
    return this.raw / 10 ** this.precision;
  }

  get isZero(): boolean {
    return this.raw === 0;
  }

  add(other: Quantity): Quantity {
    sameQuantityPrecision(this, other, "add");
    return Quantity.fromRaw(this.raw + other.raw, this.precision);
  }

  /** Difference; throws when it would be negative. */
  sub(other: Quantity): Quantity {
    sameQuantityPrecision(this, other, "sub");
    if (other.raw > this.raw) throw new RangeError(`Quantity.sub: ${other} exceeds ${this}`);
    return Quantity.fromRaw(this.raw - other.raw, this.precision);
  }

  compare(other: Quantity): number {
    sameQuantityPrecision(this, other, "compare");
    return this.raw - other.raw;
  }

  equals(other: Quantity): boolean {
    return this.precision === other.precision && this.raw === other.raw;
  }

  toString(): string {
    return this.value.toFixed(this.precision);
  }
}

function sameQuantityPrecision(a: Quantity, b: Quantity, op: string): void {
  if (a.precision !== b.precision) throw new RangeError(`Quantity.${op}: precisions differ (${a.precision} vs ${b.precision}); convert one first`);
}
