/**
 * Peer check of the backtester's accounting against vectorbt (.venv): the same target weights,
 * traded at the next close with 15 bps fees, fractional shares, cash shared across assets.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scoresToWeights, StatArbBacktester } from "../../lib/backtest/index.js";
import { repoRoot, runPython } from "../helpers/python.js";
import { checkInvariants } from "./invariants.js";
import { reversalScores, syntheticMarket } from "./market.js";

const hasVectorbt = existsSync(`${repoRoot}.venv/bin/python`) && existsSync(`${repoRoot}.venv/lib/python3.11/site-packages/vectorbt`);

describe("StatArbBacktester vs vectorbt", () => {
  it.skipIf(!hasVectorbt)("gives the same equity curve for the same targets, fills and fees", async () => {
    const mkt = syntheticMarket(20, 300, 17);
    const scores = reversalScores(mkt.prices);
    const bt = new StatArbBacktester({ data: mkt.prices, startDate: "2010-03-01", initialCapital: 1e6, transactionCosts: 0.0015, fractionalShares: true });
    const r = await bt.runBacktest({ scores, portfolio: { method: "rank", gross: 1 } });
    checkInvariants(r, mkt.prices);
    const i0 = bt.startRow;
    const T = mkt.prices.nDates;
    const n = mkt.prices.nAssets;
    // target weights decided at row i are traded at row i+1
    const w: (number | null)[][] = [];
    for (let i = 0; i < T; i++) {
      if (i <= i0) {
        w.push(new Array(n).fill(null));
        continue;
      }
      const s = Float64Array.from(scores.columns, (c) => c[i - 1]!);
      w.push(Array.from(scoresToWeights(s, { method: "rank", gross: 1 })));
    }
    const close = Array.from({ length: T }, (_, i) => Array.from(mkt.prices.columns, (c) => c[i]!));
    const peer = await runPython<number[]>(
      `
import numpy as np, pandas as pd, vectorbt as vbt
idx = pd.date_range("2010-01-04", periods=len(data["close"]), freq="B")
cl = pd.DataFrame(np.array(data["close"]), index=idx)
w = pd.DataFrame(np.array(data["w"], dtype=float), index=idx)
pf = vbt.Portfolio.from_orders(cl, size=w, size_type="targetpercent", group_by=True, cash_sharing=True,
                               call_seq="auto", fees=0.0015, init_cash=1e6, freq="1D")
emit(pf.value().to_numpy()[${i0}:])
`,
      { close, w },
      600_000,
    );
    expect(peer.length).toBe(r.equityCurve.length);
    for (let k = 0; k < peer.length; k++) expect(Math.abs(r.equityCurve[k]! / peer[k]! - 1)).toBeLessThan(1e-10);
  }, 600_000);
});
