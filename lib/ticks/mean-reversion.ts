/**
 * An example intraday strategy for `runStrategy`: fade a quote mid that strays from its exponentially
 * weighted average. On each quote, with d = (mid − ewma) / spread: d > threshold sells `clip` shares at
 * the bid (IOC), d < −threshold buys at the ask, while |position| stays within `maxPosition`. It is an
 * illustration of the strategy interface, not a claim of profitability.
 */
import { opt, readOptions } from "../data/index.js";
import type { Strategy, StrategyContext, TickView } from "./runner.js";

/** Options of {@link meanReversionStrategy}. */
export interface MeanReversionOptions {
  /** EWMA half-life in quotes (default 50). */
  halfLife?: number;
  /** Entry threshold in spreads (default 1.5). */
  threshold?: number;
  /** Shares per order (default 100). */
  clip?: number;
  /** Largest |position| in shares (default 1000). */
  maxPosition?: number;
}

export function meanReversionStrategy(options?: MeanReversionOptions): Strategy {
  const o = readOptions("meanReversionStrategy", options, {
    halfLife: opt.number(50, { min: 0, open: "min" }),
    threshold: opt.number(1.5, { min: 0 }),
    clip: opt.integer(100, { min: 1 }),
    maxPosition: opt.integer(1000, { min: 1 }),
  });
  const a = 1 - Math.pow(0.5, 1 / o.halfLife);
  const ewma: number[] = [];
  return {
    onTick(tick: TickView, ctx: StrategyContext): void {
      if (tick.kind !== "quote" || !(tick.ask > tick.bid)) return;
      const mid = (tick.bid + tick.ask) / 2;
      const e = ewma[tick.sym];
      ewma[tick.sym] = e === undefined ? mid : e + a * (mid - e);
      if (e === undefined) return;
      const d = (mid - e) / (tick.ask - tick.bid);
      const q = ctx.position(tick.sym);
      if (d > o.threshold && q - o.clip >= -o.maxPosition) ctx.submit({ sym: tick.sym, side: -1, quantity: o.clip, price: tick.bid, timeInForce: "ioc" });
      else if (d < -o.threshold && q + o.clip <= o.maxPosition) ctx.submit({ sym: tick.sym, side: 1, quantity: o.clip, price: tick.ask, timeInForce: "ioc" });
    },
  };
}
