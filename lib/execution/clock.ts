/**
 * Clocks are passed in (DESIGN.md example 7): a backtest owns a `TestClock` it advances; live
 * code may use a `LiveClock`. No module-level clock exists, so many backtests share a process.
 */

/** Anything that tells the time (the unit is the caller's: epoch ms, epoch days or bar index). */
export interface Clock {
  now(): number;
}

/** A clock moved by hand; time never goes backwards. */
export class TestClock implements Clock {
  #t: number;

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`TestClock: start must be finite, got ${start}`);
    this.#t = start;
  }

  now(): number {
    return this.#t;
  }

  /** Sets the time; throws when `t` is earlier than now. */
  advanceTo(t: number): void {
    if (!(t >= this.#t)) throw new RangeError(`TestClock.advanceTo: ${t} is earlier than now (${this.#t})`);
    this.#t = t;
  }
}

/** Wall-clock time in epoch milliseconds. */
export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }
}
