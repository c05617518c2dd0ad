/**
 * `record(name, value)` in every cell: shows `name = value` and writes the value into that output's
 * metadata (`{ statarb: { record: { name, value, type } } }`), as scrapbook's `glue` does, so any executed
 * notebook keeps it — papermill, nbclient, JupyterLab — and `statarb sweep` reads it back as the run's
 * metric (numbers and booleans) or value (strings, arrays, plain objects). Non-finite numbers are
 * written as the strings "NaN", "Infinity", "-Infinity" with `type: "number"` (JSON has no NaN).
 */
import type { MimeBundle } from "../impl.js";

type ShowBundle = (bundle: MimeBundle, options: { metadata: Record<string, unknown> }) => unknown;

/** The JSON shape of a recorded value (kernel/sweep/statarb_sweep/records.py reads it). */
export interface RecordedValue {
  readonly name: string;
  readonly value: unknown;
  readonly type: "number" | "boolean" | "string" | "array" | "object" | "null";
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.\-/ ]{0,249}$/;

function encode(where: string, value: unknown): { value: unknown; type: RecordedValue["type"] } {
  if (typeof value === "number") return { value: Number.isFinite(value) ? value : String(value), type: "number" };
  if (typeof value === "bigint") return { value: Number(value), type: "number" };
  if (typeof value === "boolean") return { value, type: "boolean" };
  if (typeof value === "string") return { value, type: "string" };
  if (value === null) return { value, type: "null" };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return { value: Array.from(value as unknown as ArrayLike<number>), type: "array" };
  if (Array.isArray(value) || (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw new TypeError(`${where}: value must be JSON-serialisable (${e instanceof Error ? e.message : String(e)})`);
    }
    return { value: JSON.parse(text ?? "null") as unknown, type: Array.isArray(value) ? "array" : "object" };
  }
  throw new TypeError(`${where}: value must be a number, boolean, string, null, array or plain object, got ${value === undefined ? "undefined" : typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value}`);
}

/** The `record` global, built on the display API's raw-bundle output. */
export function createRecord(show: ShowBundle): (name: string, value: unknown) => void {
  return (name: string, value: unknown): void => {
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new TypeError(`record: name must be 1–250 letters, digits or _ . - / and spaces, starting with a letter or _, got ${JSON.stringify(name)}`);
    }
    const encoded = encode(`record("${name}")`, value);
    const rec: RecordedValue = Object.freeze({ name, ...encoded });
    const shown = JSON.stringify(encoded.value);
    show({ "text/plain": `${name} = ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}` }, { metadata: { statarb: { record: rec } } });
  };
}
