/**
 * Errors a bridge raises. Each names the language, so a notebook shows "RError: …" or
 * "OctaveError: …" with the other language's own message, and the session state that follows.
 */

/** The languages statarb bridges to. */
export type BridgeLanguage = "R" | "Octave" | "q";

/** An error raised by the other language while running user code (its own message, unchanged). */
export class BridgeError extends Error {
  readonly language: BridgeLanguage;
  /** The other language's class/identifier of the condition (R class, Octave identifier), when known. */
  readonly kind: string | undefined;
  /** R's `call` / Octave's stack (function:line) as text, when known. */
  readonly detail: string | undefined;

  constructor(language: BridgeLanguage, message: string, kind?: string, detail?: string) {
    super(message);
    this.name = `${language}Error`;
    this.language = language;
    this.kind = kind;
    this.detail = detail;
  }
}

/** The interpreter is not installed here: the message is one line saying what to install. */
export class BridgeNotInstalledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BridgeNotInstalledError";
  }
}

/** A call exceeded its timeout (or was interrupted); `restarted` says whether the session state was lost. */
export class BridgeTimeoutError extends Error {
  readonly restarted: boolean;
  constructor(message: string, restarted: boolean) {
    super(message);
    this.name = "BridgeTimeoutError";
    this.restarted = restarted;
  }
}

/** The interpreter process died (crash, kill, quit()); the next call starts a fresh session. */
export class BridgeCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BridgeCrashError";
  }
}
