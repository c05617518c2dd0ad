/**
 * Splits an interpreter's stdout/stderr text at the end-of-call markers its server writes
 * (`\x1eSAB:<id>\x1e`), so user output is streamed as it comes and attributed to the right call,
 * while a marker split across chunks is held back until it is complete.
 */
const MARKER = /^\x1eSAB:(\d+)\x1e/;
const MARKER_PREFIX = /^\x1e(S(A(B(:\d*)?)?)?)?$/;

/** Formats the marker the servers write after each call (also used by tests). */
export function endMarker(id: number): string {
  return `\x1eSAB:${id}\x1e`;
}

export class MarkedStream {
  #pending = "";
  readonly #onText: (text: string) => void;
  readonly #onMarker: (id: number) => void;

  constructor(onText: (text: string) => void, onMarker: (id: number) => void) {
    this.#onText = onText;
    this.#onMarker = onMarker;
  }

  push(text: string): void {
    this.#pending += text;
    for (;;) {
      const i = this.#pending.indexOf("\x1e");
      if (i < 0) {
        this.#emit(this.#pending);
        this.#pending = "";
        return;
      }
      if (i > 0) {
        this.#emit(this.#pending.slice(0, i));
        this.#pending = this.#pending.slice(i);
      }
      const m = MARKER.exec(this.#pending);
      if (m) {
        this.#pending = this.#pending.slice(m[0].length);
        this.#onMarker(Number(m[1]));
        continue;
      }
      if (MARKER_PREFIX.test(this.#pending)) return; // may complete with the next chunk
      this.#emit("\x1e");
      this.#pending = this.#pending.slice(1);
    }
  }

  /** Emits whatever is held back (at process exit). */
  flush(): void {
    this.#emit(this.#pending);
    this.#pending = "";
  }

  #emit(text: string): void {
    if (text.length > 0) this.#onText(text);
  }
}
