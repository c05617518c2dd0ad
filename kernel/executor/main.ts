/**
 * The engine process: runs cells (the TypeScript language, kernel/typescript) for the kernel process,
 * which started it (kernel/executor/client.ts) and keeps the sockets. Its main thread answers the
 * kernel's calls over IPC and sends what cells show; its control thread (control.ts) stops runaway
 * JavaScript and relays `prompt()`. Started with a heap limit, so a cell that exhausts memory ends this
 * process, never the kernel's.
 */
import process from "node:process";
import { setInterval } from "node:timers";
import { Worker } from "node:worker_threads";
import { CommRegistry } from "../comms.js";
import type { ExecuteOutcome, KernelIO } from "../impl.js";
import { debugScriptNames } from "../debugger/hooks.js";
import { StdinError } from "../kernel.js";
import { TypeScriptImpl } from "../typescript/typescript-impl.js";
import { type CompiledCell, seedCompiled } from "../typescript/transform.js";
import type { ControlInit } from "./control.js";
import { InFlight, keyboardInterrupt } from "./in-flight.js";
import type { CallMethod, ControlToMain, FromEngine, ToEngine } from "./protocol.js";
import { LOOP_TICK_MS, SharedState, StopReason } from "./shared-state.js";

const send = (m: FromEngine): void => {
  if (process.connected) process.send?.(m);
};

/**
 * What the kernel passes in the environment of this process. `STATARB_ENGINE_LEAN=1` (engines a kernel
 * starts after a reset, kernel/executor/client.ts): the kernel compiles the cells' TypeScript and sends
 * it with each execute, so this engine does not load the compiler at its start (prepare); it is taken out
 * of the environment, which the cells then see as a fresh kernel's engine's.
 */
function settings(): { memoryLimitMb: number; maxOutputBytes: number; lean: boolean } {
  const lean = process.env.STATARB_ENGINE_LEAN === "1";
  delete process.env.STATARB_ENGINE_LEAN;
  return { memoryLimitMb: Number(process.env.STATARB_ENGINE_MEMORY_MB ?? 4096), maxOutputBytes: Number(process.env.STATARB_ENGINE_OUTPUT_BYTES ?? 16 << 20), lean };
}

/** An execute: the cell's TypeScript parts the kernel compiled (lean engines) go to the compiler's cache first. */
function precompiled(compiled: Record<string, CompiledCell> | undefined): void {
  for (const [source, cell] of Object.entries(compiled ?? {})) seedCompiled(source, cell);
}

/** The cells' window on the kernel: everything goes to the kernel process over IPC; input waits on the control thread. */
function engineIO(state: SharedState): KernelIO {
  const comms = new CommRegistry();
  comms.sender = { send: (type, content, buffers = [], metadata = {}) => send({ t: "comm", type, content, buffers, metadata }) };
  return {
    stream: (name, text) => send({ t: "stream", name, text }),
    display: (data, metadata = {}, transient = {}, update = false) => send({ t: "display", data, metadata, transient, update }),
    clearOutput: (wait) => send({ t: "clear", wait }),
    input: (prompt, password) => {
      const r = state.requestInput(prompt, password);
      if (r.ok) return r.value;
      if (r.interrupted) throw Object.assign(new Error("interrupted while waiting for input"), { name: "KeyboardInterrupt" });
      throw r.name === "StdinNotImplementedError" ? new StdinError(r.message) : Object.assign(new Error(r.message), { name: r.name });
    },
    requestInput: () => Promise.reject(new Error("the engine asks for input synchronously (input)")),
    // the debugger's events leave from the control thread (debug-event on the control pipe)
    debugEvent: () => undefined,
    comms,
    log: (line) => send({ t: "log", line }),
  };
}

/**
 * A cell the user interrupted before it could start: it was waiting while earlier cells' runaway work
 * (a detached microtask loop, a timer's loop) held this thread, which the interrupt ended.
 */
function interruptedBeforeStart(): ExecuteOutcome {
  return keyboardInterrupt("interrupted before the cell started: runaway work that earlier cells left (a loop in a timer, a promise chain, a microtask loop) was stopped; earlier variables are kept");
}

function main(): void {
  const { memoryLimitMb, maxOutputBytes, lean } = settings();
  const state = new SharedState();
  const control = new Worker(new URL("./control.js", import.meta.url), { workerData: { shared: state.buffers, memoryLimitMb } satisfies ControlInit, stdout: false, stderr: false });
  control.unref();
  const impl = new TypeScriptImpl({ phases: state, maxOutputBytes, scriptNames: debugScriptNames(() => state.debuggerAttached) });
  const io = engineIO(state);
  impl.attach(io);
  const comms = io.comms;
  const calls: Record<CallMethod, (...args: never[]) => unknown> = {
    execute: (req: Parameters<TypeScriptImpl["execute"]>[0], compiled: Record<string, CompiledCell> | undefined, interrupts: number) =>
      state.userInterrupts > interrupts ? interruptedBeforeStart() : (precompiled(compiled), impl.execute(req)),
    userExpressions: (e: Record<string, string>) => impl.userExpressions(e),
    complete: (code: string, pos: number) => impl.complete(code, pos),
    inspect: (code: string, pos: number, detail: 0 | 1) => impl.inspect(code, pos, detail),
    isComplete: (code: string) => impl.isComplete(code),
    shutdown: (restart: boolean) => impl.shutdown(restart),
    warmUp: () => impl.warmUp(),
    commOpen: (id: string, target: string, data: Record<string, unknown>, buffers: Uint8Array[]) => comms.openedByPeer(id, target, data, buffers.map((b) => Buffer.from(b))),
    commMessage: (id: string, data: Record<string, unknown>, buffers: Uint8Array[]) => comms.messageFromPeer(id, data, buffers.map((b) => Buffer.from(b))),
    commClose: (id: string, data: Record<string, unknown>) => comms.closedByPeer(id, data),
    commInfo: (target?: string) => comms.info(target),
  };
  const inFlight = new InFlight(send, state);
  // an interrupt reaching this thread: acknowledged by its number (no forced stop needed), then made
  const stop = (reason: StopReason, n: number): void => {
    state.acknowledgeInterrupt(reason, n);
    impl.interrupt(reason);
  };
  control.on("message", (m: ControlToMain) => stop(StopReason.Memory, m.n));
  process.on("message", (m: ToEngine) => {
    if (m.t === "interrupt") {
      stop(StopReason.User, m.n);
      return;
    }
    inFlight.start(m.id, m.method);
    // a comm handler's outputs belong to its message; after it, to the cell again (as the kernel's parent)
    const before = comms.parentMsgId;
    if (m.parent !== undefined) comms.parentMsgId = m.parent;
    const restore = () => {
      if (m.method !== "execute" && m.parent !== undefined) comms.parentMsgId = before;
    };
    Promise.resolve()
      .then(() => (calls[m.method] as (...a: unknown[]) => unknown)(...(m.method === "execute" ? [...m.args, m.interrupts] : m.args)))
      .then(
        (value) => (restore(), inFlight.answer({ t: "result", id: m.id, ok: true, value })),
        (err: unknown) => (restore(), inFlight.answer({ t: "result", id: m.id, ok: false, name: err instanceof Error ? err.name : "Error", message: err instanceof Error ? err.message : String(err) })),
      );
  });
  // SIGINT comes from the control thread, once per guarded synchronous part (this process runs in its
  // own process group; the kernel forwards interrupts); one arriving outside such a part is ignored.
  process.on("SIGINT", () => undefined);
  process.on("disconnect", () => process.exit(0));
  // proves to the control thread that this thread's event loop turns (an interrupt then needs no force)
  setInterval(() => {
    state.tick();
    inFlight.check();
  }, LOOP_TICK_MS).unref();
  if (!lean) impl.prepare();
  send({ t: "ready", pid: process.pid });
}

main();
