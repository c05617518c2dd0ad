/**
 * The one door to DuckDB (`@duckdb/node-api`, with `@duckdb/node-bindings` for the raw vector copies):
 * opening a database with extension downloads switched off, appending typed-array columns as data
 * chunks (one memcpy per column per 2,048 rows — no per-value calls, no SQL per row), and reading a
 * result back as an apache-arrow Table built from the result's vectors. Both packages are loaded on
 * first use (lazy-deps.ts), not when `statarb` is imported: only types are imported here.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as DuckBindings from "@duckdb/node-bindings";
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBMaterializedResult, DuckDBResult, DuckDBType, DuckDBTypeId, DuckDBValue } from "@duckdb/node-api";
import { duckApi, duckBindings } from "./lazy-deps.js";
import {
  Bool,
  type Data,
  DateDay,
  Dictionary,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint8,
  Uint16,
  Uint32,
  Utf8,
  vectorFromArray,
  type Vector,
} from "apache-arrow";

import { type DuckReadKernel, nativeDuckRead, outputBuffer } from "../stats/index.js";
import { firstDisorder, rising } from "./order.js";

export type { DuckDBConnection, DuckDBType };

/** Opens DuckDB at `path` (":memory:" or a database file). Extensions are never downloaded (parquet, json and icu are built in). */
export async function openDuckDB(path: string, threads?: number): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const config: Record<string, string> = { autoinstall_known_extensions: "false", autoload_known_extensions: "false" };
  if (threads !== undefined) config.threads = String(threads);
  const instance = await duckApi().DuckDBInstance.create(path, config);
  const connection = await instance.connect();
  return { instance, connection };
}

/** A fixed-width column for {@link appendColumns}. */
export type FixedColumn = Float64Array | BigInt64Array | Int32Array | Uint32Array | Int8Array | Uint16Array | Uint8Array;

/**
 * Appends `n` rows of fixed-width columns to `table` through DuckDB's appender, one data chunk
 * (`vector_size()` rows) at a time; each column's bytes are copied into the chunk's vector with one call.
 * The column types must match the table's (checked by DuckDB: a mismatch is an error, nothing half-written
 * stays visible because the caller runs this inside a transaction).
 */
export async function appendColumns(connection: DuckDBConnection, table: string, types: readonly DuckDBType[], columns: readonly FixedColumn[], n: number): Promise<void> {
  const duckdb = duckBindings();
  const appender = await connection.createAppender(table);
  const raw = (appender as unknown as { appender: DuckBindings.Appender }).appender;
  const size = duckdb.vector_size();
  const chunk = duckApi().DuckDBDataChunk.create(types, size);
  try {
    for (let off = 0; off < n; off += size) {
      const m = Math.min(size, n - off);
      duckdb.data_chunk_reset(chunk.chunk);
      for (let j = 0; j < columns.length; j++) {
        const col = columns[j] as FixedColumn;
        const b = col.BYTES_PER_ELEMENT;
        duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, j), 0, col.buffer as ArrayBuffer, col.byteOffset + off * b, m * b);
      }
      duckdb.data_chunk_set_size(chunk.chunk, m);
      duckdb.append_data_chunk(raw, chunk.chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

type Fixed = { arrow: () => Data["type"]; bytes: number; make: (b: ArrayBuffer, o: number, n: number) => FixedColumn | Float32Array | BigUint64Array | Int16Array };

let fixedMemo: Partial<Record<DuckDBTypeId, Fixed>> | undefined;

/** The fixed-width DuckDB types and their Arrow / typed-array counterparts (built on first use: DuckDBTypeId comes with DuckDB). */
function fixedTypes(): Partial<Record<DuckDBTypeId, Fixed>> {
  if (fixedMemo !== undefined) return fixedMemo;
  const { DuckDBTypeId } = duckApi();
  fixedMemo = {
    [DuckDBTypeId.DOUBLE]: { arrow: () => new Float64(), bytes: 8, make: (b, o, n) => new Float64Array(b, o, n) },
    [DuckDBTypeId.BIGINT]: { arrow: () => new Int64(), bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
    [DuckDBTypeId.INTEGER]: { arrow: () => new Int32(), bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
    [DuckDBTypeId.SMALLINT]: { arrow: () => new Int16(), bytes: 2, make: (b, o, n) => new Int16Array(b, o, n) },
    [DuckDBTypeId.TINYINT]: { arrow: () => new Int8(), bytes: 1, make: (b, o, n) => new Int8Array(b, o, n) },
    [DuckDBTypeId.UINTEGER]: { arrow: () => new Uint32(), bytes: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
    [DuckDBTypeId.USMALLINT]: { arrow: () => new Uint16(), bytes: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
    [DuckDBTypeId.UTINYINT]: { arrow: () => new Uint8(), bytes: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
    [DuckDBTypeId.TIMESTAMP_NS]: { arrow: () => new TimestampNanosecond(), bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
    [DuckDBTypeId.TIMESTAMP]: { arrow: () => new TimestampMicrosecond(), bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
    [DuckDBTypeId.TIMESTAMP_MS]: { arrow: () => new TimestampMillisecond(), bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
    [DuckDBTypeId.TIMESTAMP_S]: { arrow: () => new TimestampSecond(), bytes: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
    [DuckDBTypeId.DATE]: { arrow: () => new DateDay(), bytes: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  };
  return fixedMemo;
}

/**
 * The columns of one data chunk of a result as typed arrays (one copy of each vector; no Arrow objects):
 * for readers that merge chunks straight into their own buffers. Every column must be fixed-width and
 * without NULLs (a NULL is an error naming the column).
 */
export function chunkArrays(result: DuckDBMaterializedResult, index: number): { n: number; columns: ReturnType<Fixed["make"]>[] } {
  const duckdb = duckBindings();
  const FIXED = fixedTypes();
  const chunk = result.getChunk(index);
  const n = chunk.rowCount;
  const types = result.columnTypes();
  const columns = types.map((t, j) => {
    const f = FIXED[t.typeId];
    if (f === undefined) throw new TypeError(`chunkArrays: column ${result.columnName(j)} is ${t.toString()}, not a fixed-width type`);
    const vec = duckdb.data_chunk_get_vector(chunk.chunk, j);
    const validity = duckdb.vector_get_validity(vec, Math.ceil(n / 64) * 8);
    if (validity !== null && validity.length > 0) for (let i = 0; i < n; i++) if (((validity[i >> 3] as number) & (1 << (i & 7))) === 0) throw new RangeError(`chunkArrays: column ${result.columnName(j)} has a NULL at row ${i}`);
    const bytes = duckdb.vector_get_data(vec, n * f.bytes);
    return f.make(bytes.buffer as ArrayBuffer, bytes.byteOffset, n);
  });
  return { n, columns };
}

/**
 * Every row of a materialized result whose columns are fixed-width and declared NOT NULL (the raw tick
 * tables: DuckDB refuses a NULL there on insert) as one typed array per column. Through the addon's
 * reader (native/linalg/duck_read.cc: every chunk's vectors copied into place in C++, a NULL an error)
 * when it recognises the result; else through the bindings, each chunk's vectors copied into place,
 * no validity masks read. With `order` (first and last columns ts and rowid) it also says whether the
 * rows are in (ts, rowid) order (checked in the same native call when there). It consumes the result:
 * after the native read DuckDB's copy of it is already freed, so the caller must not use it again. Measured (bench/results/ticks.notes.md): through the bindings what costs is
 * their per-chunk work (≈45 µs to fetch a chunk, ≈5–8 µs and a fresh Buffer per vector, and the GCs
 * those buffers bring), so callers select only the columns they need and cast nothing.
 */
export function readNotNullColumns(result: DuckDBMaterializedResult, native: DuckReadKernel | null = nativeDuckRead(), order = false): { columns: ReturnType<Fixed["make"]>[]; ordered?: boolean } {
  const duckdb = duckBindings();
  const FIXED = fixedTypes();
  const raw = (result as unknown as { result: DuckBindings.Result }).result;
  const fixed = result.columnTypes().map((t, j) => {
    const f = FIXED[t.typeId];
    if (f === undefined) throw new TypeError(`readNotNullColumns: column ${result.columnName(j)} is ${t.toString()}, not a fixed-width type`);
    return f;
  });
  const total = duckdb.row_count(raw);
  // one buffer for every column (huge pages when the addon can), widest first so each view is aligned; every byte is written below
  const mem = outputBuffer(fixed.reduce((a, f) => a + f.bytes, 0) * total);
  const at: number[] = [];
  let offset = 0;
  for (const j of fixed.map((_, k) => k).sort((a, b) => (fixed[b] as Fixed).bytes - (fixed[a] as Fixed).bytes)) {
    at[j] = offset;
    offset += (fixed[j] as Fixed).bytes * total;
  }
  const out = fixed.map((f, j) => f.make(mem, at[j] as number, total));
  const lib = native === null ? null : libduckdbPath();
  // release: DuckDB's copy of the rows is freed now (reused by the next query) — `result` is not used after this
  const done = native !== null && lib !== null ? native(raw, lib, out, order, true) : 0;
  if (done !== 0) return order ? { columns: out, ordered: done === 1 } : { columns: out };
  const bytes = out.map((o) => new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
  let row = 0;
  for (let c = 0, count = duckdb.result_chunk_count(raw); c < count; c++) {
    const chunk = duckdb.result_get_chunk(raw, c);
    const n = duckdb.data_chunk_get_size(chunk);
    if (row + n > total) throw new Error(`readNotNullColumns: DuckDB's chunks hold more than its ${total} rows`);
    for (let j = 0; j < fixed.length; j++) {
      const b = (fixed[j] as Fixed).bytes;
      (bytes[j] as Uint8Array).set(duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk, j), n * b), row * b);
    }
    row += n;
  }
  if (row !== total) throw new Error(`readNotNullColumns: DuckDB's result has ${total} rows but its chunks hold ${row}`);
  if (!order) return { columns: out };
  return { columns: out, ordered: firstDisorder(out[0] as BigInt64Array) < 0 && rising(out[out.length - 1] as BigInt64Array) };
}

const libduckdb: { path?: string | null } = {};

/** The libduckdb that @duckdb/node-bindings loads (its platform package's), or null when not found. */
export function libduckdbPath(): string | null {
  if (libduckdb.path !== undefined) return libduckdb.path;
  libduckdb.path = null;
  try {
    const pkg = createRequire(import.meta.url).resolve(`@duckdb/node-bindings-${process.platform}-${process.arch}/package.json`);
    const file = join(dirname(pkg), process.platform === "darwin" ? "libduckdb.dylib" : "libduckdb.so");
    if (existsSync(file)) libduckdb.path = file;
  } catch {
    // another platform package layout: the bindings path is used
  }
  return libduckdb.path;
}

/** One result column being gathered chunk by chunk. */
interface Gather {
  fixed: Fixed | undefined;
  parts: Uint8Array[];
  /** The whole column, when the row count is known up front (a materialized result): chunks are copied straight in. */
  out?: Uint8Array;
  nulls: number[];
  values: unknown[];
  typeId: DuckDBTypeId;
  cache?: Map<number, { w1: number; w2: number; s: string }[]>;
}

function readChunk(chunk: DuckDBDataChunk, gathers: Gather[], base: number): void {
  const duckdb = duckBindings();
  const VARCHAR = duckApi().DuckDBTypeId.VARCHAR;
  const n = chunk.rowCount;
  gathers.forEach((g, j) => {
    if (g.fixed) {
      const vec = duckdb.data_chunk_get_vector(chunk.chunk, j);
      const bytes = duckdb.vector_get_data(vec, n * g.fixed.bytes);
      if (g.out !== undefined) g.out.set(bytes, base * g.fixed.bytes);
      else g.parts.push(bytes.slice());
      const validity = duckdb.vector_get_validity(vec, Math.ceil(n / 64) * 8);
      if (validity !== null && validity.length > 0) {
        for (let i = 0; i < n; i++) if (((validity[i >> 3] as number) & (1 << (i & 7))) === 0) g.nulls.push(base + i);
      }
    } else if (g.typeId !== VARCHAR || !readInlineStrings(chunk, j, n, g)) {
      for (const v of chunk.getColumnValues(j)) g.values.push(v);
    }
  });
}

/**
 * Reads a VARCHAR vector whose strings are all inlined (≤ 12 bytes: DuckDB's `duckdb_string_t` holds
 * them in its 16 bytes — length, then the bytes) straight from the vector's memory, with a cache of the
 * strings seen (tick symbols and venues repeat); false when a longer string needs the general path.
 */
function readInlineStrings(chunk: DuckDBDataChunk, j: number, n: number, g: Gather): boolean {
  const duckdb = duckBindings();
  const vec = duckdb.data_chunk_get_vector(chunk.chunk, j);
  const raw = duckdb.vector_get_data(vec, n * 16);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < n; i++) if (view.getUint32(i * 16, true) > 12) return false;
  const validity = duckdb.vector_get_validity(vec, Math.ceil(n / 64) * 8);
  const cache = (g.cache ??= new Map<number, { w1: number; w2: number; s: string }[]>());
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity.length > 0 && ((validity[i >> 3] as number) & (1 << (i & 7))) === 0) {
      g.values.push(null);
      continue;
    }
    const o = i * 16;
    const len = view.getUint32(o, true);
    const w0 = view.getUint32(o + 4, true);
    const w1 = len > 4 ? view.getUint32(o + 8, true) : 0;
    const w2 = len > 8 ? view.getUint32(o + 12, true) : 0;
    const key = len * 4294967296 + w0;
    let list = cache.get(key);
    let hit = list?.find((e) => e.w1 === w1 && e.w2 === w2);
    if (hit === undefined) {
      hit = { w1, w2, s: utf8.decode(raw.subarray(o + 4, o + 4 + len)) };
      if (list === undefined) cache.set(key, (list = []));
      list.push(hit);
    }
    g.values.push(hit.s);
  }
  return true;
}

const utf8 = new TextDecoder();

/** Strings as a dictionary-encoded Arrow vector (Int32 codes into the distinct strings; nulls in the bitmap). */
function stringVector(vals: readonly unknown[]): Vector {
  const codes = new Int32Array(vals.length);
  const index = new Map<string, number>();
  const words: string[] = [];
  const bitmap = new Uint8Array((vals.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (v === null || v === undefined) {
      nulls++;
      continue;
    }
    bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    const str = String(v);
    let k = index.get(str);
    if (k === undefined) index.set(str, (k = words.length)), words.push(str);
    codes[i] = k;
  }
  const dictionary = vectorFromArray(words, new Utf8());
  const type = new Dictionary(new Utf8(), new Int32());
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return makeVector(makeData({ type, length: vals.length, data: codes, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : undefined, dictionary } as any) as Data);
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out.buffer;
}

function plain(v: DuckDBValue): unknown {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") return v;
  return String(v);
}

/** A column of fixed width; NULLs become NaN (the column turns float64 when it is integer). */
function fixedVector(g: Gather, n: number): Vector {
  const f = g.fixed as Fixed;
  const data = f.make(g.out !== undefined ? (g.out.buffer as ArrayBuffer) : concat(g.parts), 0, n);
  if (g.nulls.length === 0) return makeVectorOf(f.arrow(), data);
  const out = Float64Array.from(data as ArrayLike<number | bigint>, Number);
  for (const i of g.nulls) out[i] = Number.NaN;
  return makeVectorOf(new Float64(), out);
}

function makeVectorOf(type: Data["type"], data: ArrayLike<unknown>): Vector {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return makeVector(makeData({ type, length: data.length, data } as any) as Data);
}

function otherVector(g: Gather): Vector {
  const { DuckDBTypeId } = duckApi();
  const vals = g.values.map((v) => plain(v as DuckDBValue));
  if (g.typeId === DuckDBTypeId.BOOLEAN) return vectorFromArray(vals as (boolean | null)[], new Bool());
  if (g.typeId === DuckDBTypeId.VARCHAR) return stringVector(vals);
  if (vals.every((v) => v === null || typeof v === "number")) return makeVectorOf(new Float64(), Float64Array.from(vals, (v) => (v === null ? Number.NaN : (v as number))));
  if (vals.every((v) => v === null || typeof v === "bigint")) {
    if (vals.includes(null)) return makeVectorOf(new Float64(), Float64Array.from(vals, (v) => (v === null ? Number.NaN : Number(v))));
    return makeVectorOf(new Int64(), BigInt64Array.from(vals as bigint[]));
  }
  return vectorFromArray(vals.map((v) => (v === null ? null : String(v))), new Utf8());
}

/**
 * Reads the whole of a streamed or materialized result into an apache-arrow Table (column names kept).
 * A materialized result (what `connection.run` returns) is read synchronously, chunk by chunk, each
 * fixed-width vector copied once into its column (no promise per 2,048 rows, no concatenation).
 */
export async function readArrow(result: DuckDBResult): Promise<Table> {
  if (result instanceof duckApi().DuckDBMaterializedResult) return readMaterialized(result);
  return (await readArrowPart(result, Infinity)) ?? new Table({});
}

function readMaterialized(result: DuckDBMaterializedResult): Table {
  const gathers = startGathers(result);
  const total = result.rowCount;
  for (const g of gathers) if (g.fixed) g.out = new Uint8Array(total * g.fixed.bytes);
  let n = 0;
  for (let c = 0, count = result.chunkCount; c < count; c++) {
    const chunk = result.getChunk(c);
    if (chunk.rowCount === 0) continue;
    readChunk(chunk, gathers, n);
    n += chunk.rowCount;
  }
  if (n !== total) throw new Error(`readArrow: DuckDB's result has ${total} rows but its chunks hold ${n}`);
  return finishTable(result, gathers, n);
}

function startGathers(result: DuckDBResult): Gather[] {
  const FIXED = fixedTypes();
  return result.columnTypes().map((t) => ({ fixed: FIXED[t.typeId], parts: [], nulls: [], values: [], typeId: t.typeId }));
}

function finishTable(result: DuckDBResult, gathers: Gather[], n: number): Table {
  const columns: Record<string, Vector> = {};
  result.columnNames().forEach((name, j) => {
    const g = gathers[j] as Gather;
    columns[uniqueName(columns, name)] = g.fixed ? fixedVector(g, n) : otherVector(g);
  });
  return new Table(columns);
}

/**
 * Reads up to about `rows` more rows of a streamed result (whole chunks) as a Table; undefined at the end.
 * A caller reading a big result part by part holds one part in memory at a time.
 */
export async function readArrowPart(result: DuckDBResult, rows: number): Promise<Table | undefined> {
  const gathers = startGathers(result);
  let n = 0;
  let chunks = 0;
  while (n < rows) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    readChunk(chunk, gathers, n);
    n += chunk.rowCount;
    chunks++;
  }
  if (chunks === 0 && rows !== Infinity) return undefined;
  return finishTable(result, gathers, n);
}

function uniqueName(taken: Record<string, unknown>, name: string): string {
  if (!(name in taken)) return name;
  let k = 1;
  while (`${name}_${k}` in taken) k++;
  return `${name}_${k}`;
}
