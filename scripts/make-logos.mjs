#!/usr/bin/env node
// Draws the kernel's launcher logos into kernel/logos/ (committed; rerun only to change the design):
// logo-svg.svg, and logo-32x32.png / logo-64x64.png rasterised from the same geometry (4×4
// supersampling, a minimal PNG encoder over node:zlib) — no image library, nothing downloaded.
//   node scripts/make-logos.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "kernel", "logos");
// unit square: a rounded navy tile, a rising white equity line, a teal dot at its end
const BG = [31, 78, 121], LINE = [255, 255, 255], DOT = [45, 212, 191];
const RADIUS = 0.2, STROKE = 0.085, DOT_R = 0.085;
const PTS = [[0.14, 0.74], [0.34, 0.52], [0.5, 0.62], [0.68, 0.36], [0.84, 0.24]];

function svg() {
  const p = PTS.map(([x, y]) => `${x * 64},${y * 64}`).join(" ");
  const [ex, ey] = PTS[PTS.length - 1];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
  <rect width="64" height="64" rx="${RADIUS * 64}" fill="rgb(${BG})"/>
  <polyline points="${p}" fill="none" stroke="rgb(${LINE})" stroke-width="${STROKE * 64}" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="${ex * 64}" cy="${ey * 64}" r="${DOT_R * 64}" fill="rgb(${DOT})"/>
</svg>
`;
}

function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Colour (and coverage) of the logo at a point of the unit square. */
function sample(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), 1 - RADIUS), cy = Math.min(Math.max(y, RADIUS), 1 - RADIUS);
  if (Math.hypot(x - cx, y - cy) > RADIUS) return null;
  const [ex, ey] = PTS[PTS.length - 1];
  if (Math.hypot(x - ex, y - ey) <= DOT_R) return DOT;
  for (let k = 1; k < PTS.length; k++) if (segDist(x, y, PTS[k - 1], PTS[k]) <= STROKE / 2) return LINE;
  return BG;
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4), crc = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(n) {
  const S = 4, raw = Buffer.alloc(n * (4 * n + 1));
  for (let y = 0; y < n; y++) {
    raw[y * (4 * n + 1)] = 0; // filter: none
    for (let x = 0; x < n; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) {
        const c = sample((x + (sx + 0.5) / S) / n, (y + (sy + 0.5) / S) / n);
        if (c) acc[0] += c[0], acc[1] += c[1], acc[2] += c[2], acc[3]++;
      }
      const o = y * (4 * n + 1) + 1 + 4 * x;
      const a = acc[3];
      raw[o] = a ? Math.round(acc[0] / a) : 0;
      raw[o + 1] = a ? Math.round(acc[1] / a) : 0;
      raw[o + 2] = a ? Math.round(acc[2] / a) : 0;
      raw[o + 3] = Math.round((255 * a) / (S * S));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(n, 0);
  ihdr.writeUInt32BE(n, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

writeFileSync(join(out, "logo-svg.svg"), svg());
for (const n of [32, 64]) writeFileSync(join(out, `logo-${n}x${n}.png`), png(n));
console.log(`wrote ${out}/logo-svg.svg, logo-32x32.png, logo-64x64.png`);
