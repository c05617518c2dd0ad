/**
 * The protocol side of the kernel (Jupyter messaging 5.3): decodes and checks every incoming message,
 * wraps each request in busy/idle with the request as parent, keeps the execution count, history and
 * comms, and turns a `KernelImpl`'s answers into replies and iopub messages. It knows no language.
 */
import { randomUUID } from "node:crypto";
import { clearTimeout, setTimeout } from "node:timers";
import { CommRegistry } from "./comms.js";
import { kernelLog } from "./log.js";
import { History, type HistoryQuery } from "./history.js";
import type { ExecuteOutcome, KernelImpl, KernelIO, MimeBundle } from "./impl.js";
import type { Channel, InputChannel, Transport } from "./transport.js";
import { decode, encode, newHeader, PROTOCOL_VERSION, Signer, WireError, type Message, type MessageHeader } from "./wire.js";

export interface KernelOptions {
  transport: Transport;
  signer: Signer;
  impl: KernelImpl;
  /** The blocking stdin channel for `prompt()`; without it input requests fail with a clear error. */
  input?: InputChannel;
  /** Where the kernel logs (default: stderr of the process). */
  log?: (line: string) => void;
  /** Called after shutdown_reply went out. */
  onShutdown?: (restart: boolean) => void;
  /** Stream output is coalesced for this long before it goes out as one message (ms, default 20). */
  streamFlushMs?: number;
}

/** Raised inside a cell when the front end cannot answer input or the user interrupted. */
export class StdinError extends Error {
  override name = "StdinNotImplementedError";
}

const STREAM_CHUNK = 1 << 20;

/** Handles one request or message of a type (see Kernel's handler table). */
type Handler = (channel: "shell" | "control", msg: Message, receivedAt: number) => void | Promise<void>;

interface Pending {
  msg: Message;
  receivedAt: number;
}

export class Kernel {
  readonly #t: Transport;
  readonly #signer: Signer;
  readonly #impl: KernelImpl;
  readonly #input: InputChannel | undefined;
  readonly #log: (line: string) => void;
  readonly #onShutdown: (restart: boolean) => void;
  readonly #flushMs: number;
  readonly #session = randomUUID();
  readonly #history = new History();
  readonly comms = new CommRegistry();
  readonly #shellQueue: Pending[] = [];
  #shellBusy = false;
  #executionCount = 0;
  /** Execute requests that arrived before this time are aborted (stop_on_error). */
  #abortBefore = 0;
  /** The request outputs belong to: the running execute, else the last one. */
  #outputParent: MessageHeader | undefined;
  #executing: { msg: Message; allowStdin: boolean } | undefined;
  #streams: { name: "stdout" | "stderr"; text: string }[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #warmed = false;
  #stopped = false;

  constructor(options: KernelOptions) {
    this.#t = options.transport;
    this.#signer = options.signer;
    this.#impl = options.impl;
    this.#input = options.input;
    this.#log = options.log ?? ((line) => kernelLog(line));
    this.#onShutdown = options.onShutdown ?? (() => undefined);
    this.#flushMs = options.streamFlushMs ?? 20;
    this.comms.sender = { send: (type, content, buffers) => this.#publish(type, content, this.#outputParent, buffers) };
    this.#impl.attach(this.#io());
  }

  get executionCount(): number {
    return this.#executionCount;
  }

  /** Starts serving; publishes the initial `starting` status. */
  start(): void {
    this.#t.start((channel, frames, receivedAt) => this.#receive(channel, frames, receivedAt));
    this.#publish("status", { execution_state: "starting" }, undefined);
  }

  /** SIGINT from the operating system (or the kernel manager in signal mode). */
  interruptFromSignal(): void {
    this.#log("SIGINT: interrupting the running cell");
    this.#impl.interrupt();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#flushStreams();
    await this.#t.close();
  }

  #receive(channel: Channel, frames: Buffer[], receivedAt: number): void {
    if (this.#stopped) return;
    let msg: Message;
    try {
      msg = decode(frames, this.#signer);
    } catch (err) {
      const why = err instanceof WireError || err instanceof SyntaxError ? err.message : String(err);
      this.#log(`dropped a message on ${channel}: ${why}`);
      return;
    }
    if (channel === "stdin") {
      this.#log(`ignored an unexpected ${msg.header.msg_type} on stdin (no input was requested)`);
      return;
    }
    if (channel === "control") {
      void this.#handle("control", msg, receivedAt);
      return;
    }
    this.#shellQueue.push({ msg, receivedAt });
    void this.#pumpShell();
  }

  async #pumpShell(): Promise<void> {
    if (this.#shellBusy) return;
    this.#shellBusy = true;
    try {
      for (let p = this.#shellQueue.shift(); p; p = this.#shellQueue.shift()) await this.#handle("shell", p.msg, p.receivedAt);
    } finally {
      this.#shellBusy = false;
    }
  }

  /** The handler of each request type (replies and side effects; busy/idle is #handle's). */
  readonly #handlers: Readonly<Record<string, Handler>> = {
    kernel_info_request: (channel, msg) => this.#reply(channel, msg, "kernel_info_reply", this.#kernelInfo()),
    execute_request: (channel, msg, receivedAt) => this.#execute(channel, msg, receivedAt),
    complete_request: async (channel, msg) => {
      const c = msg.content as { code?: string; cursor_pos?: number };
      const code = String(c.code ?? "");
      const r = await this.#impl.complete(code, c.cursor_pos ?? code.length);
      this.#reply(channel, msg, "complete_reply", { status: "ok", ...r });
    },
    inspect_request: async (channel, msg) => {
      const c = msg.content as { code?: string; cursor_pos?: number; detail_level?: number };
      const code = String(c.code ?? "");
      const r = await this.#impl.inspect(code, c.cursor_pos ?? code.length, c.detail_level === 1 ? 1 : 0);
      this.#reply(channel, msg, "inspect_reply", { status: "ok", ...r });
    },
    is_complete_request: async (channel, msg) => {
      const r = await this.#impl.isComplete(String((msg.content as { code?: string }).code ?? ""));
      this.#reply(channel, msg, "is_complete_reply", { ...r });
    },
    history_request: (channel, msg) => this.#reply(channel, msg, "history_reply", { status: "ok", history: this.#history.query(msg.content as HistoryQuery) }),
    comm_info_request: (channel, msg) => {
      const target = (msg.content as { target_name?: string }).target_name;
      this.#reply(channel, msg, "comm_info_reply", { status: "ok", comms: this.comms.info(target) });
    },
    comm_open: (_channel, msg) => this.#commOpen(msg),
    comm_msg: (_channel, msg) => {
      const c = msg.content as { comm_id?: string; data?: Record<string, unknown> };
      const comm = this.comms.get(String(c.comm_id));
      if (comm) this.#withParent(msg.header, () => comm.received(c.data ?? {}, msg.buffers));
      else this.#log(`comm_msg for unknown comm ${String(c.comm_id)}`);
    },
    comm_close: (_channel, msg) => {
      const c = msg.content as { comm_id?: string; data?: Record<string, unknown> };
      this.comms.get(String(c.comm_id))?.closedByPeer(c.data ?? {});
    },
    interrupt_request: (channel, msg) => {
      this.#impl.interrupt();
      this.#reply(channel, msg, "interrupt_reply", { status: "ok" });
    },
  };

  async #handle(channel: "shell" | "control", msg: Message, receivedAt: number): Promise<void> {
    const type = msg.header.msg_type;
    this.#publish("status", { execution_state: "busy" }, msg.header);
    if (type === "shutdown_request") return this.#shutdown(channel, msg);
    try {
      const handler = this.#handlers[type];
      if (handler) await handler(channel, msg, receivedAt);
      else this.#unhandled(channel, msg);
    } catch (err) {
      this.#log(`error handling ${type}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (type.endsWith("_request")) this.#replyError(channel, msg, err instanceof Error ? err.name : "Error", err instanceof Error ? err.message : String(err));
    }
    this.#flushStreams();
    this.#publish("status", { execution_state: "idle" }, msg.header);
    if (!this.#warmed) {
      this.#warmed = true;
      setTimeout(() => this.#impl.warmUp?.(), 30).unref();
    }
  }

  async #shutdown(channel: "shell" | "control", msg: Message): Promise<void> {
    const restart = Boolean((msg.content as { restart?: boolean }).restart);
    await this.#impl.shutdown(restart).catch((err: unknown) => this.#log(`shutdown: ${String(err)}`));
    this.#reply(channel, msg, "shutdown_reply", { status: "ok", restart });
    this.#publish("status", { execution_state: "idle" }, msg.header);
    await this.stop();
    this.#onShutdown(restart);
  }

  /** A message type the kernel does not know: logged, and a request gets an error reply. */
  #unhandled(channel: "shell" | "control", msg: Message): void {
    const type = msg.header.msg_type;
    this.#log(`unhandled ${type} on ${channel}`);
    if (type.endsWith("_request")) this.#replyError(channel, msg, "NotImplementedError", `${type} is not supported by the statarb kernel`);
  }

  /** The `<type>_reply` of a request, with status "error". */
  #replyError(channel: "shell" | "control", msg: Message, ename: string, evalue: string): void {
    this.#reply(channel, msg, msg.header.msg_type.replace(/_request$/, "_reply"), { status: "error", ename, evalue, traceback: [] });
  }

  #kernelInfo(): Record<string, unknown> {
    const i = this.#impl;
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: i.implementation,
      implementation_version: i.implementationVersion,
      language_info: i.languageInfo,
      banner: i.banner,
      help_links: i.helpLinks,
      debugger: false,
    };
  }

  async #execute(channel: "shell" | "control", msg: Message, receivedAt: number): Promise<void> {
    const c = msg.content as {
      code?: string;
      silent?: boolean;
      store_history?: boolean;
      user_expressions?: Record<string, string>;
      allow_stdin?: boolean;
      stop_on_error?: boolean;
    };
    const code = String(c.code ?? "");
    const silent = Boolean(c.silent);
    const storeHistory = silent ? false : (c.store_history ?? true);
    if (receivedAt < this.#abortBefore) {
      this.#reply(channel, msg, "execute_reply", { status: "aborted", execution_count: this.#executionCount, user_expressions: {}, payload: [] });
      return;
    }
    if (storeHistory) this.#executionCount++;
    const count = this.#executionCount;
    if (!silent) this.#publish("execute_input", { code, execution_count: count }, msg.header);
    this.#outputParent = msg.header;
    this.#executing = { msg, allowStdin: c.allow_stdin !== false };
    let outcome: ExecuteOutcome;
    try {
      outcome = await this.#impl.execute({ code, silent, storeHistory, allowStdin: c.allow_stdin !== false, executionCount: count });
    } catch (err) {
      outcome = { status: "error", ename: "InternalError", evalue: String(err), traceback: [String(err)] };
    } finally {
      this.#executing = undefined;
    }
    this.#flushStreams();
    if (storeHistory) this.#history.add(count, code);
    if (outcome.status === "ok") {
      if (outcome.result && !silent) {
        this.#publish("execute_result", { execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata }, msg.header);
      }
      let userExpressions: Record<string, unknown> = {};
      const exprs = c.user_expressions ?? {};
      if (Object.keys(exprs).length > 0) userExpressions = await this.#impl.userExpressions(exprs);
      this.#reply(channel, msg, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: outcome.payload ?? [] });
      return;
    }
    const { ename, evalue, traceback } = outcome;
    if (!silent) this.#publish("error", { ename, evalue, traceback }, msg.header);
    if (c.stop_on_error !== false) this.#abortBefore = performance.timeOrigin + performance.now();
    this.#reply(channel, msg, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback, user_expressions: {}, payload: [] });
  }

  #commOpen(msg: Message): void {
    const c = msg.content as { comm_id?: string; target_name?: string; data?: Record<string, unknown> };
    const id = String(c.comm_id);
    const target = String(c.target_name);
    const ok = this.#withParent(msg.header, () => this.comms.openedByPeer(id, target, c.data ?? {}, msg.buffers));
    if (!ok) {
      this.#log(`comm_open for unknown target ${JSON.stringify(target)}: closing it`);
      this.#publish("comm_close", { comm_id: id, data: {} }, msg.header);
    }
  }

  #withParent<T>(parent: MessageHeader, fn: () => T): T {
    const prev = this.#outputParent;
    this.#outputParent = parent;
    try {
      return fn();
    } finally {
      // Output the handler printed belongs to this message; later output goes back to the last cell.
      this.#flushStreams();
      if (!this.#executing) this.#outputParent = prev ?? parent;
    }
  }

  #io(): KernelIO {
    return {
      stream: (name, text) => this.#stream(name, text),
      display: (data, metadata = {}, transient = {}, update = false) => this.#display(data, metadata, transient, update),
      clearOutput: (wait) => {
        this.#flushStreams();
        this.#publish("clear_output", { wait }, this.#outputParent);
      },
      input: (prompt, password) => this.#requestInput(prompt, password),
      comms: this.comms,
      log: (m) => this.#log(m),
    };
  }

  #stream(name: "stdout" | "stderr", text: string): void {
    if (!text) return;
    const last = this.#streams.at(-1);
    if (last && last.name === name && last.text.length + text.length <= STREAM_CHUNK) last.text += text;
    else this.#streams.push({ name, text });
    if (this.#streams.length > 16 || (this.#streams.at(-1)?.text.length ?? 0) >= STREAM_CHUNK) this.#flushStreams();
    else this.#flushTimer ??= setTimeout(() => this.#flushStreams(), this.#flushMs);
  }

  #flushStreams(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const pending = this.#streams;
    this.#streams = [];
    for (const s of pending) this.#publish("stream", { name: s.name, text: s.text }, this.#outputParent);
  }

  #display(data: MimeBundle, metadata: Record<string, unknown>, transient: Record<string, unknown>, update: boolean): void {
    this.#flushStreams();
    this.#publish(update ? "update_display_data" : "display_data", { data, metadata, transient }, this.#outputParent);
  }

  #requestInput(prompt: string, password: boolean): string {
    const running = this.#executing;
    if (!running || !running.allowStdin) throw new StdinError("this front end does not support input requests (allow_stdin is false)");
    if (!this.#input) throw new StdinError("this kernel has no stdin channel");
    this.#flushStreams();
    const frames = encode(this.#signer, running.msg.identities, newHeader("input_request", this.#session), running.msg.header, { prompt, password });
    for (;;) {
      const reply = this.#input.requestSync(frames);
      if (reply === "interrupted") {
        const e = new Error("interrupted while waiting for input");
        e.name = "KeyboardInterrupt";
        throw e;
      }
      try {
        const msg = decode(reply, this.#signer);
        if (msg.header.msg_type !== "input_reply") {
          this.#log(`ignored ${msg.header.msg_type} on stdin while waiting for input_reply`);
          continue;
        }
        return String((msg.content as { value?: unknown }).value ?? "");
      } catch (err) {
        this.#log(`dropped a message on stdin: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  #reply(channel: "shell" | "control", req: Message, type: string, content: Record<string, unknown>): void {
    const frames = encode(this.#signer, req.identities, newHeader(type, this.#session), req.header, content);
    this.#t.send(channel, frames).catch((err: unknown) => this.#log(`send ${type}: ${String(err)}`));
  }

  #publish(type: string, content: Record<string, unknown>, parent: MessageHeader | undefined, buffers: Buffer[] = []): void {
    if (this.#stopped && type !== "status") return;
    const topic = Buffer.from(`kernel.${this.#session}.${type}`);
    const frames = encode(this.#signer, [topic], newHeader(type, this.#session), parent ?? {}, content, {}, buffers);
    this.#t.send("iopub", frames).catch((err: unknown) => this.#log(`publish ${type}: ${String(err)}`));
  }
}
