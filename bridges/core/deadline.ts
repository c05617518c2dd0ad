/**
 * The one home of a bridge call's time limit: the default, how a call's limit is chosen (the call's
 * own, else its session's, else the default), and the watch that stops a call when the limit passes
 * or the user interrupts (the kernel's abort signal). The R/Octave sessions and the q session both
 * watch their calls through it; each says how it stops (SIGINT, then a kill, or dropping a connection).
 */

/** Default per-call time limit of every bridge session: 300 s. */
export const DEFAULT_CALL_TIMEOUT_MS = 300_000;

/** The limit of one call: its own `timeoutMs`, else the session's, else the default (0 = none). */
export function callTimeout(call: number | undefined, session: number | undefined): number {
  return call ?? session ?? DEFAULT_CALL_TIMEOUT_MS;
}

/** A call being watched: why it was stopped (once it was), and the end of the watch. */
export interface CallWatch {
  readonly reason: string | undefined;
  /** Ends the watch (the call finished): clears the timer and the abort listener. */
  dispose(): void;
}

/**
 * Watches one call: after `timeoutMs` (when > 0) or when `signal` aborts, calls `stop` once with the
 * reason ("call timed out after N ms" / "call interrupted").
 */
export function watchCall(timeoutMs: number, signal: AbortSignal | undefined, stop: (reason: string) => void): CallWatch {
  let reason: string | undefined;
  const fire = (why: string): void => {
    if (reason !== undefined) return;
    reason = why;
    stop(why);
  };
  const timer = timeoutMs > 0 ? setTimeout(() => fire(`call timed out after ${timeoutMs} ms`), timeoutMs) : undefined;
  const onAbort = (): void => fire("call interrupted");
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    get reason() {
      return reason;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    },
  };
}
