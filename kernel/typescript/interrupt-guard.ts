/**
 * Makes cell code interruptible without losing the kernel's state. Synchronous cell code runs inside
 * a vm script with `breakOnSigint`, while the shared phase tells the I/O thread (io/io-worker.ts) to
 * answer an interrupt with SIGINT; timer callbacks scheduled while a cell runs are run the same way,
 * so a loop inside `setTimeout` stops too (terminating it through the inspector instead would unwind
 * Node's own timer code and corrupt its async-hook stack).
 */
import { clearInterval } from "node:timers";
import vm from "node:vm";
import { Phase } from "../io/shared-state.js";
import { RUNTIME_GLOBAL } from "./transform.js";

/** What the kernel's main thread reports to the I/O thread (io/shared-state.ts); a no-op in tests. */
export interface PhaseReporter {
  setPhase(p: Phase): void;
  acknowledgeInterrupt(): void;
}

export const NO_PHASES: PhaseReporter = { setPhase: () => undefined, acknowledgeInterrupt: () => undefined };

export class KeyboardInterrupt extends Error {
  override name = "KeyboardInterrupt";
  constructor() {
    super("the cell was interrupted");
  }
}

/** The one script that calls into guarded code: `<runtime global>.call()`. */
const GUARD = new vm.Script(`${RUNTIME_GLOBAL}.call()`, { filename: "statarb-guard.js" });

export class InterruptGuard {
  readonly #phases: PhaseReporter;
  /** The runtime global's `call` slot, which GUARD invokes. */
  readonly #slot: { call: (() => unknown) | undefined };
  #phase: Phase = Phase.Idle;

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

  acknowledgeInterrupt(): void {
    this.#phases.acknowledgeInterrupt();
  }

  /** Runs synchronous code so that SIGINT stops it with a `KeyboardInterrupt`. */
  run<T>(fn: () => T): T {
    const before = this.#phase;
    this.setPhase(Phase.Sync);
    const prev = this.#slot.call;
    this.#slot.call = fn;
    try {
      return GUARD.runInThisContext({ breakOnSigint: true, displayErrors: false }) as T;
    } catch (err) {
      if ((err as { code?: string }).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") throw new KeyboardInterrupt();
      throw err;
    } finally {
      this.#slot.call = prev;
      this.setPhase(before);
    }
  }

  /** Replaces setTimeout/setInterval/setImmediate of `g` so callbacks scheduled during a cell run guarded. */
  guardTimers(g: Record<string, unknown>): void {
    for (const name of ["setTimeout", "setInterval", "setImmediate"]) {
      const original = g[name] as (cb: unknown, ...rest: unknown[]) => unknown;
      const guard = this;
      const wrapped = function (this: unknown, cb: unknown, ...rest: unknown[]): unknown {
        if (typeof cb !== "function" || guard.#phase === Phase.Idle) return original.call(this, cb, ...rest);
        let handle: unknown;
        const guardedCb = function (this: unknown, ...args: unknown[]): unknown {
          try {
            return guard.run(() => (cb as (...a: unknown[]) => unknown).apply(this, args));
          } catch (err) {
            if (!(err instanceof KeyboardInterrupt)) throw err;
            // The cell reports the interrupt; an interval that was interrupted would only spin again.
            if (name === "setInterval") clearInterval(handle as NodeJS.Timeout);
            return undefined;
          }
        };
        handle = original.call(this, guardedCb, ...rest);
        return handle;
      };
      for (const key of Reflect.ownKeys(original)) {
        if (key === "length" || key === "name" || key === "prototype") continue;
        const d = Object.getOwnPropertyDescriptor(original, key);
        if (d) Object.defineProperty(wrapped, key, d);
      }
      g[name] = wrapped;
    }
  }
}
