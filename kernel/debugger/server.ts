/**
 * The debugger in the engine's control thread (kernel/executor/control.ts loads this module on the
 * first `debug_request`, so an engine that is never debugged loads none of it): DAP requests in, DAP
 * responses and events out, the adapter driving the main thread's inspector.
 */
import { DebugAdapter } from "./adapter.js";
import type { DapEvent, DapRequest, DapResponse } from "./dap.js";
import { connectToMainThread } from "./inspector.js";

export interface DebugServerOptions {
  emit: (event: DapEvent) => void;
  /** Sets the shared flag the main thread reads before compiling a cell. */
  setAttached: (on: boolean) => void;
  /** Whether a cell is running on the main thread. */
  cellRunning: () => boolean;
}

/** How often the end of an interrupted cell is checked (ms). */
const POLL_MS = 20;

export class DebugServer {
  readonly #adapter: DebugAdapter;

  constructor(o: DebugServerOptions) {
    this.#adapter = new DebugAdapter({
      connect: connectToMainThread,
      emit: o.emit,
      setAttached: o.setAttached,
      cellEnded: () =>
        new Promise<void>((resolve) => {
          const t = setInterval(() => {
            if (o.cellRunning()) return;
            clearInterval(t);
            resolve();
          }, POLL_MS);
        }),
    });
  }

  handle(request: DapRequest): Promise<DapResponse> {
    return this.#adapter.handle(request);
  }

  /** Called on every interrupt: a paused cell is resumed (after `beforeResume`) so the interrupt can stop it. */
  interrupt(beforeResume?: () => Promise<void>): Promise<void> {
    return this.#adapter.interrupt(beforeResume);
  }
}
