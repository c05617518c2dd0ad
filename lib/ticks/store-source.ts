/**
 * `storeSource`: replays the store's trades and quotes in time order (at one timestamp quotes first,
 * then arrival order) as tick batches.
 *
 * When the raw tables are stored in time order (the usual case: ticks arrive in time order, and the
 * store knows it from ingest), each table is read in storage order, in blocks of row ids, as columns
 * (one materialized query per block, DuckDB's vectors copied column by column), and the two are merged
 * here in one pass into batches — no sort, no label joins, nothing allocated per tick. Otherwise (ticks
 * stored out of order, a Parquet store, a replay spanning more than 104 days, where event time as a
 * float64 stops being exact) DuckDB merges and sorts them.
 */
import type { DuckDBMaterializedResult } from "@duckdb/node-api";
import { checkKeys } from "../data/index.js";
import { chunkArrays } from "./duck.js";
import { FILTER_KEYS, filterSql, type TickFilter } from "./filters.js";
import { DAY_NS, emptyBatch, QUOTE, type TickBatch } from "./source.js";
import type { TickStore } from "./store.js";

/** Replays the store's trades and quotes in time order (at one timestamp quotes first, then arrival order). */
export async function* storeSource(store: TickStore, filter?: TickFilter & { rowsPerBatch?: number }): AsyncGenerator<TickBatch> {
  const where = "storeSource";
  const o = checkKeys(where, filter, [...FILTER_KEYS, "rowsPerBatch"]);
  const rows = (o.get("rowsPerBatch") as number | undefined) ?? 131_072;
  if (!Number.isSafeInteger(rows) || rows < 1) throw new RangeError(`${where}: rowsPerBatch must be an integer ≥ 1, got ${rows}`);
  const f = { symbols: o.get("symbols"), start: o.get("start"), end: o.get("end") };
  const dict = (await store.storedInTimeOrder()) ? store.symbolDictionary() : undefined;
  if (dict !== undefined) {
    const plan = await rawPlan(store, f, dict);
    if (plan === null) return;
    if (plan !== undefined) {
      yield* mergeRaw(store, plan, rows);
      return;
    }
  }
  yield* sortedByDuckDB(store, f, rows);
}

/** What the storage-order replay reads. */
interface RawPlan {
  base: bigint;
  symbols: string[];
  /** Store symbol id → index into `symbols`. */
  code: Uint32Array;
  trades: { where: string; params: (string | bigint)[]; rows: number };
  quotes: { where: string; params: (string | bigint)[]; rows: number };
}

/** The storage-order plan; null when no tick matches; undefined when the span is too long for float64 event times. */
async function rawPlan(store: TickStore, f: { symbols?: unknown; start?: unknown; end?: unknown }, dict: readonly string[]): Promise<RawPlan | null | undefined> {
  const tp: (string | bigint)[] = [];
  const qp: (string | bigint)[] = [];
  const tc = filterSql("storeSource", "t", f, tp, dict);
  const qc = filterSql("storeSource", "q", f, qp, dict);
  const sp: (string | bigint)[] = [];
  const [stc, sqc] = [filterSql("storeSource", "t", f, sp, dict), filterSql("storeSource", "q", f, sp, dict)];
  const span = await store.query(
    `SELECT epoch_ns(min(lo)) AS lo, epoch_ns(max(hi)) AS hi FROM (SELECT min(ts) AS lo, max(ts) AS hi FROM trades_raw t WHERE ${stc} UNION ALL SELECT min(ts), max(ts) FROM quotes_raw q WHERE ${sqc})`,
    sp,
  );
  const lo = span.getChild("lo")?.get(0) as bigint | null;
  const hi = span.getChild("hi")?.get(0) as bigint | null;
  if (lo === null || hi === null) return null;
  const base = (lo / DAY_NS) * DAY_NS;
  if (hi - base > 2n ** 53n) return undefined;
  const ids = await store.query("SELECT DISTINCT sid FROM (SELECT sid FROM trades_raw UNION ALL SELECT sid FROM quotes_raw)");
  const present = Array.from((ids.getChild("sid")?.toArray() as Uint32Array | undefined) ?? [], (k) => dict[k] as string);
  const symbols = present.sort();
  const code = new Uint32Array(dict.length);
  symbols.forEach((s, i) => (code[dict.indexOf(s)] = i));
  const count = async (table: string) => Number((await store.query(`SELECT coalesce(max(rowid) + 1, 0) AS n FROM ${table}`)).getChild("n")?.get(0) ?? 0);
  return { base, symbols, code, trades: { where: tc, params: tp, rows: await count("trades_raw") }, quotes: { where: qc, params: qp, rows: await count("quotes_raw") } };
}

type Cols = Record<string, Float64Array | Uint32Array | Int32Array | Int8Array | BigInt64Array>;

/**
 * One raw table read in blocks of row ids [at, at + block), in storage order; each block is one
 * materialized query whose data chunks (2,048 rows) are taken one at a time as typed arrays.
 */
class Cursor {
  cols: Cols = {};
  i = 0;
  n = 0;
  at = 0;
  last = -Infinity;
  /** Event times of the current chunk: ns since the plan's base, as float64 (exact below 2^53). */
  t = new Float64Array(0);
  #baseHi: number;
  #baseLo: number;
  #result: DuckDBMaterializedResult | undefined;
  #chunk = 0;
  #names: string[] = [];
  constructor(
    readonly store: TickStore,
    readonly table: "trades_raw" | "quotes_raw",
    readonly sql: string,
    readonly params: (string | bigint)[],
    readonly rows: number,
    readonly block: number,
    base: bigint,
  ) {
    const b = new Int32Array(BigInt64Array.of(base).buffer);
    this.#baseLo = (b[0] as number) >>> 0;
    this.#baseHi = b[1] as number;
  }

  get done(): boolean {
    return this.i >= this.n && this.#result === undefined && this.at >= this.rows;
  }

  /** Takes chunks (querying the next block when one is used up) until one has rows or the table ends. */
  async refill(): Promise<void> {
    while (this.i >= this.n) {
      if (this.#result === undefined) {
        if (this.at >= this.rows) return;
        const a = this.at;
        this.at = Math.min(this.rows, a + this.block);
        const k = this.params.length;
        this.#result = await this.store.materialize(`${this.sql} AND rowid >= $${k + 1} AND rowid < $${k + 2}`, [...this.params, BigInt(a), BigInt(this.at)]);
        this.#names = this.#result.columnNames();
        this.#chunk = 0;
      }
      if (this.#chunk >= this.#result.chunkCount) {
        this.#result = undefined;
        continue;
      }
      const { n, columns } = chunkArrays(this.#result, this.#chunk++);
      this.#names.forEach((name, j) => (this.cols[name] = columns[j] as Float64Array));
      this.i = 0;
      this.n = n;
      this.#times();
    }
  }

  /**
   * ts − base of the chunk as float64, from the 32-bit halves: exact (the plan keeps the span below
   * 2^53 ns), so equal to DuckDB's (epoch_ns(ts) − base)::DOUBLE; and checks they never fall (the store
   * recorded the table as time-ordered; a failure here is a bug).
   */
  #times(): void {
    const ts = this.cols.ts as BigInt64Array;
    const hi = new Int32Array(ts.buffer, ts.byteOffset, 2 * this.n);
    const lo = new Uint32Array(ts.buffer, ts.byteOffset, 2 * this.n);
    if (this.t.length < this.n) this.t = new Float64Array(Math.max(this.n, 2048));
    const t = this.t;
    const bh = this.#baseHi, bl = this.#baseLo;
    let last = this.last;
    for (let r = 0; r < this.n; r++) {
      const x = ((hi[2 * r + 1] as number) - bh) * 4294967296 + ((lo[2 * r] as number) - bl);
      if (x < last) throw new Error(`storeSource: ${this.table} is not in time order in storage though the store recorded it so; this is a bug`);
      t[r] = last = x;
    }
    this.last = last;
  }
}

/** Merges the two cursors into `b` from row k until it is full or a cursor needs a refill; returns the new k. */
function mergeInto(b: TickBatch, k: number, tr: Cursor, qu: Cursor, code: Uint32Array): number {
  const tt = tr.t, ts = tr.cols.sid as Uint32Array, tp = tr.cols.price as Float64Array, tz = tr.cols.size as Int32Array, td = tr.cols.side as Int8Array;
  const qt = qu.t, qs = qu.cols.sid as Uint32Array, qb = qu.cols.bid as Float64Array, qa = qu.cols.ask as Float64Array, qbz = qu.cols.bid_size as Int32Array, qaz = qu.cols.ask_size as Int32Array;
  const { t, kind, sym, price, size, side, bid, ask, bidSize, askSize } = b;
  const n = b.n, tn = tr.n, qn = qu.n;
  // past its end, a finished table compares as +Infinity; an unfinished one stops the merge for a refill
  const tEnd = tr.done ? Infinity : Number.NaN, qEnd = qu.done ? Infinity : Number.NaN;
  let i = tr.i, j = qu.i;
  for (; k < n; k++) {
    const x = i < tn ? (tt[i] as number) : tEnd;
    const y = j < qn ? (qt[j] as number) : qEnd;
    if (x !== x || y !== y || (x === Infinity && y === Infinity)) break;
    if (y <= x) {
      t[k] = y;
      kind[k] = QUOTE;
      sym[k] = code[qs[j] as number] as number;
      price[k] = Number.NaN;
      bid[k] = qb[j] as number;
      ask[k] = qa[j] as number;
      bidSize[k] = qbz[j] as number;
      askSize[k] = qaz[j] as number;
      j++;
    } else {
      t[k] = x;
      sym[k] = code[ts[i] as number] as number;
      price[k] = tp[i] as number;
      size[k] = tz[i] as number;
      side[k] = td[i] as number;
      bid[k] = ask[k] = Number.NaN;
      i++;
    }
  }
  tr.i = i;
  qu.i = j;
  return k;
}

/** The storage-order replay: blocks of both tables merged into batches of `rows` ticks. */
async function* mergeRaw(store: TickStore, plan: RawPlan, rows: number): AsyncGenerator<TickBatch> {
  const block = Math.max(rows, 262_144);
  const t = plan.trades;
  const q = plan.quotes;
  // plain columns (no casts for DuckDB to run): event times and sizes become float64 here
  const tr = new Cursor(store, "trades_raw", `SELECT ts, sid, price, size, side FROM trades_raw t WHERE ${t.where}`, t.params, t.rows, block, plan.base);
  const qu = new Cursor(store, "quotes_raw", `SELECT ts, sid, bid, ask, bid_size, ask_size FROM quotes_raw q WHERE ${q.where}`, q.params, q.rows, block, plan.base);
  let b = emptyBatch(rows, plan.base, plan.symbols);
  let k = 0;
  for (;;) {
    await tr.refill();
    await qu.refill();
    if (tr.done && qu.done) break;
    k = mergeInto(b, k, tr, qu, plan.code);
    if (k === rows) {
      yield b;
      b = emptyBatch(rows, plan.base, plan.symbols);
      k = 0;
    }
  }
  if (k > 0) yield trim(b, k);
}

/** The first k rows of a batch (views, no copy). */
function trim(b: TickBatch, k: number): TickBatch {
  return {
    n: k, base: b.base, symbols: b.symbols,
    t: b.t.subarray(0, k), kind: b.kind.subarray(0, k), sym: b.sym.subarray(0, k), price: b.price.subarray(0, k), size: b.size.subarray(0, k),
    side: b.side.subarray(0, k), bid: b.bid.subarray(0, k), ask: b.ask.subarray(0, k), bidSize: b.bidSize.subarray(0, k), askSize: b.askSize.subarray(0, k),
  };
}

/** DuckDB merges and sorts the two tables (through the views: any store). */
async function* sortedByDuckDB(store: TickStore, f: { symbols?: unknown; start?: unknown; end?: unknown }, rows: number): AsyncGenerator<TickBatch> {
  const params: (string | bigint)[] = [];
  const tc = filterSql("storeSource", "t", f, params);
  const qc = filterSql("storeSource", "q", f, params);
  const symbols = await store.symbols();
  const first = await store.query(`SELECT min(ts) AS m FROM (SELECT min(ts) AS ts FROM trades t WHERE ${tc} UNION ALL SELECT min(ts) FROM quotes q WHERE ${qc})`, params);
  const m = (first.getChild("m")?.toArray() as BigInt64Array | undefined)?.[0];
  if (m === undefined || first.getChild("m")?.get(0) === null) return;
  const base = (m / DAY_NS) * DAY_NS;
  params.push(base);
  const b = `$${params.length}::BIGINT`;
  const sql = `
    WITH syms AS (SELECT sym, (row_number() OVER (ORDER BY sym) - 1)::UINTEGER AS code FROM (SELECT DISTINCT sym FROM trades UNION SELECT DISTINCT sym FROM quotes)),
    ev AS (
      SELECT ts, 0::UTINYINT AS kind, sym, seq, price, size::DOUBLE AS size, side, 'NaN'::DOUBLE AS bid, 'NaN'::DOUBLE AS ask, 0::DOUBLE AS bsz, 0::DOUBLE AS asz FROM trades t WHERE ${tc}
      UNION ALL
      SELECT ts, 1::UTINYINT, sym, seq, 'NaN'::DOUBLE, 0::DOUBLE, 0::TINYINT, bid, ask, bid_size::DOUBLE, ask_size::DOUBLE FROM quotes q WHERE ${qc}
    )
    SELECT (epoch_ns(ts) - ${b})::DOUBLE AS t, kind, code, price, size, side, bid, ask, bsz, asz
    FROM ev JOIN syms USING (sym) ORDER BY ts, kind DESC, seq`;
  for await (const part of store.stream(sql, params, rows)) {
    const col = <T>(name: string) => part.getChild(name)?.toArray() as T;
    yield {
      n: part.numRows, base, symbols,
      t: col<Float64Array>("t"), kind: col<Uint8Array>("kind"), sym: col<Uint32Array>("code"),
      price: col<Float64Array>("price"), size: col<Float64Array>("size"), side: col<Int8Array>("side"),
      bid: col<Float64Array>("bid"), ask: col<Float64Array>("ask"), bidSize: col<Float64Array>("bsz"), askSize: col<Float64Array>("asz"),
    };
  }
}
