/**
 * A small, obviously-correct order book for differential testing of the C++ engine: two arrays
 * kept sorted by (price, arrival), linear scans everywhere, integer ticks. Mirrors the engine's
 * documented semantics and status codes (BATCH_STATUS), nothing more.
 */
import { BATCH_OP, BATCH_STATUS, bookChecksumTerm } from "../../native/ts/index.js";

export interface RefOrder {
  id: number;
  side: 0 | 1;
  price: number;
  quantity: number;
  filled: number;
  open: number;
  postOnly: boolean;
  seq: number;
  /** memo of bookChecksumTerm for (open, rank) = (termOpen, termRank); a pure function, so caching is safe */
  term?: number;
  termOpen?: number;
  termRank?: number;
}

export interface RefFill {
  taker: number;
  maker: number;
  price: number;
  quantity: number;
}

export class ReferenceBook {
  /** bids: best (highest) first; asks: best (lowest) first; ties by arrival. */
  readonly bids: RefOrder[] = [];
  readonly asks: RefOrder[] = [];
  fills: RefFill[] = [];
  #seq = 0;

  find(id: number): RefOrder | undefined {
    return this.bids.find((o) => o.id === id) ?? this.asks.find((o) => o.id === id);
  }

  checksum(): number {
    return (this.#sideChecksum(this.bids) + this.#sideChecksum(this.asks)) >>> 0;
  }

  #sideChecksum(side: RefOrder[]): number {
    let h = 0;
    let rank = 0;
    for (let i = 0; i < side.length; i++) {
      const o = side[i]!;
      rank = i > 0 && side[i - 1]!.price === o.price ? rank + 1 : 0;
      if (o.term === undefined || o.termOpen !== o.open || o.termRank !== rank) {
        o.term = bookChecksumTerm(o.id, o.side, o.price, o.open, rank);
        o.termOpen = o.open;
        o.termRank = rank;
      }
      h = (h + o.term) >>> 0;
    }
    return h;
  }

  #crosses(side: 0 | 1, market: boolean, price: number): boolean {
    const best = side === 0 ? this.asks[0] : this.bids[0];
    if (!best) return false;
    return market || (side === 0 ? best.price <= price : best.price >= price);
  }

  #available(side: 0 | 1, market: boolean, price: number): number {
    let sum = 0;
    for (const o of side === 0 ? this.asks : this.bids) {
      if (!market && (side === 0 ? o.price > price : o.price < price)) break;
      sum += o.open;
    }
    return sum;
  }

  #match(side: 0 | 1, market: boolean, price: number, qty: number, taker: number): number {
    const book = side === 0 ? this.asks : this.bids;
    let left = qty;
    while (left > 0 && book.length > 0) {
      const m = book[0]!;
      if (!market && (side === 0 ? m.price > price : m.price < price)) break;
      const q = Math.min(left, m.open);
      m.open -= q;
      m.filled += q;
      left -= q;
      this.fills.push({ taker, maker: m.id, price: m.price, quantity: q });
      if (m.open === 0) book.shift();
    }
    return qty - left;
  }

  #rest(o: RefOrder): void {
    o.seq = this.#seq++;
    const book = o.side === 0 ? this.bids : this.asks;
    let i = 0;
    while (i < book.length && (o.side === 0 ? book[i]!.price >= o.price : book[i]!.price <= o.price)) i++;
    book.splice(i, 0, o);
  }

  #remove(o: RefOrder): void {
    const book = o.side === 0 ? this.bids : this.asks;
    book.splice(book.indexOf(o), 1);
  }

  /** Applies one batch operation (prices in ticks); returns its status code. */
  apply(type: number, id: number, side: number, price: number, quantity: number): number {
    this.fills = [];
    if (!Number.isSafeInteger(id) || id < 0) return BATCH_STATUS.badId;
    const isCount = Number.isSafeInteger(quantity) && quantity > 0;
    if (type === BATCH_OP.cancel) {
      const o = this.find(id);
      if (!o) return BATCH_STATUS.unknownId;
      this.#remove(o);
      return BATCH_STATUS.ok;
    }
    if (type === BATCH_OP.modify) {
      if (!isCount) return BATCH_STATUS.badQuantity;
      if (!Number.isNaN(price) && !(Number.isSafeInteger(price) && price >= 1)) return BATCH_STATUS.badPrice; // positive prices only
      const o = this.find(id);
      if (!o) return BATCH_STATUS.unknownId;
      const newPrice = Number.isNaN(price) ? o.price : price;
      const newOpen = quantity - o.filled;
      if (newOpen <= 0) {
        this.#remove(o);
        return BATCH_STATUS.ok;
      }
      if (newPrice === o.price && newOpen <= o.open) {
        o.open = newOpen;
        o.quantity = quantity;
        return BATCH_STATUS.ok;
      }
      if (o.postOnly && newPrice !== o.price && this.#crosses(o.side, false, newPrice)) return BATCH_STATUS.postOnlyWouldTake;
      this.#remove(o);
      o.price = newPrice;
      o.term = undefined;
      o.quantity = quantity;
      o.open = newOpen;
      const f = this.#match(o.side, false, newPrice, newOpen, id);
      o.filled += f;
      o.open -= f;
      if (o.open > 0) this.#rest(o);
      return BATCH_STATUS.ok;
    }
    if (type > 7) return BATCH_STATUS.badType;
    if (side > 1) return BATCH_STATUS.badSide;
    if (!isCount) return BATCH_STATUS.badQuantity;
    const s = side as 0 | 1;
    const market = type === BATCH_OP.market || type === BATCH_OP.marketFok;
    const fok = type === BATCH_OP.fok || type === BATCH_OP.marketFok;
    const gtc = type === BATCH_OP.limit || type === BATCH_OP.postOnly;
    const postOnly = type === BATCH_OP.postOnly;
    if (!market && !(Number.isSafeInteger(price) && price >= 1)) return BATCH_STATUS.badPrice; // positive prices only
    if (this.find(id)) return BATCH_STATUS.duplicateId;
    if (postOnly && this.#crosses(s, false, price)) return BATCH_STATUS.postOnlyWouldTake;
    if (fok && this.#available(s, market, price) < quantity) return BATCH_STATUS.fokUnfillable;
    const filled = this.#match(s, market, price, quantity, id);
    if (gtc && quantity > filled) {
      this.#rest({ id, side: s, price, quantity, filled, open: quantity - filled, postOnly, seq: 0 });
    }
    return BATCH_STATUS.ok;
  }

  /** Resting orders in the engine's snapshot order. */
  snapshot(): RefOrder[] {
    return [...this.bids, ...this.asks];
  }
}
