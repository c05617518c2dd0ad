/**
 * The real tick sample: trades and quotes of MSFT, GOOG and AAPL in the first 55 ms after the US open
 * of 2016-05-25 (13:30:00.023–.078 UTC; market centers NASDAQ/ARCA), shipped by pandas as the fixtures of
 * its `merge_asof` tests, with the as-of join pandas expects of them. `scripts/fetch-ticks.mjs` (run by
 * setup) extracts it from the pinned pandas wheel into `datasets/.cache/ticks-pandas-taq/`. The fixture
 * has no quote sizes: they are stored as 0. It is tiny (27 trades, 16 quotes): use it to check joins on
 * real data, and the simulated market for scale.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { datasetCacheDir } from "../data/index.js";
import type { QuoteBatch, TradeBatch } from "./schema.js";
import { toEpochNs } from "./store.js";

/** The pandas sample, as store batches, plus pandas' expected as-of join (bid/ask per trade, NaN = no quote). */
export interface TaqSample {
  readonly trades: TradeBatch;
  readonly quotes: QuoteBatch;
  readonly expectedAsof: { readonly bid: Float64Array; readonly ask: Float64Array; readonly ts: BigInt64Array; readonly sym: readonly string[]; readonly price: Float64Array };
  readonly source: string;
  readonly provenance: "real";
}

/** "20160525 13:30:00.023" (UTC) → ns since 1970. */
function fixtureTime(s: string): bigint {
  const m = /^(\d{4})(\d{2})(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(s);
  if (!m) throw new Error(`loadTaqSample: bad fixture time ${JSON.stringify(s)}`);
  return toEpochNs(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`);
}

type Fixture = { columns: string[]; rows: (string | null)[][] };

function column(f: Fixture, name: string): (string | null)[] {
  const j = f.columns.indexOf(name);
  if (j < 0) throw new Error(`loadTaqSample: fixture has no column ${name}`);
  return f.rows.map((r) => r[j] ?? null);
}

const num = (v: string | null) => (v === null ? Number.NaN : Number(v));

/** Loads the real sample (see the module doc); `cacheDir` defaults to $STATARB_DATA_DIR or datasets/.cache. */
export function loadTaqSample(options: { cacheDir?: string } = {}): TaqSample {
  const dir = join(options.cacheDir ?? datasetCacheDir(), "ticks-pandas-taq");
  const file = join(dir, "sample.json");
  if (!existsSync(file)) throw new Error(`loadTaqSample: ${file} is missing; fetch it with \`node scripts/fetch-ticks.mjs\` (run by scripts/setup)`);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as { source: string; sha256: string };
  const text = readFileSync(file, "utf8");
  if (createHash("sha256").update(text).digest("hex") !== meta.sha256) throw new Error(`loadTaqSample: ${file} does not match the checksum in meta.json; refetch with \`node scripts/fetch-ticks.mjs --force\``);
  const s = JSON.parse(text) as { trades: Fixture; quotes: Fixture; asof: Fixture };
  const t = s.trades;
  const q = s.quotes;
  const a = s.asof;
  const trades: TradeBatch = {
    ts: BigInt64Array.from(column(t, "time"), (v) => fixtureTime(v as string)),
    sym: column(t, "ticker") as string[],
    price: Float64Array.from(column(t, "price"), num),
    size: Int32Array.from(column(t, "quantity"), num),
    venue: column(t, "marketCenter") as string[],
  };
  const n = q.rows.length;
  const quotes: QuoteBatch = {
    ts: BigInt64Array.from(column(q, "time"), (v) => fixtureTime(v as string)),
    sym: column(q, "ticker") as string[],
    bid: Float64Array.from(column(q, "bid"), num),
    ask: Float64Array.from(column(q, "ask"), num),
    bidSize: new Int32Array(n),
    askSize: new Int32Array(n),
  };
  const expectedAsof = {
    ts: BigInt64Array.from(column(a, "time"), (v) => fixtureTime(v as string)),
    sym: column(a, "ticker") as string[],
    price: Float64Array.from(column(a, "price"), num),
    bid: Float64Array.from(column(a, "bid"), num),
    ask: Float64Array.from(column(a, "ask"), num),
  };
  return Object.freeze({ trades, quotes, expectedAsof, source: `${meta.source} pandas/tests/reshape/merge/test_merge_asof.py`, provenance: "real" as const });
}
