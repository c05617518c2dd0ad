/**
 * The store's tables in the q bridge's layout: encoded as kdb+ IPC (bridges/q) they decode back to the
 * same values. Loading them into a live q needs kdb+, which no package registry ships: that part runs
 * only where kdb+ is present and is skipped here otherwise, saying so.
 */
import { describe, expect, it } from "vitest";
import { hasKdb, loadTicks, qAsofJoin, qipc, qSession, quoteTable, tradeTable } from "../../bridges/index.js";
import { asofJoin, loadTaqSample, openTickStore, qTickColumns } from "../../lib/ticks/index.js";

async function sampleStore() {
  const s = loadTaqSample();
  const store = await openTickStore();
  await store.ingestTrades(s.trades);
  await store.ingestQuotes(s.quotes);
  return store;
}

describe("tick tables for q", () => {
  it("encode as kdb+ IPC and decode to the same columns (the real pandas TAQ sample)", async () => {
    const store = await sampleStore();
    try {
      const { trades, quotes } = await qTickColumns(store);
      expect(trades.price.length).toBe(27);
      const back = qipc.fromQ(qipc.decodeMessage(qipc.encodeMessage(tradeTable(trades))).value) as Record<string, unknown>;
      expect(back.sym).toEqual(trades.sym);
      expect(Array.from(back.price as Float64Array)).toEqual(Array.from(trades.price));
      expect(String(back.side).length).toBe(27);
      const qb = qipc.fromQ(qipc.decodeMessage(qipc.encodeMessage(quoteTable(quotes))).value) as Record<string, unknown>;
      expect(Array.from(qb.bid as Float64Array)).toEqual(Array.from(quotes.bid));
      await expect(qTickColumns(store, { symbol: ["X"] } as never)).rejects.toThrow(/did you mean "symbols"/);
    } finally {
      store.close();
    }
  });

  it.skipIf(!hasKdb())(`loads the same tables into q and q's aj agrees with DuckDB's${hasKdb() ? "" : " (skipped: kdb+ is not installed here — it is not on any package registry)"}`, async () => {
    const store = await sampleStore();
    const q = qSession();
    try {
      const { trades, quotes } = await qTickColumns(store);
      await loadTicks(q, trades, quotes);
      const theirs = await qAsofJoin(q);
      const ours = await asofJoin(store);
      expect((theirs.bid as Float64Array).length).toBe(ours.numRows);
    } finally {
      await q.close();
      store.close();
    }
  });
});
