/**
 * kdb+ IPC message compression (the `z`/`u` methods of KX's c.java, which the IPC page names as the
 * reference). The stream after the 8-byte header is a u32 uncompressed length, then groups of eight
 * tokens led by a flag byte: a clear bit is a literal byte, a set bit a back-reference (`hash byte`,
 * `extra length`) into a 256-entry table indexed by the XOR of two consecutive bytes. The table is
 * updated for every position the decoder writes except inside a match's extra bytes; the compressor
 * mirrors those updates exactly, so any kdb+ decoder reads what it writes.
 */

/** Decompresses a compressed message (byte 2 of the header is 1); returns the uncompressed message. */
export function decompress(msg: Uint8Array): Uint8Array {
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const le = msg[0] === 1;
  const total = view.getUint32(8, le);
  if (total < 8) throw new RangeError(`q IPC: compressed message claims ${total} uncompressed bytes`);
  const dst = new Uint8Array(total);
  dst.set(msg.subarray(0, 8));
  dst[2] = 0;
  new DataView(dst.buffer).setUint32(4, total, le);
  const aa = new Int32Array(256);
  let s = 8;
  let p = s;
  let d = 12;
  let f = 0;
  let i = 0;
  while (s < total) {
    if (i === 0) {
      if (d >= msg.length) throw new RangeError("q IPC: compressed message ends early");
      f = msg[d++] as number;
      i = 1;
    }
    let n = 0;
    if ((f & i) !== 0) {
      let r = aa[msg[d++] as number] as number;
      dst[s++] = dst[r++] as number;
      dst[s++] = dst[r++] as number;
      n = msg[d++] as number;
      for (let m = 0; m < n; m++) dst[s + m] = dst[r + m] as number;
    } else {
      dst[s++] = msg[d++] as number;
    }
    while (p < s - 1) {
      aa[(dst[p] as number) ^ (dst[p + 1] as number)] = p++;
    }
    if ((f & i) !== 0) p = s += n;
    i = (i * 2) & 0xff;
  }
  return dst;
}

/**
 * Compresses an uncompressed message; returns `undefined` when the result would not be smaller than
 * `maxRatio` × the input (kdb+ itself sends compressed only below one half).
 */
export function compress(msg: Uint8Array, maxRatio = 0.5): Uint8Array | undefined {
  const n = msg.length;
  const limit = Math.floor(n * maxRatio);
  if (limit < 16) return undefined;
  const out = new Uint8Array(limit + 32);
  out.set(msg.subarray(0, 8));
  out[2] = 1;
  const ov = new DataView(out.buffer);
  ov.setUint32(8, n, true);
  const aa = new Int32Array(256);
  let d = 12;
  let s = 8;
  let p = 8;
  let i = 0;
  let flagPos = -1;
  let f = 0;
  while (s < n) {
    if (i === 0) {
      if (flagPos >= 0) out[flagPos] = f;
      if (d + 17 > limit) return undefined;
      flagPos = d++;
      f = 0;
      i = 1;
    }
    let matched = false;
    if (s + 2 <= n) {
      const h = (msg[s] as number) ^ (msg[s + 1] as number);
      const r = aa[h] as number;
      if (r > 0 && msg[r] === msg[s] && msg[r + 1] === msg[s + 1]) {
        const max = Math.min(255, n - s - 2);
        let m = 0;
        while (m < max && msg[r + 2 + m] === msg[s + 2 + m]) m++;
        out[d++] = h;
        out[d++] = m;
        f |= i;
        s += 2;
        while (p < s - 1) {
          aa[(msg[p] as number) ^ (msg[p + 1] as number)] = p++;
        }
        s += m;
        p = s;
        matched = true;
      }
    }
    if (!matched) {
      out[d++] = msg[s++] as number;
      while (p < s - 1) {
        aa[(msg[p] as number) ^ (msg[p + 1] as number)] = p++;
      }
    }
    i = (i * 2) & 0xff;
  }
  if (flagPos >= 0) out[flagPos] = f;
  if (d >= limit) return undefined;
  ov.setUint32(4, d, true);
  return out.slice(0, d);
}
