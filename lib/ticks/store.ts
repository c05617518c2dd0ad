/**
 * `TickStore`: trades and quotes in an embedded DuckDB — in memory, in a database file, or read from a
 * folder of date-partitioned Parquet files — with nothing to start. Ingest appends typed-array columns
 * through DuckDB's appender (see duck.ts), inside one transaction per batch: a batch that fails leaves
 * the store as it was. Queries come back as apache-arrow Tables (the kernel shows them as tables).
 */
import type { Table } from "apache-arrow";
import type { DuckDBMaterializedResult } from "@duckdb/node-api";
import { resolve } from "node:path";
import { opt, readOptions } from "../data/index.js";
import { appendColumns, openDuckDB, readArrow, readArrowPart, type DuckDBConnection, type FixedColumn } from "./duck.js";
import { duckApi } from "./lazy-deps.js";
import { firstDisorder } from "./order.js";
import { checkQuoteBatch, checkTradeBatch, type LabelColumn, type LabelKind, type QuoteBatch, SCHEMA_SQL, type TradeBatch } from "./schema.js";
import { makeDirsSync } from "../fs/index.js";

/** Marks tick stores across module copies (the `%%sql` magic finds them by it). */
export const TICK_STORE = Symbol.for("statarb.tickStore");

/** Options of {@link openTickStore}. */
export interface TickStoreOptions {
  /** Database file to create or reopen (default: in memory). Ignored with `parquet`. */
  path?: string;
  /** A folder written by {@link TickStore.exportParquet}: the store reads it, read-only (default: none). */
  parquet?: string;
  /** DuckDB worker threads (default: DuckDB's choice, one per core). */
  threads?: number;
}

/** SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export class TickStore {
  readonly [TICK_STORE] = true;
  /** Where the data lives: ":memory:", a database file, or a Parquet folder. */
  readonly location: string;
  /** True for a store over Parquet files (ingest is refused). */
  readonly readOnly: boolean;
  readonly #instance: { closeSync(): void; connect(): Promise<DuckDBConnection> };
  readonly #db: DuckDBConnection;
  readonly #labels = new Map<LabelKind, Map<string, number>>([["sym", new Map()], ["venue", new Map()], ["cond", new Map()]]);
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Per raw table: stored in time order, and its last ts (undefined: not known yet, see {@link storedInTimeOrder}). */
  readonly #order: Record<"trades_raw" | "quotes_raw", { ordered: boolean; last: bigint | undefined } | undefined> = { trades_raw: undefined, quotes_raw: undefined };

  private constructor(instance: { closeSync(): void; connect(): Promise<DuckDBConnection> }, db: DuckDBConnection, location: string, readOnly: boolean) {
    this.#instance = instance;
    this.#db = db;
    this.location = location;
    this.readOnly = readOnly;
  }

  /** Opens a store (see {@link TickStoreOptions}); bad options are refused before anything is opened. */
  static async open(options?: TickStoreOptions): Promise<TickStore> {
    const o = readOptions("openTickStore", options, {
      path: opt.optional(opt.string("", { nonEmpty: true })),
      parquet: opt.optional(opt.string("", { nonEmpty: true })),
      threads: opt.optional(opt.integer(1, { min: 1, max: 256 })),
    });
    if (o.parquet !== undefined && o.path !== undefined) throw new RangeError("openTickStore: give path or parquet, not both");
    const location = o.parquet !== undefined ? resolve(o.parquet) : o.path !== undefined ? resolve(o.path) : ":memory:";
    const { instance, connection } = await openDuckDB(o.parquet !== undefined ? ":memory:" : location, o.threads);
    const store = new TickStore(instance, connection, location, o.parquet !== undefined);
    try {
      if (o.parquet !== undefined) await store.#attachParquet(location);
      else for (const sql of SCHEMA_SQL) await connection.run(sql);
      await store.#loadLabels();
    } catch (err) {
      store.close();
      throw err;
    }
    return store;
  }

  async #attachParquet(dir: string): Promise<void> {
    const glob = (t: string) => sqlString(`${dir}/${t}/**/*.parquet`);
    await this.#db.run(SCHEMA_SQL[0] as string);
    await this.#db.run(`CREATE VIEW trades AS SELECT ts, sym, price, size, side, venue, cond, seq FROM read_parquet(${glob("trades")}, hive_partitioning = true)`);
    await this.#db.run(`CREATE VIEW quotes AS SELECT ts, sym, bid, ask, bid_size, ask_size, venue, seq FROM read_parquet(${glob("quotes")}, hive_partitioning = true)`);
  }

  async #loadLabels(): Promise<void> {
    const t = await this.query("SELECT kind, id, label FROM labels");
    const kind = t.getChild("kind")?.toArray() as string[] | undefined;
    const id = t.getChild("id")?.toArray() as Uint32Array | undefined;
    const label = t.getChild("label")?.toArray() as string[] | undefined;
    for (let i = 0; i < t.numRows; i++) this.#labels.get(kind?.[i] as LabelKind)?.set(label?.[i] as string, id?.[i] as number);
  }

  #open(where: string): void {
    if (this.#closed) throw new Error(`TickStore.${where}: the store is closed`);
  }

  /** Runs `fn` after every earlier call has finished (DuckDB sees one statement sequence). */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Codes of a label column, adding unseen labels to `pending` (ids after the known ones; 0 = none for venue/cond). */
  #codes(kind: LabelKind, c: LabelColumn, pending: Map<string, number>): Uint32Array {
    const known = this.#labels.get(kind) as Map<string, number>;
    const first = kind === "sym" ? 0 : 1;
    const idOf = (s: string): number => {
      let id = known.get(s) ?? pending.get(s);
      if (id === undefined) {
        id = first + known.size + pending.size;
        pending.set(s, id);
      }
      return id;
    };
    if (Array.isArray(c)) return Uint32Array.from(c as string[], idOf);
    const { codes, dictionary } = c as { codes: ArrayLike<number>; dictionary: readonly string[] };
    const map = Uint32Array.from(dictionary, idOf);
    const out = new Uint32Array(codes.length);
    for (let i = 0; i < out.length; i++) out[i] = map[codes[i] as number] as number;
    return out;
  }

  async #append(where: string, table: "trades_raw" | "quotes_raw", labels: [LabelKind, Map<string, number>][], cols: { types: Parameters<typeof appendColumns>[2]; data: FixedColumn[]; n: number }): Promise<void> {
    await this.#db.run("BEGIN TRANSACTION");
    try {
      for (const [kind, pending] of labels) {
        for (const [label, id] of pending) await this.#db.run("INSERT INTO labels VALUES ($1, $2, $3)", [kind, id, label]);
      }
      await appendColumns(this.#db, table, cols.types, cols.data, cols.n);
      await this.#db.run("COMMIT");
    } catch (err) {
      await this.#db.run("ROLLBACK");
      throw new Error(`${where}: DuckDB refused the batch (nothing was stored): ${(err as Error).message}`);
    }
    for (const [kind, pending] of labels) for (const [label, id] of pending) this.#labels.get(kind)?.set(label, id);
    this.#appended(table, cols.data[0] as BigInt64Array);
  }

  /** Keeps the time-order knowledge of `table` after `ts` was appended to it (one pass, one BigInt compare). */
  #appended(table: "trades_raw" | "quotes_raw", ts: BigInt64Array): void {
    const o = this.#order[table];
    if (o === undefined || ts.length === 0) return;
    const first = ts[0] as bigint;
    o.ordered = o.ordered && (o.last === undefined || first >= o.last) && firstDisorder(ts) < 0;
    o.last = o.last === undefined || (ts[ts.length - 1] as bigint) > o.last ? (ts[ts.length - 1] as bigint) : o.last;
  }

  /**
   * True when both raw tables are stored in time order (row ids follow ts), so a reader can take them in
   * storage order without a sort; false for a Parquet store. Known from ingest; for a database file
   * reopened with rows, checked once with one query.
   */
  async storedInTimeOrder(): Promise<boolean> {
    this.#open("storedInTimeOrder");
    if (this.readOnly) return false;
    for (const table of ["trades_raw", "quotes_raw"] as const) {
      if (this.#order[table] !== undefined) continue;
      const r = await this.query(`SELECT coalesce(bool_and(p IS NULL OR ts >= p), true) AS ok, epoch_ns(max(ts)) AS last FROM (SELECT ts, lag(ts) OVER (ORDER BY rowid) AS p FROM ${table})`);
      const last = r.getChild("last")?.get(0) as bigint | null | undefined;
      this.#order[table] ??= { ordered: r.getChild("ok")?.get(0) === true, last: last ?? undefined };
    }
    return (this.#order.trades_raw?.ordered ?? false) && (this.#order.quotes_raw?.ordered ?? false);
  }

  #writable(where: string): void {
    this.#open(where);
    if (this.readOnly) throw new Error(`TickStore.${where}: this store reads Parquet files at ${this.location} and is read-only; open one with { path } or in memory to ingest`);
  }

  /** Appends trades; resolves to the number of rows stored. Bad columns are refused before anything is written. */
  ingestTrades(batch: TradeBatch): Promise<number> {
    this.#writable("ingestTrades");
    const n = checkTradeBatch("TickStore.ingestTrades", batch);
    return this.#serial(async () => {
      const pend = { sym: new Map<string, number>(), venue: new Map<string, number>(), cond: new Map<string, number>() };
      const sid = this.#codes("sym", batch.sym, pend.sym);
      const venue = batch.venue ? this.#codes("venue", batch.venue, pend.venue) : new Uint32Array(n);
      const cond = batch.cond ? this.#codes("cond", batch.cond, pend.cond) : new Uint32Array(n);
      const size = batch.size instanceof Int32Array ? batch.size : Int32Array.from(batch.size);
      const side = batch.side ?? new Int8Array(n);
      const { TIMESTAMP_NS, UINTEGER, DOUBLE, INTEGER, TINYINT } = duckApi();
      await this.#append("TickStore.ingestTrades", "trades_raw", Object.entries(pend) as [LabelKind, Map<string, number>][], {
        types: [TIMESTAMP_NS, UINTEGER, DOUBLE, INTEGER, TINYINT, UINTEGER, UINTEGER],
        data: [batch.ts, sid, batch.price, size, side, venue, cond],
        n,
      });
      return n;
    });
  }

  /** Appends quotes; resolves to the number of rows stored. */
  ingestQuotes(batch: QuoteBatch): Promise<number> {
    this.#writable("ingestQuotes");
    const n = checkQuoteBatch("TickStore.ingestQuotes", batch);
    return this.#serial(async () => {
      const pend = { sym: new Map<string, number>(), venue: new Map<string, number>() };
      const sid = this.#codes("sym", batch.sym, pend.sym);
      const venue = batch.venue ? this.#codes("venue", batch.venue, pend.venue) : new Uint32Array(n);
      const toI32 = (a: Int32Array | Float64Array) => (a instanceof Int32Array ? a : Int32Array.from(a));
      const { TIMESTAMP_NS, UINTEGER, DOUBLE, INTEGER } = duckApi();
      await this.#append("TickStore.ingestQuotes", "quotes_raw", Object.entries(pend) as [LabelKind, Map<string, number>][], {
        types: [TIMESTAMP_NS, UINTEGER, DOUBLE, DOUBLE, INTEGER, INTEGER, UINTEGER],
        data: [batch.ts, sid, batch.bid, batch.ask, toI32(batch.bidSize), toI32(batch.askSize), venue],
        n,
      });
      return n;
    });
  }

  /** Runs DuckDB SQL (over the views `trades` and `quotes`, or anything else) and returns the result as an Arrow Table. */
  query(sql: string, params?: readonly (string | number | bigint | boolean | null)[]): Promise<Table> {
    this.#open("query");
    if (typeof sql !== "string" || sql.trim() === "") throw new TypeError(`TickStore.query: sql must be a non-empty string, got ${typeof sql === "string" ? "an empty string" : typeof sql}`);
    return this.#serial(async () => readArrow(await this.#db.run(sql, params ? [...params] : undefined)));
  }

  /**
   * Runs a query and hands back DuckDB's materialized result, for internal readers that take its chunks'
   * vectors directly (`chunkArrays`); users call {@link query}.
   */
  materialize(sql: string, params?: readonly (string | number | bigint | boolean | null)[]): Promise<DuckDBMaterializedResult> {
    this.#open("materialize");
    return this.#serial(() => this.#db.run(sql, params ? [...params] : undefined));
  }

  /**
   * Streams a query's result as Arrow tables of about `rows` rows each, on a connection of its own (so
   * other queries can run meanwhile); the connection closes when the iteration ends or is abandoned.
   */
  async *stream(sql: string, params?: readonly (string | number | bigint | boolean | null)[], rows = 131_072): AsyncGenerator<Table> {
    this.#open("stream");
    const db = await this.#instance.connect();
    try {
      const result = await db.stream(sql, params ? [...params] : undefined);
      for (let part = await readArrowPart(result, rows); part !== undefined; part = await readArrowPart(result, rows)) yield part;
    } finally {
      db.closeSync();
    }
  }

  /** Runs SQL for its effect (DDL, COPY, …). */
  async run(sql: string): Promise<void> {
    this.#open("run");
    await this.#serial(() => this.#db.run(sql));
  }

  /**
   * The symbol dictionary of the raw tables (`trades_raw.sid` / `quotes_raw.sid` index it), or undefined
   * for a Parquet store (no raw tables). For fast internal queries; users query the views.
   */
  symbolDictionary(): string[] | undefined {
    if (this.readOnly) return undefined;
    const out: string[] = [];
    for (const [label, id] of this.#labels.get("sym") as Map<string, number>) out[id] = label;
    return out;
  }

  /** Row counts of the two tables. */
  async counts(): Promise<{ trades: number; quotes: number }> {
    const t = await this.query("SELECT (SELECT count(*) FROM trades) AS trades, (SELECT count(*) FROM quotes) AS quotes");
    return { trades: Number(t.getChild("trades")?.get(0)), quotes: Number(t.getChild("quotes")?.get(0)) };
  }

  /** The symbols present in trades or quotes, sorted. */
  async symbols(): Promise<string[]> {
    const t = await this.query("SELECT DISTINCT sym FROM (SELECT sym FROM trades UNION ALL SELECT sym FROM quotes) ORDER BY sym");
    return (t.getChild("sym")?.toArray() as string[] | undefined) ?? [];
  }

  /**
   * Writes `trades` and `quotes` as Parquet under `dir/trades/date=YYYY-MM-DD/…` and `dir/quotes/…`
   * (hive partitions by UTC date); `openTickStore({ parquet: dir })` reads them back.
   */
  async exportParquet(dir: string): Promise<string> {
    this.#open("exportParquet");
    if (typeof dir !== "string" || dir === "") throw new TypeError("TickStore.exportParquet: dir must be a non-empty path");
    const root = resolve(dir);
    makeDirsSync(root);
    for (const t of ["trades", "quotes"]) {
      await this.run(`COPY (SELECT *, CAST(ts AS DATE) AS date FROM ${t}) TO ${sqlString(`${root}/${t}`)} (FORMAT parquet, PARTITION_BY (date), OVERWRITE_OR_IGNORE)`);
    }
    return root;
  }

  /** Closes the database; later calls throw. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.closeSync();
    this.#instance.closeSync();
  }

  /** Jupyter display: where the store is and what it holds is a query away, so just say where. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": `TickStore ${this.location}${this.readOnly ? " (read-only Parquet)" : ""}` };
  }
}

/** Opens a tick store: in memory by default, `{ path }` for a database file, `{ parquet: dir }` to read a Parquet export. */
export function openTickStore(options?: TickStoreOptions): Promise<TickStore> {
  return TickStore.open(options);
}

/** Nanoseconds since 1970 of an ISO date-time (`2024-01-02T14:30:00Z`, fractional seconds to the nanosecond) or a Date. */
export function toEpochNs(t: string | Date | bigint): bigint {
  if (typeof t === "bigint") return t;
  if (t instanceof Date) {
    const ms = t.getTime();
    if (Number.isNaN(ms)) throw new TypeError("toEpochNs: invalid Date");
    return BigInt(ms) * 1_000_000n;
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(typeof t === "string" ? t.trim() : "");
  if (!m) throw new TypeError(`toEpochNs: ${JSON.stringify(t)} is not an ISO date-time such as "2024-01-02T14:30:00.123456789Z"`);
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4] ?? "Z"}`);
  if (Number.isNaN(ms)) throw new RangeError(`toEpochNs: ${JSON.stringify(t)} is not a valid date-time`);
  return BigInt(ms) * 1_000_000n + BigInt((m[3] ?? "").padEnd(9, "0") || "0");
}
