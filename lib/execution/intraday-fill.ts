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
import { createNativeOrderBook } from "./native-adapter.js";

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

export class IntradayFillSimulator {
  readonly tickSize: number;
  readonly latency: number;
  readonly #tape: QuoteTradeTape;

  constructor(tape: QuoteTradeTape, options: IntradayFillOptions) {
    if (!options || !(options.tickSize > 0) || !Number.isFinite(options.tickSize)) {
      throw new RangeError(`IntradayFillSimulator: option tickSize must be a finite number > 0, got ${options?.tickSize}`);
    }
    const latency = options.latency ?? 0;
    if (!(latency >= 0) || !Number.isFinite(latency)) throw new RangeError(`IntradayFillSimulator: option latency must be a finite number ≥ 0, got ${latency}`);
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
    this.tickSize = options.tickSize;
    this.latency = latency;
    this.#tape = tape;
  }

  simulate(order: IntradayOrder): IntradayFillResult {
    const { side, quantity, price, time } = order;
    if (side !== "buy" && side !== "sell") throw new TypeError(`IntradayFillSimulator.simulate: side must be "buy" or "sell", got ${String(side)}`);
    if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new RangeError(`IntradayFillSimulator.simulate: quantity must be a positive integer, got ${quantity}`);
    if (!Number.isFinite(time)) throw new RangeError(`IntradayFillSimulator.simulate: time must be finite, got ${time}`);
    if (price !== undefined && !Number.isFinite(price)) throw new RangeError(`IntradayFillSimulator.simulate: price must be finite or omitted (market), got ${price}`);
    const { quotes: q, trades: tr } = this.#tape;
    const arrival = time + this.latency;
    const cancelAt = order.cancelAt ?? Number.POSITIVE_INFINITY;
    const buy = side === "buy";
    const market = price === undefined;
    const book = createNativeOrderBook({ tickSize: this.tickSize });
    const fillTime: number[] = [];
    const fillPrice: number[] = [];
    const fillQty: number[] = [];
    let remaining = quantity;
    let resting = false; // our order rests in `book`
    let aheadPending = false; // resting behind the best: queue ahead not yet known
    let queueAheadAtArrival = Number.NaN;
    let nextId = 10;

    const record = (t: number, fills: readonly { taker: number; maker: number; price: number; quantity: number }[]): void => {
      for (const f of fills) {
        if (f.taker !== OURS && f.maker !== OURS) continue;
        fillTime.push(t);
        fillPrice.push(f.price);
        fillQty.push(f.quantity);
        remaining -= f.quantity;
      }
    };
    const aheadOpen = (): number => book.orderState(AHEAD)?.open ?? 0;
    const setAhead = (size: number): void => {
      const now = aheadOpen();
      if (size >= now) return;
      if (size <= 0) book.cancel(AHEAD);
      else book.modify(AHEAD, { quantity: book.orderState(AHEAD)!.filled + size });
    };
    // Our order joins the back of its level with `ahead` displayed quantity in front of it.
    const joinBehind = (ahead: number): void => {
      if (resting) book.cancel(OURS);
      if (book.orderState(AHEAD)) book.cancel(AHEAD);
      if (ahead > 0) book.submit({ id: AHEAD, side, price: price!, quantity: ahead });
      book.submit({ id: OURS, side, price: price!, quantity: remaining });
      resting = true;
      aheadPending = false;
      if (Number.isNaN(queueAheadAtArrival)) queueAheadAtArrival = ahead;
    };
    // Opposite displayed liquidity our order may take: a synthetic maker, removed again afterwards.
    const take = (t: number, oppPrice: number, oppSize: number): void => {
      if (!(oppSize > 0) || remaining <= 0) return;
      if (!market && (buy ? oppPrice > price! : oppPrice < price!)) return;
      const id = nextId++;
      if (resting) {
        // the opposite quote reached our resting price: it trades with the queue at our price
        const r = book.submit({ id, side: buy ? "sell" : "buy", price: oppPrice, quantity: Math.round(oppSize), timeInForce: "ioc" });
        record(t, r.fills);
        return;
      }
      book.submit({ id, side: buy ? "sell" : "buy", price: oppPrice, quantity: Math.round(oppSize) });
      const r = market
        ? book.submit({ id: OURS, side, type: "market", quantity: remaining })
        : book.submit({ id: OURS, side, price: price!, quantity: remaining });
      record(t, r.fills);
      if (book.orderState(id)) book.cancel(id);
      if (!market && remaining > 0) {
        resting = true;
        if (Number.isNaN(queueAheadAtArrival)) queueAheadAtArrival = 0;
      }
    };
    const onQuote = (i: number, atArrival: boolean): void => {
      const t = atArrival ? arrival : q.time[i]!; // what the order meets on arrival fills at the arrival time
      const bidP = q.bidPrice[i]!, bidS = q.bidSize[i]!, askP = q.askPrice[i]!, askS = q.askSize[i]!;
      const nearP = buy ? bidP : askP, nearS = buy ? bidS : askS, farP = buy ? askP : bidP, farS = buy ? askS : bidS;
      take(t, farP, farS);
      if (market || remaining <= 0) return;
      const atBest = nearP === price;
      const behind = buy ? price! < nearP : price! > nearP;
      if (atArrival && !resting) {
        if (atBest) joinBehind(Math.round(nearS));
        else if (behind) {
          joinBehind(0);
          aheadPending = true;
          queueAheadAtArrival = Number.NaN;
        } else joinBehind(0); // inside the spread: alone at the new best
        return;
      }
      if (!resting) return;
      if (atBest && aheadPending) joinBehind(Math.round(nearS));
      else if (atBest) setAhead(Math.round(nearS));
      else if (!behind) setAhead(0); // the best moved past our price: nobody is left ahead
    };
    const onTrade = (j: number): void => {
      if (!resting || remaining <= 0) return;
      const t = tr.time[j]!, p = tr.price[j]!, s = tr.size[j]!;
      const through = buy ? p < price! : p > price!;
      if (!through && p !== price) return;
      const qty = through ? aheadOpen() + remaining : Math.round(s);
      if (qty <= 0) return;
      const r = book.submit({ id: nextId++, side: buy ? "sell" : "buy", price: price!, quantity: qty, timeInForce: "ioc" });
      record(t, r.fills);
    };

    // the quote prevailing at arrival
    let qi = upperBoundF64(q.time, arrival) - 1;
    if (qi < 0) throw new RangeError(`IntradayFillSimulator.simulate: no quote at or before arrival time ${arrival}`);
    let ti = upperBoundF64(tr.time, arrival);
    try {
      onQuote(qi, true);
      qi++;
      while (remaining > 0) {
        const tq = qi < q.time.length ? q.time[qi]! : Number.POSITIVE_INFINITY;
        const tt = ti < tr.time.length ? tr.time[ti]! : Number.POSITIVE_INFINITY;
        const next = Math.min(tq, tt);
        if (next === Number.POSITIVE_INFINITY || next > cancelAt) break;
        if (tt <= tq) onTrade(ti++);
        else onQuote(qi++, false);
      }
    } catch (e) {
      throw new Error(`IntradayFillSimulator.simulate: ${(e as Error).message} (are tape prices on the tick grid ${this.tickSize}?)`);
    } finally {
      book.dispose();
    }
    let notional = 0;
    for (let k = 0; k < fillQty.length; k++) notional += fillQty[k]! * fillPrice[k]!;
    const filled = quantity - remaining;
    return Object.freeze({
      arrivalTime: arrival,
      queueAheadAtArrival,
      fillTime: Float64Array.from(fillTime),
      fillPrice: Float64Array.from(fillPrice),
      fillQuantity: Float64Array.from(fillQty),
      filled,
      remaining,
      averagePrice: filled > 0 ? notional / filled : Number.NaN,
    });
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

