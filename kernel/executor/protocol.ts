/**
 * What the kernel process and the engine process (kernel/executor) say to each other. Two channels:
 *
 * - the IPC channel (Node's, structured clone): calls of the language's methods and their results, and
 *   what a running cell shows (streams, displays, comms, logs). The engine's main thread reads it, so a
 *   call waits while a cell keeps that thread busy — as a shell request waits behind a running cell.
 * - the control pipe (fd 4, JSON lines): read by the engine's control thread even while its main thread
 *   is stuck — interrupts, input for `prompt()`, the memory watch, and the debugger's DAP messages (the
 *   control thread drives the main thread's inspector, which a paused main thread still serves).
 * - inside the engine, the control thread tells the main thread of the memory watch's stops itself
 *   (a worker message, ControlToMain), so they never wait on the kernel.
 */
import type { DapEvent, DapRequest, DapResponse } from "../debugger/dap.js";
import type { MimeBundle } from "../impl.js";

/** The language methods the kernel calls in the engine (KernelImpl's, and the comm host's). */
export type CallMethod = "execute" | "userExpressions" | "complete" | "inspect" | "isComplete" | "shutdown" | "warmUp" | "commOpen" | "commMessage" | "commClose" | "commInfo";

/** Kernel → engine, over IPC. */
export type ToEngine =
  /**
   * `interrupts`: the user's interrupts the kernel had sent when it made the call (a cell is stopped before it starts when a later one arrived).
   * `parent`: the msg_id of the request the call serves (execute, comm messages), for the engine's comms.
   */
  | { t: "call"; id: number; method: CallMethod; args: unknown[]; interrupts: number; parent?: string | undefined }
  /** The user interrupted (the `n`-th time, counted by the kernel since the engine started): stop what runs, cancel the cells' timers. */
  | { t: "interrupt"; reason: "user"; n: number };

/** Engine control thread → engine main thread (worker message): the memory watch's `n`-th stop. */
export type ControlToMain = { t: "interrupt"; reason: "memory"; n: number };

/** Engine → kernel, over IPC. */
export type FromEngine =
  | { t: "ready"; pid: number }
  | { t: "result"; id: number; ok: true; value: unknown }
  | { t: "result"; id: number; ok: false; name: string; message: string }
  | { t: "stream"; name: "stdout" | "stderr"; text: string }
  | { t: "display"; data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown>; update: boolean }
  | { t: "clear"; wait: boolean }
  | { t: "comm"; type: "comm_open" | "comm_msg" | "comm_close"; content: Record<string, unknown>; buffers: Uint8Array[]; metadata?: Record<string, unknown> }
  | { t: "log"; line: string };

/** Kernel → engine control thread (one JSON object a line). */
export type ToControl =
  | { t: "interrupt" }
  | { t: "input"; value: string }
  | { t: "input-failed"; name: string; message: string }
  /** A Debug Adapter Protocol request (the content of a debug_request), answered by the debugger in the control thread. */
  | { t: "debug"; id: number; request: DapRequest };

/** Engine control thread → kernel. */
export type FromControl =
  | { t: "input-request"; prompt: string; password: boolean }
  /** The engine's memory passed its limit (the control thread stopped the running cell with a MemoryError): for the kernel's log. */
  | { t: "memory"; rssMb: number; limitMb: number }
  | { t: "debug-reply"; id: number; response: DapResponse }
  /** A DAP event (stopped, continued…) for iopub's debug_event. */
  | { t: "debug-event"; event: DapEvent }
  | { t: "log"; line: string };

/** The file descriptor of the control pipe in the engine process. */
export const CONTROL_FD = 4;

/** Splits a byte stream of JSON lines into messages (a line may arrive in pieces). */
export class JsonLines<T> {
  #rest = "";
  readonly #onMessage: (m: T) => void;

  constructor(onMessage: (m: T) => void) {
    this.#onMessage = onMessage;
  }

  push(chunk: Buffer | string): void {
    const text = this.#rest + chunk.toString();
    const lines = text.split("\n");
    this.#rest = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") this.#onMessage(JSON.parse(line) as T);
  }

  /** Feeds it every chunk of `stream`. */
  pipeFrom(stream: NodeJS.ReadableStream): this {
    stream.on("data", (chunk: Buffer | string) => this.push(chunk));
    return this;
  }
}
