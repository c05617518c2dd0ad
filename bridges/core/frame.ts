/**
 * The bridge frame format, shared by the R and Octave servers (bridges/r/server.R,
 * bridges/octave/statarb_server.m):
 *
 *   u32 LE  header length H
 *   H bytes header, UTF-8 JSON: { id, op, …, blobs: [byteLength, …] }
 *   blobs   raw little-endian payloads back to back, in the order of `blobs`
 *
 * Numbers travel in the blobs as float64 / int32 (never as text), so a 2,520 × 500 panel is one
 * 10 MB blob read with a single readBin / fread. Requests go on a FIFO (the interpreter's stdin is /dev/null); responses come
 * back on a FIFO so that whatever user code prints on stdout can never corrupt a frame.
 */
import { ByteQueue } from "./byte-queue.js";

/** A decoded frame: its JSON header and its binary payloads. */
export interface Frame {
  readonly header: FrameHeader;
  readonly blobs: readonly Uint8Array[];
}

/** Header of a frame; `blobs` lists the payload sizes in bytes. */
export interface FrameHeader {
  readonly blobs?: readonly number[];
  readonly [key: string]: unknown;
}

/** The byte chunks of one frame (header length, header, blobs), ready to be written in order. */
export function encodeFrame(header: Record<string, unknown>, blobs: readonly Uint8Array[]): Uint8Array[] {
  const json = Buffer.from(JSON.stringify({ ...header, blobs: blobs.map((b) => b.byteLength) }), "utf8");
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32LE(json.length, 0);
  return [len, json, ...blobs.filter((b) => b.byteLength > 0)];
}

/**
 * Incremental frame decoder: feed it the chunks of a byte stream, it calls `onFrame` for every
 * complete frame. Payloads are copied out into their own 8-byte-aligned buffers, so typed-array views
 * over them are always valid.
 */
export class FrameDecoder {
  readonly #bytes = new ByteQueue();
  #header: FrameHeader | undefined;
  #headerLength = -1;
  readonly #onFrame: (frame: Frame) => void;

  constructor(onFrame: (frame: Frame) => void) {
    this.#onFrame = onFrame;
  }

  push(chunk: Buffer): void {
    this.#bytes.push(chunk);
    for (;;) {
      if (this.#header === undefined) {
        if (this.#headerLength < 0) {
          if (this.#bytes.length < 4) return;
          this.#headerLength = this.#bytes.take(4).readUInt32LE(0);
        }
        if (this.#bytes.length < this.#headerLength) return;
        const text = this.#bytes.take(this.#headerLength).toString("utf8");
        try {
          this.#header = JSON.parse(text) as FrameHeader;
        } catch (e) {
          throw new Error(`bridge frame: header is not JSON (${(e as Error).message}): ${text.slice(0, 200)}`);
        }
      }
      const sizes = this.#header.blobs ?? [];
      const total = sizes.reduce((a, b) => a + b, 0);
      if (this.#bytes.length < total) return;
      const blobs = sizes.map((n) => {
        const out = new Uint8Array(new ArrayBuffer(n));
        if (n > 0) this.#bytes.takeInto(out);
        return out;
      });
      const header = this.#header;
      this.#header = undefined;
      this.#headerLength = -1;
      this.#onFrame({ header, blobs });
    }
  }
}
