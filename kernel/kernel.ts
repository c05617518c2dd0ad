/**
 * The protocol side of the kernel (Jupyter messaging 5.3): decodes and checks every incoming message
 * (signature, replay, shape), wraps each request in busy/idle with the request as parent, keeps the
 * execution count and history, routes comms and stdin, and turns a `KernelImpl`'s answers into replies
 * and iopub messages held to the output limit. It knows no language, and runs no user code.
 */
import { randomUUID } from "node:crypto";
import { clearTimeout, setTimeout } from "node:timers";
import { CommRegistry, type CommHost } from "./comms.js";
import { History, type HistoryQuery } from "./history.js";
import type { ExecuteOutcome, KernelImpl, KernelIO } from "./impl.js";
import { outputLimitBytes } from "./limits.js";
import { kernelLog } from "./log.js";
import { Output } from "./output.js";
import { BadRequestError, checkContent } from "./requests.js";
import type { Channel, InputChannel, Transport } from "./transport.js";
import { decode, encode, MalformedMessage, newHeader, PROTOCOL_VERSION, SignatureHistory, Signer, WireError, type Message, type MessageHeader } from "./wire.js";

export interface KernelOptions {
  transport: Transport;
  signer: Signer;
  impl: KernelImpl;
  /** The blocking stdin channel for a language that asks for input synchronously (in-process). */
  input?: InputChannel;
  /** Where the kernel logs (default: stderr of the process). */
  log?: (line: string) => void;
  /** Called after shutdown_reply went out. */
  onShutdown?: (restart: boolean) => void;
  /** Stream output is coalesced for this long before it goes out as one message (ms, default 20). */
  streamFlushMs?: number;
  /** Bytes one output may hold (default: STATARB_MAX_OUTPUT_MB, else 16 MB). */
  maxOutputBytes?: number;
  /** Warm the language's heavy modules (completions' language service, magics) once idle after the start (default true). */
  warmUp?: boolean;
  /**
   * How long the kernel must have been idle — no request arriving or in progress — before the warm-up
   * starts (ms, default WARM_UP_IDLE_MS): cells sent one after another (a notebook run by nbclient or
   * papermill, Run All) never share the CPU with it.
   */
  warmUpIdleMs?: number;
}

/** Raised inside a cell when the front end cannot answer input or the user interrupted. */
export class StdinError extends Error {
  override name = "StdinNotImplementedError";
}

/** How long kernel_info waits for the language to be ready (ms). */
const READY_WAIT_MS = 10_000;

/**
 * The idle time before the warm-up (ms): longer than a client's pauses between the requests of one
 * burst — jupyter_client's wait_for_ready waits for 200 ms of iopub silence after kernel_info, nbclient
 * and papermill send the next cell as soon as the last one is idle — and short next to a person's.
 */
const WARM_UP_IDLE_MS = 500;

/** Handles one request or message of a type (see Kernel's handler table). */
type Handler = (channel: "shell" | "control", msg: Message, receivedAt: number) => void | Promise<void>;

interface Pending {
  msg: Message;
  receivedAt: number;
}

/** A cell waiting for the front end's input_reply (the asynchronous stdin path). */
interface InputWaiter {
  resolve(value: string): void;
  reject(err: Error): void;
}

export class Kernel {
  readonly #t: Transport;
  readonly #signer: Signer;
  readonly #impl: KernelImpl;
  readonly #input: InputChannel | undefined;
  readonly #log: (line: string) => void;
  readonly #onShutdown: (restart: boolean) => void;
  readonly #session = randomUUID();
  readonly #history = new History();
  readonly #signatures = new SignatureHistory();
  readonly #out: Output;
  /** The comms of an in-process language (a language running elsewhere brings its own, KernelImpl.comms). */
  readonly comms = new CommRegistry();
  readonly #shellQueue: Pending[] = [];
  #shellBusy = false;
  #executionCount = 0;
  /** Execute requests that arrived before this time are aborted (stop_on_error). */
  #abortBefore = 0;
  #executing: { msg: Message; allowStdin: boolean } | undefined;
  #inputWaiter: InputWaiter | undefined;
  #warmed: boolean;
  readonly #warmUpOff: boolean;
  readonly #warmUpIdleMs: number;
  /** The pending warm-up, started when it fires (the kernel idle for #warmUpIdleMs). */
  #warmUpTimer: NodeJS.Timeout | undefined;
  /** Requests being handled (shell and control). */
  #handling = 0;
  #stopped = false;

  constructor(options: KernelOptions) {
    this.#t = options.transport;
    this.#signer = options.signer;
    this.#impl = options.impl;
    this.#input = options.input;
    this.#log = options.log ?? ((line) => kernelLog(line));
    this.#onShutdown = options.onShutdown ?? (() => undefined);
    this.#warmUpOff = options.warmUp === false;
    this.#warmed = this.#warmUpOff;
    this.#warmUpIdleMs = options.warmUpIdleMs ?? WARM_UP_IDLE_MS;
    this.#out = new Output({ publish: (type, content, parent, buffers) => this.#publish(type, content, parent, buffers), flushMs: options.streamFlushMs ?? 20, maxBytes: options.maxOutputBytes ?? outputLimitBytes() });
    // stream text still buffered goes out first: iopub keeps the order in which the cell printed and
    // changed widgets (an Output widget's msg_id capture depends on it)
    this.comms.sender = { send: (type, content, buffers, metadata) => (this.#out.flush(), this.#publish(type, content, this.#out.parent, buffers, metadata)) };
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
    this.#interrupt();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#postponeWarmUp();
    this.#out.flush();
    await this.#t.close();
  }

  #receive(channel: Channel, frames: Buffer[], receivedAt: number): void {
    if (this.#stopped) return;
    let msg: Message;
    try {
      msg = decode(frames, this.#signer, this.#signatures);
    } catch (err) {
      if (err instanceof MalformedMessage) this.#refuseMalformed(channel, err);
      else this.#log(`dropped a message on ${channel}: ${err instanceof WireError || err instanceof SyntaxError ? err.message : String(err)}`);
      return;
    }
    if (channel === "stdin") return this.#stdinMessage(msg);
    this.#postponeWarmUp();
    if (channel === "control") {
      void this.#handle("control", msg, receivedAt);
      return;
    }
    this.#shellQueue.push({ msg, receivedAt });
    void this.#pumpShell();
  }

  /** A correctly signed message that is not a valid message: an error reply when it names a request, and busy/idle around it. */
  #refuseMalformed(channel: Channel, err: MalformedMessage): void {
    this.#log(`malformed message on ${channel}: ${err.message}`);
    const type = err.header.msg_type;
    if (channel === "stdin" || typeof type !== "string" || typeof err.header.msg_id !== "string") return;
    const header = err.header as MessageHeader;
    this.#publish("status", { execution_state: "busy" }, header);
    if (type.endsWith("_request") && channel !== "iopub") this.#sendReply(channel, err.identities, header, type.replace(/_request$/, "_reply"), { status: "error", ename: "MalformedMessage", evalue: err.message, traceback: [] });
    this.#publish("status", { execution_state: "idle" }, header);
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
    kernel_info_request: async (channel, msg) => {
      await this.#languageReady();
      this.#reply(channel, msg, "kernel_info_reply", this.#kernelInfo());
    },
    execute_request: (channel, msg, receivedAt) => this.#execute(channel, msg, receivedAt),
    complete_request: async (channel, msg) => {
      const c = msg.content as { code: string; cursor_pos?: number | null };
      const r = await this.#impl.complete(c.code, c.cursor_pos ?? c.code.length);
      this.#reply(channel, msg, "complete_reply", { status: "ok", ...r });
    },
    inspect_request: async (channel, msg) => {
      const c = msg.content as { code: string; cursor_pos?: number | null; detail_level?: number | null };
      const r = await this.#impl.inspect(c.code, c.cursor_pos ?? c.code.length, c.detail_level === 1 ? 1 : 0);
      this.#reply(channel, msg, "inspect_reply", { status: "ok", ...r });
    },
    is_complete_request: async (channel, msg) => {
      const r = await this.#impl.isComplete((msg.content as { code: string }).code);
      this.#reply(channel, msg, "is_complete_reply", { ...r });
    },
    history_request: (channel, msg) => this.#reply(channel, msg, "history_reply", { status: "ok", history: this.#history.query(msg.content as HistoryQuery) }),
    comm_info_request: async (channel, msg) => {
      const target = (msg.content as { target_name?: string | null }).target_name ?? undefined;
      this.#reply(channel, msg, "comm_info_reply", { status: "ok", comms: await this.#comms().info(target) });
    },
    comm_open: (_channel, msg) => this.#commOpen(msg),
    comm_msg: async (_channel, msg) => {
      const c = msg.content as { comm_id: string; data?: Record<string, unknown> | null };
      const known = await this.#withParent(msg.header, () => this.#comms().messageFromPeer(c.comm_id, c.data ?? {}, msg.buffers));
      if (!known) this.#log(`comm_msg for unknown comm ${c.comm_id}`);
    },
    comm_close: async (_channel, msg) => {
      const c = msg.content as { comm_id: string; data?: Record<string, unknown> | null };
      await this.#withParent(msg.header, () => this.#comms().closedByPeer(c.comm_id, c.data ?? {}));
    },
    debug_request: async (channel, msg) => {
      const debug = this.#impl.debugRequest?.bind(this.#impl);
      if (!debug) return this.#unhandled(channel, msg);
      this.#reply(channel, msg, "debug_reply", await debug(msg.content));
    },
    interrupt_request: (channel, msg) => {
      this.#interrupt();
      this.#reply(channel, msg, "interrupt_reply", { status: "ok" });
    },
    statarb_reset_request: (channel, msg) => this.#reset(channel, msg),
  };

  /**
   * statarb_reset_request (a statarb extension, for batch runners that reuse one kernel, e.g. the
   * sweep's workers): the kernel becomes what a newly started one is — the language's fresh engine
   * (KernelImpl.reset), execution count 0, empty history, no stop_on_error abort pending, the warm-up
   * due again. Answered with statarb_reset_reply once a cell can run; sent on control, it also stops a
   * running cell (its reply says so).
   */
  async #reset(channel: "shell" | "control", msg: Message): Promise<void> {
    const reset = this.#impl.reset?.bind(this.#impl);
    if (!reset) return this.#unhandled(channel, msg);
    this.#inputWaiter?.reject(new StdinError("the kernel was reset"));
    this.#inputWaiter = undefined;
    await reset();
    this.#executionCount = 0;
    this.#history.clear();
    this.#abortBefore = 0;
    this.#warmed = this.#warmUpOff;
    this.#reply(channel, msg, "statarb_reset_reply", { status: "ok" });
  }

  async #handle(channel: "shell" | "control", msg: Message, receivedAt: number): Promise<void> {
    const type = msg.header.msg_type;
    this.#handling++;
    this.#publish("status", { execution_state: "busy" }, msg.header);
    try {
      checkContent(type, msg.content);
      if (type === "shutdown_request") return await this.#shutdown(channel, msg);
      const handler = this.#handlers[type];
      if (handler) await handler(channel, msg, receivedAt);
      else this.#unhandled(channel, msg);
    } catch (err) {
      this.#log(`error handling ${type}: ${err instanceof BadRequestError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (type.endsWith("_request")) this.#replyError(channel, msg, err instanceof Error ? err.name : "Error", err instanceof Error ? err.message : String(err));
    }
    this.#out.flush();
    this.#publish("status", { execution_state: "idle" }, msg.header);
    this.#handling--;
    if (!this.#warmed) this.#warmUpWhenIdle();
  }

  /**
   * Starts the warm-up once the kernel has been idle for #warmUpIdleMs: every request that arrives
   * before puts it off again, so the cells of a notebook run back to back never share the CPU (or the
   * engine's main thread) with it. A completion or inspection before it builds what it needs itself.
   */
  #warmUpWhenIdle(): void {
    this.#postponeWarmUp();
    this.#warmUpTimer = setTimeout(() => {
      this.#warmUpTimer = undefined;
      if (this.#warmed || this.#stopped || this.#handling > 0 || this.#shellQueue.length > 0) return;
      this.#warmed = true;
      this.#impl.warmUp?.();
    }, this.#warmUpIdleMs).unref();
  }

  #postponeWarmUp(): void {
    if (this.#warmUpTimer === undefined) return;
    clearTimeout(this.#warmUpTimer);
    this.#warmUpTimer = undefined;
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

  /** Until the language is ready to run a cell (at most READY_WAIT_MS; a language that failed to start is reported by its cells). */
  async #languageReady(): Promise<void> {
    const ready = this.#impl.ready;
    if (!ready) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ready.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS)))]);
    clearTimeout(timer);
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
      debugger: typeof i.debugRequest === "function",
    };
  }

  #interrupt(): void {
    this.#inputWaiter?.reject(Object.assign(new Error("interrupted while waiting for input"), { name: "KeyboardInterrupt" }));
    this.#inputWaiter = undefined;
    this.#impl.interrupt();
  }

  async #execute(channel: "shell" | "control", msg: Message, receivedAt: number): Promise<void> {
    const c = msg.content as { code: string; silent?: boolean | null; store_history?: boolean | null; user_expressions?: Record<string, string> | null; allow_stdin?: boolean | null; stop_on_error?: boolean | null };
    const code = c.code;
    const silent = c.silent === true;
    const storeHistory = silent ? false : (c.store_history ?? true);
    if (receivedAt < this.#abortBefore) {
      // ipykernel's form: no execution_count, so a skipped cell shows no number (it used to show the
      // failed cell's, and the front end showed one number twice)
      this.#reply(channel, msg, "execute_reply", { status: "aborted" });
      return;
    }
    if (storeHistory) this.#executionCount++;
    const count = this.#executionCount;
    if (!silent) this.#publish("execute_input", { code, execution_count: count }, msg.header);
    this.#out.beginCell(msg.header);
    this.#executing = { msg, allowStdin: c.allow_stdin !== false };
    let outcome: ExecuteOutcome;
    try {
      outcome = await this.#impl.execute({ code, silent, storeHistory, allowStdin: c.allow_stdin !== false, executionCount: count });
    } catch (err) {
      outcome = { status: "error", ename: "InternalError", evalue: String(err), traceback: [String(err)] };
    } finally {
      this.#executing = undefined;
      this.#inputWaiter?.reject(new StdinError("the cell ended while waiting for input"));
      this.#inputWaiter = undefined;
    }
    this.#out.endCell();
    if (storeHistory) this.#history.add(count, code);
    if (outcome.status === "ok") {
      if (outcome.result && !silent) this.#out.result(count, outcome.result.data, outcome.result.metadata, msg.header);
      const exprs = c.user_expressions ?? {};
      const userExpressions = Object.keys(exprs).length > 0 ? await this.#impl.userExpressions(exprs) : {};
      this.#reply(channel, msg, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: outcome.payload ?? [] });
      return;
    }
    const { ename, evalue, traceback } = outcome;
    if (!silent) this.#publish("error", { ename, evalue, traceback }, msg.header);
    if (c.stop_on_error !== false) this.#abortBefore = performance.timeOrigin + performance.now();
    this.#reply(channel, msg, "execute_reply", { status: "error", execution_count: count, ename, evalue, traceback, user_expressions: {}, payload: [] });
  }

  #comms(): CommHost {
    return this.#impl.comms ?? this.comms;
  }

  async #commOpen(msg: Message): Promise<void> {
    const c = msg.content as { comm_id: string; target_name: string; data?: Record<string, unknown> | null };
    const ok = await this.#withParent(msg.header, () => this.#comms().openedByPeer(c.comm_id, c.target_name, c.data ?? {}, msg.buffers));
    if (!ok) {
      this.#log(`comm_open for unknown target ${JSON.stringify(c.target_name)}: closing it`);
      this.#publish("comm_close", { comm_id: c.comm_id, data: {} }, msg.header);
    }
  }

  /** Runs a comm handler with `parent` as the parent of what it outputs; later output goes back to the last cell. */
  async #withParent<T>(parent: MessageHeader, fn: () => T | Promise<T>): Promise<T> {
    const prev = this.#out.parent;
    this.#out.parent = parent;
    try {
      return await fn();
    } finally {
      this.#out.flush();
      if (!this.#executing) this.#out.parent = prev ?? parent;
    }
  }

  #io(): KernelIO {
    return {
      stream: (name, text) => this.#out.stream(name, text),
      display: (data, metadata = {}, transient = {}, update = false) => this.#out.display(data, metadata, transient, update),
      clearOutput: (wait) => this.#out.clear(wait),
      input: (prompt, password) => this.#requestInputSync(prompt, password),
      requestInput: (prompt, password) => this.#requestInput(prompt, password),
      comms: this.comms,
      parentMsgId: () => this.#out.parent?.msg_id,
      debugEvent: (event) => this.#publish("debug_event", event, this.#out.parent),
      log: (m) => this.#log(m),
    };
  }

  /** The input_request frames for the running cell, or the reason there is none. */
  #inputRequest(prompt: string, password: boolean): (Buffer | string)[] {
    const running = this.#executing;
    if (!running || !running.allowStdin) throw new StdinError("this front end does not support input requests (allow_stdin is false)");
    this.#out.flush();
    return encode(this.#signer, running.msg.identities, newHeader("input_request", this.#session), running.msg.header, { prompt, password });
  }

  /** Input for a language that waits in another process: the request goes out, the answer comes back through #stdinMessage. */
  #requestInput(prompt: string, password: boolean): Promise<string> {
    let frames: (Buffer | string)[];
    try {
      frames = this.#inputRequest(prompt, password);
    } catch (err) {
      return Promise.reject(err);
    }
    this.#inputWaiter?.reject(new StdinError("a newer input request replaced this one"));
    return new Promise<string>((resolve, reject) => {
      this.#inputWaiter = { resolve, reject };
      this.#t.send("stdin", frames).catch((err: unknown) => this.#log(`send input_request: ${String(err)}`));
    });
  }

  #stdinMessage(msg: Message): void {
    const waiter = this.#inputWaiter;
    if (msg.header.msg_type !== "input_reply" || !waiter) {
      this.#log(`ignored an unexpected ${msg.header.msg_type} on stdin (no input was requested)`);
      return;
    }
    this.#inputWaiter = undefined;
    const value = (msg.content as { value?: unknown }).value;
    waiter.resolve(typeof value === "string" ? value : String(value ?? ""));
  }

  /** Input for an in-process language: blocks this thread on the InputChannel until the answer comes. */
  #requestInputSync(prompt: string, password: boolean): string {
    const frames = this.#inputRequest(prompt, password);
    if (!this.#input) throw new StdinError("this kernel has no stdin channel");
    for (;;) {
      const reply = this.#input.requestSync(frames);
      if (reply === "interrupted") {
        const e = new Error("interrupted while waiting for input");
        e.name = "KeyboardInterrupt";
        throw e;
      }
      try {
        const msg = decode(reply, this.#signer, this.#signatures);
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
    this.#sendReply(channel, req.identities, req.header, type, content);
  }

  #sendReply(channel: "shell" | "control", identities: readonly Buffer[], parent: MessageHeader, type: string, content: Record<string, unknown>): void {
    const frames = encode(this.#signer, identities, newHeader(type, this.#session), parent, content);
    this.#t.send(channel, frames).catch((err: unknown) => this.#log(`send ${type}: ${String(err)}`));
  }

  #publish(type: string, content: Record<string, unknown>, parent: MessageHeader | undefined, buffers: Buffer[] = [], metadata: Record<string, unknown> = {}): void {
    if (this.#stopped && type !== "status") return;
    const topic = Buffer.from(`kernel.${this.#session}.${type}`);
    const frames = encode(this.#signer, [topic], newHeader(type, this.#session), parent ?? {}, content, metadata, buffers);
    this.#t.send("iopub", frames).catch((err: unknown) => this.#log(`publish ${type}: ${String(err)}`));
  }
}
