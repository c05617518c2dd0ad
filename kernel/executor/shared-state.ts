/**
 * Memory shared between the engine's main thread (which runs cells) and its control thread (which
 * talks to the kernel process even while the main thread is stuck): where the main thread is, so an
 * interrupt knows how to stop it, which interrupts it has seen, and the hand-over of `prompt()` input
 * while the main thread waits in `Atomics.wait`.
 *
 * Why a cell was stopped is decided once, by whoever stops it, in the same atomic write that claims the
 * stop: the SIGINT's claim writes its reason into the phase (Sync → Signalled for that reason), a forced
 * stop writes its reason into the word that counts it, and a stop the main thread makes itself carries
 * its reason in the message. Nothing reads a "last reason" that a later interrupt could have changed.
 * Interrupts are acknowledged by number and kind (the kernel numbers the user's, the control thread the
 * memory watch's), so an acknowledgement that arrives before the control thread counted its interrupt
 * still counts.
 */

/** Where the main thread is, as the control thread sees it. */
export enum Phase {
  Idle = 0,
  /** Running a cell's synchronous part under `breakOnSigint`: SIGINT stops it safely. */
  Sync = 1,
  /** A cell is running asynchronously (awaiting or in callbacks). */
  Async = 2,
  /**
   * A synchronous part the control thread sent its one SIGINT to, for the user's interrupt (it sends
   * none while in this phase); the part, ending, waits for that signal (InterruptGuard.run) so it never
   * lands after the part.
   */
  Signalled = 3,
  /** As Signalled, for the memory watch: the part fails with a MemoryError. */
  SignalledMemory = 4,
}

/** Why a cell is stopped: the user's interrupt, or the engine's memory passing its limit. */
export enum StopReason {
  User = 0,
  Memory = 1,
}

/** The phase of a synchronous part signalled for `reason`. */
export function signalledPhase(reason: StopReason): Phase {
  return reason === StopReason.Memory ? Phase.SignalledMemory : Phase.Signalled;
}

/** Why the part in phase `p` was signalled (undefined when it was not). */
export function signalledReason(p: Phase): StopReason | undefined {
  if (p === Phase.Signalled) return StopReason.User;
  if (p === Phase.SignalledMemory) return StopReason.Memory;
  return undefined;
}

const PHASE = 0;
/** The memory watch's stops the control thread has made (numbered from 1). */
const MEMORY_STOPS = 1;
/** The highest user interrupt (the kernel's numbering) the main thread has received. */
const ACKED_USER = 2;
/** Bumped by the main thread for each input request it posts (the control thread waits on it). */
const INPUT_REQUESTS = 3;
const INPUT_STATUS = 4;
/** The highest memory stop (the control thread's numbering) the main thread has received. */
const ACKED_MEMORY = 5;
/** The user's interrupts the control thread has received (the kernel counts the ones it sent). */
const USER_INTERRUPTS = 6;
/** Bumped by the main thread's event loop every LOOP_TICK_MS: still when it is stuck in JavaScript. */
const LOOP_TICKS = 7;
/**
 * Forced stops (the inspector's terminateExecution) the control thread has made and the reason of the
 * last one, in one word: count × 2 + StopReason.
 */
const TERMINATIONS = 8;
/** 1 while a debugger is attached (kernel/debugger): cells are then compiled under their cell file's name. */
const DEBUGGER = 9;
/** Never written: the main thread waits on it for a SIGINT on its way. */
const SIGINT_WAIT = 10;
const SLOTS = 12;
/** The longest a synchronous part waits for the SIGINT sent to it. */
const SIGINT_WAIT_MS = 2000;

/** How often the main thread's event loop proves it turns (ms). */
export const LOOP_TICK_MS = 50;

/** A forced stop: how many were made so far, and why the last one was. */
export interface Termination {
  count: number;
  reason: StopReason;
}

export enum InputStatus {
  None = 0,
  /** The answer is in the buffer. */
  Ready = 1,
  Interrupted = 2,
  /** The kernel could not ask (no stdin, allow_stdin false): the buffer holds "name\nmessage". */
  Failed = 3,
}

/** Room for one prompt or one answer (UTF-8). */
const TEXT_BYTES = 4 << 20;

export interface SharedBuffers {
  flags: SharedArrayBuffer;
  text: SharedArrayBuffer;
}

/** What reading input ended with. */
export type InputResult = { ok: true; value: string } | { ok: false; interrupted: true } | { ok: false; interrupted: false; name: string; message: string };

export class SharedState {
  readonly flags: Int32Array;
  readonly #text: SharedArrayBuffer;

  constructor(buffers: SharedBuffers = { flags: new SharedArrayBuffer(SLOTS * 4), text: new SharedArrayBuffer(TEXT_BYTES) }) {
    this.flags = new Int32Array(buffers.flags);
    this.#text = buffers.text;
  }

  get buffers(): SharedBuffers {
    return { flags: this.flags.buffer as SharedArrayBuffer, text: this.#text };
  }

  // --- main thread -------------------------------------------------------------------------
  setPhase(p: Phase): void {
    Atomics.store(this.flags, PHASE, p);
  }

  /**
   * At the end of a synchronous part (still inside it): true when it ends unsignalled (Sync → Async, so
   * no SIGINT is sent to it any more); false when the control thread sent it SIGINT (Signalled).
   */
  leaveSync(): boolean {
    return signalledReason(Atomics.compareExchange(this.flags, PHASE, Phase.Sync, Phase.Async) as Phase) === undefined;
  }

  /** Why the control thread signalled the synchronous part running now (read when its SIGINT landed); undefined when it did not. */
  signalledReason(): StopReason | undefined {
    return signalledReason(Atomics.load(this.flags, PHASE) as Phase);
  }

  /** Waits for the SIGINT the control thread sent (its termination ends the wait), at most SIGINT_WAIT_MS. */
  awaitSigint(): void {
    Atomics.wait(this.flags, SIGINT_WAIT, 0, SIGINT_WAIT_MS);
  }

  /**
   * The main thread received interrupt `n` made for `reason` (its event loop runs): no forced
   * termination is needed for it or an earlier one — also when the control thread has not counted it yet.
   */
  acknowledgeInterrupt(reason: StopReason, n: number): void {
    const slot = reason === StopReason.Memory ? ACKED_MEMORY : ACKED_USER;
    for (let seen = Atomics.load(this.flags, slot); seen < n; seen = Atomics.load(this.flags, slot)) {
      if (Atomics.compareExchange(this.flags, slot, seen, n) === seen) return;
    }
  }

  /** Posts an input request (prompt and password flag) and blocks until the control thread hands over the outcome. */
  requestInput(prompt: string, password: boolean): InputResult {
    Atomics.store(this.flags, INPUT_STATUS, InputStatus.None);
    this.#writeText(JSON.stringify({ prompt, password }));
    Atomics.add(this.flags, INPUT_REQUESTS, 1);
    Atomics.notify(this.flags, INPUT_REQUESTS);
    while (Atomics.load(this.flags, INPUT_STATUS) === InputStatus.None) Atomics.wait(this.flags, INPUT_STATUS, InputStatus.None, 1000);
    const status = Atomics.load(this.flags, INPUT_STATUS) as InputStatus;
    Atomics.store(this.flags, INPUT_STATUS, InputStatus.None);
    if (status === InputStatus.Interrupted) return { ok: false, interrupted: true };
    const text = this.#readText();
    if (status === InputStatus.Ready) return { ok: true, value: text };
    const cut = text.indexOf("\n");
    return { ok: false, interrupted: false, name: text.slice(0, cut), message: text.slice(cut + 1) };
  }

  /** Whether a debugger is attached (one shared-memory read before each cell part is compiled). */
  get debuggerAttached(): boolean {
    return Atomics.load(this.flags, DEBUGGER) === 1;
  }

  /** Counts a turn of the main thread's event loop (a timer every LOOP_TICK_MS). */
  tick(): void {
    Atomics.add(this.flags, LOOP_TICKS, 1);
  }

  /** The user's interrupts received so far: a cell sent before the last of them is stopped before it starts. */
  get userInterrupts(): number {
    return Atomics.load(this.flags, USER_INTERRUPTS);
  }

  // --- control thread ----------------------------------------------------------------------
  get phase(): Phase {
    return Atomics.load(this.flags, PHASE) as Phase;
  }

  /**
   * Claims the right to send SIGINT, for `reason`, to the synchronous part the main thread runs now:
   * true once per part (Sync → Signalled with that reason, which the part fails with), false when it
   * runs none or was signalled already (then for the reason of the first claim).
   */
  claimSigint(reason: StopReason): boolean {
    return Atomics.compareExchange(this.flags, PHASE, Phase.Sync, signalledPhase(reason)) === Phase.Sync;
  }

  /**
   * How to stop a main thread that has not received interrupt(s) made for `reason` and whose event loop
   * stood still since: "sigint" when it runs a guarded synchronous part (claimed now, for `reason`: a
   * part that began after the interrupt, e.g. a timer callback's loop that started before the main
   * thread read the interrupt), "signalled" when the SIGINT sent to the part it runs has not landed
   * yet (the part waits for it), "terminate" when it is stuck in unguarded JavaScript (a loop after an
   * await, a microtask loop) — only there may the inspector's termination strike: in a guarded part it
   * would unwind Node's own timer or IPC code (in a timer callback: "async hook stack has become
   * corrupted", which ends the engine).
   */
  stuckStop(reason: StopReason): "sigint" | "signalled" | "terminate" {
    if (this.claimSigint(reason)) return "sigint";
    return signalledReason(this.phase) === undefined ? "terminate" : "signalled";
  }

  /** Forced stops so far: code they struck may never answer its call (kernel/executor/in-flight.ts). */
  get terminations(): number {
    return Atomics.load(this.flags, TERMINATIONS) >> 1;
  }

  /** The forced stops so far and why the last one was made (one read). */
  get lastTermination(): Termination {
    const word = Atomics.load(this.flags, TERMINATIONS);
    return { count: word >> 1, reason: (word & 1) as StopReason };
  }

  /** Counts a forced stop made for `reason` (before it is made). */
  countTermination(reason: StopReason): void {
    for (let word = Atomics.load(this.flags, TERMINATIONS); ; word = Atomics.load(this.flags, TERMINATIONS)) {
      const next = (((word >> 1) + 1) << 1) | reason;
      if (Atomics.compareExchange(this.flags, TERMINATIONS, word, next) === word) return;
    }
  }

  /** Turns of the main thread's event loop so far. */
  get loopTicks(): number {
    return Atomics.load(this.flags, LOOP_TICKS);
  }

  /** Counts one more interrupt made for `reason`; returns its number among those of its kind (from 1). */
  countInterrupt(reason: StopReason): number {
    return Atomics.add(this.flags, reason === StopReason.Memory ? MEMORY_STOPS : USER_INTERRUPTS, 1) + 1;
  }

  setDebuggerAttached(on: boolean): void {
    Atomics.store(this.flags, DEBUGGER, on ? 1 : 0);
  }

  /** Whether the main thread received interrupt `n` made for `reason` (or a later one of its kind). */
  acknowledged(reason: StopReason, n: number): boolean {
    return Atomics.load(this.flags, reason === StopReason.Memory ? ACKED_MEMORY : ACKED_USER) >= n;
  }

  /** Input requests posted so far (the control thread waits for this to grow). */
  get inputRequests(): number {
    return Atomics.load(this.flags, INPUT_REQUESTS);
  }

  /** Resolves when the main thread posts a request after the `seen`-th; the prompt and password flag. */
  async nextInputRequest(seen: number): Promise<{ prompt: string; password: boolean }> {
    while (Atomics.load(this.flags, INPUT_REQUESTS) === seen) await Atomics.waitAsync(this.flags, INPUT_REQUESTS, seen).value;
    return JSON.parse(this.#readText()) as { prompt: string; password: boolean };
  }

  /** Hands the answer to the waiting main thread. */
  deliverInput(value: string): void {
    this.#writeText(value);
    this.#wake(InputStatus.Ready);
  }

  /** Tells the waiting main thread that the kernel could not ask. */
  failInput(name: string, message: string): void {
    this.#writeText(`${name}\n${message}`);
    this.#wake(InputStatus.Failed);
  }

  interruptInput(): void {
    this.#wake(InputStatus.Interrupted);
  }

  #wake(status: InputStatus): void {
    Atomics.store(this.flags, INPUT_STATUS, status);
    Atomics.notify(this.flags, INPUT_STATUS);
  }

  #writeText(text: string): void {
    const bytes = new Uint8Array(this.#text);
    const view = new DataView(this.#text);
    const { written } = new TextEncoder().encodeInto(text, bytes.subarray(4));
    view.setUint32(0, written ?? 0);
  }

  #readText(): string {
    const n = new DataView(this.#text).getUint32(0);
    // copy out of the shared buffer: TextDecoder does not read shared memory
    return new TextDecoder().decode(new Uint8Array(this.#text, 4, n).slice());
  }
}
