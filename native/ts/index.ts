/**
 * statarb/native: the typed face of the C++ matching engine addon (native/, built by
 * `node native/build.mjs`). One price-time priority book per symbol with integer ticks inside;
 * prices cross this boundary as decimals on the book's tick grid.
 */
import { createRequire } from "node:module";
import { BATCH_OP, BATCH_STATUS, ORDER_TYPE_CODE, SCRATCH_IN as IN, SCRATCH_OUT as OUT, SIDE_CODE, TIME_IN_FORCE_CODE } from "./codes.gen.js";

export type BookSide = "buy" | "sell";

/** An order for {@link OrderBook.submit}. */
export interface BookOrder {
  /** Caller-chosen id, a non-negative safe integer, unique among resting orders. */
  id: number;
  side: BookSide;
  /** "limit" (default) or "market" (takes any price; must not carry a price). */
  type?: "limit" | "market";
  /** Decimal price on the tick grid; required for limit orders. */
  price?: number;
  /** Positive integer quantity. */
  quantity: number;
  /** "gtc" (default), "ioc" (remainder cancelled) or "fok" (all or nothing). Market orders are IOC unless "fok". */
  timeInForce?: "gtc" | "ioc" | "fok";
  /** Rejected instead of taking liquidity (default false). */
  postOnly?: boolean;
  /** Caller's clock, copied onto fills and book updates (default 0). */
  timestamp?: number;
}

export interface BookFill {
  readonly taker: number;
  readonly maker: number;
  readonly price: number;
  readonly quantity: number;
  readonly timestamp: number;
  readonly takerSide: BookSide;
}

export interface SubmitResult {
  /** "rejected" = post-only would have taken; "killed" = FOK could not fill completely. */
  readonly status: "accepted" | "rejected" | "killed";
  readonly reason?: string;
  readonly filled: number;
  readonly resting: number;
  readonly fills: readonly BookFill[];
}

export interface BookLevel {
  readonly price: number;
  readonly quantity: number;
}

export interface DepthLevel extends BookLevel {
  readonly orders: number;
}

export interface BookDepth {
  readonly bids: readonly DepthLevel[];
  readonly asks: readonly DepthLevel[];
}

export interface RestingOrderState {
  readonly id: number;
  readonly status: "resting" | "partiallyFilled";
  readonly side: BookSide;
  readonly price: number;
  /** Total quantity (original, or as set by modify). */
  readonly quantity: number;
  readonly filled: number;
  readonly open: number;
  readonly postOnly: boolean;
  /** Open quantity queued ahead at the same price. */
  readonly queuePosition: number;
}

export interface BookUpdateEvent {
  readonly kind: "add" | "cancel" | "modify" | "trade";
  readonly side: BookSide;
  readonly id: number;
  readonly price: number;
  /** The order's open quantity after the change (0 = gone). */
  readonly quantity: number;
  /** Total open quantity at this price after the change (the L2 view). */
  readonly levelQuantity: number;
  readonly timestamp: number;
}

export { BATCH_OP, BATCH_STATUS };

/** A batch of operations as columns; all arrays have the length of `type`. */
export interface BatchOps {
  type: Uint8Array;
  id: Float64Array;
  /** 0 = buy, 1 = sell. */
  side: Uint8Array;
  price: Float64Array;
  quantity: Float64Array;
  timestamp?: Float64Array;
}

/** Fills of a batch as columns; `fillOp[k]` is the index of the operation that produced fill k. */
export interface BatchResult {
  readonly status: Uint8Array;
  readonly fillOp: Uint32Array;
  readonly taker: Float64Array;
  readonly maker: Float64Array;
  readonly price: Float64Array;
  readonly quantity: Float64Array;
  readonly timestamp: Float64Array;
  /** Book checksum after every operation, when asked for. */
  readonly checksum?: Uint32Array;
}

export interface BookSnapshot {
  readonly id: Float64Array;
  readonly side: Uint8Array;
  readonly price: Float64Array;
  readonly quantity: Float64Array;
  readonly open: Float64Array;
}

/** The shared, frozen fills of a result without fills (no allocation per call). */
const NO_FILLS: BookFill[] = Object.freeze([]) as unknown as BookFill[];

/** Options of {@link OrderBook}. */
export interface OrderBookOptions {
  /** Price increment; every price must be a multiple of it (required, > 0). */
  tickSize: number;
  /**
   * Resting orders to preallocate room for (default 1024; at most 16,777,216). A book that never
   * holds more than this never allocates after construction; beyond it, it grows by doubling.
   */
  expectedOrders?: number;
}

/**
 * Listeners of {@link OrderBook.subscribe}. The engine queues events while it matches and calls
 * these after the operation has finished, so a listener always sees a fully matched book; calling
 * submit/cancel/modify/subscribe on the same book from inside a listener throws. A listener that
 * throws stops the remaining deliveries of that operation and its error is rethrown by the call
 * that caused it (the operation itself stands). Batch operations do not call listeners.
 */
export interface BookListener {
  onFill?: (fill: BookFill) => void;
  onBookUpdate?: (update: BookUpdateEvent) => void;
}

interface NativeBook {
  submit(order: BookOrder): SubmitResult;
  cancel(id: number, timestamp?: number): void;
  modify(id: number, change: { quantity?: number; price?: number; timestamp?: number }): SubmitResult;
  bestBid(): BookLevel | null;
  bestAsk(): BookLevel | null;
  depth(n?: number): BookDepth;
  queuePosition(id: number): number;
  orderState(id: number): RestingOrderState | null;
  snapshot(): BookSnapshot;
  checksum(): number;
  lastUpdates(): BookUpdateEvent[];
  subscribe(listener: BookListener | null): void;
  dispose(): void;
  submitBatch(ops: BatchOps, options?: { checksums?: boolean }): BatchResult;
  /** [input, output] of the per-call path, over memory the book owns. */
  scratch(): [Float64Array, Float64Array];
  /** undefined, or a larger output array holding the whole result when the fills did not fit. */
  submitScratch(): Float64Array | undefined;
  readonly tickSize: number;
  readonly maxPrice: number;
  readonly orderCount: number;
}

interface NativeModule {
  OrderBook: new (options: OrderBookOptions) => NativeBook;
  statusCodes: Record<string, number>;
}

/** The command that builds the addon, named in every "not built" error. */
export const ENGINE_BUILD_COMMAND = "node native/build.mjs";

let cached: NativeModule | Error | undefined;

function load(): NativeModule | Error {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const tried: string[] = [];
  // STATARB_ENGINE_ADDON names an addon file to load instead (a custom build, or a test of the
  // not-built path)
  const override = process.env.STATARB_ENGINE_ADDON;
  const specs = override ? [override] : ["@statarb/engine", "../build/Release/statarb_engine.node", "../../../native/build/Release/statarb_engine.node"];
  let packaged: Error | undefined;
  for (const spec of specs) {
    try {
      cached = require(spec) as NativeModule;
      return cached;
    } catch (e) {
      // @statarb/engine (installed from the packed tarball) says in one line what is missing
      if ((e as { code?: string }).code === "STATARB_ENGINE_NOT_BUILT") packaged ??= e as Error;
      tried.push(`${spec}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  cached =
    packaged !== undefined
      ? new Error(packaged.message.split("\n")[0])
      : new Error(
          `statarb native engine addon is not built (native/build/Release/statarb_engine.node). Build it with \`${ENGINE_BUILD_COMMAND}\` ` +
            `(needs cmake and g++), or run \`npm run setup\`. Tried: ${tried.join("; ")}`,
        );
  return cached;
}

/** True when the addon loads. */
export function isEngineBuilt(): boolean {
  return !(load() instanceof Error);
}

/**
 * Why the addon does not load, in one line — what is missing and the command that builds it — or
 * null when it loads. `statarb` itself loads either way; only engine-backed calls need the addon.
 */
export function engineLoadError(): string | null {
  const m = load();
  return m instanceof Error ? m.message : null;
}

function nativeModule(): NativeModule {
  const m = load();
  if (m instanceof Error) throw m;
  return m;
}

/**
 * A price-time priority limit order book backed by the C++ engine. Bad input (wrong types,
 * NaN/zero/negative/fractional quantity, off-grid price, unknown or duplicate id) throws an error
 * that names the field. `modify` takes the new TOTAL quantity (FIX cancel/replace): a decrease at
 * the same price keeps queue priority, a price change or increase re-queues (and may match).
 */
export class OrderBook {
  readonly #book: NativeBook;
  // per-call fast path: the order's fields go in and results come out through two Float64Arrays
  // over memory the addon owns, so a submit is one argument-less N-API call (no property lookups)
  readonly #in: Float64Array;
  #out: Float64Array;

  constructor(options: OrderBookOptions) {
    this.#book = new (nativeModule().OrderBook)(options);
    [this.#in, this.#out] = this.#book.scratch();
  }

  get tickSize(): number {
    return this.#book.tickSize;
  }
  /** The highest limit price this book accepts: (2^52 − 1) ticks. Prices must be ≥ one tick. */
  get maxPrice(): number {
    return this.#book.maxPrice;
  }
  /** Number of resting orders. */
  get orderCount(): number {
    return this.#book.orderCount;
  }
  /**
   * Each field of `order` is read exactly once (a getter or proxy runs once per field); a bad
   * field throws a TypeError/RangeError naming it, and the book is unchanged.
   */
  submit(order: BookOrder): SubmitResult {
    if (typeof order !== "object" || order === null || Array.isArray(order)) return this.#book.submit(order); // the addon names the problem
    const { id, side, type, price, quantity, timeInForce, postOnly, timestamp } = order;
    const s = side === "buy" ? SIDE_CODE.buy : side === "sell" ? SIDE_CODE.sell : -1;
    const ty = type === undefined || type === "limit" ? ORDER_TYPE_CODE.limit : type === "market" ? ORDER_TYPE_CODE.market : -1;
    const t = timeInForce === undefined || timeInForce === "gtc" ? TIME_IN_FORCE_CODE.gtc : timeInForce === "ioc" ? TIME_IN_FORCE_CODE.ioc : timeInForce === "fok" ? TIME_IN_FORCE_CODE.fok : -1;
    if (
      s < 0 || ty < 0 || t < 0 || typeof id !== "number" || typeof quantity !== "number" ||
      (ty === ORDER_TYPE_CODE.limit ? typeof price !== "number" : price !== undefined) ||
      (postOnly !== undefined && typeof postOnly !== "boolean") ||
      (timestamp !== undefined && typeof timestamp !== "number") ||
      (postOnly === true && (ty !== ORDER_TYPE_CODE.limit || t !== TIME_IN_FORCE_CODE.gtc))
    ) {
      return this.#book.submit({ id, side, type, price, quantity, timeInForce, postOnly, timestamp }); // a copy: `order` is never read twice
    }
    const x = this.#in;
    x[IN.id] = id;
    x[IN.side] = s;
    x[IN.type] = ty;
    x[IN.timeInForce] = t;
    x[IN.postOnly] = postOnly ? 1 : 0;
    x[IN.price] = price ?? 0;
    x[IN.quantity] = quantity;
    x[IN.timestamp] = timestamp ?? 0;
    const grown = this.#book.submitScratch();
    if (grown !== undefined) this.#out = grown;
    const out = this.#out;
    const status = out[OUT.status]!;
    const { ok, postOnlyWouldTake, fokUnfillable } = BATCH_STATUS;
    if (status !== ok && status !== postOnlyWouldTake && status !== fokUnfillable) {
      return this.#book.submit({ id, side, type, price, quantity, timeInForce, postOnly, timestamp }); // refused, book unchanged: the named error
    }
    const n = out[OUT.fillCount]!;
    const fills: BookFill[] = n === 0 ? NO_FILLS : new Array(n);
    const takerSide: BookSide = s === SIDE_CODE.buy ? "buy" : "sell";
    for (let k = 0, o = OUT.header; k < n; k++, o += OUT.fillStride) {
      fills[k] = { taker: out[o]!, maker: out[o + 1]!, price: out[o + 2]!, quantity: out[o + 3]!, timestamp: out[o + 4]!, takerSide };
    }
    if (status === ok) return { status: "accepted", filled: out[OUT.filled]!, resting: out[OUT.resting]!, fills };
    return { status: status === postOnlyWouldTake ? "rejected" : "killed", reason: status === postOnlyWouldTake ? "postOnlyWouldTake" : "fokUnfillable", filled: 0, resting: 0, fills };
  }
  /** Throws for an id that is not resting. */
  cancel(id: number, timestamp?: number): void {
    this.#book.cancel(id, timestamp);
  }
  /** `change`'s fields are each read once, before anything is applied; a bad one throws and changes nothing. */
  modify(id: number, change: { quantity?: number; price?: number; timestamp?: number }): SubmitResult {
    if (typeof change !== "object" || change === null) return this.#book.modify(id, change); // the addon names the problem
    const { quantity, price, timestamp } = change;
    return this.#book.modify(id, { quantity, price, timestamp });
  }
  bestBid(): BookLevel | null {
    return this.#book.bestBid();
  }
  bestAsk(): BookLevel | null {
    return this.#book.bestAsk();
  }
  /** Up to n (default 10) aggregated levels per side, best first. */
  depth(n?: number): BookDepth {
    return this.#book.depth(n);
  }
  /** Open quantity ahead of the order at its price; throws for an id that is not resting. */
  queuePosition(id: number): number {
    return this.#book.queuePosition(id);
  }
  /** The resting order's state, or null when it is not resting (filled, cancelled or never seen). */
  orderState(id: number): RestingOrderState | null {
    return this.#book.orderState(id);
  }
  /** Every resting order: bids best-first, then asks best-first, each level in time priority. */
  snapshot(): BookSnapshot {
    return this.#book.snapshot();
  }
  /** 32-bit digest of the resting orders, their open quantities and queue order (see {@link bookChecksumTerm}). */
  checksum(): number {
    return this.#book.checksum();
  }
  /** L2/L3 book updates of the last per-call operation. */
  lastUpdates(): BookUpdateEvent[] {
    return this.#book.lastUpdates();
  }
  /**
   * Streams fills and L2/L3 book updates of every later per-call operation to `listener`
   * (replacing any earlier one); returns the function that unsubscribes. The book holds the
   * listener strongly until then.
   */
  subscribe(listener: BookListener): () => void {
    this.#book.subscribe(listener);
    return () => this.#book.subscribe(null);
  }
  /**
   * Drops every resting order and returns the book's memory now rather than at garbage collection
   * (a backtest building one big book after another should call it); the book stays usable, empty.
   */
  dispose(): void {
    this.#book.dispose();
  }
  /**
   * Runs many operations in one N-API crossing. Per-operation problems (bad quantity, unknown id, …)
   * become status codes ({@link BATCH_STATUS}) instead of exceptions; malformed arrays throw.
   */
  submitBatch(ops: BatchOps, options?: { checksums?: boolean }): BatchResult {
    return this.#book.submitBatch(ops, options);
  }
}

export function orderBook(options: OrderBookOptions): OrderBook {
  return new OrderBook(options);
}

/** Options of {@link MatchingEngine}. */
export interface MatchingEngineOptions {
  /** Tick size of books created without their own (default 0.01). */
  tickSize?: number;
}

/** Many symbols, one book each, routed by symbol. */
export class MatchingEngine {
  readonly #books = new Map<string, OrderBook>();
  readonly #tick: number;

  constructor(options: MatchingEngineOptions = {}) {
    const t = options.tickSize ?? 0.01;
    if (!(t > 0) || !Number.isFinite(t)) throw new RangeError(`MatchingEngine: option tickSize must be a finite number > 0, got ${t}`);
    this.#tick = t;
  }
  /** The symbol's book, created on first use. */
  book(symbol: string, options?: OrderBookOptions): OrderBook {
    if (typeof symbol !== "string" || symbol.length === 0) throw new TypeError("MatchingEngine.book: symbol must be a non-empty string");
    let b = this.#books.get(symbol);
    if (!b) {
      b = new OrderBook(options ?? { tickSize: this.#tick });
      this.#books.set(symbol, b);
    }
    return b;
  }
  submit(symbol: string, order: BookOrder): SubmitResult {
    return this.book(symbol).submit(order);
  }
  cancel(symbol: string, id: number, timestamp?: number): void {
    this.#existing(symbol, "cancel").cancel(id, timestamp);
  }
  modify(symbol: string, id: number, change: { quantity?: number; price?: number; timestamp?: number }): SubmitResult {
    return this.#existing(symbol, "modify").modify(id, change);
  }
  #existing(symbol: string, where: string): OrderBook {
    const b = this.#books.get(symbol);
    if (!b) throw new Error(`MatchingEngine.${where}: symbol ${JSON.stringify(symbol)} has no book (submit to it first)`);
    return b;
  }
  get symbols(): string[] {
    return [...this.#books.keys()];
  }
}

export function matchingEngine(options?: MatchingEngineOptions): MatchingEngine {
  return new MatchingEngine(options);
}

/**
 * One resting order's term of {@link OrderBook.checksum} (the checksum is the sum mod 2^32 over
 * resting orders); `rank` is the order's place in its price level's queue, 0 = first in line.
 */
export function bookChecksumTerm(id: number, side: 0 | 1, priceTicks: number, open: number, rank: number): number {
  let h = (id >>> 0) ^ Math.imul(Math.floor(id / 4294967296) >>> 0, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= priceTicks >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= open >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f);
  h ^= side;
  h ^= h >>> 15;
  h ^= Math.imul(rank, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
