/** The main thread's side of the I/O thread: a `Transport` and the blocking stdin `InputChannel`. */
import { Worker } from "node:worker_threads";
import type { FromWorker, ToWorker } from "./io-worker.js";
import type { SharedState } from "./shared-state.js";
import type { Channel, ConnectionInfo, InputChannel, Transport } from "../transport.js";

export class WorkerTransport implements Transport, InputChannel {
  readonly #worker: Worker;
  readonly #state: SharedState;
  #closed: Promise<void> | undefined;

  private constructor(worker: Worker, state: SharedState) {
    this.#worker = worker;
    this.#state = state;
  }

  /** Starts the I/O thread and binds the sockets of `connection`. */
  static start(connection: ConnectionInfo, state: SharedState): Promise<WorkerTransport> {
    const worker = new Worker(new URL("./io-worker.js", import.meta.url), { workerData: { connection, shared: state.buffers }, stderr: false, stdout: false });
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === "ready") {
          worker.off("message", onMessage);
          resolve(new WorkerTransport(worker, state));
        } else if (m.type === "failed") {
          reject(new Error(`cannot bind the kernel's sockets: ${m.message}`));
        }
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
  }

  /** Called when the I/O thread dies other than by `close()` (the kernel cannot talk any more). */
  onLost(listener: (why: string) => void): void {
    this.#worker.once("error", (err) => {
      if (!this.#closed) listener(`the I/O thread failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.#worker.once("exit", (code) => {
      if (!this.#closed) listener(`the I/O thread exited (code ${code})`);
    });
  }

  start(handler: (channel: Channel, frames: Buffer[], receivedAt: number) => void): void {
    this.#worker.on("message", (m: FromWorker) => {
      if (m.type === "frames") handler(m.channel, m.frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength)), m.receivedAt);
    });
  }

  send(channel: Channel, frames: (Buffer | string)[]): Promise<void> {
    this.#worker.postMessage({ type: "send", channel, frames } satisfies ToWorker);
    return Promise.resolve();
  }

  requestSync(frames: (Buffer | string)[]): Buffer[] | "interrupted" {
    // Flag the wait before the request leaves, so the reply cannot overtake it.
    const wait = this.#state.waitInputArmed();
    this.#worker.postMessage({ type: "send", channel: "stdin", frames } satisfies ToWorker);
    return wait();
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.#worker.terminate().then(() => resolve()), 1000);
      this.#worker.on("message", (m: FromWorker) => {
        if (m.type === "closed") {
          clearTimeout(timer);
          void this.#worker.terminate().then(() => resolve());
        }
      });
      this.#worker.postMessage({ type: "close" } satisfies ToWorker);
    });
    return this.#closed;
  }
}
