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

/** The code a call ran, for messages: its first non-empty line, cut to 60 characters. */
export function describeCode(code: string): string {
  const first = code.split("\n").map((l) => l.trim()).find((l) => l.length > 0) ?? "";
  const cut = first.length > 60 ? `${first.slice(0, 57)}...` : first;
  const more = code.trim().includes("\n") ? " (first line)" : "";
  return `\`${cut}\`${more}`;
}

/** How to raise a call's limit: the option of the call/session and the magics' flag. */
export const RAISE_LIMIT_HINT = "raise the limit with the timeoutMs option of the call or the session (0 = none), or `--timeout ms` on the %%R / %%octave / %%q magic";

/** A call being watched: why it was stopped (once it was), and the end of the watch. */
export interface CallWatch {
  readonly reason: string | undefined;
  /** Ends the watch (the call finished): clears the timer and the abort listener. */
  dispose(): void;
}

/**
 * Watches one call: after `timeoutMs` (when > 0) or when `signal` aborts, calls `stop` once with the
 * reason ("call timed out after N ms" / "call interrupted"); with `what` (the code, see `describeCode`)
 * the reason names it, and a timeout says how to raise the limit.
 */
export function watchCall(timeoutMs: number, signal: AbortSignal | undefined, stop: (reason: string) => void, what?: string): CallWatch {
  let reason: string | undefined;
  const fire = (why: string): void => {
    if (reason !== undefined) return;
    reason = why;
    stop(why);
  };
  const timer = timeoutMs > 0 ? setTimeout(() => fire(what === undefined ? `call timed out after ${timeoutMs} ms` : `call running ${what} timed out after ${timeoutMs} ms (${RAISE_LIMIT_HINT})`), timeoutMs) : undefined;
  const onAbort = (): void => fire(what === undefined ? "call interrupted" : `call running ${what} interrupted`);
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
