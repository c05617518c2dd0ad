/**
 * q object → kdb+ IPC bytes (little-endian), the layout `-8!` shows (code.kx.com/q/kb/serialization):
 * an 8-byte header (endianness, message type, compression flag, reserved, u32 total length), then the
 * object: type byte, and for vectors an attribute byte and a u32 count before the elements.
 * Written by hand because the format is small and exactness (byte-for-byte with kdb+) is the point.
 */
import { ELEMENT_SIZE, guidFromString, type QObject, type QMessageTypeValue, type QVector } from "./types.js";

const utf8 = new TextEncoder();

class Writer {
  buf: Uint8Array;
  view: DataView;
  pos = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }
  i16(v: number): void {
    this.ensure(2);
    this.view.setInt16(this.pos, v, true);
    this.pos += 2;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }
  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }
  f32(v: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** Raw little-endian bytes of a typed array (this machine is little-endian, checked below). */
  typed(a: ArrayBufferView): void {
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  symbol(s: string): void {
    const b = utf8.encode(s);
    if (b.includes(0)) throw new TypeError(`q symbol ${JSON.stringify(s)} contains a NUL byte`);
    this.bytes(b);
    this.u8(0);
  }
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("statarb q IPC: this codec assumes a little-endian machine");

function writeAtom(w: Writer, type: number, v: unknown): void {
  w.u8(-type);
  switch (type) {
    case 1:
      return w.u8(v ? 1 : 0);
    case 2: {
      const b = new Uint8Array(16);
      guidFromString(String(v), b);
      return w.bytes(b);
    }
    case 4:
      return w.u8(Number(v));
    case 5:
      return w.i16(Number(v));
    case 6:
    case 13:
    case 14:
    case 17:
    case 18:
    case 19:
      return w.i32(Number(v));
    case 7:
    case 12:
    case 16:
      return w.i64(BigInt(v as bigint));
    case 8:
      return w.f32(Number(v));
    case 9:
    case 15:
      return w.f64(Number(v));
    case 10: {
      const s = String(v);
      return w.u8(s.length === 0 ? 32 : s.charCodeAt(0));
    }
    case 11:
      return w.symbol(String(v));
    default:
      throw new TypeError(`q IPC: no atom type −${type}`);
  }
}

function writeVector(w: Writer, x: QVector): void {
  w.u8(x.type);
  w.u8(x.attr);
  const t = x.type as number;
  if (t === 10) {
    const b = utf8.encode(x.values as string);
    w.i32(b.length);
    return w.bytes(b);
  }
  if (t === 11) {
    const syms = x.values as string[];
    w.i32(syms.length);
    for (const s of syms) w.symbol(s);
    return;
  }
  const a = x.values as ArrayBufferView & { length: number };
  const size = ELEMENT_SIZE[t] as number;
  const n = t === 2 ? a.byteLength / 16 : a.length;
  if (a.byteLength !== n * size) throw new TypeError(`q IPC: vector of type ${t} has ${a.byteLength} bytes for ${n} elements`);
  w.i32(n);
  w.typed(a);
}

function write(w: Writer, x: QObject): void {
  switch (x.kind) {
    case "atom":
      return writeAtom(w, x.type, x.value);
    case "vector":
      return writeVector(w, x);
    case "list":
      w.u8(0);
      w.u8(x.attr);
      w.i32(x.items.length);
      for (const it of x.items) write(w, it);
      return;
    case "dict":
      w.u8(x.sorted ? 127 : 99);
      write(w, x.keys);
      write(w, x.values);
      return;
    case "table":
      if (x.columns.length !== x.data.length) throw new TypeError(`q IPC: table has ${x.columns.length} column names and ${x.data.length} columns`);
      w.u8(98);
      w.u8(x.attr);
      w.u8(99);
      writeVector(w, { kind: "vector", type: 11, attr: 0, values: [...x.columns] });
      write(w, { kind: "list", attr: 0, items: x.data });
      return;
    case "error":
      w.u8(128);
      w.symbol(x.message);
      return;
    case "lambda":
      w.u8(100);
      w.symbol(x.context);
      writeVector(w, { kind: "vector", type: 10, attr: 0, values: x.body });
      return;
    case "function":
      w.u8(x.type);
      if (x.type >= 101 && x.type <= 103) return w.u8(x.code ?? 0);
      if (x.type === 104 || x.type === 105) {
        const items = x.items ?? [];
        w.i32(items.length);
        for (const it of items) write(w, it);
        return;
      }
      if (x.type >= 106 && x.type <= 111) return write(w, (x.items ?? [])[0] as QObject);
      throw new TypeError(`q IPC: cannot serialise function type ${x.type}`);
  }
}

/** The object's bytes without the 8-byte message header. */
export function encodeObject(x: QObject): Uint8Array {
  const w = new Writer(64);
  write(w, x);
  return w.buf.slice(0, w.pos);
}

/** A complete uncompressed IPC message (what `-8!x` shows, with message type 0). */
export function encodeMessage(x: QObject, msgType: QMessageTypeValue = 0): Uint8Array {
  const w = new Writer(256);
  w.pos = 8;
  write(w, x);
  const out = w.buf.slice(0, w.pos);
  out[0] = 1;
  out[1] = msgType;
  out[2] = 0;
  out[3] = 0;
  new DataView(out.buffer).setUint32(4, out.length, true);
  return out;
}
