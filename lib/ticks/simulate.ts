/**
 * A simulated market: SIMULATED order flow, never real data. Each symbol has its own price-time
 * priority book in the native matching engine (lib/execution's adapter); trades are the engine's fills
 * and quotes its top of book after every event that changed it.
 *
 * The model, per symbol, in continuous time from `start`:
 * - Event times follow a Hawkes process with exponential kernel, intensity
 *   λ(t) = μ + Σ_{tᵢ<t} α·e^{−β(t−tᵢ)} (events per second; α = 0 is a Poisson process of rate μ),
 *   simulated by Ogata's thinning (Ogata 1981). Stationary when α < β (mean rate μ / (1 − α/β)).
 * - A reference price follows arithmetic Brownian motion, σ per √second, from `startPrice`.
 * - Each event is a limit order (probability `pLimit`), a market order (`pMarket`), or a cancel of a
 *   random resting order of the simulation (the rest). Sides are equally likely. A buy limit is placed
 *   k ticks below the reference (a sell k ticks above), k ~ Geometric(`pOffset`) − 1 on {0, 1, …};
 *   a limit that crosses the opposite best trades (a marketable limit). Sizes are 100 × Geometric(0.5)
 *   shares. The book starts with `depth` levels of 500 shares each side around `startPrice`.
 * - Trade side is the taker's (+1 buy, −1 sell); one trade per fill, at the maker's price.
 */
import { createNativeOrderBook, type NativeOrderBook } from "../execution/index.js";
import { createRng, type RandomGenerator } from "../stats/index.js";
import { opt, readOptions } from "../data/index.js";
import type { QuoteBatch, TradeBatch } from "./schema.js";
import { toEpochNs } from "./store.js";

/** Options of {@link simulateMarket}. */
export interface SimulatedMarketOptions {
  /** Symbols (default ["SIM1", "SIM2", "SIM3"]). */
  symbols?: readonly string[];
  /** Start prices, one per symbol (default 100, 50, 200, … cycling). */
  startPrices?: readonly number[];
  /** First instant (default "2024-01-02T14:30:00Z", the US open). */
  start?: string;
  /** Length of the session in seconds (default 60). */
  seconds?: number;
  /** Hawkes baseline rate μ, events per second per symbol (default 200). */
  mu?: number;
  /** Hawkes jump α (default 100; 0 = Poisson). */
  alpha?: number;
  /** Hawkes decay β per second, > α (default 200). */
  beta?: number;
  /** Reference price volatility σ, price units per √second (default 0.02). */
  sigma?: number;
  /** Tick size (default 0.01). */
  tickSize?: number;
  /** Probability an event is a limit order (default 0.6). */
  pLimit?: number;
  /** Probability an event is a market order (default 0.1); the rest are cancels. */
  pMarket?: number;
  /** Geometric parameter of the limit offset in ticks (default 0.4). */
  pOffset?: number;
  /** Initial book levels per side (default 5). */
  depth?: number;
  /** Seed (default 7). */
  seed?: number;
}

/** The simulated ticks, ready for `TickStore.ingestTrades` / `ingestQuotes`, time-ordered per table. */
export interface SimulatedMarket {
  readonly trades: TradeBatch;
  readonly quotes: QuoteBatch;
  /** Number of order events sent to the engine. */
  readonly events: number;
  /** Always "simulated": these are not market data. */
  readonly provenance: "simulated";
}

/** Growable typed columns. */
class Cols {
  n = 0;
  ts = new BigInt64Array(1024);
  sym = new Uint32Array(1024);
  a = new Float64Array(1024);
  b = new Float64Array(1024);
  c = new Int32Array(1024);
  d = new Int32Array(1024);
  side = new Int8Array(1024);
  push(ts: bigint, sym: number, a: number, b: number, c: number, d: number, side: number): void {
    if (this.n === this.ts.length) this.#grow();
    const i = this.n++;
    this.ts[i] = ts;
    this.sym[i] = sym;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    this.d[i] = d;
    this.side[i] = side;
  }
  #grow(): void {
    const m = this.ts.length * 2;
    const g = <T extends { length: number; set(a: T): void }>(x: T, make: (n: number) => T): T => {
      const y = make(m);
      y.set(x);
      return y;
    };
    this.ts = g(this.ts, (k) => new BigInt64Array(k));
    this.sym = g(this.sym, (k) => new Uint32Array(k));
    this.a = g(this.a, (k) => new Float64Array(k));
    this.b = g(this.b, (k) => new Float64Array(k));
    this.c = g(this.c, (k) => new Int32Array(k));
    this.d = g(this.d, (k) => new Int32Array(k));
    this.side = g(this.side, (k) => new Int8Array(k));
  }
}

type Resolved = Required<Omit<SimulatedMarketOptions, "symbols" | "startPrices">> & { symbols: readonly string[]; startPrices: readonly number[] };

function resolve(options: unknown): Resolved {
  const o = readOptions("simulateMarket", options, {
    symbols: opt.custom<readonly string[]>("a non-empty array of distinct symbol strings", () => ["SIM1", "SIM2", "SIM3"], (v): v is readonly string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && s !== "") && new Set(v).size === v.length),
    startPrices: opt.optional(opt.custom<readonly number[]>("an array of prices > 0", () => [], (v): v is readonly number[] => Array.isArray(v) && v.every((p) => typeof p === "number" && p > 0 && p < Infinity))),
    start: opt.string("2024-01-02T14:30:00Z", { nonEmpty: true }),
    seconds: opt.number(60, { min: 0, open: "min" }),
    mu: opt.number(200, { min: 0, open: "min" }),
    alpha: opt.number(100, { min: 0 }),
    beta: opt.number(200, { min: 0, open: "min" }),
    sigma: opt.number(0.02, { min: 0 }),
    tickSize: opt.number(0.01, { min: 0, open: "min" }),
    pLimit: opt.number(0.6, { min: 0, max: 1 }),
    pMarket: opt.number(0.1, { min: 0, max: 1 }),
    pOffset: opt.number(0.4, { min: 0, max: 1, open: "min" }),
    depth: opt.integer(5, { min: 1, max: 1000 }),
    seed: opt.integer(7),
  });
  if (!(o.alpha < o.beta)) throw new RangeError(`simulateMarket: alpha (${o.alpha}) must be < beta (${o.beta}) for a stationary Hawkes process`);
  if (o.pLimit + o.pMarket > 1) throw new RangeError(`simulateMarket: pLimit + pMarket must be ≤ 1, got ${o.pLimit + o.pMarket}`);
  const defaults = [100, 50, 200, 75, 150];
  const startPrices = o.startPrices ?? o.symbols.map((_, i) => defaults[i % defaults.length] as number);
  if (startPrices.length !== o.symbols.length) throw new RangeError(`simulateMarket: startPrices has ${startPrices.length} prices for ${o.symbols.length} symbols`);
  return { ...o, startPrices };
}

/** Geometric on {1, 2, …} with success probability p. */
function geometric(rng: RandomGenerator, p: number): number {
  return p >= 1 ? 1 : 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - p));
}

/** Event times in seconds of a Hawkes process on [0, T) by Ogata's thinning. */
export function hawkesTimes(rng: RandomGenerator, mu: number, alpha: number, beta: number, T: number): Float64Array {
  const out: number[] = [];
  let t = 0;
  let excite = 0; // Σ α e^{−β(t − tᵢ)} at time t
  for (;;) {
    const bound = mu + excite;
    const w = -Math.log(1 - rng.next()) / bound;
    excite *= Math.exp(-beta * w);
    t += w;
    if (t >= T) break;
    if (rng.next() * bound <= mu + excite) {
      out.push(t);
      excite += alpha;
    }
  }
  return Float64Array.from(out);
}

interface SymState {
  book: NativeOrderBook;
  resting: number[];
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

function seedBook(book: NativeOrderBook, price: number, tick: number, depth: number, ids: { next: number }, resting: number[]): void {
  const mid = Math.round(price / tick);
  for (let k = 1; k <= depth; k++) {
    for (const side of ["buy", "sell"] as const) {
      const id = ids.next++;
      book.submit({ id, side, price: (side === "buy" ? mid - k : mid + k) * tick, quantity: 500 });
      resting.push(id);
    }
  }
}

/** Sends one event to the book; appends its fills as trades and, when the top of book changed, a quote. */
function step(s: SymState, o: Resolved, rng: RandomGenerator, ref: number, ids: { next: number }, ts: bigint, j: number, trades: Cols, quotes: Cols): void {
  const u = rng.next();
  const side = rng.next() < 0.5 ? "buy" : "sell";
  const qty = 100 * geometric(rng, 0.5);
  if (u < o.pLimit || u >= o.pLimit + o.pMarket) {
    if (u >= o.pLimit && s.resting.length > 0) {
      const k = rng.int(s.resting.length);
      const id = s.resting[k] as number;
      s.resting[k] = s.resting[s.resting.length - 1] as number;
      s.resting.pop();
      if (s.book.orderState(id) !== null) s.book.cancel(id);
    } else if (u < o.pLimit) {
      const off = geometric(rng, o.pOffset) - 1;
      const r = ref / o.tickSize;
      const ticks = side === "buy" ? Math.floor(r) - off : Math.ceil(r) + off;
      if (ticks <= 0) return;
      const id = ids.next++;
      const res = s.book.submit({ id, side, price: ticks * o.tickSize, quantity: qty });
      if (res.resting > 0) s.resting.push(id);
      for (const f of res.fills) trades.push(ts, j, f.price, 0, f.quantity, 0, side === "buy" ? 1 : -1);
    }
  } else {
    const res = s.book.submit({ id: ids.next++, side, type: "market", quantity: qty });
    for (const f of res.fills) trades.push(ts, j, f.price, 0, f.quantity, 0, side === "buy" ? 1 : -1);
  }
  const b = s.book.bestBid();
  const a = s.book.bestAsk();
  const bid = b ? b.price : Number.NaN;
  const ask = a ? a.price : Number.NaN;
  const bs = b ? b.quantity : 0;
  const as = a ? a.quantity : 0;
  if (!Object.is(bid, s.bid) || !Object.is(ask, s.ask) || bs !== s.bidSize || as !== s.askSize) {
    Object.assign(s, { bid, ask, bidSize: bs, askSize: as });
    if (bid === bid || ask === ask) quotes.push(ts, j, bid, ask, bs, as, 0);
  }
}

/**
 * Generates SIMULATED trades and quotes (see the module doc for the model) by sending Hawkes-timed
 * order flow through the native matching engine. Deterministic for a seed.
 */
export function simulateMarket(options?: SimulatedMarketOptions): SimulatedMarket {
  const o = resolve(options);
  const t0 = toEpochNs(o.start);
  const trades = new Cols();
  const quotes = new Cols();
  const ids = { next: 1 };
  const rng = createRng(o.seed);
  // every symbol's events, merged in time order (ties by symbol order)
  const streams = o.symbols.map(() => hawkesTimes(rng, o.mu, o.alpha, o.beta, o.seconds));
  const states: SymState[] = o.symbols.map((_, j) => {
    const book = createNativeOrderBook({ tickSize: o.tickSize, expectedOrders: 4096 });
    const s: SymState = { book, resting: [], bid: Number.NaN, ask: Number.NaN, bidSize: 0, askSize: 0 };
    seedBook(book, o.startPrices[j] as number, o.tickSize, o.depth, ids, s.resting);
    return s;
  });
  const refs = Float64Array.from(o.startPrices);
  const lastT = new Float64Array(o.symbols.length);
  const pos = new Int32Array(o.symbols.length);
  let events = 0;
  try {
    for (;;) {
      let j = -1;
      let best = Infinity;
      streams.forEach((st, k) => {
        const t = st[pos[k] as number];
        if (t !== undefined && t < best) (best = t), (j = k);
      });
      if (j < 0) break;
      pos[j]++;
      refs[j] = Math.max(o.tickSize, (refs[j] as number) + o.sigma * Math.sqrt(best - (lastT[j] as number)) * rng.normal());
      lastT[j] = best;
      const ts = t0 + BigInt(Math.round(best * 1e9));
      step(states[j] as SymState, o, rng, refs[j] as number, ids, ts, j, trades, quotes);
      events++;
    }
  } finally {
    for (const s of states) s.book.dispose();
  }
  const dictionary = [...o.symbols];
  return Object.freeze({
    trades: { ts: trades.ts.slice(0, trades.n), sym: { codes: trades.sym.slice(0, trades.n), dictionary }, price: trades.a.slice(0, trades.n), size: trades.c.slice(0, trades.n), side: trades.side.slice(0, trades.n) },
    quotes: { ts: quotes.ts.slice(0, quotes.n), sym: { codes: quotes.sym.slice(0, quotes.n), dictionary }, bid: quotes.a.slice(0, quotes.n), ask: quotes.b.slice(0, quotes.n), bidSize: quotes.c.slice(0, quotes.n), askSize: quotes.d.slice(0, quotes.n) },
    events,
    provenance: "simulated" as const,
  });
}
