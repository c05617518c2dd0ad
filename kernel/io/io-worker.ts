/**
 * The I/O thread: owns the zeromq sockets (so heartbeats and interrupts are answered while a cell
 * blocks the main thread) and relays frames to and from the main thread.
 *
 * Interrupts: an interrupt_request on control (checked against the HMAC key) is forwarded to the main
 * thread like any message, and additionally, because the main thread may be stuck in JavaScript:
 *  - if the main thread runs a cell's synchronous part (under vm `breakOnSigint`), SIGINT stops it;
 *  - if it waits in `prompt()`, the wait ends;
 *  - if it has not acknowledged the interrupt after GRACE_MS (a loop in an async continuation or a
 *    callback), the inspector's `Runtime.terminateExecution` stops the JavaScript that runs.
 */
import { Session } from "node:inspector";
import process from "node:process";
import { parentPort, workerData } from "node:worker_threads";
import { kernelLog } from "../log.js";
import { Phase, SharedState, type SharedBuffers } from "./shared-state.js";
import { ZmqTransport, type Channel, type ConnectionInfo } from "../transport.js";
import { randomUUID } from "node:crypto";
import { decode, encode, newHeader, Signer } from "../wire.js";

const GRACE_MS = 400;
// How long the first iopub messages wait for a first subscriber (see releaseIopub).
const HOLD_IOPUB_MS = 1000;

export type ToWorker = { type: "send"; channel: Channel; frames: (Uint8Array | string)[] } | { type: "close" };
export type FromWorker =
  | { type: "ready" }
  | { type: "failed"; message: string }
  | { type: "frames"; channel: Channel; frames: Uint8Array[]; receivedAt: number }
  | { type: "closed" };

interface WorkerInit {
  connection: ConnectionInfo;
  shared: SharedBuffers;
}

const port = parentPort;
if (!port) throw new Error("io-worker.js must run as a worker thread");
const { connection, shared } = workerData as WorkerInit;
const state = new SharedState(shared);
const signer = new Signer(connection.key, connection.signature_scheme);
let inspector: Session | undefined;

function log(line: string): void {
  kernelLog(line, "statarb kernel io");
}

function interruptMainThread(): void {
  const n = state.countInterrupt();
  if (state.inputWaiting) state.interruptInput();
  if (state.phase === Phase.Sync) process.kill(process.pid, "SIGINT");
  setTimeout(() => {
    if (state.acknowledged(n) || state.phase === Phase.Idle) return;
    log("the main thread does not respond to the interrupt: terminating the running JavaScript");
    try {
      if (!inspector) {
        inspector = new Session();
        inspector.connectToMainThread();
      }
      inspector.post("Runtime.terminateExecution", (err) => {
        if (err) log(`terminateExecution failed: ${err.message}`);
        inspector?.disconnect();
        inspector = undefined;
      });
    } catch (err) {
      log(`cannot reach the main thread's inspector: ${String(err)}`);
    }
  }, GRACE_MS).unref();
}

function isInterruptRequest(frames: Buffer[]): boolean {
  try {
    return decode(frames, signer).header.msg_type === "interrupt_request";
  } catch {
    return false; // the main thread logs the refused message
  }
}

try {
  const transport = await ZmqTransport.bind(connection);
  const session = randomUUID();
  const sendOn = (channel: Channel, frames: (Buffer | string)[]): void => {
    transport.send(channel, frames).catch((err: unknown) => log(`send on ${channel}: ${String(err)}`));
  };
  // JEP 65: iopub_welcome must be a subscriber's first message. zmq registers a subscription before
  // this thread reads it, so the main thread's first iopub messages (the "starting" status) are held
  // until the first subscriber is greeted, or for HOLD_IOPUB_MS when nobody subscribes.
  let heldIopub: (Buffer | string)[][] | null = [];
  const releaseIopub = (): void => {
    const held = heldIopub;
    heldIopub = null;
    for (const frames of held ?? []) sendOn("iopub", frames);
  };
  setTimeout(releaseIopub, HOLD_IOPUB_MS).unref();
  transport.onSubscribe((topic) => {
    const welcome = encode(signer, [topic.length > 0 ? topic : Buffer.from("kernel.iopub_welcome")], newHeader("iopub_welcome", session), {}, { subscription: topic.toString("utf8") });
    sendOn("iopub", welcome);
    releaseIopub();
  });
  transport.start((channel, frames, receivedAt) => {
    if (channel === "control" && isInterruptRequest(frames)) interruptMainThread();
    if (channel === "stdin" && state.inputWaiting) {
      if (!state.deliverInput(frames)) log("dropped an input_reply too large to hand over");
      return;
    }
    port.postMessage({ type: "frames", channel, frames, receivedAt } satisfies FromWorker);
  });
  port.on("message", (m: ToWorker) => {
    if (m.type === "send") {
      const frames = m.frames.map((f) => (typeof f === "string" ? f : Buffer.from(f.buffer, f.byteOffset, f.byteLength)));
      if (m.channel === "iopub" && heldIopub !== null) heldIopub.push(frames);
      else sendOn(m.channel, frames);
    } else if (m.type === "close") {
      void transport.close().then(() => {
        inspector?.disconnect();
        port.postMessage({ type: "closed" } satisfies FromWorker);
        port.close();
      });
    }
  });
  port.postMessage({ type: "ready" } satisfies FromWorker);
} catch (err) {
  port.postMessage({ type: "failed", message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
}
