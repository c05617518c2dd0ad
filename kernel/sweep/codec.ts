/**
 * Exact JSON for values crossing to a Ray task and back: typed arrays travel as base64 of their bytes,
 * non-finite numbers and -0 as tagged strings, class instances as their own fields plus the values of
 * their getters (a BacktestResult's metrics), and a Panel as a Panel (a Monte Carlo path), so a value
 * computed in another process is bit-identical.
 */
import { Panel } from "../../lib/data/index.js";

const TYPED = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

function getterValues(v: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let p = Object.getPrototypeOf(v) as object | null; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get !== undefined && !(k in out)) out[k] = (v as Record<string, unknown>)[k];
  }
  return out;
}

/** A JSON-safe copy of `v`. */
export function encodeValue(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : { $num: Object.is(v, -0) ? "-0" : String(v) };
  if (v === null || typeof v !== "object") return typeof v === "function" || typeof v === "symbol" ? undefined : v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const name = v.constructor.name as TypedName;
    if (!(name in TYPED)) throw new TypeError(`encodeValue: ${name} is not supported`);
    return { $typed: name, b64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
  }
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v instanceof Panel) return { $panel: { dates: encodeValue(v.dates), assets: v.assets, columns: v.columns.map(encodeValue) } };
  const out: Record<string, unknown> = {};
  const plain = Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null;
  for (const [k, x] of Object.entries(plain ? v : { ...getterValues(v), ...v })) {
    const e = encodeValue(x);
    if (e !== undefined) out[k] = e;
  }
  return out;
}

/** The value `encodeValue` copied (class instances come back as plain frozen objects). */
export function decodeValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const o = v as Record<string, unknown>;
  if (typeof o.$num === "string" && Object.keys(o).length === 1) return o.$num === "-0" ? -0 : Number(o.$num);
  if (typeof o.$typed === "string" && typeof o.b64 === "string") {
    const bytes = Buffer.from(o.b64, "base64");
    const Ctor = TYPED[o.$typed as TypedName];
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    return new Ctor(copy.buffer, 0, copy.length / Ctor.BYTES_PER_ELEMENT);
  }
  if (typeof o.$panel === "object" && o.$panel !== null && Object.keys(o).length === 1) {
    const p = o.$panel as { dates: unknown; assets: string[]; columns: unknown[] };
    return new Panel(decodeValue(p.dates) as Int32Array, p.assets, p.columns.map((c) => decodeValue(c) as Float64Array), { validate: false });
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeValue(x);
  return Object.freeze(out);
}
