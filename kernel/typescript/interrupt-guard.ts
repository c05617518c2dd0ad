/**
 * Makes cell code interruptible without losing the engine's state. Synchronous cell code runs inside
 * a vm script with `breakOnSigint`, while the shared phase tells the control thread
 * (kernel/executor/control.ts) to answer an interrupt with SIGINT; timer callbacks scheduled while a
 * cell runs are run the same way, so a loop inside `setTimeout` stops too (terminating it through the
 * inspector instead would unwind Node's own timer code and corrupt its async-hook stack). Every timer is
 * remembered with the cell that started it (a timer a callback starts belongs to the callback's cell),
 * so an interrupt cancels the running cell's timers, or all of them when no cell runs.
 */
import { clearImmediate, clearInterval, clearTimeout } from "node:timers";
import vm from "node:vm";
import { Phase, StopReason } from "../executor/shared-state.js";
import { RUNTIME_GLOBAL } from "./transform.js";

/** What the engine's main thread reports to its control thread (executor/shared-state.ts); a no-op in tests. */
export interface PhaseReporter {
  setPhase(p: Phase): void;
  /**
   * Called at the end of a synchronous part, still inside it: false when a SIGINT was sent to it, which
   * must then land here — arriving after the part, Node's SIGINT watchdog would keep it counted for the
   * next guarded part (or, between parts, the default action would end the process).
   */
  leaveSync?(): boolean;
  /** Waits (a bounded Atomics.wait, which the SIGINT's termination ends) for a SIGINT sent to this part. */
  awaitSigint?(): void;
  /**
   * Why the SIGINT that stopped the running part was sent — decided by the control thread as it claimed
   * it (undefined, i.e. the user's, for a SIGINT it did not send).
   */
  signalledReason?(): StopReason | undefined;
}

export const NO_PHASES: PhaseReporter = { setPhase: () => undefined };

export class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
  constructor() {
    super("the cell was interrupted");
  }
}

/** A cell stopped because the engine's memory passed its limit (the variables are kept). */
export class MemoryError extends Error {
  override name = "MemoryError";
  constructor(detail = "") {
    super(`the engine's memory passed its limit (STATARB_KERNEL_MEMORY_MB)${detail}, so the cell was stopped; earlier variables are kept — free large ones (x = undefined) or raise the limit`);
  }
}

/** The error a stopped cell fails with. */
export function stopError(reason: StopReason | undefined): Error {
  return reason === StopReason.Memory ? new MemoryError() : new KeyboardInterrupt();
}

/** The one script that calls into guarded code: `<runtime global>.call()`. */
const GUARD = new vm.Script(`${RUNTIME_GLOBAL}.call()`, { filename: "statarb-guard.js" });

/** A timer callback interrupted after running at least this long (ms) was a runaway. */
const RUNAWAY_MS = 20;

type TimerKind = "setTimeout" | "setInterval" | "setImmediate";
const CLEAR: Record<TimerKind, (handle: never) => void> = { setTimeout: clearTimeout, setInterval: clearInterval, setImmediate: clearImmediate };

export class InterruptGuard {
  readonly #phases: PhaseReporter;
  /** The runtime global's `call` slot, which GUARD invokes. */
  readonly #slot: { call: (() => unknown) | undefined };
  #phase: Phase = Phase.Idle;
  /** Pending timers: how to clear each, and the cell (execution count; 0 = none) that started it. */
  readonly #timers = new Map<unknown, { kind: TimerKind; cell: number }>();
  /** The cell code runs for now (0 when none). */
  #cell = 0;

  constructor(phases: PhaseReporter, slot: { call: (() => unknown) | undefined }) {
    this.#phases = phases;
    this.#slot = slot;
  }

  get phase(): Phase {
    return this.#phase;
  }

  setPhase(p: Phase): void {
    this.#phase = p;
    this.#phases.setPhase(p);
  }

  /** The error a part stopped by SIGINT fails with (a MemoryError when the memory watch sent it); read while the part's phase is still set. */
  stopError(): Error {
    return stopError(this.#phases.signalledReason?.());
  }

  /** Runs synchronous code so that SIGINT stops it with a `KeyboardInterrupt` (or a MemoryError). */
  run<T>(fn: () => T): T {
    const before = this.#phase;
    const prev = this.#slot.call;
    this.#slot.call = () => {
      // Sync only inside the vm script, where its SIGINT watchdog is armed: a SIGINT claimed before the
      // script started would land on the process' own handler (ignored) and leave the part running,
      // to be struck by a forced stop — which, in a timer callback, corrupts Node's async-hook stack
      // and ends the engine
      this.setPhase(Phase.Sync);
      try {
        return fn();
      } finally {
        if (this.#phases.leaveSync?.() === false) this.#phases.awaitSigint?.();
      }
    };
    try {
      return GUARD.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw this.stopError();
      throw err;
    } finally {
      this.#slot.call = prev;
      this.setPhase(before);
    }
  }

  /** The cell whose code runs from now on (its execution count), or 0 when it ended. */
  setCell(cell: number): void {
    this.#cell = cell;
  }

  /** Clears the pending timers `cell` started (every pending timer when `cell` is 0); returns how many. */
  cancelTimers(cell: number): number {
    let n = 0;
    for (const [handle, t] of this.#timers) {
      if (cell !== 0 && t.cell !== cell) continue;
      CLEAR[t.kind](handle as never);
      this.#timers.delete(handle);
      n++;
    }
    return n;
  }

  /**
   * Replaces setTimeout/setInterval/setImmediate (and their clear functions) of `g` so their callbacks
   * run guarded, and the timers are remembered with their cell until they fire or are cleared.
   */
  guardTimers(g: Record<string, unknown>): void {
    for (const name of ["setTimeout", "setInterval", "setImmediate"] as const) {
      const original = g[name] as (cb: unknown, ...rest: unknown[]) => unknown;
      const wrapped = this.#wrapTimer(name, original);
      for (const key of Reflect.ownKeys(original)) {
        if (key === "length" || key === "name" || key === "prototype") continue;
        const d = Object.getOwnPropertyDescriptor(original, key);
        if (d) Object.defineProperty(wrapped, key, d);
      }
      g[name] = wrapped;
    }
    for (const name of ["clearTimeout", "clearInterval", "clearImmediate"] as const) {
      const original = g[name] as (handle: unknown) => void;
      const timers = this.#timers;
      g[name] = function (this: unknown, handle: unknown): void {
        timers.delete(handle);
        original.call(this, handle);
      };
    }
  }

  #wrapTimer(name: TimerKind, original: (cb: unknown, ...rest: unknown[]) => unknown): (cb: unknown, ...rest: unknown[]) => unknown {
    const guard = this;
    return function (this: unknown, cb: unknown, ...rest: unknown[]): unknown {
      if (typeof cb !== "function") return original.call(this, cb, ...rest);
      let handle: unknown;
      const cell = guard.#cell;
      const guardedCb = function (this: unknown, ...args: unknown[]): unknown {
        if (name !== "setInterval") guard.#timers.delete(handle);
        const outer = guard.#cell;
        const started = performance.now();
        guard.#cell = cell;
        try {
          return guard.run(() => (cb as (...a: unknown[]) => unknown).apply(this, args));
        } catch (err) {
          if (!(err instanceof KeyboardInterrupt || err instanceof MemoryError)) throw err;
          // The cell reports the interrupt; an interval that was interrupted would only spin again —
          // unless the interrupt was aimed at another cell that runs now and only caught this callback
          // in passing (an earlier cell's interval keeps running then).
          // A SIGINT still pending from an interrupt that already ended its cell stops the next guarded
          // callback at once: a callback that had not run for RUNAWAY_MS is no runaway, its interval stays.
          if (name === "setInterval" && (outer === 0 || outer === cell) && performance.now() - started >= RUNAWAY_MS) {
            clearInterval(handle as NodeJS.Timeout);
            guard.#timers.delete(handle);
          }
          return undefined;
        } finally {
          guard.#cell = outer;
        }
      };
      handle = original.call(this, guardedCb, ...rest);
      guard.#timers.set(handle, { kind: name, cell });
      return handle;
    };
  }
}
