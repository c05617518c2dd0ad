/**
 * The q object model of the kdb+ IPC codec: every atom and vector type (incl. temporal types and
 * GUIDs), general lists, dictionaries (plain and sorted), tables, keyed tables (a dictionary of two
 * tables), errors and functions. Values are kept exactly as they travel: temporal types as their q
 * integers/floats since 2000.01.01, longs as bigint, nulls as q's sentinels (see `Q_NULL`).
 * `convert.ts` maps these to friendly TypeScript values (Panel, Date, …) and back.
 */

/** q type numbers of the vector types (atoms are the negatives). */
export const QType = {
  boolean: 1,
  guid: 2,
  byte: 4,
  short: 5,
  int: 6,
  long: 7,
  real: 8,
  float: 9,
  char: 10,
  symbol: 11,
  timestamp: 12,
  month: 13,
  date: 14,
  datetime: 15,
  timespan: 16,
  minute: 17,
  second: 18,
  time: 19,
} as const;
export type QTypeName = keyof typeof QType;
export type QVectorType = (typeof QType)[QTypeName];

/** Attributes of vectors, lists and tables (byte after the type). */
export const QAttr = { none: 0, sorted: 1, unique: 2, parted: 3, grouped: 4 } as const;

/** q's null and infinity sentinels of the integer types. */
export const Q_NULL = {
  short: -32768,
  int: -2147483648,
  long: -9223372036854775808n,
  shortInf: 32767,
  intInf: 2147483647,
  longInf: 9223372036854775807n,
} as const;

/** Storage of a vector's values by type. */
export interface QVectorValues {
  1: Uint8Array;
  2: Uint8Array; // 16 bytes per GUID
  4: Uint8Array;
  5: Int16Array;
  6: Int32Array;
  7: BigInt64Array;
  8: Float32Array;
  9: Float64Array;
  10: string;
  11: string[];
  12: BigInt64Array;
  13: Int32Array;
  14: Int32Array;
  15: Float64Array;
  16: BigInt64Array;
  17: Int32Array;
  18: Int32Array;
  19: Int32Array;
}

/** An atom: `value` is boolean (1), string (guid 2 as 8-4-4-4-12 hex, char 10, symbol 11), bigint (long, timestamp, timespan) or number. */
export interface QAtom {
  readonly kind: "atom";
  readonly type: QVectorType;
  readonly value: boolean | number | bigint | string;
}

export interface QVector<T extends QVectorType = QVectorType> {
  readonly kind: "vector";
  readonly type: T;
  readonly attr: number;
  readonly values: QVectorValues[T];
}

export interface QList {
  readonly kind: "list";
  readonly attr: number;
  readonly items: readonly QObject[];
}

export interface QDict {
  readonly kind: "dict";
  /** Sorted dictionary (type 127, `s#`). */
  readonly sorted: boolean;
  readonly keys: QObject;
  readonly values: QObject;
}

export interface QTable {
  readonly kind: "table";
  readonly attr: number;
  readonly columns: readonly string[];
  /** One vector or general list per column, of equal length. */
  readonly data: readonly QObject[];
}

/** A q error (type −128): the message without the leading quote. */
export interface QError {
  readonly kind: "error";
  readonly message: string;
}

/** A lambda (type 100): context and source text. */
export interface QLambda {
  readonly kind: "lambda";
  readonly context: string;
  readonly body: string;
}

/**
 * Other function types: 101 unary / 102 binary / 103 ternary primitives (`code` is the primitive's
 * index; 101 with code 0 is the generic null `::`), 104 projection and 105 composition (`items`),
 * 106–111 iterators applied to one function (`items` of length 1).
 */
export interface QFunction {
  readonly kind: "function";
  readonly type: number;
  readonly code?: number;
  readonly items?: readonly QObject[];
}

export type QObject = QAtom | QVector | QList | QDict | QTable | QError | QLambda | QFunction;

/** IPC message types. */
export const QMessageType = { async: 0, sync: 1, response: 2 } as const;
export type QMessageTypeValue = (typeof QMessageType)[keyof typeof QMessageType];

// ---- constructors --------------------------------------------------------------------------

export const atom = (type: QVectorType, value: QAtom["value"]): QAtom => ({ kind: "atom", type, value });
export const vector = <T extends QVectorType>(type: T, values: QVectorValues[T], attr = 0): QVector<T> => ({ kind: "vector", type, attr, values });
export const list = (items: readonly QObject[], attr = 0): QList => ({ kind: "list", attr, items });
export const dict = (keys: QObject, values: QObject, sorted = false): QDict => ({ kind: "dict", sorted, keys, values });
export const table = (columns: readonly string[], data: readonly QObject[], attr = 0): QTable => ({ kind: "table", attr, columns, data });
export const keyedTable = (keys: QTable, values: QTable, sorted = false): QDict => dict(keys, values, sorted);
export const qerror = (message: string): QError => ({ kind: "error", message });
export const lambda = (body: string, context = ""): QLambda => ({ kind: "lambda", context, body });
/** The generic null `::`. */
export const GENERIC_NULL: QFunction = Object.freeze({ kind: "function", type: 101, code: 0 }) as QFunction;

/** Whether a dictionary is a keyed table. */
export function isKeyedTable(x: QObject): x is QDict & { keys: QTable; values: QTable } {
  return x.kind === "dict" && x.keys.kind === "table" && x.values.kind === "table";
}

/** Bytes per element of each vector type (0 = variable: char is 1 byte per UTF-8 byte, symbol null-terminated). */
export const ELEMENT_SIZE: Record<number, number> = { 1: 1, 2: 16, 4: 1, 5: 2, 6: 4, 7: 8, 8: 4, 9: 8, 10: 1, 11: 0, 12: 8, 13: 4, 14: 4, 15: 8, 16: 8, 17: 4, 18: 4, 19: 4 };

/** GUID bytes → "8-4-4-4-12" hex. */
export function guidToString(b: Uint8Array, off = 0): string {
  let h = "";
  for (let i = 0; i < 16; i++) {
    h += (b[off + i] as number).toString(16).padStart(2, "0");
    if (i === 3 || i === 5 || i === 7 || i === 9) h += "-";
  }
  return h;
}

/** "8-4-4-4-12" hex → 16 bytes written at `out[off…]`. */
export function guidFromString(s: string, out: Uint8Array, off = 0): void {
  const hex = s.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`q guid: ${JSON.stringify(s)} is not a GUID (32 hex digits, dashes optional)`);
  for (let i = 0; i < 16; i++) out[off + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
}
