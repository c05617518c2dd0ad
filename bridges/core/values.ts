/**
 * TypeScript values ↔ the bridge wire tree (JSON nodes + binary blobs), shared by R and Octave.
 *
 * Mapping (TS → wire → R / Octave), and back:
 *   null            null     NULL               / [] (0×0)
 *   NA              na       NA (logical)       / NA
 *   boolean         bool     TRUE/FALSE         / true/false
 *   number, bigint  num      length-1 double    / double scalar
 *   string          str      length-1 character / char row
 *   Float64Array (and number[], other typed arrays, converted)
 *                   f64      double vector      / double column
 *   Int32Array      i32      integer vector     / int32 column   (−2³¹ ↔ NA_integer_)
 *   (boolean|null)[] lgl     logical vector     / logical column (null ↔ NA; Octave has no NA logical: false)
 *   (string|null)[] strs     character vector   / cellstr        (null ↔ NA_character_ / NA in the cell)
 *   Matrix          f64+dim  double matrix      / double matrix
 *   Panel           panel    data.frame(date = Date, <assets>) or xts / struct(dates (datenum), assets, values)
 *   unknown[]       list     unnamed list       / cell row
 *   plain object    list+names named list      / struct
 *
 * Floats travel as raw IEEE-754 bits, so NaN, ±Inf and R's NA_real_ round-trip exactly: NA_real_ is the
 * NaN whose low word is 1954 (`R_NA_REAL`, test with `isRNA`); R keeps it distinct from NaN
 * (is.na vs is.nan). Octave's own NA has other bits; its server maps the two both ways.
 * From R, a named atomic vector comes back as a plain object, a Date vector as ISO strings, a factor as
 * its labels, a data.frame with a Date/POSIXct column and numeric columns (or an xts) as a Panel,
 * any other data.frame as an object of columns.
 */
import { Panel } from "../../lib/data/index.js";
import { Matrix } from "../../lib/stats/index.js";

/** The missing-value marker for scalars (R's `NA`, Octave's `NA`). */
export const NA: unique symbol = Symbol.for("statarb.bridges.NA");
export type NAValue = typeof NA;

/** Bits of R's NA_real_: a NaN whose low 32-bit word is 1954. */
export const R_NA_REAL: number = (() => {
  const b = new DataView(new ArrayBuffer(8));
  b.setUint32(0, 1954, true);
  b.setUint32(4, 0x7ff00000, true);
  return b.getFloat64(0, true);
})();

const probe = new DataView(new ArrayBuffer(8));
/** Whether `x` is R's NA_real_ (as opposed to a plain NaN). */
export function isRNA(x: number): boolean {
  if (!Number.isNaN(x)) return false;
  probe.setFloat64(0, x, true);
  return probe.getUint32(0, true) === 1954;
}

/** Whether element `i` of a float array is R's NA_real_ (reads the bits, no float round trip). */
export function isRNAAt(a: Float64Array, i: number): boolean {
  const w = new Uint32Array(a.buffer, a.byteOffset + i * 8, 2);
  return w[0] === 1954 && ((w[1] as number) & 0x7ff00000) === 0x7ff00000;
}

/** Any value a bridge can move. */
export type BridgeValue =
  | null
  | NAValue
  | boolean
  | number
  | string
  | Float64Array
  | Int32Array
  | Matrix
  | Panel
  | readonly (boolean | null)[]
  | readonly (string | null)[]
  | readonly BridgeValue[]
  | { readonly [key: string]: BridgeValue };

/** One node of the wire tree; `b` indexes the frame's blobs. */
export type WireNode =
  | { t: "null" }
  | { t: "na" }
  | { t: "bool"; v: boolean }
  | { t: "str"; v: string }
  | { t: "num"; b: number }
  | { t: "f64"; b: number; n: number; dim?: [number, number] }
  | { t: "i32"; b: number; n: number }
  | { t: "lgl"; v: (boolean | null)[] }
  | { t: "strs"; v: (string | null)[] }
  | { t: "list"; v: WireNode[]; names?: string[] }
  | { t: "panel"; d: number; b: number; n: number; assets: string[]; as?: "data.frame" | "xts" }
  | { t: "unsupported"; class: string };

/** Options of {@link encodeValue}. */
export interface EncodeOptions {
  /** How a Panel lands in R: a data.frame with a `date` column (default) or an xts. */
  panelAs?: "data.frame" | "xts";
}

function bytesOf(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/** Encodes a TS value as a wire tree plus blobs (blob order = depth-first order of the tree). */
export function encodeValue(value: unknown, options: EncodeOptions = {}): { node: WireNode; blobs: Uint8Array[] } {
  const blobs: Uint8Array[] = [];
  const add = (b: Uint8Array): number => blobs.push(b) - 1;
  const f64 = (a: Float64Array, dim?: [number, number]): WireNode => ({ t: "f64", b: add(bytesOf(a)), n: a.length, ...(dim ? { dim } : {}) });
  const enc = (v: unknown, path: string): WireNode => {
    if (v === null || v === undefined) return { t: "null" };
    if (v === NA) return { t: "na" };
    if (typeof v === "boolean") return { t: "bool", v };
    if (typeof v === "number") return { t: "num", b: add(bytesOf(Float64Array.of(v))) };
    if (typeof v === "bigint") return { t: "num", b: add(bytesOf(Float64Array.of(Number(v)))) };
    if (typeof v === "string") return { t: "str", v };
    if (v instanceof Float64Array) return f64(v);
    if (v instanceof Int32Array) return { t: "i32", b: add(bytesOf(v)), n: v.length };
    if (v instanceof BigInt64Array || v instanceof BigUint64Array) return f64(Float64Array.from(v as ArrayLike<bigint>, Number));
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return f64(Float64Array.from(v as unknown as ArrayLike<number>));
    if (v instanceof Matrix) return f64(v.data, [v.rows, v.cols]);
    if (v instanceof Panel) {
      const node: WireNode = { t: "panel", d: add(bytesOf(v.dates)), b: add(bytesOf(v.toMatrix())), n: v.nDates, assets: [...v.assets] };
      if (options.panelAs) node.as = options.panelAs;
      return node;
    }
    if (Array.isArray(v)) {
      if (v.length > 0 && v.every((x) => typeof x === "number")) return f64(Float64Array.from(v as number[]));
      if (v.length > 0 && v.every((x) => typeof x === "boolean" || x === null) && v.some((x) => x !== null)) return { t: "lgl", v: v as (boolean | null)[] };
      if (v.length > 0 && v.every((x) => typeof x === "string" || x === null) && v.some((x) => x !== null)) return { t: "strs", v: v as (string | null)[] };
      return { t: "list", v: v.map((x, i) => enc(x, `${path}[${i}]`)) };
    }
    if (isPlainObject(v)) {
      const names = Object.keys(v);
      return { t: "list", names, v: names.map((k) => enc(v[k], `${path}.${k}`)) };
    }
    const what = typeof v === "object" ? (Object.getPrototypeOf(v) as { constructor?: { name?: string } })?.constructor?.name ?? "object" : typeof v;
    throw new TypeError(
      `bridge: cannot send ${what} at ${path || "the value"}; send numbers, strings, booleans, null, NA, typed arrays, Matrix, Panel, arrays or plain objects`,
    );
  };
  return { node: enc(value, ""), blobs };
}

/** Decodes a wire tree whose blobs came with it. */
export function decodeValue(node: WireNode, blobs: readonly Uint8Array[]): BridgeValue | undefined {
  const blob = (i: number): Uint8Array => {
    const b = blobs[i];
    if (b === undefined) throw new Error(`bridge: frame refers to blob ${i} but carries ${blobs.length}`);
    return b;
  };
  const f64 = (i: number): Float64Array => {
    const b = blob(i);
    return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
  };
  const dec = (n: WireNode): BridgeValue | undefined => {
    switch (n.t) {
      case "null":
        return null;
      case "na":
        return NA;
      case "bool":
      case "str":
        return n.v;
      case "num":
        return f64(n.b)[0] as number;
      case "f64": {
        const a = f64(n.b);
        return n.dim ? new Matrix(n.dim[0], n.dim[1], a) : a;
      }
      case "i32": {
        const b = blob(n.b);
        return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
      }
      case "lgl":
        return n.v.map((x) => (x === null ? null : Boolean(x)));
      case "strs":
        return n.v;
      case "list": {
        const items = n.v.map(dec);
        if (!n.names) return items as BridgeValue[];
        const out: Record<string, BridgeValue> = {};
        n.names.forEach((k, i) => {
          out[k] = items[i] as BridgeValue;
        });
        return out;
      }
      case "panel": {
        const d = blob(n.d);
        const dates = new Int32Array(d.buffer, d.byteOffset, d.byteLength / 4);
        return Panel.fromMatrix(dates, n.assets, f64(n.b), { validate: false });
      }
      case "unsupported":
        return undefined;
    }
  };
  return dec(node);
}
