/**
 * Why a cell was stopped is decided once, by whoever stopped it, in the atomic write that claims the
 * stop (kernel/executor/shared-state.ts) — deterministic checks of that decision, with the engine's two
 * threads played one after the other on two views of the same shared memory:
 *
 * - the SIGINT's claim carries its reason: a later interrupt of the other kind cannot relabel it;
 * - a forced stop's reason travels with its count, and the call it orphaned is answered with it;
 * - an interrupt the main thread received before the control thread counted it is acknowledged
 *   (the race that let an interrupt's forced-stop watch strike the next cell — a memory hog then ended
 *   with "KeyboardInterrupt: stopped by force" instead of a MemoryError under load);
 * - a main thread stuck in a guarded part gets a SIGINT, never the inspector's termination (which, in a
 *   timer callback, corrupts Node's async-hook stack and ends the engine: the EngineCrashError of
 *   `setTimeout(() => { while (true) {} })` when the interrupt came before the loop started), and a part
 *   is Sync only while the vm's SIGINT watchdog is armed.
 */
import { describe, expect, it } from "vitest";
import { InFlight } from "../../kernel/executor/in-flight.js";
import type { FromEngine } from "../../kernel/executor/protocol.js";
import { Phase, SharedState, StopReason } from "../../kernel/executor/shared-state.js";
import { InterruptGuard, KeyboardInterrupt, MemoryError } from "../../kernel/typescript/interrupt-guard.js";
import { RUNTIME_GLOBAL } from "../../kernel/typescript/transform.js";

/** The main thread's and the control thread's views of one shared state. */
function threads(): { main: SharedState; control: SharedState } {
  const main = new SharedState();
  return { main, control: new SharedState(main.buffers) };
}

/** The runtime global's `call` slot, which the guard's one script calls (the engine installs it; here the test). */
function runtimeSlot(): { call: (() => unknown) | undefined } {
  const g = globalThis as Record<string, unknown>;
  g[RUNTIME_GLOBAL] ??= { call: undefined };
  return g[RUNTIME_GLOBAL] as { call: (() => unknown) | undefined };
}

/** What vm's `breakOnSigint` throws when the SIGINT lands in the guarded part. */
function sigintLanded(): Error {
  return Object.assign(new Error("Script execution was interrupted by `SIGINT`"), { code: "ERR_SCRIPT_EXECUTION_INTERRUPTED" });
}

/** Runs a guarded part in which `control` acts (as the control thread would while it runs), then the SIGINT lands. */
function stoppedPart(act: (control: SharedState) => void): unknown {
  const { main, control } = threads();
  // the real part waits for the signal it was sent; here the signal "lands" as the part throws
  const reporter = { setPhase: (p: Phase) => main.setPhase(p), leaveSync: () => main.leaveSync(), awaitSigint: () => undefined, signalledReason: () => main.signalledReason() };
  const guard = new InterruptGuard(reporter, runtimeSlot());
  try {
    guard.run(() => {
      act(control);
      throw sigintLanded();
    });
  } catch (err) {
    expect(main.phase).toBe(Phase.Idle);
    return err;
  }
  throw new Error("the part was not stopped");
}

describe("the reason of a stop is decided by whoever stopped the cell", () => {
  it("a SIGINT claimed by the memory watch ends the part with a MemoryError, even when the user interrupts after the claim", () => {
    const err = stoppedPart((control) => {
      control.countInterrupt(StopReason.Memory);
      expect(control.claimSigint(StopReason.Memory)).toBe(true);
      control.countInterrupt(StopReason.User);
      expect(control.claimSigint(StopReason.User)).toBe(false);
    });
    expect(err).toBeInstanceOf(MemoryError);
  });

  it("a SIGINT claimed by the user's interrupt ends the part with a KeyboardInterrupt, even when the memory watch fires after the claim", () => {
    const err = stoppedPart((control) => {
      control.countInterrupt(StopReason.User);
      expect(control.claimSigint(StopReason.User)).toBe(true);
      control.countInterrupt(StopReason.Memory);
      expect(control.claimSigint(StopReason.Memory)).toBe(false);
    });
    expect(err).toBeInstanceOf(KeyboardInterrupt);
  });

  it("a SIGINT nobody claimed (sent from outside) is the user's", () => {
    expect(stoppedPart(() => undefined)).toBeInstanceOf(KeyboardInterrupt);
  });

  it("a part the control thread signalled knows it must wait for the signal; an unsignalled one leaves", () => {
    const { main, control } = threads();
    main.setPhase(Phase.Sync);
    expect(control.claimSigint(StopReason.Memory)).toBe(true);
    expect(main.signalledReason()).toBe(StopReason.Memory);
    expect(main.leaveSync()).toBe(false);
    main.setPhase(Phase.Sync);
    expect(main.leaveSync()).toBe(true);
    expect(control.claimSigint(StopReason.User)).toBe(false);
  });

  it("a forced stop's reason travels with its count: the call it orphaned is answered with that reason", () => {
    for (const [reason, ename] of [
      [StopReason.Memory, "MemoryError"],
      [StopReason.User, "KeyboardInterrupt"],
    ] as const) {
      const { main, control } = threads();
      const sent: Extract<FromEngine, { t: "result" }>[] = [];
      const later: (() => void)[] = [];
      const inFlight = new InFlight((m) => sent.push(m), main, (fn) => later.push(fn));
      inFlight.start(1, "execute");
      control.countTermination(reason);
      // an interrupt of the other kind, counted after the forced stop, changes nothing
      control.countInterrupt(reason === StopReason.Memory ? StopReason.User : StopReason.Memory);
      inFlight.start(2, "execute");
      inFlight.check();
      expect(later).toHaveLength(1);
      later[0]?.();
      expect(sent.map((m) => [m.id, m.ok && (m.value as { ename: string }).ename])).toEqual([[1, ename]]);
      expect(main.lastTermination).toEqual({ count: 1, reason });
    }
  });

  it("an interrupt the main thread received before the control thread counted it is acknowledged (no forced stop strikes the next cell)", () => {
    const { main, control } = threads();
    // the kernel's IPC message reached the main thread first…
    main.acknowledgeInterrupt(StopReason.User, 1);
    // …then the control thread read the control pipe
    const n = control.countInterrupt(StopReason.User);
    expect(n).toBe(1);
    expect(control.acknowledged(StopReason.User, n)).toBe(true);
    // the memory watch numbers its own stops: a user acknowledgement is not one of them
    const m = control.countInterrupt(StopReason.Memory);
    expect(control.acknowledged(StopReason.Memory, m)).toBe(false);
    main.acknowledgeInterrupt(StopReason.Memory, m);
    expect(control.acknowledged(StopReason.Memory, m)).toBe(true);
    // acknowledgements only go forward
    main.acknowledgeInterrupt(StopReason.User, 0);
    expect(control.acknowledged(StopReason.User, 1)).toBe(true);
    expect(control.acknowledged(StopReason.User, 2)).toBe(false);
  });

  it("a guarded part that began after the interrupt (a timer's loop the main thread ran before it read the interrupt) gets a SIGINT, never the forced stop", () => {
    const { main, control } = threads();
    // the cell awaits: the interrupt finds no guarded part, so no SIGINT is sent
    main.setPhase(Phase.Async);
    const n = control.countInterrupt(StopReason.User);
    expect(control.claimSigint(StopReason.User)).toBe(false);
    expect(control.stuckStop(StopReason.User)).toBe("terminate");
    // a timer callback's loop starts before the main thread reads the interrupt, and never returns
    main.setPhase(Phase.Sync);
    expect(control.acknowledged(StopReason.User, n)).toBe(false);
    // the watch: SIGINT (Node's timer code survives it), claimed once, for the interrupt's reason
    expect(control.stuckStop(StopReason.User)).toBe("sigint");
    expect(main.signalledReason()).toBe(StopReason.User);
    // still stuck at the next check: the SIGINT is on its way, nothing is forced
    expect(control.stuckStop(StopReason.Memory)).toBe("signalled");
    expect(main.signalledReason()).toBe(StopReason.User);
    expect(control.terminations).toBe(0);
  });

  it("a guarded part is Sync only inside its vm script (where the SIGINT watchdog is armed), never before it", () => {
    const { main, control } = threads();
    let inner: (() => unknown) | undefined;
    /** The phase each time the slot is read: by the guard, and by its script as the script runs. */
    const readIn: Phase[] = [];
    const recorder = {
      get call(): (() => unknown) | undefined {
        readIn.push(main.phase);
        return inner;
      },
      set call(fn: (() => unknown) | undefined) {
        inner = fn;
      },
    };
    const g = globalThis as Record<string, unknown>;
    const saved = g[RUNTIME_GLOBAL];
    g[RUNTIME_GLOBAL] = recorder;
    try {
      const guard = new InterruptGuard({ setPhase: (p) => main.setPhase(p), leaveSync: () => main.leaveSync() }, recorder);
      guard.setPhase(Phase.Async);
      // inside the script an interrupt finds the part to signal; until the script ran (recorded by the
      // slot's reads) it found none — its SIGINT would have met no watchdog
      expect(guard.run(() => control.claimSigint(StopReason.User))).toBe(true);
    } finally {
      g[RUNTIME_GLOBAL] = saved;
    }
    expect(readIn.length).toBeGreaterThanOrEqual(2);
    expect(readIn.every((p) => p === Phase.Async)).toBe(true);
    expect(main.phase).toBe(Phase.Async);
  });
});
