/**
 * Intraday fill simulation on the native matching engine: an order placed into a book rebuilt
 * from a trades-and-quotes tape fills by queue position, partially, after a configurable latency.
 *
 * Model (top-of-book tape, so some queue facts are assumptions, each stated here):
 * - The order reaches the book at `time + latency`; the quote prevailing then (last quote at or
 *   before arrival) is the book it meets. Events at equal times: trades before quotes.
 * - A marketable order (buy at or above the ask) takes the displayed ask size at the ask; a market
 *   order (no price) does so at arrival and again at each later quote until filled. The remainder
 *   of a marketable limit order rests at its price.
 * - A resting order joins the back of its level: when it is at the best bid (buy) the displayed bid
 *   size is ahead of it; a level behind the best gets the displayed size ahead of it the first time
 *   it becomes the best. A smaller displayed size later shrinks the queue ahead (cancels assumed
 *   ahead of us, the optimistic choice); the best moving away from our price empties it.
 * - A trade at our price fills the queue ahead first, then us; a trade through our price (lower for
 *   a buy) or an opposite quote crossing it fills us completely, at our price.
 * The queue, matching and partial fills run in the C++ engine (one small book per simulation).
 */
import { checkKeys, opt, readOptions } from "../data/index.js";
import { createNativeOrderBook, type NativeOrderBook } from "./native-adapter.js";

/** Quotes and trades as columns; times ascending within each, in any unit shared with `latency`. */
export interface QuoteTradeTape {
  quotes: { time: Float64Array; bidPrice: Float64Array; bidSize: Float64Array; askPrice: Float64Array; askSize: Float64Array };
  trades: { time: Float64Array; price: Float64Array; size: Float64Array };
}

/** Options of {@link IntradayFillSimulator}. */
export interface IntradayFillOptions {
  /** Price increment of the instrument (required); tape and order prices must lie on it. */
  tickSize: number;
  /** Delay between the decision and the order reaching the book, in tape time units (default 0). */
  latency?: number;
}

export interface IntradayOrder {
  side: "buy" | "sell";
  /** Positive integer quantity. */
  quantity: number;
  /** Limit price; omit for a market order. */
  price?: number;
  /** Decision time, in tape time units. */
  time: number;
  /** Cancel what is left at this time (default: end of the tape). */
  cancelAt?: number;
}

export interface IntradayFillResult {
  readonly arrivalTime: number;
  /** Quantity displayed ahead of the order when it started resting at the best (NaN if it never did). */
  readonly queueAheadAtArrival: number;
  readonly fillTime: Float64Array;
  readonly fillPrice: Float64Array;
  readonly fillQuantity: Float64Array;
  readonly filled: number;
  readonly remaining: number;
  /** Quantity-weighted fill price (NaN with no fills). */
  readonly averagePrice: number;
}

const OURS = 1;
const AHEAD = 2;

const SIMULATOR_OPTIONS = {
  tickSize: opt.custom<number>("a finite number > 0", () => Number.NaN, (v): v is number => typeof v === "number" && v > 0 && Number.isFinite(v), "range"),
  latency: opt.number(0, { min: 0 }),
};

export class IntradayFillSimulator {
  readonly tickSize: number;
  readonly latency: number;
  readonly #tape: QuoteTradeTape;

  constructor(tape: QuoteTradeTape, options: IntradayFillOptions) {
    const o = readOptions("IntradayFillSimulator", options, SIMULATOR_OPTIONS);
    if (!(o.tickSize > 0)) throw new RangeError("IntradayFillSimulator: option tickSize must be a finite number > 0, got undefined");
    checkTape(tape);
    this.tickSize = o.tickSize;
    this.latency = o.latency;
    this.#tape = tape;
  }

  simulate(order: IntradayOrder): IntradayFillResult {
    const o = checkKeys("IntradayFillSimulator.simulate", order, ["side", "quantity", "price", "time", "cancelAt"]);
    const side = o.get("side") as IntradayOrder["side"];
    const quantity = o.get("quantity") as number;
    const price = o.get("price") as number | undefined;
    const time = o.get("time") as number;
    if (side !== "buy" && side !== "sell") throw new TypeError(`IntradayFillSimulator.simulate: side must be "buy" or "sell", got ${String(side)}`);
    if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new RangeError(`IntradayFillSimulator.simulate: quantity must be a positive integer, got ${quantity}`);
    if (!Number.isFinite(time)) throw new RangeError(`IntradayFillSimulator.simulate: time must be finite, got ${time}`);
    if (price !== undefined && !Number.isFinite(price)) throw new RangeError(`IntradayFillSimulator.simulate: price must be finite or omitted (market), got ${price}`);
    const cancelAt = (o.get("cancelAt") as number | undefined) ?? Number.POSITIVE_INFINITY;
    const arrival = time + this.latency;
    // the quote prevailing at arrival
    const qi = upperBoundF64(this.#tape.quotes.time, arrival) - 1;
    if (qi < 0) throw new RangeError(`IntradayFillSimulator.simulate: no quote at or before arrival time ${arrival}`);
    const run = new IntradayRun(this.#tape, createNativeOrderBook({ tickSize: this.tickSize }), side, quantity, price, arrival);
    try {
      run.replay(qi, cancelAt);
    } catch (e) {
      throw new Error(`IntradayFillSimulator.simulate: ${(e as Error).message} (are tape prices on the tick grid ${this.tickSize}?)`);
    } finally {
      run.book.dispose();
    }
    return run.result();
  }
}

function checkTape(tape: QuoteTradeTape): void {
  const q = tape?.quotes;
  const t = tape?.trades;
  if (!q || !t) throw new TypeError("IntradayFillSimulator: tape must be { quotes: {time,bidPrice,bidSize,askPrice,askSize}, trades: {time,price,size} }");
  for (const k of ["bidPrice", "bidSize", "askPrice", "askSize"] as const) {
    if (q[k].length !== q.time.length) throw new RangeError(`IntradayFillSimulator: tape.quotes.${k} has length ${q[k].length}, expected ${q.time.length}`);
  }
  for (const k of ["price", "size"] as const) {
    if (t[k].length !== t.time.length) throw new RangeError(`IntradayFillSimulator: tape.trades.${k} has length ${t[k].length}, expected ${t.time.length}`);
  }
  for (const [name, col] of [["quotes.time", q.time], ["trades.time", t.time]] as const) {
    for (let i = 1; i < col.length; i++) if (!(col[i]! >= col[i - 1]!)) throw new RangeError(`IntradayFillSimulator: tape.${name} must be ascending (row ${i})`);
  }
}

/** One simulated order replayed against the tape: our order and the queue ahead of it live in `book`. */
class IntradayRun {
  readonly book: NativeOrderBook;
  readonly #tape: QuoteTradeTape;
  readonly #side: "buy" | "sell";
  readonly #buy: boolean;
  readonly #market: boolean;
  /** Limit price (NaN for a market order). */
  readonly #price: number;
  readonly #quantity: number;
  readonly #arrival: number;
  readonly #fillTime: number[] = [];
  readonly #fillPrice: number[] = [];
  readonly #fillQty: number[] = [];
  #remaining: number;
  /** Our order rests in `book`. */
  #resting = false;
  /** Resting behind the best: the queue ahead is not yet known. */
  #aheadPending = false;
  #queueAheadAtArrival = Number.NaN;
  #nextId = 10;

  constructor(tape: QuoteTradeTape, book: NativeOrderBook, side: "buy" | "sell", quantity: number, price: number | undefined, arrival: number) {
    this.book = book;
    this.#tape = tape;
    this.#side = side;
    this.#buy = side === "buy";
    this.#market = price === undefined;
    this.#price = price ?? Number.NaN;
    this.#quantity = quantity;
    this.#remaining = quantity;
    this.#arrival = arrival;
  }

  /** Meets quote `qi` (the one prevailing at arrival), then walks trades and quotes in time order until filled or `cancelAt`. */
  replay(qi: number, cancelAt: number): void {
    const { quotes: q, trades: tr } = this.#tape;
    let ti = upperBoundF64(tr.time, this.#arrival);
    this.#onQuote(qi, true);
    qi++;
    while (this.#remaining > 0) {
      const tq = qi < q.time.length ? q.time[qi]! : Number.POSITIVE_INFINITY;
      const tt = ti < tr.time.length ? tr.time[ti]! : Number.POSITIVE_INFINITY;
      const next = Math.min(tq, tt);
      if (next === Number.POSITIVE_INFINITY || next > cancelAt) break;
      if (tt <= tq) this.#onTrade(ti++);
      else this.#onQuote(qi++, false);
    }
  }

  result(): IntradayFillResult {
    const qty = this.#fillQty;
    const px = this.#fillPrice;
    let notional = 0;
    for (let k = 0; k < qty.length; k++) notional += qty[k]! * px[k]!;
    const filled = this.#quantity - this.#remaining;
    return Object.freeze({
      arrivalTime: this.#arrival,
      queueAheadAtArrival: this.#queueAheadAtArrival,
      fillTime: Float64Array.from(this.#fillTime),
      fillPrice: Float64Array.from(px),
      fillQuantity: Float64Array.from(qty),
      filled,
      remaining: this.#remaining,
      averagePrice: filled > 0 ? notional / filled : Number.NaN,
    });
  }

  #record(t: number, fills: readonly { taker: number; maker: number; price: number; quantity: number }[]): void {
    for (const f of fills) {
      if (f.taker !== OURS && f.maker !== OURS) continue;
      this.#fillTime.push(t);
      this.#fillPrice.push(f.price);
      this.#fillQty.push(f.quantity);
      this.#remaining -= f.quantity;
    }
  }

  #aheadOpen(): number {
    return this.book.orderState(AHEAD)?.open ?? 0;
  }

  #setAhead(size: number): void {
    const now = this.#aheadOpen();
    if (size >= now) return;
    if (size <= 0) this.book.cancel(AHEAD);
    else this.book.modify(AHEAD, { quantity: this.book.orderState(AHEAD)!.filled + size });
  }

  /** Our order joins the back of its level with `ahead` displayed quantity in front of it. */
  #joinBehind(ahead: number): void {
    const book = this.book;
    if (this.#resting) book.cancel(OURS);
    if (book.orderState(AHEAD)) book.cancel(AHEAD);
    if (ahead > 0) book.submit({ id: AHEAD, side: this.#side, price: this.#price, quantity: ahead });
    book.submit({ id: OURS, side: this.#side, price: this.#price, quantity: this.#remaining });
    this.#resting = true;
    this.#aheadPending = false;
    if (Number.isNaN(this.#queueAheadAtArrival)) this.#queueAheadAtArrival = ahead;
  }

  /** Opposite displayed liquidity our order may take: a synthetic maker, removed again afterwards. */
  #take(t: number, oppPrice: number, oppSize: number): void {
    if (!(oppSize > 0) || this.#remaining <= 0) return;
    const buy = this.#buy;
    const price = this.#price;
    if (!this.#market && (buy ? oppPrice > price : oppPrice < price)) return;
    const book = this.book;
    const id = this.#nextId++;
    const other = buy ? "sell" : "buy";
    if (this.#resting) {
      // the opposite quote reached our resting price: it trades with the queue at our price
      this.#record(t, book.submit({ id, side: other, price: oppPrice, quantity: Math.round(oppSize), timeInForce: "ioc" }).fills);
      return;
    }
    book.submit({ id, side: other, price: oppPrice, quantity: Math.round(oppSize) });
    const r = this.#market
      ? book.submit({ id: OURS, side: this.#side, type: "market", quantity: this.#remaining })
      : book.submit({ id: OURS, side: this.#side, price, quantity: this.#remaining });
    this.#record(t, r.fills);
    if (book.orderState(id)) book.cancel(id);
    if (!this.#market && this.#remaining > 0) {
      this.#resting = true;
      if (Number.isNaN(this.#queueAheadAtArrival)) this.#queueAheadAtArrival = 0;
    }
  }

  #onQuote(i: number, atArrival: boolean): void {
    const q = this.#tape.quotes;
    const t = atArrival ? this.#arrival : q.time[i]!; // what the order meets on arrival fills at the arrival time
    const buy = this.#buy;
    const bidP = q.bidPrice[i]!, bidS = q.bidSize[i]!, askP = q.askPrice[i]!, askS = q.askSize[i]!;
    const nearP = buy ? bidP : askP, nearS = buy ? bidS : askS, farP = buy ? askP : bidP, farS = buy ? askS : bidS;
    this.#take(t, farP, farS);
    if (this.#market || this.#remaining <= 0) return;
    const price = this.#price;
    const atBest = nearP === price;
    const behind = buy ? price < nearP : price > nearP;
    if (atArrival && !this.#resting) {
      if (atBest) this.#joinBehind(Math.round(nearS));
      else if (behind) {
        this.#joinBehind(0);
        this.#aheadPending = true;
        this.#queueAheadAtArrival = Number.NaN;
      } else this.#joinBehind(0); // inside the spread: alone at the new best
      return;
    }
    if (!this.#resting) return;
    if (atBest && this.#aheadPending) this.#joinBehind(Math.round(nearS));
    else if (atBest) this.#setAhead(Math.round(nearS));
    else if (!behind) this.#setAhead(0); // the best moved past our price: nobody is left ahead
  }

  #onTrade(j: number): void {
    if (!this.#resting || this.#remaining <= 0) return;
    const tr = this.#tape.trades;
    const t = tr.time[j]!, p = tr.price[j]!, s = tr.size[j]!;
    const price = this.#price;
    const through = this.#buy ? p < price : p > price;
    if (!through && p !== price) return;
    const qty = through ? this.#aheadOpen() + this.#remaining : Math.round(s);
    if (qty <= 0) return;
    this.#record(t, this.book.submit({ id: this.#nextId++, side: this.#buy ? "sell" : "buy", price, quantity: qty, timeInForce: "ioc" }).fills);
  }
}

export function intradayFillSimulator(tape: QuoteTradeTape, options: IntradayFillOptions): IntradayFillSimulator {
  return new IntradayFillSimulator(tape, options);
}

/** First index with a[i] > x. */
function upperBoundF64(a: Float64Array, x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

