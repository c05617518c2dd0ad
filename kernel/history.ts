/** The input history of this kernel session, answering history_request (tail, range, search). */

export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output: string | null;
}

export interface HistoryQuery {
  hist_access_type?: string;
  output?: boolean;
  raw?: boolean;
  session?: number;
  start?: number;
  stop?: number | null;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

const SESSION = 1;

export class History {
  readonly #entries: HistoryEntry[] = [];

  add(line: number, input: string, output: string | null = null): void {
    this.#entries.push({ session: SESSION, line, input, output });
  }

  /** Forgets every entry (a reset kernel starts a new session's history). */
  clear(): void {
    this.#entries.length = 0;
  }

  query(q: HistoryQuery): unknown[] {
    let rows: HistoryEntry[];
    switch (q.hist_access_type ?? "tail") {
      case "range": {
        const start = q.start ?? 0;
        const stop = q.stop ?? Number.POSITIVE_INFINITY;
        rows = this.#entries.filter((e) => e.line >= start && e.line < stop);
        break;
      }
      case "search": {
        const re = globToRegExp(q.pattern ?? "*");
        rows = this.#entries.filter((e) => re.test(e.input));
        if (q.unique) {
          const seen = new Set<string>();
          rows = rows.filter((e) => (seen.has(e.input) ? false : (seen.add(e.input), true)));
        }
        if (q.n) rows = rows.slice(-q.n);
        break;
      }
      default:
        rows = q.n ? this.#entries.slice(-q.n) : this.#entries.slice();
    }
    return rows.map((e) => (q.output ? ([e.session, e.line, [e.input, e.output]] as const) : ([e.session, e.line, e.input] as const)));
  }
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}
