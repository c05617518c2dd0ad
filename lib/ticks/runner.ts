/**
 * Runs a strategy on a tick source through the native matching engine: one price-time priority book
 * per symbol holds the market's displayed quote (each quote replaces the market's bid and ask orders)
 * and the strategy's resting orders; each trade print arrives as a market IOC order at the printed
 * price, so it fills the strategy's resting orders that are better priced or ahead in the queue. The
 * strategy's own orders match against that book. Engine operations go to the addon in batches (one
 * N-API crossing per batch): a batch is flushed after any event on which the strategy acted or while it
 * has resting orders in that symbol (so its fills are reported right after the event that caused them),
 * else every `engineBatch` events.
 *
 * Modes: "fast" (as fast as possible) or "paced" (event time runs at wall-clock × `speed`). The same
 * strategy object runs on the store, on arrays, or on a live source (Kafka).
 */
import { createNativeOrderBook, NATIVE_BATCH_OP as BATCH_OP, NATIVE_BATCH_STATUS as BATCH_STATUS, type NativeOrderBook } from "../execution/index.js";
import { opt, readOptions } from "../data/index.js";
import { QUOTE, type TickBatch, type TickSource } from "./source.js";

/** The event a strategy sees (one object reused for every event: copy what you keep). */
export interface TickView {
  kind: "trade" | "quote";
  /** Nanoseconds since `base`. */
  t: number;
  base: bigint;
  /** Symbol index (stable for the run) and name. */
  sym: number;
  symbol: string;
  price: number;
  size: number;
  side: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

/** A fill of one of the strategy's orders. */
export interface StrategyFill {
  readonly id: number;
  readonly sym: number;
  readonly symbol: string;
  /** +1 bought, −1 sold. */
  readonly side: 1 | -1;
  readonly quantity: number;
  readonly price: number;
  readonly t: number;
}

/** What a strategy may do. */
export interface StrategyContext {
  /** Submits an order; `price` absent = market (IOC). Returns its id. */
  submit(order: { sym: number; side: 1 | -1; quantity: number; price?: number; timeInForce?: "gtc" | "ioc" }): number;
  /** Cancels a resting order of the strategy (no-op when it is gone). */
  cancel(id: number): void;
  /** Net position in shares. */
  position(sym: number): number;
  /** Cash (−Σ signed quantity × price of fills). */
  readonly cash: number;
  /** Last quote of a symbol (NaN before one). */
  bid(sym: number): number;
  ask(sym: number): number;
}

/** A strategy: the same object runs on stored and live ticks. */
export interface Strategy {
  onTick(tick: TickView, ctx: StrategyContext): void;
  onFill?(fill: StrategyFill, ctx: StrategyContext): void;
}

/** What a risk monitor (or any observer) hears from a run. */
export interface RunObserver {
  onQuote(sym: number, symbol: string, bid: number, ask: number, t: number): void;
  onFill(fill: StrategyFill): void;
  /** Called at least every `checkEvery` events with the wall clock (ms, performance.now()). */
  onClock(nowMs: number, t: number): void;
}

/** Options of {@link runStrategy}. */
export interface RunOptions {
  /** "fast" (default) or "paced". */
  mode?: "fast" | "paced";
  /** Event-time speed-up in paced mode (default 1 = wall-clock). */
  speed?: number;
  /** Tick size of the books (default 0.01). */
  tickSize?: number;
  /** Market-only events per engine batch (default 512). */
  engineBatch?: number;
  /** Observer, e.g. a RiskMonitor (default none). */
  observer?: RunObserver;
  /** Stops the run at the next event when aborted. */
  signal?: AbortSignal;
}

/** Counts of a run. */
export interface RunStats {
  readonly events: number;
  readonly trades: number;
  readonly quotes: number;
  readonly orders: number;
  readonly fills: number;
  /** Strategy orders the engine refused (off-grid price, bad quantity). */
  readonly rejected: number;
  readonly wallMs: number;
  readonly eventsPerSecond: number;
  readonly positions: Readonly<Record<string, number>>;
  readonly cash: number;
  /** Cash + positions marked at the last mid. */
  readonly pnl: number;
}

const QUOTE_ID = 2 ** 40;
const PRINT_ID = 2 ** 41;

/** Engine operations of one symbol, as the columns `submitBatch` takes. */
class Ops {
  n = 0;
  type = new Uint8Array(64);
  id = new Float64Array(64);
  side = new Uint8Array(64);
  price = new Float64Array(64);
  quantity = new Float64Array(64);
  push(type: number, id: number, side: number, price: number, quantity: number): void {
    if (this.n === this.type.length) this.#grow();
    const k = this.n++;
    this.type[k] = type;
    this.id[k] = id;
    this.side[k] = side;
    this.price[k] = price;
    this.quantity[k] = quantity;
  }
  #grow(): void {
    const m = this.type.length * 2;
    const g = <T extends Uint8Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    this.type = g(this.type, new Uint8Array(m));
    this.id = g(this.id, new Float64Array(m));
    this.side = g(this.side, new Uint8Array(m));
    this.price = g(this.price, new Float64Array(m));
    this.quantity = g(this.quantity, new Float64Array(m));
  }
}

interface Book {
  book: NativeOrderBook;
  ops: Ops;
  spare: Ops;
  /** Strategy orders resting in this book. */
  resting: number;
  bid: number;
  ask: number;
}

type Resolved = { mode: "fast" | "paced"; speed: number; tickSize: number; engineBatch: number; observer: RunObserver | undefined; signal: AbortSignal | undefined };

function resolve(options: unknown): Resolved {
  return readOptions("runStrategy", options, {
    mode: opt.oneOf(["fast", "paced"], "fast"),
    speed: opt.number(1, { min: 0, open: "min" }),
    tickSize: opt.number(0.01, { min: 0, open: "min" }),
    engineBatch: opt.integer(512, { min: 1, max: 1 << 20 }),
    observer: opt.optional(opt.custom<RunObserver>("an object with onQuote, onFill and onClock", () => undefined as never, (v): v is RunObserver => typeof v === "object" && v !== null && typeof (v as RunObserver).onFill === "function" && typeof (v as RunObserver).onQuote === "function" && typeof (v as RunObserver).onClock === "function")),
    signal: opt.optional(opt.custom<AbortSignal>("an AbortSignal", () => undefined as never, (v): v is AbortSignal => v instanceof AbortSignal)),
  });
}

/** The state of one run; `runStrategy` drives it. */
class Run implements StrategyContext {
  readonly books: Book[] = [];
  readonly orders = new Map<number, { sym: number; side: 1 | -1; open: number; resting: boolean }>();
  readonly pos: number[] = [];
  cash = 0;
  nextId = 1;
  prints = 0;
  acted = false;
  symbols: readonly string[] = [];
  t = 0;
  readonly stats = { events: 0, trades: 0, quotes: 0, orders: 0, fills: 0, rejected: 0 };
  readonly view: TickView = { kind: "trade", t: 0, base: 0n, sym: 0, symbol: "", price: 0, size: 0, side: 0, bid: 0, ask: 0, bidSize: 0, askSize: 0 };

  constructor(readonly strategy: Strategy, readonly o: Resolved) {}

  book(sym: number): Book {
    let b = this.books[sym];
    if (b === undefined) {
      for (let k = this.books.length; k <= sym; k++) this.pos[k] = 0;
      b = { book: createNativeOrderBook({ tickSize: this.o.tickSize, expectedOrders: 1024 }), ops: new Ops(), spare: new Ops(), resting: 0, bid: Number.NaN, ask: Number.NaN };
      this.books[sym] = b;
    }
    return b;
  }

  submit(order: { sym: number; side: 1 | -1; quantity: number; price?: number; timeInForce?: "gtc" | "ioc" }): number {
    const { sym, side, quantity, price } = order;
    if (!(sym >= 0 && sym < this.symbols.length) || (side !== 1 && side !== -1) || !(quantity > 0)) {
      throw new RangeError(`StrategyContext.submit: needs sym in [0, ${this.symbols.length}), side ±1 and quantity > 0, got ${JSON.stringify(order)}`);
    }
    const id = this.nextId++;
    const ioc = price === undefined || order.timeInForce === "ioc";
    const type = price === undefined ? BATCH_OP.market : ioc ? BATCH_OP.ioc : BATCH_OP.limit;
    this.book(sym).ops.push(type, id, side === 1 ? 0 : 1, price ?? Number.NaN, quantity);
    this.orders.set(id, { sym, side, open: quantity, resting: !ioc });
    if (!ioc) this.book(sym).resting++;
    this.stats.orders++;
    this.acted = true;
    return id;
  }

  cancel(id: number): void {
    const o = this.orders.get(id);
    if (o === undefined || !o.resting) return;
    this.book(o.sym).ops.push(BATCH_OP.cancel, id, 0, Number.NaN, 0);
    this.acted = true;
  }

  position(sym: number): number {
    return this.pos[sym] ?? 0;
  }

  bid(sym: number): number {
    return this.books[sym]?.bid ?? Number.NaN;
  }

  ask(sym: number): number {
    return this.books[sym]?.ask ?? Number.NaN;
  }

  /** The market's side of one event as engine operations. */
  marketOps(b: TickBatch, i: number, bk: Book): void {
    const s = b.sym[i] as number;
    if (b.kind[i] === QUOTE) {
      const bid = b.bid[i] as number;
      const ask = b.ask[i] as number;
      bk.bid = bid;
      bk.ask = ask;
      bk.ops.push(BATCH_OP.cancel, QUOTE_ID + 2 * s, 0, Number.NaN, 0);
      bk.ops.push(BATCH_OP.cancel, QUOTE_ID + 2 * s + 1, 1, Number.NaN, 0);
      if (bid === bid && (b.bidSize[i] as number) > 0) bk.ops.push(BATCH_OP.limit, QUOTE_ID + 2 * s, 0, bid, b.bidSize[i] as number);
      if (ask === ask && (b.askSize[i] as number) > 0) bk.ops.push(BATCH_OP.limit, QUOTE_ID + 2 * s + 1, 1, ask, b.askSize[i] as number);
      return;
    }
    const p = b.price[i] as number;
    const side = b.side[i] !== 0 ? (b.side[i] as number) : p >= (bk.bid + bk.ask) / 2 ? 1 : -1;
    if ((b.size[i] as number) > 0) bk.ops.push(BATCH_OP.ioc, PRINT_ID + this.prints++, side === 1 ? 0 : 1, p, b.size[i] as number);
  }

  /** Sends a symbol's pending operations to its book and books the strategy's fills (callbacks after the bookkeeping). */
  flush(sym: number): void {
    const bk = this.books[sym] as Book;
    const ops = bk.ops;
    const n = ops.n;
    if (n === 0) return;
    bk.ops = bk.spare; // a callback below may submit: its operations go to the other buffer
    bk.spare = ops;
    ops.n = 0;
    const r = bk.book.submitBatch({ type: ops.type.subarray(0, n), id: ops.id.subarray(0, n), side: ops.side.subarray(0, n), price: ops.price.subarray(0, n), quantity: ops.quantity.subarray(0, n) });
    const fills: StrategyFill[] = [];
    for (let k = 0; k < r.taker.length; k++) {
      this.#apply(r.taker[k] as number, r.quantity[k] as number, r.price[k] as number, fills);
      this.#apply(r.maker[k] as number, r.quantity[k] as number, r.price[k] as number, fills);
    }
    for (let k = 0; k < n; k++) {
      const id = ops.id[k] as number;
      const o = id < QUOTE_ID ? this.orders.get(id) : undefined;
      if (o === undefined) continue;
      const st = r.status[k] as number;
      const cancel = ops.type[k] === BATCH_OP.cancel;
      if (!cancel && st !== 0 && st !== BATCH_STATUS.fokUnfillable) this.stats.rejected++;
      if (cancel || st !== 0 || !o.resting) this.#forget(id);
    }
    for (const f of fills) {
      this.o.observer?.onFill(f);
      this.strategy.onFill?.(f, this);
    }
  }

  #forget(id: number): void {
    const o = this.orders.get(id);
    if (o === undefined) return;
    if (o.resting) (this.books[o.sym] as Book).resting--;
    this.orders.delete(id);
  }

  #apply(id: number, qty: number, px: number, fills: StrategyFill[]): void {
    if (id >= QUOTE_ID) return;
    const o = this.orders.get(id);
    if (o === undefined) return;
    o.open -= qty;
    this.pos[o.sym] = (this.pos[o.sym] as number) + o.side * qty;
    this.cash -= o.side * qty * px;
    this.stats.fills++;
    fills.push({ id, sym: o.sym, symbol: this.symbols[o.sym] as string, side: o.side, quantity: qty, price: px, t: this.t });
    if (o.open <= 0) this.#forget(id);
  }

  /** One batch of ticks: market operations, the strategy's reaction, flushes; the wall clock for the observer. */
  process(b: TickBatch, pending: Set<number>): void {
    this.symbols = b.symbols;
    const v = this.view;
    v.base = b.base;
    const obs = this.o.observer;
    for (let i = 0; i < b.n; i++) {
      const s = b.sym[i] as number;
      const bk = this.book(s);
      this.t = b.t[i] as number;
      this.marketOps(b, i, bk);
      const quote = b.kind[i] === QUOTE;
      v.kind = quote ? "quote" : "trade";
      v.t = this.t;
      v.sym = s;
      v.symbol = b.symbols[s] as string;
      v.price = b.price[i] as number;
      v.size = b.size[i] as number;
      v.side = b.side[i] as number;
      v.bid = b.bid[i] as number;
      v.ask = b.ask[i] as number;
      v.bidSize = b.bidSize[i] as number;
      v.askSize = b.askSize[i] as number;
      if (quote) {
        this.stats.quotes++;
        obs?.onQuote(s, v.symbol, v.bid, v.ask, this.t);
      } else this.stats.trades++;
      if (bk.resting > 0) this.flush(s); // the market may have filled a resting order: tell the strategy first
      this.acted = false;
      this.strategy.onTick(v, this);
      if (this.acted || bk.ops.n >= this.o.engineBatch) this.flush(s);
      else pending.add(s);
      if (obs !== undefined && (++this.stats.events & 255) === 0) obs.onClock(performance.now(), this.t);
      else if (obs === undefined) this.stats.events++;
    }
  }

  flushAll(pending: Set<number>): void {
    for (const s of pending) this.flush(s);
    pending.clear();
  }

  dispose(): void {
    for (const b of this.books) b?.book.dispose();
  }
}

/**
 * Runs `strategy` on every tick of `source` (see the module doc); resolves when the source ends or
 * `signal` aborts, with the run's counts, positions and P&L. The books are freed at the end.
 */
export async function runStrategy(source: TickSource, strategy: Strategy, options?: RunOptions): Promise<RunStats> {
  const o = resolve(options);
  if (typeof strategy !== "object" || strategy === null || typeof strategy.onTick !== "function") throw new TypeError("runStrategy: strategy must be an object with an onTick(tick, ctx) method");
  const run = new Run(strategy, o);
  const pending = new Set<number>();
  const t0 = performance.now();
  let first: number | undefined;
  try {
    for await (const batch of source) {
      if (o.signal?.aborted) break;
      if (o.mode === "paced") await pacedProcess(run, batch, pending, o, t0, (first ??= batch.t[0]));
      else run.process(batch, pending);
      run.flushAll(pending);
      o.observer?.onClock(performance.now(), run.t);
    }
    run.flushAll(pending);
  } finally {
    run.dispose();
  }
  const wallMs = performance.now() - t0;
  const positions: Record<string, number> = {};
  let pnl = run.cash;
  run.pos.forEach((q, s) => {
    const name = run.symbols[s] as string;
    positions[name] = q;
    if (q !== 0) pnl += q * ((run.bid(s) + run.ask(s)) / 2);
  });
  return Object.freeze({ ...run.stats, wallMs, eventsPerSecond: run.stats.events / (wallMs / 1000), positions, cash: run.cash, pnl });
}

/** Paced mode: processes the batch in slices, sleeping while event time is ahead of wall-clock × speed. */
async function pacedProcess(run: Run, b: TickBatch, pending: Set<number>, o: Resolved, t0: number, first: number | undefined): Promise<void> {
  let i = 0;
  while (i < b.n) {
    if (o.signal?.aborted) return;
    const due = t0 + ((b.t[i] as number) - (first ?? 0)) / 1e6 / o.speed;
    const wait = due - performance.now();
    if (wait > 1) {
      run.flushAll(pending);
      o.observer?.onClock(performance.now(), run.t);
      await new Promise((r) => setTimeout(r, Math.min(wait, 4))); // short naps: the observer's clock keeps ticking (≥ 100 Hz)
      continue;
    }
    let j = i + 1;
    while (j < b.n && t0 + ((b.t[j] as number) - (first ?? 0)) / 1e6 / o.speed <= performance.now()) j++;
    run.process(slice(b, i, j), pending);
    o.observer?.onClock(performance.now(), run.t);
    i = j;
  }
}

function slice(b: TickBatch, i: number, j: number): TickBatch {
  return {
    n: j - i, base: b.base, symbols: b.symbols,
    t: b.t.subarray(i, j), kind: b.kind.subarray(i, j), sym: b.sym.subarray(i, j), price: b.price.subarray(i, j), size: b.size.subarray(i, j),
    side: b.side.subarray(i, j), bid: b.bid.subarray(i, j), ask: b.ask.subarray(i, j), bidSize: b.bidSize.subarray(i, j), askSize: b.askSize.subarray(i, j),
  };
}
