/**
 * An in-memory `Transport` (the test double of the zeromq one): a test pushes frames in as a client
 * would and reads what the kernel sent on each channel.
 */
import type { Channel, InputChannel, Transport } from "./transport.js";

export class MemoryTransport implements Transport, InputChannel {
  readonly sent: { channel: Channel; frames: Buffer[] }[] = [];
  #handler: ((channel: Channel, frames: Buffer[], receivedAt: number) => void) | undefined;
  #listeners: ((channel: Channel, frames: Buffer[]) => void)[] = [];
  /** Answers input requests (a test sets it); receives the input_request frames, returns reply frames. */
  inputReplier: ((frames: Buffer[]) => Buffer[] | "interrupted") | undefined;
  closed = false;

  start(handler: (channel: Channel, frames: Buffer[], receivedAt: number) => void): void {
    this.#handler = handler;
  }

  /** Delivers a client message to the kernel. */
  deliver(channel: Channel, frames: (Buffer | string)[]): void {
    if (!this.#handler) throw new Error("MemoryTransport: the kernel has not started");
    this.#handler(channel, frames.map((f) => (typeof f === "string" ? Buffer.from(f) : f)), performance.timeOrigin + performance.now());
  }

  onSend(listener: (channel: Channel, frames: Buffer[]) => void): void {
    this.#listeners.push(listener);
  }

  send(channel: Channel, frames: (Buffer | string)[]): Promise<void> {
    const bufs = frames.map((f) => (typeof f === "string" ? Buffer.from(f) : f));
    this.sent.push({ channel, frames: bufs });
    for (const l of this.#listeners) l(channel, bufs);
    return Promise.resolve();
  }

  requestSync(frames: (Buffer | string)[]): Buffer[] | "interrupted" {
    const bufs = frames.map((f) => (typeof f === "string" ? Buffer.from(f) : f));
    this.sent.push({ channel: "stdin", frames: bufs });
    if (!this.inputReplier) return "interrupted";
    return this.inputReplier(bufs);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
