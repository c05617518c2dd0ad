/**
 * MurmurHash2 (32-bit, Austin Appleby's) of a string's UTF-8 bytes: the hash JupyterLab's debugger
 * computes of a cell's code to find the file the kernel dumped it to (`debugInfo.hashMethod` "Murmur2").
 * Written from the algorithm's description; checked against JupyterLab's and ipykernel's values.
 */
const M = 0x5bd1e995;

export function murmur2(text: string, seed: number): number {
  const bytes = new TextEncoder().encode(text);
  let n = bytes.length;
  let h = (seed ^ n) >>> 0;
  let i = 0;
  while (n >= 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
    i += 4;
    n -= 4;
  }
  if (n === 3) h ^= bytes[i + 2]! << 16;
  if (n >= 2) h ^= bytes[i + 1]! << 8;
  if (n >= 1) h = Math.imul(h ^ bytes[i]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h >>> 0;
}
