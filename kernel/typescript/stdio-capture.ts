/**
 * Sends what cells (and the libraries they call) write to process.stdout/stderr — console.log
 * included — to the notebook as stream output, within a per-cell budget of each stream so a runaway
 * print loop cannot exhaust the engine's memory. The kernel holds each output to its limit and says so
 * (kernel/output.ts); this budget is a safety margin above it, past which text is dropped here.
 */
import process from "node:process";
import type { KernelIO } from "../impl.js";

export class StdioCapture {
  readonly #io: KernelIO;
  readonly #maxBytes: number;
  readonly #bytes = new Map<"stdout" | "stderr", number>();
  #dropped = 0;

  constructor(io: KernelIO, maxBytes: number) {
    this.#io = io;
    this.#maxBytes = maxBytes;
  }

  get maxBytes(): number {
    return this.#maxBytes;
  }

  /** Starts a new cell's budget. */
  reset(): void {
    this.#bytes.clear();
    this.#dropped = 0;
  }

  /** Bytes dropped in this cell because the budget ran out. */
  get dropped(): number {
    return this.#dropped;
  }

  install(): void {
    const capture = (name: "stdout" | "stderr") =>
      (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
        this.emit(name, text);
        const done = typeof encoding === "function" ? encoding : cb;
        if (typeof done === "function") queueMicrotask(() => (done as () => void)());
        return true;
      };
    process.stdout.write = capture("stdout") as typeof process.stdout.write;
    process.stderr.write = capture("stderr") as typeof process.stderr.write;
  }

  emit(name: "stdout" | "stderr", text: string): void {
    const used = this.#bytes.get(name) ?? 0;
    const room = this.#maxBytes - used;
    if (room <= 0) {
      this.#dropped += text.length;
      return;
    }
    // past the budget, the part that fits still goes (the kernel sees the stream is over its limit and says so)
    const kept = text.length > room ? text.slice(0, room) : text;
    this.#dropped += text.length - kept.length;
    this.#bytes.set(name, used + kept.length);
    this.#io.stream(name, kept);
  }
}
