/**
 * The language as the kernel process sees it: a `KernelImpl` whose cells run in the engine process
 * (kernel/executor/main.ts), started here with a heap limit and restarted here when it ends. The kernel
 * process keeps the sockets and runs no user code, so whatever a cell does — a loop no interrupt
 * reaches, memory exhausted, a native crash — the kernel answers: the cell gets an error reply that
 * says what happened and that the engine's variables are gone, and the next cell runs in a fresh engine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import type { CommHost } from "../comms.js";
import type { CompleteReply, ExecuteOutcome, ExecuteRequest, InspectReply, IsCompleteReply, KernelImpl, KernelIO, LanguageInfo } from "../impl.js";
import { INTERRUPT_RESTART_MS, memoryLimitMb } from "../limits.js";
import type { DapRequest } from "../debugger/dap.js";
import { type CallMethod, CONTROL_FD, type FromControl, type FromEngine, JsonLines, type ToControl, type ToEngine } from "./protocol.js";
import type { CompiledCell } from "../typescript/transform.js";
import { KERNEL_BANNER, KERNEL_HELP_LINKS, KERNEL_IMPLEMENTATION, KERNEL_IMPLEMENTATION_VERSION, typescriptLanguageInfo } from "../typescript/identity.js";

export interface ExecutorClientOptions {
  /** Memory the engine may use, MB (default: STATARB_KERNEL_MEMORY_MB, see kernel/limits.ts). */
  memoryLimitMb?: number;
  /** Bytes one output may hold (the kernel's; the engine cuts each stream at twice this). */
  maxOutputBytes: number;
  /** The engine's entry point (default: main.js beside this file). */
  engineMain?: string;
}

/** An engine process as started: its control pipe, when it is ready, what it printed before it was adopted. */
interface Spawned {
  child: ChildProcess;
  control: NodeJS.WritableStream;
  ready: Promise<void>;
  held: ["stdout" | "stderr", string][];
}

/** A call in flight. */
interface Call {
  method: CallMethod;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** The engine ended: why, in words, and whether its heap ran out. */
class EngineEnded extends Error {
  constructor(
    message: string,
    readonly heap: boolean,
  ) {
    super(message);
    this.name = "EngineEnded";
  }
}

/** Starts before the engine gives up: engines that end before they are ready this many times in a row stop the restarts. */
const MAX_FAILED_STARTS = 3;
/** The calls that serve a front-end request whose msg_id the engine's comms need (kernel/comms.ts parentMsgId). */
const PARENTED: ReadonlySet<CallMethod> = new Set<CallMethod>(["execute", "commOpen", "commMessage", "commClose"]);

export class ExecutorClient implements KernelImpl {
  readonly implementation = KERNEL_IMPLEMENTATION;
  readonly implementationVersion = KERNEL_IMPLEMENTATION_VERSION;
  readonly banner = KERNEL_BANNER;
  readonly helpLinks = KERNEL_HELP_LINKS;
  readonly languageInfo: LanguageInfo = typescriptLanguageInfo();
  readonly comms: CommHost = {
    openedByPeer: (id, target, data, buffers) => this.#call("commOpen", [id, target, data, buffers]) as Promise<boolean>,
    messageFromPeer: (id, data, buffers) => this.#call("commMessage", [id, data, buffers]) as Promise<boolean>,
    closedByPeer: (id, data) => this.#call("commClose", [id, data]) as Promise<void>,
    info: (target) => this.#call("commInfo", [target]) as Promise<Record<string, { target_name: string }>>,
  };

  readonly #memoryMb: number;
  readonly #maxOutput: number;
  readonly #main: string;
  #io: KernelIO | undefined;
  #child: ChildProcess | undefined;
  #control: NodeJS.WritableStream | undefined;
  #ready: Promise<void> = Promise.resolve();
  readonly #calls = new Map<number, Call>();
  /** Debug requests in flight (answered by the engine's control thread). */
  readonly #debugCalls = new Map<number, { request: DapRequest; answer: (response: Record<string, unknown>) => void }>();
  #nextId = 1;
  /** The user's interrupts sent to the running engine (its control thread counts them too). */
  #interruptsSent = 0;
  #stderrTail = "";
  /** Engines replaced by a reset, still shutting down. */
  readonly #retired = new Set<ChildProcess>();
  #failedStarts = 0;
  #stopping = false;
  #started = false;
  /** Said at the start of the next cell: the engine ended while no cell ran. */
  #notice: string | undefined;
  #startError: Error | undefined;
  /** Why the kernel killed the engine itself (said to the cell instead of the exit status). */
  #killedBecause: string | undefined;
  /** A fresh engine booted in the background for the next `reset` (only once a reset was asked for). */
  #spare: Spawned | undefined;
  /**
   * From the first reset on (a batch runner that reuses this kernel): this process compiles the cells'
   * TypeScript (compileCell, kept between resets) and sends it with each execute, and the engines it
   * starts do not load the compiler at their start (STATARB_ENGINE_LEAN) — each run's fresh engine then
   * boots without it, and a cell's compilation is done once for all the runs. (Loaded at the first reset,
   * so a kernel's start does not pay for it.)
   */
  #compileHere: { splitCell: typeof import("../magics/parse.js").splitCell; compileCell: typeof import("../typescript/transform.js").compileCell } | undefined;

  constructor(options: ExecutorClientOptions) {
    this.#memoryMb = options.memoryLimitMb ?? memoryLimitMb();
    this.#maxOutput = options.maxOutputBytes;
    this.#main = options.engineMain ?? fileURLToPath(new URL("./main.js", import.meta.url));
  }

  /** Starts the engine process (before `attach` when called early: it then boots while the kernel binds its sockets). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#start();
  }

  attach(io: KernelIO): void {
    this.#io = io;
    this.start();
  }

  /** Resolves when the engine can run cells. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  async execute(request: ExecuteRequest): Promise<ExecuteOutcome> {
    const notice = this.#notice;
    this.#notice = undefined;
    if (notice) this.#io?.stream("stderr", `[statarb kernel] ${notice}\n`);
    try {
      return (await this.#call("execute", [request, this.#precompiled(request.code)])) as ExecuteOutcome;
    } catch (err) {
      if (!(err instanceof EngineEnded)) throw err;
      const ename = err.heap ? "MemoryError" : "EngineCrashError";
      return { status: "error", ename, evalue: err.message, traceback: [`${ename}: ${err.message}`] };
    }
  }

  /**
   * The cell's TypeScript parts compiled here (after a reset, see #compileHere): what compileCell gives in
   * the engine for the same source. A part that fails to compile here is left to the engine, which
   * compiles it itself and reports what failed as before.
   */
  #precompiled(code: string): Record<string, CompiledCell> | undefined {
    const here = this.#compileHere;
    if (!here) return undefined;
    const out: Record<string, CompiledCell> = {};
    for (const seg of here.splitCell(code)) {
      if (seg.kind !== "ts") continue;
      try {
        out[seg.code] = here.compileCell(seg.code);
      } catch {
        // left to the engine
      }
    }
    return out;
  }

  userExpressions(expressions: Record<string, string>): Promise<Record<string, unknown>> {
    return this.#call("userExpressions", [expressions]) as Promise<Record<string, unknown>>;
  }

  complete(code: string, cursorPos: number): Promise<CompleteReply> {
    return this.#call("complete", [code, cursorPos]) as Promise<CompleteReply>;
  }

  inspect(code: string, cursorPos: number, detailLevel: 0 | 1): Promise<InspectReply> {
    return this.#call("inspect", [code, cursorPos, detailLevel]) as Promise<InspectReply>;
  }

  isComplete(code: string): Promise<IsCompleteReply> {
    return this.#call("isComplete", [code]) as Promise<IsCompleteReply>;
  }

  warmUp(): void {
    this.#call("warmUp", []).catch((err: unknown) => this.#io?.log(`warm-up: ${String(err)}`));
  }

  /** A DAP request, answered by the debugger in the engine's control thread (even while a cell runs or is paused). */
  async debugRequest(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.#startError) throw this.#startError;
    await this.#ready;
    return new Promise((resolve) => {
      const id = this.#nextId++;
      const dap = request as unknown as DapRequest;
      this.#debugCalls.set(id, { request: dap, answer: resolve });
      this.#controlSend({ t: "debug", id, request: dap });
    });
  }

  interrupt(): void {
    this.#interruptsSent++;
    this.#controlSend({ t: "interrupt" });
    this.#send({ t: "interrupt", reason: "user", n: this.#interruptsSent });
    this.#restartIfStillRunning();
  }

  /** The last resort: a cell still running INTERRUPT_RESTART_MS after the interrupt ends with the engine, which restarts. */
  #restartIfStillRunning(): void {
    const running = [...this.#calls.entries()].find(([, c]) => c.method === "execute");
    if (!running) return;
    const [id] = running;
    const child = this.#child;
    setTimeout(() => {
      if (!this.#calls.has(id) || child !== this.#child || !child) return;
      this.#killedBecause = `the cell did not stop within ${INTERRUPT_RESTART_MS / 1000} s of the interrupt, so the kernel restarted the TypeScript engine; every variable is gone — re-run the cells you need`;
      child.kill("SIGKILL");
    }, INTERRUPT_RESTART_MS).unref();
  }

  async shutdown(restart: boolean): Promise<void> {
    this.#stopping = true;
    this.#spare?.child.kill("SIGKILL"); // it never ran a cell: nothing to close
    this.#spare = undefined;
    const child = this.#child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    await Promise.race([this.#call("shutdown", [restart]).catch(() => undefined), delay(3000)]);
    child.kill("SIGTERM");
    await Promise.race([exited, delay(2000).then(() => child.kill("SIGKILL"))]);
  }

  // --- the engine process ------------------------------------------------------------------

  #start(): void {
    this.#adopt(this.#spawn());
  }

  /**
   * Starts an engine process. Until it is adopted (it is the spare of a reset) what it prints is held,
   * and said once it is adopted; what a retired engine prints or sends after its replacement is dropped.
   */
  #spawn(): Spawned {
    const env: NodeJS.ProcessEnv = { ...process.env, STATARB_ENGINE_MEMORY_MB: String(this.#memoryMb), STATARB_ENGINE_OUTPUT_BYTES: String(this.#maxOutput) };
    if (this.#compileHere) env.STATARB_ENGINE_LEAN = "1";
    const heapMb = Math.round(this.#memoryMb * 1.25);
    const flags = ["--experimental-import-meta-resolve", "--disable-warning=ExperimentalWarning", `--max-old-space-size=${heapMb}`, "--expose-gc"];
    const child = spawn(process.execPath, [...flags, this.#main], { stdio: ["ignore", "pipe", "pipe", "ipc", "pipe"], serialization: "advanced", env,
      // its own process group: a SIGINT to the kernel's group (Jupyter's signal interrupt mode) reaches
      // the engine only through the kernel's forwarded interrupt, so each interrupt is one SIGINT (see
      // InterruptGuard.run); the engine ends by itself when the kernel's control pipe closes
      detached: true });
    const held: Spawned["held"] = [];
    const current = () => child === this.#child;
    const stream = (name: "stdout" | "stderr", t: string) => {
      if (current()) this.#io?.stream(name, t);
      else if (!this.#retired.has(child)) held.push([name, t]);
    };
    const control = child.stdio[CONTROL_FD] as Duplex; // a socket pair
    new JsonLines<FromControl>((m) => current() && this.#fromControl(m)).pipeFrom(control);
    control.on("error", () => undefined);
    child.stdout?.setEncoding("utf8").on("data", (t: string) => stream("stdout", t));
    child.stderr?.setEncoding("utf8").on("data", (t: string) => {
      if (current()) this.#stderrTail = (this.#stderrTail + t).slice(-4000);
      stream("stderr", t);
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.on("message", (m: FromEngine) => {
        if (m.t === "ready") {
          if (current()) this.#failedStarts = 0;
          resolve();
        } else if (current()) this.#fromEngine(m);
      });
      child.once("exit", (code, signal) => {
        this.#retired.delete(child);
        if (this.#spare?.child === child) this.#spare = undefined;
        const ended = current() ? this.#ended(code, signal) : new EngineEnded(`the spare engine ended (${signal ?? code})`, false);
        reject(ended);
        this.#onExit(child, ended);
      });
    });
    ready.catch(() => undefined);
    return { child, control, ready, held };
  }

  /** Makes `s` the engine that runs cells; what it printed while it waited is said now. */
  #adopt(s: Spawned): void {
    this.#child = s.child;
    this.#control = s.control;
    this.#ready = s.ready;
    this.#interruptsSent = 0;
    this.#stderrTail = "";
    for (const [name, t] of s.held.splice(0)) this.#io?.stream(name, t);
  }

  /**
   * Replaces the engine by a fresh one, as a new kernel would start it: no variable, module or bridge
   * session of the old one is left (it is shut down as at the kernel's shutdown, in the background, and
   * killed if it does not end). The new engine is the spare booted after the previous reset when there
   * is one, else started now; either way the next reset's spare starts once it is ready. A cell still
   * running in the old engine ends with an EngineCrashError saying so.
   */
  async reset(): Promise<void> {
    if (!this.#compileHere) {
      const [{ splitCell }, { compileCell }] = await Promise.all([import("../magics/parse.js"), import("../typescript/transform.js")]);
      try {
        compileCell("0"); // loads the compiler now, as an engine's start does (prepare): the first cell after the reset need not wait for it
      } catch {
        // #precompiled leaves what does not compile here to the engine
      }
      this.#compileHere = { splitCell, compileCell };
    }
    const old = this.#child;
    const spare = this.#spare;
    this.#spare = undefined;
    this.#startError = undefined;
    this.#failedStarts = 0;
    this.#stopping = false;
    this.#killedBecause = undefined;
    if (old) this.#retired.add(old);
    this.#adopt(spare && spare.child.exitCode === null && spare.child.signalCode === null ? spare : this.#spawn());
    if (old) this.#retire(old);
    await this.#ready;
    this.#spare = this.#spawn();
  }

  /** Ends a replaced engine: its shutdown (bridge sessions, language service) as at the kernel's shutdown, then SIGTERM, then SIGKILL. */
  #retire(child: ChildProcess): void {
    const pending = [...this.#calls.values()];
    this.#calls.clear();
    const why = new EngineEnded("the kernel was reset (statarb_reset_request) while the cell ran: it was stopped, and every variable is gone", false);
    for (const c of pending) c.reject(why);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    // its shutdown's answer (or its end, or 3 s) ends the wait: an engine does not end by itself after a shutdown
    const id = this.#nextId++;
    const shutDown = new Promise<void>((resolve) => child.on("message", (m: FromEngine) => m.t === "result" && m.id === id && resolve()));
    if (child.connected) child.send({ t: "call", id, method: "shutdown", args: [false], interrupts: 0 } satisfies ToEngine);
    void Promise.race([exited, shutDown, delay(3000)]).then(() => {
      child.kill("SIGTERM");
      return Promise.race([exited, delay(2000).then(() => child.kill("SIGKILL"))]);
    });
  }

  #onExit(child: ChildProcess, ended: EngineEnded): void {
    if (child !== this.#child) return;
    this.#child = undefined;
    this.#control = undefined;
    const pending = [...this.#calls.values()];
    this.#calls.clear();
    for (const c of pending) c.reject(ended);
    for (const { request, answer } of this.#debugCalls.values()) answer({ seq: 0, type: "response", request_seq: request.seq, success: false, command: request.command, message: ended.message });
    this.#debugCalls.clear();
    if (this.#stopping) return;
    this.#io?.log(`the engine ended: ${ended.message}`);
    if (pending.length === 0) this.#notice = `${ended.message.replace(/^the cell /, "a cell ")}`;
    if (++this.#failedStarts > MAX_FAILED_STARTS) {
      this.#startError = new Error(`the TypeScript engine cannot start (it ended ${MAX_FAILED_STARTS} times before it was ready): ${this.#tail()}`);
      return;
    }
    this.#start();
  }

  /** Why the engine ended, in words for the notebook. */
  #ended(code: number | null, signal: NodeJS.Signals | null): EngineEnded {
    const killed = this.#killedBecause;
    this.#killedBecause = undefined;
    if (killed) return new EngineEnded(killed, false);
    const tail = this.#tail();
    const heap = /heap out of memory|Reached heap limit|Allocation failed/i.test(this.#stderrTail);
    if (heap) {
      return new EngineEnded(`the cell exhausted the engine's JavaScript heap (limit ${Math.round(this.#memoryMb * 1.25)} MB), which ended the engine; it was restarted, so every variable is gone — re-run the cells you need, or raise STATARB_KERNEL_MEMORY_MB`, true);
    }
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    return new EngineEnded(`the TypeScript engine ended (${how}${tail ? `: ${tail}` : ""}); it was restarted, so every variable is gone — re-run the cells you need`, false);
  }

  #tail(): string {
    return this.#stderrTail.trim().split("\n").filter((l) => l.trim() !== "").slice(-2).join(" | ").slice(0, 400);
  }

  async #call(method: CallMethod, args: unknown[]): Promise<unknown> {
    if (this.#startError) throw this.#startError;
    await this.#ready;
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#calls.set(id, { method, resolve, reject });
      this.#send({ t: "call", id, method, args, interrupts: this.#interruptsSent, parent: PARENTED.has(method) ? this.#io?.parentMsgId?.() : undefined });
    });
  }

  #send(m: ToEngine): void {
    const child = this.#child;
    if (child?.connected) child.send(m);
  }

  #controlSend(m: ToControl): void {
    this.#control?.write(`${JSON.stringify(m)}\n`);
  }

  #fromEngine(m: FromEngine): void {
    const io = this.#io;
    switch (m.t) {
      case "result": {
        const call = this.#calls.get(m.id);
        this.#calls.delete(m.id);
        if (!call) return;
        if (m.ok) call.resolve(m.value);
        else call.reject(Object.assign(new Error(m.message), { name: m.name }));
        return;
      }
      case "stream":
        return io?.stream(m.name, m.text);
      case "display":
        return io?.display(m.data, m.metadata, m.transient, m.update);
      case "clear":
        return io?.clearOutput(m.wait);
      case "comm":
        return io?.comms.sender?.send(m.type, m.content, m.buffers.map((b) => Buffer.from(b)), m.metadata);
      case "log":
        return io?.log(m.line);
      case "ready":
        return;
    }
  }

  #fromControl(m: FromControl): void {
    switch (m.t) {
      case "input-request":
        this.#io?.requestInput(m.prompt, m.password).then(
          (value) => this.#controlSend({ t: "input", value }),
          (err: unknown) => this.#controlSend({ t: "input-failed", name: err instanceof Error ? err.name : "Error", message: err instanceof Error ? err.message : String(err) }),
        );
        return;
      case "memory":
        // the engine's control thread stopped the running cell itself (kernel/executor/control.ts)
        this.#io?.log(`the engine uses ${m.rssMb} MB, over its ${m.limitMb} MB limit: the running cell was stopped`);
        return;
      case "debug-reply":
        this.#debugCalls.get(m.id)?.answer(m.response as unknown as Record<string, unknown>);
        this.#debugCalls.delete(m.id);
        return;
      case "debug-event":
        this.#io?.debugEvent(m.event as unknown as Record<string, unknown>);
        return;
      case "log":
        this.#io?.log(m.line);
        return;
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
