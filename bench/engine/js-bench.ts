/**
 * The engine from JavaScript: Liquibook's insert-only stream (alternating buy/sell; buys in a
 * 10-tick band, sells in a 10-tick band overlapping it by 6 ticks, so inserts also match;
 * quantities 100–1000 in lots of 100) through (1) the batch path, one N-API crossing for all N
 * orders, (2) the per-call path, one `submit` per order returning its fills, and (3) a
 * straightforward TypeScript Map-of-arrays book, the peer, in the same process, interleaved, each
 * repeated REPS times; prints one JSON line with the median rate of each.
 *   npx tsx bench/engine/js-bench.ts [N=1000000] [REPS=5]
 */
import { BATCH_OP, OrderBook } from "../../native/ts/index.js";

const N = Number(process.argv[2] ?? 1_000_000);
const REPS = Number(process.argv[3] ?? 5);
const TICK = 0.01;
const BID_BASE = 188_000; // ticks: bids 1880.00–1880.09, asks 1880.04–1880.13
const ASK_BASE = 188_004;

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
    ops.side[i] = i & 1; // 0 = buy first, alternating
    ticks[i] = (i & 1 ? ASK_BASE : BID_BASE) + Math.floor(rnd() * 10);
    ops.price[i] = ticks[i]! / 100;
    ops.quantity[i] = 100 * (1 + Math.floor(rnd() * 10));
  }
  return { ops, ticks };
}

// wall seconds, and CPU seconds of the whole process (all threads, so GC helpers count against us)
function timed(f: () => number): { seconds: number; cpuSeconds: number; check: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const check = f();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return { seconds, cpuSeconds: (c.user + c.system) / 1e6, check };
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const { ops, ticks } = stream(N);
// Each native run ends by dispose()-ing its book outside the timed region (its memory goes back to
// the engine's block cache now, where a synchronous loop would otherwise wait for the garbage
// collector); the TypeScript book's memory is likewise reclaimed by the GC outside the timing.
let last: OrderBook | undefined;
const runBatch = () => (last = new OrderBook({ tickSize: TICK })).submitBatch(ops).fillOp.length;
// the same with the pool sized up front (expectedOrders), as a backtest that knows its order count can
const runBatchPresized = () => (last = new OrderBook({ tickSize: TICK, expectedOrders: N })).submitBatch(ops).fillOp.length;
const runPerCall = () => {
  const b = (last = new OrderBook({ tickSize: TICK }));
  let fills = 0;
  for (let i = 0; i < N; i++) {
    fills += b.submit({ id: ops.id[i]!, side: ops.side[i] === 0 ? "buy" : "sell", price: ops.price[i]!, quantity: ops.quantity[i]! }).fills.length;
  }
  return fills;
};
const runPeer = () => {
  const b = new MapBook();
  let fills = 0;
  for (let i = 0; i < N; i++) fills += b.submit(ops.id[i]!, ops.side[i] === 0, ticks[i]!, ops.quantity[i]!).length;
  return fills;
};
for (const f of [runBatch, runPerCall, runPeer]) f(), last?.dispose(); // warm-up: JIT and first-touch of memory
const rates = { batch: [] as number[], batchPresized: [] as number[], perCall: [] as number[], tsBook: [] as number[] };
const cpuRates = { batch: [] as number[], batchPresized: [] as number[], perCall: [] as number[], tsBook: [] as number[] };
const checks = new Set<number>();
for (let r = 0; r < REPS; r++) {
  for (const [name, f] of [["batch", runBatch], ["batchPresized", runBatchPresized], ["perCall", runPerCall], ["tsBook", runPeer]] as const) {
    const t = timed(f);
    last?.dispose();
    last = undefined;
    rates[name].push(N / t.seconds);
    cpuRates[name].push(N / t.cpuSeconds);
    checks.add(t.check);
  }
}
if (checks.size !== 1) throw new Error(`fill counts differ between the three books: ${[...checks].join(", ")}`);
const batchPerSec = median(rates.batch), perCallPerSec = median(rates.perCall), tsBookPerSec = median(rates.tsBook);
const batchPresizedPerSec = median(rates.batchPresized);
console.log(
  JSON.stringify({
    mode: "js",
    orders: N,
    reps: REPS,
    fills: [...checks][0],
    batchPerSec,
    batchPresizedPerSec,
    perCallPerSec,
    tsBookPerSec,
    batchOverTsBook: batchPerSec / tsBookPerSec,
    perCallOverTsBook: perCallPerSec / tsBookPerSec,
    cpu: {
      batchPerSec: median(cpuRates.batch),
      batchPresizedPerSec: median(cpuRates.batchPresized),
      perCallPerSec: median(cpuRates.perCall),
      tsBookPerSec: median(cpuRates.tsBook),
    },
    runs: rates,
  }),
);
