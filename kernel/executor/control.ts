/**
 * The engine's control thread (a worker thread of the engine process): it reads the control pipe from
 * the kernel process even while the main thread runs a cell, so it can
 *
 * - stop runaway JavaScript on an interrupt: SIGINT when the main thread is in a cell's synchronous
 *   part (vm `breakOnSigint` turns it into a KeyboardInterrupt); otherwise, when the main thread has not
 *   seen the interrupt after INTERRUPT_GRACE_MS (a loop after an await, a microtask loop or a promise
 *   chain, in a cell or left running after it), the inspector's `Runtime.terminateExecution`;
 * - relay `prompt()`: post the main thread's input request to the kernel and hand the answer back;
 * - watch the engine's memory: past its limit, the running cell is stopped with a MemoryError (before
 *   the JavaScript heap's hard limit would end the process) — SIGINT as above, and the main thread told
 *   directly (its waits end, timers are cancelled) — and the kernel told (it logs it);
 * - debug: JupyterLab's DAP requests go to the debugger (kernel/debugger/server.ts, loaded on the first
 *   one), which drives the main thread's inspector from here — a main thread paused at a breakpoint
 *   cannot answer anything itself.
 */
import { Session } from "node:inspector";
import net from "node:net";
import process from "node:process";
import { parentPort, workerData } from "node:worker_threads";
import { INTERRUPT_GRACE_MS } from "../limits.js";
import type { DapRequest } from "../debugger/dap.js";
import type { DebugServer } from "../debugger/server.js";
import { CONTROL_FD, type ControlToMain, type FromControl, JsonLines, type ToControl } from "./protocol.js";
import { Phase, SharedState, type SharedBuffers, StopReason } from "./shared-state.js";

export interface ControlInit {
  shared: SharedBuffers;
  /** Memory (RSS, MB) past which the kernel is told to stop the running cell. */
  memoryLimitMb: number;
}

/** How often the memory watch samples the engine's resident size (ms). */
const MEMORY_SAMPLE_MS = 50;

const port = parentPort;
if (!port) throw new Error("control.js must run as a worker thread of the engine process");
const { shared, memoryLimitMb } = workerData as ControlInit;
const state = new SharedState(shared);
const pipe = new net.Socket({ fd: CONTROL_FD, readable: true, writable: true });

function send(m: FromControl): void {
  pipe.write(`${JSON.stringify(m)}\n`);
}

function log(line: string): void {
  send({ t: "log", line: `[engine control] ${line}` });
}

/** Forces the main thread's running JavaScript to stop (it cannot see the interrupt itself); `reason` labels the stop. */
function terminateMainThread(why: string, reason: StopReason): void {
  log(`${why}: terminating the JavaScript the engine runs`);
  state.countTermination(reason);
  try {
    const inspector = new Session();
    inspector.connectToMainThread();
    inspector.post("Runtime.terminateExecution", (err) => {
      if (err) log(`terminateExecution failed: ${err.message}`);
      inspector.disconnect();
    });
  } catch (err) {
    log(`cannot reach the main thread's inspector: ${String(err)}`);
  }
}

/** The debugger, once a debug request came. */
let debugServer: Promise<DebugServer> | undefined;

function debug(id: number, request: DapRequest): void {
  debugServer ??= import("../debugger/server.js").then(
    ({ DebugServer }) =>
      new DebugServer({
        emit: (event) => send({ t: "debug-event", event }),
        setAttached: (on) => state.setDebuggerAttached(on),
        cellRunning: () => state.phase !== Phase.Idle,
      }),
  );
  debugServer
    .then((s) => s.handle(request))
    .then(
      (response) => send({ t: "debug-reply", id, response }),
      (err: unknown) => send({ t: "debug-reply", id, response: { seq: 0, type: "response", request_seq: request.seq, command: request.command, success: false, message: String(err) } }),
    );
}

function interrupt(reason: StopReason): void {
  const n = state.countInterrupt(reason);
  state.interruptInput();
  // one SIGINT per synchronous part, its reason claimed with it: a second one could outlive the part in
  // Node's SIGINT watchdog and stop the next guarded code (see InterruptGuard.run)
  const signalled = state.claimSigint(reason);
  if (signalled) process.kill(process.pid, "SIGINT");
  // the user's interrupts reach the main thread from the kernel (in order with its calls); the memory
  // watch's from here
  if (reason === StopReason.Memory) port?.postMessage({ t: "interrupt", reason: "memory", n } satisfies ControlToMain);
  const watch = (): void => watchInterrupt(reason, n, state.loopTicks, 0);
  if (!debugServer) return watch();
  // a cell paused at a breakpoint stops only once resumed; the watch starts when it runs again. The
  // SIGINT must have reached it before it resumes (else the cell's next statements run first)
  debugServer.then((s) => s.interrupt(signalled ? sigintArrival : undefined)).then(watch, (err: unknown) => {
    log(`debugger interrupt: ${String(err)}`);
    watch();
  });
}

/** The main thread neither saw an interrupt nor turned its event loop: SIGINT for a guarded part, else force. */
function stopStuckThread(reason: StopReason): void {
  const how = state.stuckStop(reason);
  if (how === "sigint") {
    log("the engine's main thread did not answer the interrupt: interrupting the guarded code it runs now");
    process.kill(process.pid, "SIGINT");
  } else if (how === "terminate") terminateMainThread("the engine's main thread did not answer the interrupt", reason);
}

/**
 * How long a cell paused at a breakpoint is held after its SIGINT was sent (ms). The signal's
 * termination is requested by Node's SIGINT watchdog thread, which must be scheduled first; a paused
 * thread postpones interrupts, so nothing can observe the request — resumed earlier, the statements
 * after the paused line would run before the termination lands (seen under parallel load).
 */
const PAUSED_SIGINT_MS = 250;

function sigintArrival(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PAUSED_SIGINT_MS));
}

/**
 * Forces the stop when the main thread has neither seen interrupt `n` nor turned its event loop for
 * INTERRUPT_GRACE_MS: it is stuck in JavaScript (the inspector's termination would otherwise hit the next
 * thing an idle thread runs). Checked again after each try, a few times.
 */
function watchInterrupt(reason: StopReason, n: number, ticks: number, tries: number): void {
  setTimeout(() => {
    if (state.acknowledged(reason, n)) return;
    const now = state.loopTicks;
    if (now === ticks) stopStuckThread(reason);
    if (tries < 5) watchInterrupt(reason, n, now, tries + 1);
  }, INTERRUPT_GRACE_MS).unref();
}

new JsonLines<ToControl>((m) => {
  if (m.t === "interrupt") interrupt(StopReason.User);
  else if (m.t === "input") state.deliverInput(m.value);
  else if (m.t === "input-failed") state.failInput(m.name, m.message);
  else if (m.t === "debug") debug(m.id, m.request);
}).pipeFrom(pipe);

// prompt(): each request the main thread posts goes to the kernel
void (async () => {
  for (let seen = state.inputRequests; ; seen++) {
    const { prompt, password } = await state.nextInputRequest(seen);
    send({ t: "input-request", prompt, password });
  }
})();

// the memory watch: past the limit the running JavaScript is stopped (a MemoryError in the cell) and the
// kernel told (it logs it); once, until the engine is back under 90% of the limit
let overLimit = false;
setInterval(() => {
  const rssMb = process.memoryUsage.rss() / (1 << 20);
  if (rssMb > memoryLimitMb && !overLimit) {
    overLimit = true;
    interrupt(StopReason.Memory);
    send({ t: "memory", rssMb: Math.round(rssMb), limitMb: memoryLimitMb });
  } else if (rssMb < memoryLimitMb * 0.9) overLimit = false;
}, MEMORY_SAMPLE_MS).unref();

pipe.on("error", () => undefined);
// The kernel's end of the pipe closed: the kernel process is gone (killed, crashed, or done). The engine
// ends now, even while its main thread runs a cell (which would otherwise keep it alive until the cell
// ends) — it runs in its own process group, so nothing else would stop it.
const orphaned = (): void => {
  process.kill(process.pid, "SIGKILL");
};
pipe.on("end", orphaned);
pipe.on("close", orphaned);
