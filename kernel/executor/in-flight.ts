/**
 * The engine's calls in flight, each answered exactly once — also when a forced stop (the inspector's
 * `Runtime.terminateExecution`, kernel/executor/control.ts) struck the code that would have answered it:
 * such code never resumes, so a call that started before a forced stop and is still unanswered
 * ORPHAN_MS after the main thread runs again is answered here, an execute with a KeyboardInterrupt.
 */
import { setTimeout } from "node:timers";
import type { ExecuteOutcome } from "../impl.js";
import { MemoryError } from "../typescript/interrupt-guard.js";
import type { CallMethod, FromEngine } from "./protocol.js";
import { type SharedState, StopReason } from "./shared-state.js";

/** How long a call struck by a forced stop may still answer by itself (ms). */
const ORPHAN_MS = 1000;

type Result = Extract<FromEngine, { t: "result" }>;

export function keyboardInterrupt(evalue: string): ExecuteOutcome {
  return { status: "error", ename: "KeyboardInterrupt", evalue, traceback: [`KeyboardInterrupt: ${evalue}`] };
}

function memoryError(): ExecuteOutcome {
  const e = new MemoryError();
  return { status: "error", ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`] };
}

export class InFlight {
  readonly #send: (m: Result) => void;
  readonly #state: SharedState;
  /** Call id → its method and the forced stops made before it started. */
  readonly #pending = new Map<number, { method: CallMethod; terminations: number }>();
  #seen = 0;

  readonly #schedule: (fn: () => void, ms: number) => void;

  /** `schedule` runs `fn` after `ms` without keeping the process alive (a parameter for the unit test). */
  constructor(send: (m: Result) => void, state: SharedState, schedule: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms).unref()) {
    this.#send = send;
    this.#state = state;
    this.#schedule = schedule;
    this.#seen = state.terminations;
  }

  start(id: number, method: CallMethod): void {
    this.#pending.set(id, { method, terminations: this.#state.terminations });
  }

  /** Sends the call's result unless it was answered already. */
  answer(result: Result): void {
    if (this.#pending.delete(result.id)) this.#send(result);
  }

  /** Called on every turn of the event loop (a timer): notices forced stops and answers the calls they orphaned. */
  check(): void {
    // the count and the reason of the last forced stop in one read: the reason is the one its maker wrote
    const { count, reason } = this.#state.lastTermination;
    if (count === this.#seen) return;
    this.#seen = count;
    this.#schedule(() => this.#answerOrphans(count, reason), ORPHAN_MS);
  }

  #answerOrphans(terminations: number, reason: StopReason): void {
    for (const [id, call] of this.#pending) {
      if (call.terminations >= terminations) continue;
      const why = "the cell was stopped by force (its JavaScript did not return to the event loop); earlier variables are kept";
      if (call.method === "execute") this.answer({ t: "result", id, ok: true, value: reason === StopReason.Memory ? memoryError() : keyboardInterrupt(why) });
      else this.answer({ t: "result", id, ok: false, name: "KeyboardInterrupt", message: `${call.method}: ${why}` });
    }
  }
}
