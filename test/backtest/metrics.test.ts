import { describe, expect, it } from "vitest";
import { backtestMetrics } from "../../lib/backtest/index.js";
import { hasVenv, runPython } from "../helpers/python.js";
import { syntheticMarket } from "./market.js";

describe("BacktestResult metrics", () => {
  it.skipIf(!hasVenv())("agree with empyrical", async () => {
    const p = syntheticMarket(2, 800, 9).prices;
    const r = p.returns().column(0).subarray(1);
    const b = p.returns().column(1).subarray(1);
    const peer = await runPython<Record<string, number>>(
      `
import numpy as np, empyrical as ep
r = np.array(data["r"]); b = np.array(data["b"]); a = r - b
emit({"sharpeRatio": ep.sharpe_ratio(r), "sortinoRatio": ep.sortino_ratio(r), "maxDrawdown": ep.max_drawdown(r),
      "calmarRatio": ep.calmar_ratio(r), "annualReturn": ep.annual_return(r), "annualVolatility": ep.annual_volatility(r),
      "informationRatio": a.mean() / a.std(ddof=1) * np.sqrt(252)})
`,
      { r: Array.from(r), b: Array.from(b) },
    );
    const m = backtestMetrics(r, b);
    for (const [k, v] of Object.entries(peer)) expect((m as unknown as Record<string, number>)[k]! / v, k).toBeCloseTo(1, 10);
  });
});
