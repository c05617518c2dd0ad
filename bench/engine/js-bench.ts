/**
 * The engine from JavaScript: Liquibook's insert-only stream (alternating sides, 10-tick
 * overlapping band so inserts also match, quantities 100–1000) through (1) the batch path, one
 * N-API crossing per 1 M orders, (2) the per-call path, one `submit` per order, and (3) a
 * straightforward TypeScript Map-of-arrays book, the peer, in the same run. Prints one JSON line.
 */
import { BATCH_OP, OrderBook } from "../../native/ts/index.js";

const N = Number(process.argv[2] ?? 1_000_000);
const TICK = 0.01;
const BASE = 10_000;

interface TsOrder {
  id: number;
  qty: number;
}
interface TsFill {
  taker: number;
  maker: number;
  price: number;
  quantity: number;
}

/** The peer: Map price → FIFO array per side, sorted price lists for the best, plain objects. */
class MapBook {
  readonly bids = new Map<number, TsOrder[]>();
  readonly asks = new Map<number, TsOrder[]>();
  readonly bidPrices: number[] = []; // descending
  readonly askPrices: number[] = []; // ascending

  submit(id: number, buy: boolean, price: number, qty: number): TsFill[] {
    const fills: TsFill[] = [];
    const oppPrices = buy ? this.askPrices : this.bidPrices;
    const opp = buy ? this.asks : this.bids;
    while (qty > 0 && oppPrices.length > 0) {
      const best = oppPrices[0]!;
      if (buy ? best > price : best < price) break;
      const level = opp.get(best)!;
      while (qty > 0 && level.length > 0) {
        const m = level[0]!;
        const q = Math.min(qty, m.qty);
        m.qty -= q;
        qty -= q;
        fills.push({ taker: id, maker: m.id, price: best, quantity: q });
        if (m.qty === 0) level.shift();
      }
      if (level.length === 0) {
        opp.delete(best);
        oppPrices.shift();
      }
    }
    if (qty > 0) {
      const own = buy ? this.bids : this.asks;
      const prices = buy ? this.bidPrices : this.askPrices;
      let level = own.get(price);
      if (!level) {
        level = [];
        own.set(price, level);
        let lo = 0, hi = prices.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (buy ? prices[mid]! > price : prices[mid]! < price) lo = mid + 1;
          else hi = mid;
        }
        prices.splice(lo, 0, price);
      }
      level.push({ id, qty });
    }
    return fills;
  }
}

function stream(n: number) {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 4294967296);
  const ops = {
    type: new Uint8Array(n).fill(BATCH_OP.limit),
    id: new Float64Array(n),
    side: new Uint8Array(n),
    price: new Float64Array(n),
    quantity: new Float64Array(n),
  };
  const ticks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    ops.id[i] = i + 1;
    ops.side[i] = i & 1;
    ticks[i] = BASE + Math.floor(rnd() * 10);
    ops.price[i] = Math.round(ticks[i]! * TICK * 100) / 100;
    ops.quantity[i] = 100 + Math.floor(rnd() * 901);
  }
  return { ops, ticks };
}

function best(reps: number, f: () => number): { seconds: number; check: number } {
  let seconds = Infinity, check = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    check = f();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds, check };
}

const { ops, ticks } = stream(N);
const batch = best(3, () => new OrderBook({ tickSize: TICK }).submitBatch(ops).fillOp.length);
const perCall = best(3, () => {
  const b = new OrderBook({ tickSize: TICK });
  let fills = 0;
  for (let i = 0; i < N; i++) {
    fills += b.submit({ id: ops.id[i]!, side: ops.side[i] === 0 ? "buy" : "sell", price: ops.price[i]!, quantity: ops.quantity[i]! }).fills.length;
  }
  return fills;
});
const peer = best(3, () => {
  const b = new MapBook();
  let fills = 0;
  for (let i = 0; i < N; i++) fills += b.submit(ops.id[i]!, ops.side[i] === 0, ticks[i]!, ops.quantity[i]!).length;
  return fills;
});
if (batch.check !== perCall.check || batch.check !== peer.check) {
  throw new Error(`fill counts differ: batch ${batch.check}, per-call ${perCall.check}, TS book ${peer.check}`);
}
console.log(
  JSON.stringify({
    orders: N,
    fills: batch.check,
    batchPerSec: N / batch.seconds,
    perCallPerSec: N / perCall.seconds,
    tsBookPerSec: N / peer.seconds,
  }),
);
