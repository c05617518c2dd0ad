/**
 * The engine from JavaScript on a stream file written by engine_bench (bench/engine/run.sh writes
 * Liquibook's 5 M insert stream): (1) the batch path, one N-API crossing for all N orders into a
 * default book, (2) the same into a book presized with `expectedOrders`, (3) the per-call path, one
 * `submit` per order returning its fills. Interleaved, REPS rounds after one warm-up round, each
 * run into a fresh book; prints one JSON line with the median rates (wall and process CPU).
 *   npx tsx bench/engine/js-bench.ts FILE [REPS=5]
 */
import { readFileSync } from "node:fs";
import { BATCH_OP, OrderBook } from "../../native/ts/index.js";

const file = process.argv[2];
const REPS = Number(process.argv[3] ?? 5);
if (!file) throw new Error("usage: js-bench.ts FILE [REPS]");
const TICK = 0.01;

/** The stream file (engine_bench.cc's format) as batch columns; only GTC inserts are expected. */
function load(path: string) {
  const buf = readFileSync(path);
  if (buf.toString("latin1", 0, 8) !== "SBOS0001") throw new Error(`${path} is not a stream file`);
  const n = Number(buf.readBigUInt64LE(8));
  const ops = { type: new Uint8Array(n).fill(BATCH_OP.limit), id: new Float64Array(n), side: new Uint8Array(n), price: new Float64Array(n), quantity: new Float64Array(n) };
  for (let i = 0, o = 24; i < n; i++, o += 16) {
    if (buf[o] !== 0) throw new Error("js-bench replays insert streams (GTC orders) only");
    ops.side[i] = buf[o + 1]!;
    ops.id[i] = buf.readUInt32LE(o + 4);
    ops.price[i] = buf.readInt32LE(o + 8) / 100; // ticks of 0.01
    ops.quantity[i] = buf.readInt32LE(o + 12);
  }
  return { n, ops };
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

const { n: N, ops } = load(file);
const sides = ["buy", "sell"] as const;
// Each run ends by dispose()-ing its book outside the timed region (its memory goes back to the
// engine's block cache now, where a synchronous loop would otherwise wait for the garbage collector).
let last: OrderBook | undefined;
const runBatch = () => (last = new OrderBook({ tickSize: TICK })).submitBatch(ops).fillOp.length;
const runBatchPresized = () => (last = new OrderBook({ tickSize: TICK, expectedOrders: N })).submitBatch(ops).fillOp.length;
const runPerCall = () => {
  const b = (last = new OrderBook({ tickSize: TICK }));
  let fills = 0;
  for (let i = 0; i < N; i++) fills += b.submit({ id: ops.id[i]!, side: sides[ops.side[i]!]!, price: ops.price[i]!, quantity: ops.quantity[i]! }).fills.length;
  return fills;
};
const paths = [["batch", runBatch], ["batchPresized", runBatchPresized], ["perCall", runPerCall]] as const;
for (const [, f] of paths) f(), last?.dispose(); // warm-up: JIT and first touch of memory
const rates: Record<string, number[]> = { batch: [], batchPresized: [], perCall: [] };
const cpuRates: Record<string, number[]> = { batch: [], batchPresized: [], perCall: [] };
const checks = new Set<number>();
for (let r = 0; r < REPS; r++) {
  for (const [name, f] of paths) {
    const t = timed(f);
    last?.dispose();
    last = undefined;
    rates[name]!.push(N / t.seconds);
    cpuRates[name]!.push(N / t.cpuSeconds);
    checks.add(t.check);
  }
}
if (checks.size !== 1) throw new Error(`fill counts differ between the paths: ${[...checks].join(", ")}`);
const med = (r: Record<string, number[]>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [`${k}PerSec`, median(v)]));
console.log(JSON.stringify({ mode: "js", orders: N, reps: REPS, fills: [...checks][0], ...med(rates), cpu: med(cpuRates), runs: rates }));
