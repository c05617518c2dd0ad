/**
 * kdb+ IPC bytes → q objects: every atom and vector type, lists, dictionaries, tables, keyed tables,
 * errors and functions, either endianness, and compressed messages (via `decompress`).
 */
import { decompress } from "./compress.js";
import { ELEMENT_SIZE, guidToString, type QMessageTypeValue, type QObject, type QVectorType } from "./types.js";

const utf8 = new TextDecoder("utf-8");

/** A decoded message. */
export interface QMessage {
  readonly msgType: QMessageTypeValue;
  readonly compressed: boolean;
  readonly value: QObject;
}

class Reader {
  readonly b: Uint8Array;
  readonly v: DataView;
  readonly le: boolean;
  pos: number;
  constructor(b: Uint8Array, pos: number, le: boolean) {
    this.b = b;
    this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.le = le;
    this.pos = pos;
  }
  need(n: number): void {
    if (this.pos + n > this.b.length) throw new RangeError(`q IPC: message truncated at byte ${this.pos} (needs ${n} more of ${this.b.length})`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++] as number;
  }
  i8(): number {
    const x = this.u8();
    return x > 127 ? x - 256 : x;
  }
  i16(): number {
    this.need(2);
    const x = this.v.getInt16(this.pos, this.le);
    this.pos += 2;
    return x;
  }
  i32(): number {
    this.need(4);
    const x = this.v.getInt32(this.pos, this.le);
    this.pos += 4;
    return x;
  }
  i64(): bigint {
    this.need(8);
    const x = this.v.getBigInt64(this.pos, this.le);
    this.pos += 8;
    return x;
  }
  f32(): number {
    this.need(4);
    const x = this.v.getFloat32(this.pos, this.le);
    this.pos += 4;
    return x;
  }
  f64(): number {
    this.need(8);
    const x = this.v.getFloat64(this.pos, this.le);
    this.pos += 8;
    return x;
  }
  symbol(): string {
    const end = this.b.indexOf(0, this.pos);
    if (end < 0) throw new RangeError(`q IPC: unterminated symbol at byte ${this.pos}`);
    const s = utf8.decode(this.b.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
  /** Copies n elements of `size` bytes into a fresh (aligned) buffer, byte-swapping for big-endian input. */
  block(n: number, size: number): ArrayBuffer {
    const len = n * size;
    this.need(len);
    const out = this.b.slice(this.pos, this.pos + len);
    if (!this.le && size > 1) {
      for (let i = 0; i < len; i += size) out.subarray(i, i + size).reverse();
    }
    this.pos += len;
    return out.buffer;
  }
}

function readAtom(r: Reader, type: number): QObject {
  const t = type as QVectorType;
  switch (type) {
    case 1:
      return { kind: "atom", type: t, value: r.u8() !== 0 };
    case 2: {
      r.need(16);
      const s = guidToString(r.b, r.pos);
      r.pos += 16;
      return { kind: "atom", type: t, value: s };
    }
    case 4:
      return { kind: "atom", type: t, value: r.u8() };
    case 5:
      return { kind: "atom", type: t, value: r.i16() };
    case 6:
    case 13:
    case 14:
    case 17:
    case 18:
    case 19:
      return { kind: "atom", type: t, value: r.i32() };
    case 7:
    case 12:
    case 16:
      return { kind: "atom", type: t, value: r.i64() };
    case 8:
      return { kind: "atom", type: t, value: r.f32() };
    case 9:
    case 15:
      return { kind: "atom", type: t, value: r.f64() };
    case 10:
      return { kind: "atom", type: t, value: String.fromCharCode(r.u8()) };
    case 11:
      return { kind: "atom", type: t, value: r.symbol() };
    default:
      throw new RangeError(`q IPC: unknown atom type −${type}`);
  }
}

function readVector(r: Reader, type: number): QObject {
  const attr = r.u8();
  const n = r.i32();
  if (n < 0) throw new RangeError(`q IPC: negative vector length ${n}`);
  const t = type as QVectorType;
  if (type === 10) {
    r.need(n);
    const s = utf8.decode(r.b.subarray(r.pos, r.pos + n));
    r.pos += n;
    return { kind: "vector", type: t, attr, values: s };
  }
  if (type === 11) {
    const syms: string[] = new Array(n);
    for (let i = 0; i < n; i++) syms[i] = r.symbol();
    return { kind: "vector", type: t, attr, values: syms };
  }
  const size = ELEMENT_SIZE[type] as number;
  if (type === 2) return { kind: "vector", type: t, attr, values: new Uint8Array(r.block(n, 1 * 16)) };
  const buf = r.block(n, size);
  let values: ArrayBufferView;
  switch (type) {
    case 1:
    case 4:
      values = new Uint8Array(buf);
      break;
    case 5:
      values = new Int16Array(buf);
      break;
    case 7:
    case 12:
    case 16:
      values = new BigInt64Array(buf);
      break;
    case 8:
      values = new Float32Array(buf);
      break;
    case 9:
    case 15:
      values = new Float64Array(buf);
      break;
    default:
      values = new Int32Array(buf);
  }
  return { kind: "vector", type: t, attr, values } as QObject;
}

function read(r: Reader): QObject {
  const type = r.i8();
  if (type < 0 && type >= -19) return readAtom(r, -type);
  if (type === -128) return { kind: "error", message: r.symbol() };
  if (type > 0 && type <= 19) {
    if (type === 3) throw new RangeError("q IPC: type 3 does not exist");
    return readVector(r, type);
  }
  if (type === 0) {
    const attr = r.u8();
    const n = r.i32();
    const items: QObject[] = new Array(n);
    for (let i = 0; i < n; i++) items[i] = read(r);
    return { kind: "list", attr, items };
  }
  if (type >= 20 && type <= 76) {
    // enumerations are sent as their values by kdb+ (an enum vector would be ints into a domain)
    const attr = r.u8();
    const n = r.i32();
    return { kind: "vector", type: 6, attr, values: new Int32Array(r.block(n, 4)) };
  }
  if (type === 98) {
    const attr = r.u8();
    const d = read(r);
    if (d.kind !== "dict" || d.keys.kind !== "vector" || d.keys.type !== 11 || d.values.kind !== "list") throw new RangeError("q IPC: table is not a dictionary of symbols to columns");
    return { kind: "table", attr, columns: d.keys.values as string[], data: d.values.items };
  }
  if (type === 99 || type === 127) {
    const keys = read(r);
    const values = read(r);
    return { kind: "dict", sorted: type === 127, keys, values };
  }
  if (type === 100) {
    const context = r.symbol();
    const body = read(r);
    return { kind: "lambda", context, body: body.kind === "vector" && body.type === 10 ? (body.values as string) : "" };
  }
  if (type >= 101 && type <= 103) return { kind: "function", type, code: r.u8() };
  if (type === 104 || type === 105) {
    const n = r.i32();
    const items: QObject[] = [];
    for (let i = 0; i < n; i++) items.push(read(r));
    return { kind: "function", type, items };
  }
  if (type >= 106 && type <= 111) return { kind: "function", type, items: [read(r)] };
  throw new RangeError(`q IPC: unsupported type ${type} at byte ${r.pos - 1}`);
}

/** Decodes one whole IPC message (header included), decompressing it when flagged. */
export function decodeMessage(bytes: Uint8Array): QMessage {
  if (bytes.length < 9) throw new RangeError(`q IPC: a message has at least 9 bytes, got ${bytes.length}`);
  const compressed = bytes[2] === 1;
  const msg = compressed ? decompress(bytes) : bytes;
  const le = msg[0] === 1;
  const r = new Reader(msg, 8, le);
  const value = read(r);
  return { msgType: msg[1] as QMessageTypeValue, compressed, value };
}

/** Decodes an object without header (as `encodeObject` writes it). */
export function decodeObject(bytes: Uint8Array): QObject {
  return read(new Reader(bytes, 0, true));
}
