/**
 * The as-of join on typed-array columns equals pandas' merge_asof(trades, quotes, on="ts", by="sym")
 * (backward; with tolerance; with allow_exact_matches=False) on the same data — run in the project's
 * .venv — with many ties (several quotes and trades at one nanosecond, quotes at a trade's exact time,
 * trades before their symbol's first quote); the store path (columns read once from DuckDB) gives the
 * same rows as the in-memory path; bad input is refused naming the column.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asofJoin, loadTickColumns, openTickStore, tickColumns, toEpochNs, type TickColumns } from "../../lib/ticks/index.js";
import { hasVenv, runPython, venvTitle } from "../helpers/python.js";

const T0 = toEpochNs("2024-01-02T14:30:00Z");
const SYMS = ["AAA", "BBB", "CCC", "DDD"];

/** Seeded ticks: offsets in ns from T0 with heavy ties; quote k has bid k + 1 (its row, recoverable from the join). */
function ticks(nt: number, nq: number, seed: number) {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const offsets = (n: number) => Array.from({ length: n }, () => Math.floor(rnd() * n * 0.7)).sort((a, b) => a - b);
  const tOff = offsets(nt);
  const qOff = offsets(nq);
  const tSym = Array.from({ length: nt }, () => Math.floor(rnd() * SYMS.length));
  const qSym = Array.from({ length: nq }, () => Math.floor(rnd() * (SYMS.length - 1))); // DDD never quoted
  const trades = {
    ts: BigInt64Array.from(tOff, (o) => T0 + BigInt(o)), sym: { codes: Uint32Array.from(tSym), dictionary: SYMS },
    price: Float64Array.from(tOff, (_, i) => 10 + (i % 7) * 0.25), size: Int32Array.from(tOff, (_, i) => 100 + i), side: new Int8Array(nt),
  };
  const quotes = {
    ts: BigInt64Array.from(qOff, (o) => T0 + BigInt(o)), sym: qSym.map((k) => SYMS[k]!),
    bid: Float64Array.from(qOff, (_, k) => k + 1), ask: Float64Array.from(qOff, (_, k) => k + 1.5), bidSize: Int32Array.from(qOff, () => 1), askSize: Int32Array.from(qOff, () => 2),
  };
  return { trades, quotes, tOff, qOff, tSym, qSym };
}

const CASES = [
  { name: "backward", options: {}, py: {} },
  { name: "tolerance 3 ns", options: { tolerance: 3 }, py: { tolerance: 3 } },
  { name: "no exact matches", options: { allowExactMatches: false }, py: { allow_exact_matches: false } },
  { name: "tolerance 2 ns, no exact matches", options: { tolerance: "2ns", allowExactMatches: false }, py: { tolerance: 2, allow_exact_matches: false } },
] as const;

const PANDAS = `
import numpy as np, pandas as pd
t0 = int(data["t0"])
tr = pd.DataFrame({"ts": pd.to_datetime(np.array(data["tOff"], dtype=np.int64) + t0, unit="ns"), "sym": [data["syms"][k] for k in data["tSym"]], "trow": np.arange(len(data["tOff"]))})
qu = pd.DataFrame({"ts": pd.to_datetime(np.array(data["qOff"], dtype=np.int64) + t0, unit="ns"), "sym": [data["syms"][k] for k in data["qSym"]], "qrow": np.arange(len(data["qOff"]))})
out = {}
for c in data["cases"]:
    kw = dict(c["py"])
    if "tolerance" in kw: kw["tolerance"] = pd.Timedelta(kw["tolerance"], unit="ns")
    j = pd.merge_asof(tr, qu, on="ts", by="sym", **kw)
    out[c["name"]] = j["qrow"].fillna(-1).astype(int).tolist()
out["version"] = pd.__version__
emit(out)
`;

/** The quote row each trade got (bid = row + 1), −1 without one. */
function picked(bid: Float64Array): number[] {
  return Array.from(bid, (b) => (b === b ? b - 1 : -1));
}

describe("as-of join on typed-array columns", () => {
  it.skipIf(!hasVenv())(venvTitle("equals pandas merge_asof (by symbol, tolerance, allow_exact_matches) in memory and from the store"), async () => {
    const d = ticks(3000, 2500, 7);
    const want = await runPython<Record<string, number[]> & { version: string }>(PANDAS, { t0: String(T0), tOff: d.tOff, qOff: d.qOff, tSym: d.tSym, qSym: d.qSym, syms: SYMS, cases: CASES });
    const mem = tickColumns(d.trades, d.quotes);
    const store = await openTickStore();
    let stored: TickColumns;
    try {
      await store.ingestTrades(d.trades);
      await store.ingestQuotes(d.quotes);
      stored = await loadTickColumns(store);
      const viaStore = await asofJoin(store, { tolerance: 3 });
      expect(picked(viaStore.getChild("bid")!.toArray() as Float64Array)).toEqual(want["tolerance 3 ns"]);
      // a Parquet store has no raw tables: the columns come through its views, sorted by DuckDB
      const dir = mkdtempSync(join(tmpdir(), "statarb-asof-pq-"));
      try {
        const pq = await openTickStore({ parquet: await store.exportParquet(dir) });
        try {
          const viaParquet = await asofJoin(pq, { allowExactMatches: false });
          expect(picked(viaParquet.getChild("bid")!.toArray() as Float64Array)).toEqual(want["no exact matches"]);
          expect(viaParquet.getChild("sym")!.get(5)).toBe(SYMS[d.tSym[5]!]);
          // a filtered read keeps the quotes before start (they still prevail at the first trades)
          const start = d.trades.ts[1500]!;
          const part = await asofJoin(pq, { symbols: ["AAA", "BBB"], start });
          const keep = d.tSym.map((k, i) => (d.trades.ts[i]! >= start && k <= 1 ? want.backward![i]! : undefined)).filter((x) => x !== undefined);
          expect(picked(part.getChild("bid")!.toArray() as Float64Array)).toEqual(keep);
        } finally {
          pq.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      store.close();
    }
    let some = 0;
    for (const c of CASES) {
      const expected = want[c.name]!;
      expect(expected.length).toBe(3000);
      for (const cols of [mem, stored]) {
        const j = await asofJoin(cols, c.options);
        expect(picked(j.getChild("bid")!.toArray() as Float64Array), `${c.name} (pandas ${want.version})`).toEqual(expected);
      }
      some += expected.filter((k) => k >= 0).length;
    }
    expect(some).toBeGreaterThan(1000); // the cases are not vacuous
    // the output columns: trade fields kept, quote fields gathered, derived fields
    const j = await asofJoin(mem);
    const k = want.backward!.findIndex((r) => r >= 0);
    expect(j.numRows).toBe(3000);
    expect((j.getChild("ts")!.toArray() as BigInt64Array)[k]).toBe(d.trades.ts[k]);
    expect(j.getChild("sym")!.get(k)).toBe(SYMS[d.tSym[k]!]);
    expect(j.getChild("quote_ts")!.get(k)).toBe(Number(d.quotes.ts[want.backward![k]!]!)); // float64 ns: some trades have no quote
    expect(j.getChild("mid")!.get(k)).toBe(want.backward![k]! + 1.25);
    expect(j.getChild("size")!.get(k)).toBe(100 + k);
    expect(j.getChild("bid")!.get(want.backward!.indexOf(-1))).toBeNaN();
  });

  it("refuses unsorted columns, filters on columns and a bad source, naming them", async () => {
    const d = ticks(10, 10, 3);
    const ts = d.trades.ts.slice().reverse();
    expect(() => tickColumns({ ...d.trades, ts }, d.quotes)).toThrow(/trades\.ts must be sorted .* row 1/);
    expect(() => tickColumns(d.trades, { ...d.quotes, bid: [1] as never })).toThrow(/quotes\.bid must be a column/);
    expect(() => tickColumns(d.trades, { ...d.quotes, ask: new Float64Array(3) })).toThrow(/quotes\.ask has 3 rows but quotes\.ts has 10/);
    expect(() => tickColumns({ ...d.trades, sym: { codes: Uint32Array.from(d.tSym, () => 9), dictionary: SYMS } }, d.quotes)).toThrow(/trades\.sym\.codes\[0\] = 9 is outside/);
    const cols = tickColumns(d.trades, d.quotes);
    await expect(asofJoin(cols, { symbols: ["AAA"] })).rejects.toThrow(/filter a store/);
    await expect(asofJoin({ trades: d.trades, quotes: d.quotes } as never)).rejects.toThrow(/source must be a TickStore or TickColumns/);
    await expect(asofJoin(cols, { allowExactMatches: 1 as never })).rejects.toThrow(/allowExactMatches must be true or false/);
  });
});
