/**
 * `StdioBridgeSession`: the protocol bookkeeping shared by the R and Octave sessions (DESIGN.md
 * example 9: public methods here, a small `SessionImpl` per language). It starts the interpreter
 * lazily, serialises calls, routes streamed stdout/stderr to the call that produced them, enforces
 * per-call timeouts (interrupt first, kill and restart if the interpreter does not come back), and
 * restarts after a crash with a message that says the state was lost.
 */
import { opt, readOptions } from "../../lib/data/index.js";
import { callTimeout, describeCode, watchCall } from "./deadline.js";
import { BridgeCrashError, BridgeError, type BridgeLanguage, BridgeNotInstalledError, BridgeTimeoutError } from "./errors.js";
import { encodeFrame, type Frame } from "./frame.js";
import { MarkedStream } from "./marked-stream.js";
import { type BridgeTable, decodeTable, type TableNode, type TableRequest } from "./table.js";
import { type BridgeTransport, findExecutable, type ProcessSpec, startProcessTransport, type TransportEvents } from "./transport.js";
import { CALL_RULES, PANEL_AS, TIMEOUT_MS } from "./options.js";
import { type BridgeValue, decodeValue, type EncodeOptions, encodeValue, type WireNode } from "./values.js";

/** What each language supplies. */
export interface SessionImpl {
  readonly language: BridgeLanguage;
  /** The executable looked up on PATH before starting. */
  readonly executable: string;
  /** One line: what to install when the executable is missing. */
  readonly notInstalled: string;
  /** The process to start (its server writes a hello frame on the FIFO when ready). */
  spec(executable: string): ProcessSpec;
}

/** Starts a transport; replaceable by a test double. */
export type TransportStarter = (spec: ProcessSpec, events: TransportEvents) => BridgeTransport;

/** Options of a session. */
export interface SessionOptions {
  /** Default per-call timeout in ms (default 300 000; 0 = none). */
  timeoutMs?: number;
  /** How long the interpreter may take to start, in ms (default 60 000). */
  startTimeoutMs?: number;
  /** After an interrupt, how long to wait for the interpreter to come back before killing it (default 3 000 ms). */
  interruptGraceMs?: number;
  /** Working directory of the interpreter (default: the current directory). */
  cwd?: string;
  /** Path of the executable (default: looked up on PATH). */
  executable?: string;
  /** The transport (default: a spawned process; tests pass a double). */
  transport?: TransportStarter;
}

/** Per-call options. */
export interface CallOptions {
  /** Timeout of this call in ms (default: the session's; 0 = none). */
  timeoutMs?: number;
  /** Aborting interrupts the call (the kernel's interrupt). */
  signal?: AbortSignal;
  /** Streams the interpreter's stdout while the call runs. */
  onStdout?: (text: string) => void;
  /** Streams the interpreter's stderr while the call runs. */
  onStderr?: (text: string) => void;
}

/** Where and how plots are captured during an eval (the magics use this). */
export interface PlotCapture {
  /** Folder the interpreter writes plot files into. */
  dir: string;
  format: "png" | "svg";
  /** Pixels (png) or inches × 72 (svg); default 640 × 480. */
  width?: number;
  height?: number;
}

/** Options of `eval`. */
export interface EvalOptions extends CallOptions {
  /** Print visible values as the language's console does (R autoprint); default false. */
  echo?: boolean;
  /** Capture plots drawn by the code as files. */
  plots?: PlotCapture;
  /**
   * Send the last value as a table when it is one (R: a data.frame or matrix, the last top-level
   * expression, visible; Octave: a real matrix of at least 2 × 2 whose display is the call's last stdout
   * output): its head comes back as `table`, and the language's own printing of it is left out.
   */
  table?: TableRequest;
}

/** Result of `eval`. */
export interface EvalResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The value of the last expression (R) / `ans` (Octave); `undefined` when it cannot be moved or there is none. */
  readonly value: BridgeValue | undefined;
  /** Plot files written (when `plots` was given). */
  readonly plots: readonly string[];
  /** Set when this call had to start a fresh interpreter after a crash or kill: say so to the user. */
  readonly restartNotice: string | undefined;
  /** The last value as a table (when `table` was asked for and the value is one); R then sends no `value`. */
  readonly table: BridgeTable | undefined;
}

interface Pending {
  id: number;
  resolve(frame: Frame): void;
  reject(e: Error): void;
  frame: Frame | undefined;
  stdoutDone: boolean;
  stderrDone: boolean;
  stdout: string;
  stderr: string;
  opts: CallOptions;
  /** Octave's display of a value that may be shown as a table instead: held back until that is known. */
  held: { seq: number; text: string; closed: boolean } | undefined;
  /** The request's bytes for an id (sent again after a resync), and whether it is being interrupted. */
  request: (id: number) => Uint8Array[];
  interrupting: boolean;
}

/**
 * Written on the request FIFO when the server asks for a resync (an interrupt landed while it was idle
 * or reading a request, so how much of the request it read is unknown): it skips to this token.
 */
export const RESYNC_TOKEN = Buffer.from("\x1estatarb-resync\x1e", "latin1");

interface CallResult {
  frame: Frame;
  stdout: string;
  stderr: string;
  notice: string | undefined;
  table: BridgeTable | undefined;
}

interface ResponseHeader {
  id: number;
  ok: boolean;
  op?: string;
  value?: WireNode;
  table?: TableNode;
  plots?: string[];
  error?: { message: string; kind?: string; detail?: string; interrupted?: boolean; notRun?: boolean };
}

const SESSION_RULES = {
  timeoutMs: TIMEOUT_MS,
  startTimeoutMs: opt.number(60_000, { min: 0, open: "min" }),
  interruptGraceMs: opt.number(3000, { min: 0 }),
  cwd: opt.optional(opt.string("", { nonEmpty: true })),
  executable: opt.optional(opt.string("", { nonEmpty: true })),
  transport: opt.callback<TransportStarter>(),
};

const EVAL_RULES = {
  ...CALL_RULES,
  echo: opt.boolean(false),
  table: opt.optional(opt.custom<TableRequest>("{ maxRows?, maxCols? }", () => ({}), isTableRequest)),
  plots: opt.optional(opt.custom<PlotCapture>("{ dir, format, width?, height? }", () => ({ dir: "", format: "png" }), (v): v is PlotCapture => typeof v === "object" && v !== null && typeof (v as PlotCapture).dir === "string")),
};

type SessionSettings = ReturnType<typeof readSessionOptions>;

function readSessionOptions(where: string, options: SessionOptions) {
  return readOptions(where, options, SESSION_RULES);
}

export class StdioBridgeSession {
  readonly #impl: SessionImpl;
  readonly #opts: SessionSettings;
  #transport: BridgeTransport | undefined;
  #starting: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 1;
  #pending: Pending | undefined;
  #helloWaiter: { resolve(): void; reject(e: Error): void } | undefined;
  #stderrTail = "";
  #restartNotice: string | undefined;
  #everStarted = false;
  #closed = false;
  #out: MarkedStream;
  #err: MarkedStream;

  constructor(impl: SessionImpl, options: SessionOptions = {}) {
    this.#impl = impl;
    this.#opts = readSessionOptions(`${impl.language}Session`, options);
    this.#out = this.#stream("stdout");
    this.#err = this.#stream("stderr");
  }

  /** The language of this session. */
  get language(): BridgeLanguage {
    return this.#impl.language;
  }

  /** Whether an interpreter process is running now. */
  get running(): boolean {
    return this.#transport !== undefined;
  }

  /** Whether the interpreter is installed here (without starting it). */
  isAvailable(): boolean {
    return findExecutable(this.#opts.executable ?? this.#impl.executable) !== undefined;
  }

  /** Starts the interpreter now (otherwise the first call does). */
  async start(): Promise<void> {
    await this.#ensureStarted();
  }

  /** Runs code in the session's global workspace. */
  async eval(code: string, options: EvalOptions = {}): Promise<EvalResult> {
    if (typeof code !== "string") throw new TypeError(`${this.language} eval: code must be a string, got ${typeof code}`);
    const o = readOptions(`${this.language} eval`, options, EVAL_RULES);
    const header: Record<string, unknown> = { op: "eval", code, echo: o.echo };
    if (o.plots) header.plots = { width: 640, height: 480, ...o.plots };
    if (o.table) header.table = { maxRows: o.table.maxRows ?? 50, maxCols: o.table.maxCols ?? 50 };
    const r = await this.#call(header, [], o);
    const h = r.frame.header as unknown as ResponseHeader;
    return {
      stdout: r.stdout,
      stderr: r.stderr,
      value: h.value ? decodeValue(h.value, r.frame.blobs) : undefined,
      plots: h.plots ?? [],
      restartNotice: r.notice,
      table: r.table,
    };
  }

  /** Assigns a TS value to a variable of the session's global workspace. */
  async put(name: string, value: unknown, options: CallOptions & EncodeOptions = {}): Promise<void> {
    checkName(this.language, name);
    const o = readOptions(`${this.language} put`, options, { ...CALL_RULES, panelAs: PANEL_AS });
    const { node, blobs } = encodeValue(value, o.panelAs === undefined ? {} : { panelAs: o.panelAs });
    await this.#call({ op: "put", name, value: node }, blobs, o);
  }

  /** Reads a variable of the session's global workspace. */
  async get(name: string, options: CallOptions = {}): Promise<BridgeValue> {
    checkName(this.language, name);
    const r = await this.#call({ op: "get", name }, [], readOptions(`${this.language} get`, options, CALL_RULES));
    const h = r.frame.header as unknown as ResponseHeader;
    const v = h.value ? decodeValue(h.value, r.frame.blobs) : undefined;
    if (v === undefined) throw new BridgeError(this.language, `${this.language} variable ${name} cannot be moved to TypeScript`);
    return v;
  }

  /** Calls a function of the session by name with binary arguments (the typed wrappers use this). */
  async call(fn: string, args: readonly unknown[] | Record<string, unknown>, options: CallOptions = {}): Promise<BridgeValue | undefined> {
    checkName(this.language, fn);
    const { node, blobs } = encodeValue(args);
    const r = await this.#call({ op: "call", fn, args: node }, blobs, readOptions(`${this.language} call`, options, CALL_RULES));
    const h = r.frame.header as unknown as ResponseHeader;
    return h.value ? decodeValue(h.value, r.frame.blobs) : undefined;
  }

  /** Ends the interpreter; a later call starts a new one. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#everStarted = false;
    const t = this.#transport;
    this.#transport = undefined;
    if (!t) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        t.kill();
        resolve();
      }, 1500);
      this.#exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      t.write(encodeFrame({ op: "quit", id: 0 }, []));
    });
  }

  #exitWaiters: (() => void)[] = [];

  #stream(which: "stdout" | "stderr"): MarkedStream {
    return new MarkedStream(
      (text) => {
        const p = this.#pending;
        if (which === "stderr") this.#stderrTail = (this.#stderrTail + text).slice(-2000);
        if (!p) return;
        if (which === "stdout" && p.held) {
          if (!p.held.closed) {
            p.held.text += text;
            return;
          }
          releaseHeld(p); // more output came after the display: it was not the last value
        }
        emit(p, which, text);
      },
      (id) => {
        const p = this.#pending;
        if (!p || p.id !== id) return;
        if (which === "stdout") p.stdoutDone = true;
        else p.stderrDone = true;
        this.#maybeFinish();
      },
      which === "stdout" ? (kind, n) => this.#segment(kind, n) : undefined,
    );
  }

  /** Octave's display of value n starts / ends (markers written by its display override). */
  #segment(kind: "begin" | "end", n: number): void {
    const p = this.#pending;
    if (!p) return;
    if (kind === "begin") {
      if (p.held) releaseHeld(p);
      p.held = { seq: n, text: "", closed: false };
    } else if (p.held?.seq === n) p.held.closed = true;
  }

  #maybeFinish(): void {
    const p = this.#pending;
    if (!p || !p.frame || !p.stdoutDone || !p.stderrDone) return;
    this.#pending = undefined;
    p.resolve(p.frame);
  }

  async #ensureStarted(): Promise<void> {
    if (this.#transport) return;
    if (this.#starting) return this.#starting;
    this.#closed = false;
    const exe = findExecutable(this.#opts.executable ?? this.#impl.executable);
    if (!exe) throw new BridgeNotInstalledError(this.#impl.notInstalled);
    this.#starting = new Promise<void>((resolve, reject) => {
      this.#stderrTail = "";
      const timer = setTimeout(() => {
        this.#helloWaiter = undefined;
        this.#transport?.kill();
        reject(new BridgeCrashError(`${this.language} did not start within ${this.#opts.startTimeoutMs} ms${this.#tail()}`));
      }, this.#opts.startTimeoutMs);
      this.#helloWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const spec = { ...this.#impl.spec(exe), ...(this.#opts.cwd ? { cwd: this.#opts.cwd } : {}) };
      const start = this.#opts.transport ?? startProcessTransport;
      const transport = start(spec, {
        onFrame: (f) => this.#onFrame(transport, f),
        onStdout: (t) => this.#out.push(t),
        onStderr: (t) => this.#err.push(t),
        onExit: (code, signal) => this.#onExit(transport, code, signal),
      });
      this.#transport = transport;
    }).finally(() => {
      this.#starting = undefined;
    });
    try {
      await this.#starting;
    } catch (e) {
      this.#transport = undefined;
      throw e;
    }
    if (this.#everStarted && !this.#restartNotice) this.#restartNotice = `${this.language} session restarted: variables from before are gone`;
    this.#everStarted = true;
  }

  #tail(): string {
    const lines = this.#stderrTail.trim().split("\n").slice(-3).join(" | ");
    return lines ? `: ${lines}` : "";
  }

  #onFrame(transport: BridgeTransport, frame: Frame): void {
    if (transport !== this.#transport) return;
    const h = frame.header as unknown as ResponseHeader;
    if (h.op === "hello") {
      this.#helloWaiter?.resolve();
      this.#helloWaiter = undefined;
      return;
    }
    if (h.op === "resync") {
      this.#resync(transport);
      return;
    }
    const p = this.#pending;
    if (!p || p.id !== h.id) return;
    if (h.error?.notRun && !p.interrupting) {
      // R: a SIGINT landed while it read this request and it did not run it; nobody interrupted this call
      // (a late one, meant for the call before): send it again under a new id (the old id's markers are spent)
      p.id = this.#nextId++;
      p.stdoutDone = false;
      p.stderrDone = false;
      transport.write(p.request(p.id));
      return;
    }
    p.frame = frame;
    this.#maybeFinish();
  }

  /**
   * The server was interrupted before it ran the pending request (Octave: a SIGINT that landed while it
   * waited or read): it skips to the token; the request is sent again, or answered as interrupted when
   * the interrupt was this call's own.
   */
  #resync(transport: BridgeTransport): void {
    transport.write([RESYNC_TOKEN]);
    const p = this.#pending;
    if (!p || p.frame) return;
    if (!p.interrupting) {
      transport.write(p.request(p.id));
      return;
    }
    p.stdoutDone = true;
    p.stderrDone = true;
    p.frame = { header: { id: p.id, ok: false, error: { message: "interrupted", kind: "interrupt", interrupted: true } }, blobs: [] };
    this.#maybeFinish();
  }

  #onExit(transport: BridgeTransport, code: number | null, signal: string | null): void {
    this.#out.flush();
    this.#err.flush();
    for (const w of this.#exitWaiters.splice(0)) w();
    if (transport !== this.#transport) return;
    this.#transport = undefined;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (this.#helloWaiter) {
      this.#helloWaiter.reject(new BridgeCrashError(`${this.language} failed to start (${how})${this.#tail()}`));
      this.#helloWaiter = undefined;
    }
    const p = this.#pending;
    if (p) {
      this.#pending = undefined;
      p.reject(new BridgeCrashError(`${this.language} session crashed (${how}) while running this call${this.#tail()}; the next call starts a fresh session (variables are lost)`));
    } else if (!this.#closed) {
      this.#restartNotice = `${this.language} session had exited (${how}); started a fresh one: variables from before are gone`;
    }
  }

  /** Runs one request after the ones before it. */
  #call(header: Record<string, unknown>, blobs: Uint8Array[], opts: CallOptions): Promise<CallResult> {
    const run = this.#queue.then(() => this.#run(header, blobs, opts));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #run(header: Record<string, unknown>, blobs: Uint8Array[], opts: CallOptions): Promise<CallResult> {
    if (opts.signal?.aborted) throw new BridgeTimeoutError(`${this.language} call interrupted before it started`, false);
    await this.#ensureStarted();
    const notice = this.#restartNotice;
    this.#restartNotice = undefined;
    const transport = this.#transport as BridgeTransport;
    const id = this.#nextId++;
    this.#stderrTail = "";
    const pending = new Promise<Frame>((resolve, reject) => {
      this.#pending = { id, resolve, reject, frame: undefined, stdoutDone: false, stderrDone: false, stdout: "", stderr: "", opts, held: undefined, request: (i) => encodeFrame({ ...header, id: i }, blobs), interrupting: false };
    });
    const p = this.#pending as Pending;
    let graceTimer: NodeJS.Timeout | undefined;
    // the limit passed or the user interrupted: SIGINT first; a kill and a restart if the interpreter does not come back
    const watch = watchCall(callTimeout(opts.timeoutMs, this.#opts.timeoutMs), opts.signal, (reason) => {
      if (this.#pending !== p) return;
      p.interrupting = true;
      transport.interrupt();
      graceTimer = setTimeout(() => {
        if (this.#pending !== p) return;
        this.#pending = undefined;
        this.#transport = undefined;
        transport.kill();
        this.#restartNotice = `${this.language} session was restarted after: ${reason}; variables from before are gone`;
        p.reject(new BridgeTimeoutError(`${this.language}: ${reason}; it did not respond to the interrupt, so the session was killed and will restart (variables are lost)`, true));
      }, this.#opts.interruptGraceMs);
    }, describeRequest(header));
    transport.write(p.request(id));
    try {
      const frame = await pending;
      const h = frame.header as unknown as ResponseHeader;
      const table = takeTable(p, h, frame.blobs);
      if (!h.ok) {
        const e = h.error ?? { message: `${this.language} call failed` };
        if (e.interrupted) {
          throw new BridgeTimeoutError(`${this.language}: ${watch.reason ?? "call interrupted"}; the session was interrupted and is still usable (variables kept)`, false);
        }
        throw new BridgeError(this.language, e.message, e.kind, e.detail);
      }
      return { frame, stdout: p.stdout, stderr: p.stderr, notice, table };
    } finally {
      if (p.held) releaseHeld(p);
      watch.dispose();
      if (graceTimer) clearTimeout(graceTimer);
    }
  }
}

/** Streams output to the call's listeners (a failing listener must not break the stream, or the kernel). */
function emit(p: Pending, which: "stdout" | "stderr", text: string): void {
  if (text.length === 0) return;
  try {
    if (which === "stdout") {
      p.stdout += text;
      p.opts.onStdout?.(text);
    } else {
      p.stderr += text;
      p.opts.onStderr?.(text);
    }
  } catch {
    // ignored, see above
  }
}

/** Gives a held-back display to the call's stdout (it is not replaced by a table). */
function releaseHeld(p: Pending): void {
  const held = p.held;
  p.held = undefined;
  if (held) emit(p, "stdout", held.text);
}

/**
 * The table of a response: R's is the last value; Octave's replaces the held display it names only when
 * that display was the call's last stdout output (otherwise it is dropped and the display shown).
 */
function takeTable(p: Pending, h: ResponseHeader, blobs: readonly Uint8Array[]): BridgeTable | undefined {
  const node = h.ok ? h.table : undefined;
  if (!node) return undefined;
  if (node.seq !== undefined && (!p.held || !p.held.closed || p.held.seq !== node.seq)) return undefined;
  let table: BridgeTable;
  try {
    table = decodeTable(node, blobs);
  } catch (e) {
    emit(p, "stderr", `statarb bridge: the last value could not be shown as a table (${(e as Error).message})\n`);
    return undefined;
  }
  if (node.seq !== undefined) p.held = undefined;
  return table;
}

function isTableRequest(v: unknown): v is TableRequest {
  const t = v as TableRequest | null;
  const ok = (n: unknown): boolean => n === undefined || (Number.isInteger(n) && (n as number) > 0);
  return typeof t === "object" && t !== null && ok(t.maxRows) && ok(t.maxCols);
}

/** The code a request runs, for timeout messages. */
function describeRequest(header: Record<string, unknown>): string {
  if (typeof header.code === "string") return describeCode(header.code);
  const name = header.fn ?? header.name;
  return `${String(header.op)}${typeof name === "string" ? ` ${name}` : ""}`;
}

const NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
function checkName(language: BridgeLanguage, name: string): void {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(`${language}: ${JSON.stringify(name)} is not a usable variable name (letters, digits, "_" and "."; starting with a letter)`);
  }
}
