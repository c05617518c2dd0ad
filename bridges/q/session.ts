/**
 * `QSession`: a kdb+/q session over IPC. It connects to `host:port` (options, or STATARB_Q=host:port),
 * or starts its own q process (execa) when a `q` binary is on PATH or under $QHOME/l64 (m64, l32).
 * kdb+ is in no package registry, so when none of these is there the session says so in one line.
 * eval/put/get/close like the R and Octave sessions; values convert as `ipc/convert.ts` documents.
 * A call that exceeds its timeout is interrupted (SIGINT, for a q this session started) or the
 * connection is dropped and re-opened (for a remote kdb+), and says which.
 */
import { execa, type ResultPromise } from "execa";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { opt, readOptions } from "../../lib/data/index.js";
import { callTimeout, describeCode, watchCall } from "../core/deadline.js";
import { BridgeError, BridgeNotInstalledError, BridgeTimeoutError } from "../core/errors.js";
import { CALL_RULES, TIMEOUT_MS } from "../core/options.js";
import { bridgesPath } from "../core/paths.js";
import { findExecutable } from "../core/transport.js";
import { QConnection } from "./ipc/connection.js";
import { fromQ, toQ } from "./ipc/convert.js";
import { list, type QObject, vector } from "./ipc/types.js";

/** Options of a q session. */
export interface QSessionOptions {
  /** A running kdb+ to connect to (default: $STATARB_Q "host:port", else a q started here). */
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  /** Default per-call timeout in ms (default 300 000; 0 = none). */
  timeoutMs?: number;
  /** Path of the q binary (default: `q` on PATH, else $QHOME/{l64,m64,l32}/q). */
  executable?: string;
  /** Scripts of bridges/q/ to load after connecting (default: schema.q, queries.q). */
  load?: readonly string[];
}

/** Result of `QSession.eval`. */
export interface QEvalResult {
  /** What the q process printed during the call (a q started here), else "". */
  readonly stdout: string;
  readonly stderr: string;
  /** The result converted to TypeScript (see ipc/convert.ts). */
  readonly value: unknown;
  /** The result as q prints it (`.Q.s`). */
  readonly text: string;
  /** The result as a q object, exactly as it travelled. */
  readonly raw: QObject;
}

export const Q_NOT_INSTALLED =
  "kdb+/q is not available: put the q binary on PATH or set QHOME (kdb+ comes from kx.com, not a package registry), or connect to a running kdb+ with new QSession({ host, port }) or STATARB_Q=host:port";

/** Finds a q binary: PATH, then $QHOME/{l64,m64,l32}/q. */
export function findQBinary(explicit?: string): string | undefined {
  if (explicit) return findExecutable(explicit);
  const onPath = findExecutable("q");
  if (onPath) return onPath;
  const home = process.env.QHOME;
  if (!home) return undefined;
  for (const arch of ["l64", "m64", "l32", "l64arm"]) {
    const p = join(home, arch, "q");
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Whether a kdb+ can be reached or started here (without doing it). */
export function hasKdb(): boolean {
  return process.env.STATARB_Q !== undefined || findQBinary() !== undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const Q_RULES = {
  host: opt.optional(opt.string("", { nonEmpty: true })),
  port: opt.optional(opt.integer(0, { min: 1, max: 65535 })),
  user: opt.optional(opt.string("")),
  password: opt.optional(opt.string("")),
  timeoutMs: TIMEOUT_MS,
  executable: opt.optional(opt.string("", { nonEmpty: true })),
  load: opt.optional(opt.custom<readonly string[]>("an array of script names of bridges/q/", () => [], (v): v is readonly string[] => Array.isArray(v) && v.every((x) => typeof x === "string"))),
};
/** A q call's options: its time limit, and (eval) the interrupt signal. */
const Q_CALL_RULES = { timeoutMs: TIMEOUT_MS };
const Q_EVAL_RULES = { timeoutMs: TIMEOUT_MS, signal: CALL_RULES.signal };

/**
 * The message of a q call stopped by its time limit or an interrupt: `reason` is the watch's (it names the
 * code and, for a timeout, how to raise the limit); `how` says what happened to the session — a q started
 * here answered the SIGINT with 'stop and keeps its variables; a remote kdb+ had its connection dropped.
 */
export function qStoppedMessage(reason: string, how: "stopped" | "dropped"): string {
  return how === "stopped"
    ? `q: ${reason}; q stopped the query and the session is still usable (variables kept)`
    : `q: ${reason}; the connection to the remote kdb+ was dropped (the next call reconnects; the query may still run there)`;
}

const EVAL_FN = ".statarb.eval";
const SETUP = `${EVAL_FN}:{[s] v:last value each s; (v; .Q.s v)}`;

function readQOptions(options: QSessionOptions) {
  return readOptions("QSession", options, Q_RULES);
}

/**
 * Splits a q cell into statements the way a q script reads: a line that starts with whitespace
 * continues the one before, "/" lines are comments, a line holding only a backslash ends the code.
 */
export function qStatements(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split(/\r?\n/)) {
    if (line.trim() === "\\") break;
    if (line.trim() === "" || /^\/(\s|$)/.test(line)) continue;
    if (/^\s/.test(line) && out.length > 0) out[out.length - 1] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

export class QSession {
  readonly #opts: ReturnType<typeof readQOptions>;
  #conn: QConnection | undefined;
  #proc: ResultPromise | undefined;
  #stdout = "";
  #stderr = "";
  #queue: Promise<unknown> = Promise.resolve();
  #connecting: Promise<QConnection> | undefined;

  constructor(options: QSessionOptions = {}) {
    this.#opts = readQOptions(options);
  }

  /** Whether this session can reach or start a kdb+. */
  isAvailable(): boolean {
    return this.#target() !== undefined || findQBinary(this.#opts.executable) !== undefined;
  }

  #target(): { host: string; port: number } | undefined {
    if (this.#opts.port !== undefined) return { host: this.#opts.host ?? "localhost", port: this.#opts.port };
    const env = process.env.STATARB_Q;
    if (env) {
      const m = /^(?:(.*):)?(\d+)$/.exec(env.trim());
      if (!m) throw new RangeError(`STATARB_Q must be host:port or port, got ${JSON.stringify(env)}`);
      return { host: m[1] || "localhost", port: Number(m[2]) };
    }
    return undefined;
  }

  async #connect(): Promise<QConnection> {
    if (this.#conn && !this.#conn.closed) return this.#conn;
    if (this.#connecting) return this.#connecting;
    this.#connecting = (async () => {
      let target = this.#target();
      if (!target) {
        const q = findQBinary(this.#opts.executable);
        if (!q) throw new BridgeNotInstalledError(Q_NOT_INSTALLED);
        const port = await freePort();
        this.#proc = execa(q, ["-p", `127.0.0.1:${port}`, "-q"], { stdin: "pipe", buffer: false, reject: false, cleanup: true });
        this.#proc.stdout?.setEncoding("utf8");
        this.#proc.stderr?.setEncoding("utf8");
        this.#proc.stdout?.on("data", (t: string) => (this.#stdout += t));
        this.#proc.stderr?.on("data", (t: string) => (this.#stderr += t));
        target = { host: "127.0.0.1", port };
      }
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          const c = await QConnection.open({ ...target, ...(this.#opts.user ? { user: this.#opts.user } : {}), ...(this.#opts.password ? { password: this.#opts.password } : {}) });
          await c.sync(vector(10, SETUP));
          for (const f of this.#opts.load ?? ["schema.q", "queries.q"]) await c.sync(vector(10, `system "l ${bridgesPath(`q/${f}`)}"`));
          this.#conn = c;
          return c;
        } catch (e) {
          if (!this.#proc || Date.now() > deadline) throw new BridgeError("q", `kdb+ session: ${(e as Error).message}${this.#stderr ? `: ${this.#stderr.trim().split("\n").slice(-2).join(" | ")}` : ""}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Sends one request; `what` names it in timeout and interrupt messages (the code, or `get x`). */
  async #request(x: QObject, what: string, timeoutMs: number | undefined, signal?: AbortSignal): Promise<QObject> {
    const conn = await this.#connect();
    return new Promise<QObject>((resolve, reject) => {
      let done = false;
      // the limit passed or the user interrupted: SIGINT to a q started here (it answers 'stop), else drop the connection
      const watch = watchCall(callTimeout(timeoutMs, this.#opts.timeoutMs), signal, (why) => {
        if (done) return;
        if (this.#proc) {
          this.#proc.kill("SIGINT");
          return;
        }
        done = true;
        conn.close();
        this.#conn = undefined;
        reject(new BridgeTimeoutError(qStoppedMessage(why, "dropped"), true));
      }, what);
      conn.sync(x).then(
        (v) => {
          done = true;
          watch.dispose();
          if (v.kind === "error" && watch.reason !== undefined && v.message === "stop") reject(new BridgeTimeoutError(qStoppedMessage(watch.reason, "stopped"), false));
          else if (v.kind === "error") reject(new BridgeError("q", `'${v.message}`, v.message));
          else resolve(v);
        },
        (e: Error) => {
          done = true;
          watch.dispose();
          this.#conn = undefined;
          reject(new BridgeError("q", `kdb+ connection lost: ${e.message}; the next call reconnects`));
        },
      );
    });
  }

  /** Evaluates q code; the value comes back typed and as q's text. */
  eval(code: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<QEvalResult> {
    const o = readOptions("q eval", options, Q_EVAL_RULES);
    return this.#serial(async () => {
      const before = this.#stdout.length;
      const errBefore = this.#stderr.length;
      const statements = qStatements(code);
      if (statements.length === 0) statements.push("::");
      const r = await this.#request(list([{ kind: "atom", type: 11, value: EVAL_FN }, list(statements.map((st) => vector(10, st)))]), describeCode(code), o.timeoutMs, o.signal);
      const [raw, text] = r.kind === "list" ? (r.items as [QObject, QObject]) : [r, vector(10, "")];
      const t = text.kind === "vector" && text.type === 10 ? (text.values as string) : "";
      const isNull = raw.kind === "function" && raw.type === 101;
      return { stdout: this.#stdout.slice(before), stderr: this.#stderr.slice(errBefore), value: fromQ(raw), text: isNull ? "" : t, raw };
    });
  }

  /** Sets a global of the q session (`set` with the converted value). */
  put(name: string, value: unknown, options: { timeoutMs?: number } = {}): Promise<void> {
    if (!/^\.?[A-Za-z][A-Za-z0-9_.]*$/.test(name)) throw new TypeError(`q: ${JSON.stringify(name)} is not a q variable name`);
    const o = readOptions("q put", options, Q_CALL_RULES);
    return this.#serial(async () => {
      await this.#request(list([{ kind: "atom", type: 11, value: "set" }, { kind: "atom", type: 11, value: name }, toQ(value)]), `put ${name}`, o.timeoutMs);
    });
  }

  /** Reads a global of the q session, converted to TypeScript. */
  get(name: string, options: { timeoutMs?: number } = {}): Promise<unknown> {
    return this.getRaw(name, options).then(fromQ);
  }

  /** Reads a global as the q object it is. */
  getRaw(name: string, options: { timeoutMs?: number } = {}): Promise<QObject> {
    if (!/^\.?[A-Za-z][A-Za-z0-9_.]*$/.test(name)) throw new TypeError(`q: ${JSON.stringify(name)} is not a q variable name`);
    const o = readOptions("q get", options, Q_CALL_RULES);
    return this.#serial(() => this.#request(list([{ kind: "atom", type: 11, value: "get" }, { kind: "atom", type: 11, value: name }]), `get ${name}`, o.timeoutMs));
  }

  /** Loads a script of bridges/q/ (e.g. "feeds.q") into the session. */
  load(file: string): Promise<void> {
    if (!/^[A-Za-z0-9_-]+\.q$/.test(file)) throw new TypeError(`q: ${JSON.stringify(file)} is not a script name of bridges/q/`);
    return this.#serial(async () => {
      await this.#request(vector(10, `system "l ${bridgesPath(`q/${file}`)}"`), `load ${file}`, undefined);
    });
  }

  /**
   * Subscribes to a tickerplant-style publisher (bridges/q/feeds.q, or kdb+tick's .u.sub) on this
   * connection: `onUpdate(table, rows)` receives every async `(upd; table; data)` it publishes, rows
   * converted to TS (an object of columns). Returns the (empty) schema of the table.
   */
  subscribe(tableName: string, symbols: readonly string[], onUpdate: (table: string, rows: unknown) => void): Promise<unknown> {
    return this.#serial(async () => {
      const conn = await this.#connect();
      const previous = conn.onAsync;
      conn.onAsync = (v) => {
        if (v.kind === "list" && v.items.length === 3) {
          const [fn, t, data] = v.items as [QObject, QObject, QObject];
          const name = (x: QObject): string | undefined => (x.kind === "atom" && x.type === 11 ? String(x.value) : x.kind === "vector" && x.type === 10 ? String(x.values) : undefined);
          if (name(fn) === "upd") {
            onUpdate(name(t) ?? "", fromQ(data));
            return;
          }
        }
        previous?.(v);
      };
      const syms: QObject = symbols.length === 0 ? { kind: "atom", type: 11, value: "" } : vector(11, [...symbols]);
      const r = await this.#request(list([{ kind: "atom", type: 11, value: ".u.sub" }, { kind: "atom", type: 11, value: tableName }, syms]), `subscribe ${tableName}`, undefined);
      return fromQ(r);
    });
  }

  /** Sends a q object as a sync request and returns the q object answered. */
  query(x: QObject, options: { timeoutMs?: number } = {}): Promise<QObject> {
    const o = readOptions("q query", options, Q_CALL_RULES);
    return this.#serial(() => this.#request(x, "query", o.timeoutMs));
  }

  async close(): Promise<void> {
    this.#conn?.close();
    this.#conn = undefined;
    if (this.#proc) {
      this.#proc.kill("SIGTERM");
      this.#proc = undefined;
    }
  }
}

/** A new q session (connects or starts q on first use). */
export function qSession(options?: QSessionOptions): QSession {
  return new QSession(options);
}
