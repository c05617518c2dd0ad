// Reads NumPy .npz archives (a zip of .npy files) without Python: the zip's central directory, stored
// or deflated members (zip64 sizes included), and the .npy format (version 1–3 headers) for
// little-endian float64 ('<f8') and fixed-width unicode ('<U<n>', UTF-32LE) arrays, C or Fortran order.
// Used by scripts/fetch-datasets.mjs; anything else in an archive is refused with a message naming it.
import { inflateRawSync } from "node:zlib";

/** The members of a zip archive as { name → Buffer } (each inflated). */
export function readZip(buf, source = "zip") {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${source}: not a zip archive (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const members = new Map();
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${source}: corrupt central directory at byte ${p}`);
    const method = buf.readUInt16LE(p + 10);
    let csize = buf.readUInt32LE(p + 20);
    let usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let offset = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    // zip64: the fields set to 0xFFFFFFFF are in extra field 0x0001, in the order usize, csize, offset.
    for (let e = p + 46 + nameLen; e < p + 46 + nameLen + extraLen; ) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (usize === 0xffffffff) (usize = Number(buf.readBigUInt64LE(q))), (q += 8);
        if (csize === 0xffffffff) (csize = Number(buf.readBigUInt64LE(q))), (q += 8);
        if (offset === 0xffffffff) offset = Number(buf.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    if (buf.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${source}: corrupt local header of ${name}`);
    const start = offset + 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28);
    const raw = buf.subarray(start, start + csize);
    let data;
    if (method === 0) data = raw;
    else if (method === 8) data = inflateRawSync(raw);
    else throw new Error(`${source}: member ${name} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (data.length !== usize) throw new Error(`${source}: member ${name} inflates to ${data.length} bytes, the directory says ${usize}`);
    members.set(name, data);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/**
 * Parses one .npy file: `{ dtype, shape, data }` where `data` is a Float64Array (for '<f8') or an
 * array of strings (for '<U<n>', trailing NULs removed), in C (row-major) order whatever the file's order.
 */
export function readNpy(buf, source = "npy") {
  if (buf.readUInt8(0) !== 0x93 || buf.toString("latin1", 1, 6) !== "NUMPY") throw new Error(`${source}: not a .npy file`);
  const major = buf.readUInt8(6);
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buf.toString(major >= 3 ? "utf8" : "latin1", headerStart, headerStart + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) throw new Error(`${source}: unreadable .npy header ${JSON.stringify(header)}`);
  const shape = shapeText.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const body = buf.subarray(headerStart + headerLen);
  let flat;
  if (descr === "<f8") {
    if (body.length !== 8 * n) throw new Error(`${source}: ${body.length} data bytes for ${n} float64 values`);
    flat = new Float64Array(n);
    for (let i = 0; i < n; i++) flat[i] = body.readDoubleLE(8 * i);
  } else if (/^<U\d+$/.test(descr)) {
    const width = Number(descr.slice(2));
    if (body.length !== 4 * width * n) throw new Error(`${source}: ${body.length} data bytes for ${n} strings of ${width} characters`);
    flat = new Array(n);
    for (let i = 0; i < n; i++) {
      let s = "";
      for (let c = 0; c < width; c++) {
        const cp = body.readUInt32LE(4 * (i * width + c));
        if (cp === 0) break;
        s += String.fromCodePoint(cp);
      }
      flat[i] = s;
    }
  } else {
    throw new Error(`${source}: dtype ${descr} is not read here (only '<f8' and '<U<n>')`);
  }
  return { dtype: descr, shape, data: fortran && shape.length === 2 ? transpose(flat, shape) : flat };
}

/** Fortran-order (column-major) r × c values to C order. */
function transpose(flat, [r, c]) {
  const out = flat instanceof Float64Array ? new Float64Array(flat.length) : new Array(flat.length);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = flat[j * r + i];
  return out;
}
