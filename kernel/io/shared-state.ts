/**
 * Memory shared between the thread that runs cells (main) and the I/O thread (zeromq sockets), so the
 * I/O thread can interrupt a cell that blocks the main thread, and hand `prompt()` its input reply
 * while the main thread waits in `Atomics.wait`.
 */

/** Where the main thread is, as the I/O thread sees it. */
export enum Phase {
  Idle = 0,
  /** Running a cell's synchronous part under `breakOnSigint`: SIGINT stops it safely. */
  Sync = 1,
  /** A cell is running asynchronously (awaiting or in callbacks). */
  Async = 2,
}

const PHASE = 0;
const INTERRUPTS = 1;
const ACKED = 2;
const INPUT_WAITING = 3;
const INPUT_STATUS = 4;
const SLOTS = 8;

export enum InputStatus {
  None = 0,
  Ready = 1,
  Interrupted = 2,
}

/** The default room for one input_reply (frames); bigger replies are refused with a log line. */
const INPUT_BYTES = 4 << 20;

export interface SharedBuffers {
  flags: SharedArrayBuffer;
  input: SharedArrayBuffer;
}

export class SharedState {
  readonly flags: Int32Array;
  readonly #input: SharedArrayBuffer;

  constructor(buffers: SharedBuffers = { flags: new SharedArrayBuffer(SLOTS * 4), input: new SharedArrayBuffer(INPUT_BYTES) }) {
    this.flags = new Int32Array(buffers.flags);
    this.#input = buffers.input;
  }

  get buffers(): SharedBuffers {
    return { flags: this.flags.buffer as SharedArrayBuffer, input: this.#input };
  }

  // --- main thread -------------------------------------------------------------------------
  setPhase(p: Phase): void {
    Atomics.store(this.flags, PHASE, p);
  }

  /** The main thread saw the interrupt (its event loop runs): no forced termination needed. */
  acknowledgeInterrupt(): void {
    Atomics.store(this.flags, ACKED, Atomics.load(this.flags, INTERRUPTS));
  }

  /**
   * Flags that the main thread is about to wait for input (before the request is sent, so the reply
   * cannot overtake the flag); the returned function blocks until the I/O thread delivers input frames
   * or an interrupt.
   */
  waitInputArmed(): () => Buffer[] | "interrupted" {
    Atomics.store(this.flags, INPUT_STATUS, InputStatus.None);
    Atomics.store(this.flags, INPUT_WAITING, 1);
    return () => {
      try {
        while (Atomics.load(this.flags, INPUT_STATUS) === InputStatus.None) Atomics.wait(this.flags, INPUT_STATUS, InputStatus.None, 1000);
        if (Atomics.load(this.flags, INPUT_STATUS) === InputStatus.Interrupted) return "interrupted";
        return this.#readFrames();
      } finally {
        Atomics.store(this.flags, INPUT_WAITING, 0);
        Atomics.store(this.flags, INPUT_STATUS, InputStatus.None);
      }
    };
  }

  // --- I/O thread --------------------------------------------------------------------------
  get phase(): Phase {
    return Atomics.load(this.flags, PHASE) as Phase;
  }

  /** Counts one more interrupt; returns its number. */
  countInterrupt(): number {
    return Atomics.add(this.flags, INTERRUPTS, 1) + 1;
  }

  acknowledged(n: number): boolean {
    return Atomics.load(this.flags, ACKED) >= n;
  }

  get inputWaiting(): boolean {
    return Atomics.load(this.flags, INPUT_WAITING) === 1;
  }

  /** Hands input frames to the waiting main thread; false when they do not fit. */
  deliverInput(frames: readonly Uint8Array[]): boolean {
    const total = 4 + frames.reduce((n, f) => n + 4 + f.length, 0);
    if (total > this.#input.byteLength) return false;
    const view = new DataView(this.#input);
    const bytes = new Uint8Array(this.#input);
    view.setInt32(0, frames.length);
    let at = 4;
    for (const f of frames) {
      view.setInt32(at, f.length);
      bytes.set(f, at + 4);
      at += 4 + f.length;
    }
    Atomics.store(this.flags, INPUT_STATUS, InputStatus.Ready);
    Atomics.notify(this.flags, INPUT_STATUS);
    return true;
  }

  interruptInput(): void {
    Atomics.store(this.flags, INPUT_STATUS, InputStatus.Interrupted);
    Atomics.notify(this.flags, INPUT_STATUS);
  }

  #readFrames(): Buffer[] {
    const view = new DataView(this.#input);
    const n = view.getInt32(0);
    const out: Buffer[] = [];
    let at = 4;
    for (let i = 0; i < n; i++) {
      const len = view.getInt32(at);
      out.push(Buffer.from(new Uint8Array(this.#input, at + 4, len)));
      at += 4 + len;
    }
    return out;
  }
}
