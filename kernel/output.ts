/**
 * What a cell shows, on its way to iopub: stream text coalesced for a few milliseconds into one
 * message, and every output held to the output limit (kernel/limits.ts): a cell's stdout and its
 * stderr each up to the limit, then one visible notice and a count of what was dropped at the end of
 * the cell; a display or result bundle larger than the limit is replaced by a notice. Stream text that
 * arrives when no cell runs (a timer an earlier cell left) goes with the next cell when it starts within
 * BETWEEN_CELLS_FLUSH_MS, else with the last cell.
 */
import { clearTimeout, setTimeout } from "node:timers";
import type { MimeBundle } from "./impl.js";
import type { MessageHeader } from "./wire.js";

/** Publishes one iopub message (the kernel's). */
export type Publish = (type: string, content: Record<string, unknown>, parent: MessageHeader | undefined, buffers?: Buffer[]) => void;

export interface OutputOptions {
  publish: Publish;
  /** Stream output is coalesced for this long before it goes out as one message (ms). */
  flushMs: number;
  /** Bytes one output may hold. */
  maxBytes: number;
}

type StreamName = "stdout" | "stderr";

/**
 * Stream text that arrives between cells waits this long (ms) for the next cell before it goes out with
 * the last one: a late rejection or a timer's print right after a cell shows with the cell that follows.
 */
const BETWEEN_CELLS_FLUSH_MS = 250;

/** Streams are cut into messages of at most this many characters. */
const STREAM_CHUNK = 1 << 20;

const mb = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(bytes < 1 << 20 ? 2 : 1)} MB`;

export class Output {
  readonly #publish: Publish;
  readonly #flushMs: number;
  readonly #max: number;
  /** The request outputs belong to: the running execute, else the last one. */
  parent: MessageHeader | undefined;
  #pending: { name: StreamName; text: string }[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #used = new Map<StreamName, number>();
  readonly #dropped = new Map<StreamName, number>();
  /** Between beginCell and endCell. */
  #inCell = false;

  constructor(options: OutputOptions) {
    this.#publish = options.publish;
    this.#flushMs = options.flushMs;
    this.#max = options.maxBytes;
  }

  /** Bytes one output may hold. */
  get maxBytes(): number {
    return this.#max;
  }

  /**
   * A new cell: its outputs go to `parent`, with fresh budgets. Stream text still waiting from between
   * cells (a timer or a late rejection an earlier cell left) goes out with this cell, as it did when it
   * arrives while the cell runs.
   */
  beginCell(parent: MessageHeader): void {
    if (this.#inCell) this.flush();
    this.#inCell = true;
    this.parent = parent;
    this.#used.clear();
    this.#dropped.clear();
  }

  /** The end of a cell: pending text goes out, then how much of each stream was dropped. */
  endCell(): void {
    this.#inCell = false;
    this.flush();
    for (const [name, n] of this.#dropped) {
      if (n > 0) this.#publish("stream", { name, text: `[statarb kernel] at least ${mb(n)} more of this cell's ${name} was not shown (limit ${mb(this.#max)} per output; set STATARB_MAX_OUTPUT_MB to raise it)\n` }, this.parent);
    }
    this.#dropped.clear();
  }

  stream(name: StreamName, text: string): void {
    if (!text) return;
    const used = this.#used.get(name) ?? 0;
    const bytes = Buffer.byteLength(text, "utf8");
    if (used + bytes > this.#max) {
      const room = Math.max(0, this.#max - used);
      const kept = room > 0 ? Buffer.from(text, "utf8").subarray(0, room).toString("utf8").replace(/\uFFFD$/, "") : "";
      const first = !this.#dropped.has(name);
      this.#dropped.set(name, (this.#dropped.get(name) ?? 0) + bytes - Buffer.byteLength(kept, "utf8"));
      this.#used.set(name, this.#max);
      if (kept) this.#queue(name, kept);
      if (first) this.#queue(name, `\n[statarb kernel] ${name} is over ${mb(this.#max)} (the limit per output): the rest of this cell's ${name} is not shown (STATARB_MAX_OUTPUT_MB raises the limit)\n`);
      return;
    }
    this.#used.set(name, used + bytes);
    this.#queue(name, text);
  }

  /** display_data (or update_display_data), the bundle replaced by a notice when over the limit. */
  display(data: MimeBundle, metadata: Record<string, unknown>, transient: Record<string, unknown>, update: boolean): void {
    this.flush();
    const fitted = this.#fit(data);
    this.#publish(update ? "update_display_data" : "display_data", { data: fitted, metadata: fitted === data ? metadata : {}, transient }, this.parent);
  }

  /** The cell's execute_result, held to the limit like a display. */
  result(executionCount: number, data: MimeBundle, metadata: Record<string, unknown>, parent: MessageHeader): void {
    this.flush();
    const fitted = this.#fit(data);
    this.#publish("execute_result", { execution_count: executionCount, data: fitted, metadata: fitted === data ? metadata : {} }, parent);
  }

  clear(wait: boolean): void {
    this.flush();
    this.#publish("clear_output", { wait }, this.parent);
  }

  /** Sends the coalesced stream text now. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = [];
    for (const s of pending) this.#publish("stream", { name: s.name, text: s.text }, this.parent);
  }

  #queue(name: StreamName, text: string): void {
    const last = this.#pending.at(-1);
    if (last && last.name === name && last.text.length + text.length <= STREAM_CHUNK) last.text += text;
    else this.#pending.push({ name, text });
    if (this.#pending.length > 16 || (this.#pending.at(-1)?.text.length ?? 0) >= STREAM_CHUNK) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), this.#inCell ? this.#flushMs : BETWEEN_CELLS_FLUSH_MS);
  }

  /** The bundle, or a text/plain notice when its data exceed the limit. */
  #fit(data: MimeBundle): MimeBundle {
    let bytes = 0;
    for (const v of Object.values(data)) bytes += typeof v === "string" ? Buffer.byteLength(v, "utf8") : Buffer.byteLength(JSON.stringify(v) ?? "", "utf8");
    if (bytes <= this.#max) return data;
    return { "text/plain": `[statarb kernel] an output of ${mb(bytes)} (${Object.keys(data).join(", ")}) is not shown: the limit is ${mb(this.#max)} per output; set STATARB_MAX_OUTPUT_MB to raise it` };
  }
}
