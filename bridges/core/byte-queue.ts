/**
 * The byte queue under both bridge wire formats (bridges' own frames in frame.ts, kdb+ IPC messages in
 * q/ipc/connection.ts): chunks of a stream go in as they arrive; a reader peeks at a header and takes
 * whole messages out once enough bytes are buffered, without concatenating the queue on every chunk.
 */
export class ByteQueue {
  #chunks: Buffer[] = [];
  #length = 0;

  /** Bytes buffered. */
  get length(): number {
    return this.#length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** The first `n` bytes without consuming them (a view when they lie in one chunk, else a copy); `n` ≤ length. */
  peek(n: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    this.#copy(out, false);
    return out;
  }

  /** Removes the first `n` bytes and returns them as a new buffer; `n` ≤ length. */
  take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    this.takeInto(out);
    return out;
  }

  /** Removes the first `out.byteLength` bytes into `out`. */
  takeInto(out: Uint8Array): void {
    this.#copy(out, true);
  }

  #copy(out: Uint8Array, consume: boolean): void {
    let off = 0;
    let k = 0;
    const n = out.byteLength;
    while (off < n) {
      const c = this.#chunks[k] as Buffer;
      const m = Math.min(c.length, n - off);
      out.set(m === c.length ? c : c.subarray(0, m), off);
      off += m;
      if (!consume) k++;
      else if (m === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(m);
    }
    if (consume) this.#length -= n;
  }
}
