/**
 * Splits an interpreter's stdout/stderr text at the markers its server writes, so user output is
 * streamed as it comes and attributed to the right call, while a marker split across chunks is held
 * back until it is complete: `\x1eSAB:<id>\x1e` ends call <id>; `\x1eSAD:<n>\x1e` … `\x1eSAE:<n>\x1e`
 * enclose Octave's display of value n, which the session holds back in case the value is shown as a
 * table (see StdioBridgeSession).
 */
const MARKER = /^\x1eSA([BDE]):(\d+)\x1e/;
const MARKER_PREFIX = /^\x1e(S(A([BDE](:\d*)?)?)?)?$/;

/** A display segment marker: its kind (begin / end) and number. */
export type SegmentMarker = (kind: "begin" | "end", n: number) => void;

/** Formats the marker the servers write after each call (also used by tests). */
export function endMarker(id: number): string {
  return `\x1eSAB:${id}\x1e`;
}

export class MarkedStream {
  #pending = "";
  readonly #onText: (text: string) => void;
  readonly #onMarker: (id: number) => void;
  readonly #onSegment: SegmentMarker | undefined;

  constructor(onText: (text: string) => void, onMarker: (id: number) => void, onSegment?: SegmentMarker) {
    this.#onText = onText;
    this.#onMarker = onMarker;
    this.#onSegment = onSegment;
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
        if (m[1] === "B") this.#onMarker(Number(m[2]));
        else this.#onSegment?.(m[1] === "D" ? "begin" : "end", Number(m[2]));
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
