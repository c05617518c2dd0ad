/**
 * Orders as columns (struct of arrays) for simulations that send many orders a day, such as the
 * daily backtester (one order per asset and rebalance): the same life cycle as {@link Order}, driven
 * by the same transition table ({@link ORDER_TRANSITION_CODES}, compiled from `ORDER_TRANSITIONS`),
 * with no object per order. An invalid (status, event) pair throws exactly as `Order.apply` does.
 *
 * Quantities are float shares (the daily backtester may trade fractional shares); a fill larger than
 * the open quantity is an overfill and throws. Ids are row numbers, valid until {@link OrderColumns.clear}.
 */
import { columnCapacity, grownColumn } from "./columns.js";
import {
  ORDER_STATUSES,
  ORDER_TERMINAL_STATUSES,
  ORDER_TRANSITION_CODES,
  type OrderStatus,
  TRANSITION_INVALID,
  TRANSITION_KINDS,
  TRANSITION_PREVIOUS,
  type TransitionKind,
} from "./order.js";

const K = TRANSITION_KINDS.length;
const kindCode = (k: TransitionKind): number => TRANSITION_KINDS.indexOf(k);
const statusCode = (s: OrderStatus): number => ORDER_STATUSES.indexOf(s);
const SUBMITTED = kindCode("submitted");
const ACCEPTED = kindCode("accepted");
const PARTIAL = kindCode("partiallyFilled");
const FILLED = kindCode("filled");
const CANCEL_REQUESTED = kindCode("cancelRequested");
const CANCELED = kindCode("canceled");
const EXPIRED = kindCode("expired");
const INITIALIZED = statusCode("initialized");
const PENDING_CANCEL = statusCode("pendingCancel");
const PARTIALLY_FILLED = statusCode("partiallyFilled");
const TERMINAL = Uint8Array.from(ORDER_STATUSES, (s) => (ORDER_TERMINAL_STATUSES.has(s) ? 1 : 0));
/** The status after `submitted` then `accepted` from `initialized`, read from the table (neither leads back to a previous status). */
const SUBMITTED_ACCEPTED = ORDER_TRANSITION_CODES[(ORDER_TRANSITION_CODES[INITIALIZED * K + SUBMITTED] as number) * K + ACCEPTED] as number;
if (!(SUBMITTED_ACCEPTED >= 0)) throw new Error("OrderColumns: ORDER_TRANSITIONS must allow initialized → submitted → accepted");

export class OrderColumns {
  #n = 0;
  #asset: Int32Array;
  #side: Int8Array;
  #quantity: Float64Array;
  #filled: Float64Array;
  #notional: Float64Array;
  #cost: Float64Array;
  #status: Uint8Array;
  #previous: Uint8Array;

  /** `capacity`: rows before the first growth (default 64; the columns double as needed). */
  constructor(capacity = 64) {
    columnCapacity("OrderColumns", capacity);
    this.#asset = new Int32Array(capacity);
    this.#side = new Int8Array(capacity);
    this.#quantity = new Float64Array(capacity);
    this.#filled = new Float64Array(capacity);
    this.#notional = new Float64Array(capacity);
    this.#cost = new Float64Array(capacity);
    this.#status = new Uint8Array(capacity);
    this.#previous = new Uint8Array(capacity);
  }

  /** Orders since the last `clear()`. */
  get length(): number {
    return this.#n;
  }

  /** Forgets every order (ids restart at 0); the columns are kept for reuse. */
  clear(): void {
    this.#n = 0;
  }

  /** Creates an order for `signedQuantity` shares of `asset` (+ buy, − sell) and applies `submitted`; returns its id. */
  submit(asset: number, signedQuantity: number): number {
    if (!(Number.isFinite(signedQuantity) && signedQuantity !== 0)) throw badQuantity(signedQuantity);
    if (this.#n === this.#asset.length) this.#grow();
    const id = this.#n++;
    this.#asset[id] = asset;
    this.#side[id] = signedQuantity > 0 ? 1 : -1;
    this.#quantity[id] = Math.abs(signedQuantity);
    this.#filled[id] = 0;
    this.#notional[id] = 0;
    this.#cost[id] = 0;
    this.#status[id] = INITIALIZED;
    this.#previous[id] = INITIALIZED;
    this.#apply(id, SUBMITTED);
    return id;
  }

  /**
   * Submits and accepts `n` orders at once (a day's market-on-close orders): order k is for
   * `signedQuantity[k]` shares of `asset[k]`; ids follow on from the last. The same checks, columns
   * and status as `submit` then `accept` on each, the two transitions taken from the table once.
   */
  submitAll(asset: Int32Array, signedQuantity: Float64Array, n: number): void {
    while (this.#n + n > this.#asset.length) this.#grow();
    const id0 = this.#n;
    const a = this.#asset;
    const side = this.#side;
    const quantity = this.#quantity;
    const filled = this.#filled;
    const notional = this.#notional;
    const cost = this.#cost;
    const status = this.#status;
    const previous = this.#previous;
    // Rows past #n are not orders yet: a refused quantity leaves the table as it was. The columns
    // every new order starts alike in are filled as blocks (a typed-array store per value costs more
    // for each further array a loop writes).
    for (let k = 0; k < n; k++) {
      const id = id0 + k;
      const q = signedQuantity[k] as number;
      if (!(q - q === 0 && q !== 0)) throw badQuantity(q);
      a[id] = asset[k] as number;
      side[id] = q > 0 ? 1 : -1;
      quantity[id] = Math.abs(q);
    }
    const end = id0 + n;
    filled.fill(0, id0, end);
    notional.fill(0, id0, end);
    cost.fill(0, id0, end);
    status.fill(SUBMITTED_ACCEPTED, id0, end);
    previous.fill(INITIALIZED, id0, end);
    this.#n = end;
  }

  /**
   * Applies `n` fills at once, fill k to order `order[k]`: `quantity[k]` shares (signed as the
   * order; its magnitude is the fill) at `price[k]` costing `cost[k]` — as `fill` on each, in order
   * (the same checks and transitions; a plain filled/partiallyFilled step is taken from the table
   * inline, anything else through the one transition function). Returns how many of the fills
   * completed their order.
   */
  fillAll(order: Int32Array, quantity: Float64Array, price: Float64Array, cost: Float64Array, n: number): number {
    const qty = this.#quantity;
    const filled = this.#filled;
    const notional = this.#notional;
    const total = this.#cost;
    const status = this.#status;
    const count = this.#n;
    let completed = 0;
    for (let k = 0; k < n; k++) {
      const id = order[k] as number;
      if (!(id >= 0 && id < count)) this.#check(id);
      const q = Math.abs(quantity[k] as number);
      const done = filled[id] as number;
      const leaves = (qty[id] as number) - done;
      if (!(q > 0 && q <= leaves)) throw badFill(id, q, leaves);
      const kind = q === leaves ? FILLED : PARTIAL;
      if (kind === FILLED) completed++;
      const from = status[id] as number;
      const target = ORDER_TRANSITION_CODES[from * K + kind] as number;
      if (target >= 0 && from !== PENDING_CANCEL && target !== PENDING_CANCEL) status[id] = target;
      else this.#apply(id, kind);
      filled[id] = done + q;
      notional[id] = (notional[id] as number) + q * (price[k] as number);
      total[id] = (total[id] as number) + (cost[k] as number);
    }
    return completed;
  }

  /** Expires every order still open (a market-on-close order's time in force ends at the close); returns how many. */
  expireOpen(): number {
    const status = this.#status;
    let expired = 0;
    for (let id = 0; id < this.#n; id++) {
      if (TERMINAL[status[id] as number] === 1) continue;
      this.#apply(id, EXPIRED);
      expired++;
    }
    return expired;
  }

  accept(id: number): void {
    this.#apply(this.#check(id), ACCEPTED);
  }

  /** Applies a fill of `quantity` (> 0, ≤ open quantity) shares at `price` costing `cost`; returns the new status. */
  fill(id: number, quantity: number, price: number, cost: number): OrderStatus {
    this.#check(id);
    const leaves = (this.#quantity[id] as number) - (this.#filled[id] as number);
    if (!(quantity > 0 && quantity <= leaves)) throw badFill(id, quantity, leaves);
    this.#apply(id, quantity === leaves ? FILLED : PARTIAL);
    this.#filled[id] = (this.#filled[id] as number) + quantity;
    this.#notional[id] = (this.#notional[id] as number) + quantity * price;
    this.#cost[id] = (this.#cost[id] as number) + cost;
    return ORDER_STATUSES[this.#status[id] as number] as OrderStatus;
  }

  /** Requests a cancel and, in a simulation, confirms it at once. */
  cancel(id: number): void {
    this.#apply(this.#check(id), CANCEL_REQUESTED);
    this.#apply(id, CANCELED);
  }

  /** The order's time in force ran out (a market-on-close order at the close). */
  expire(id: number): void {
    this.#apply(this.#check(id), EXPIRED);
  }

  status(id: number): OrderStatus {
    return ORDER_STATUSES[this.#status[this.#check(id)] as number] as OrderStatus;
  }
  isTerminal(id: number): boolean {
    return TERMINAL[this.#status[this.#check(id)] as number] === 1;
  }
  asset(id: number): number {
    return this.#asset[this.#check(id)] as number;
  }
  /** +1 buy, −1 sell. */
  side(id: number): number {
    return this.#side[this.#check(id)] as number;
  }
  /** Ordered quantity (≥ 0, shares). */
  quantity(id: number): number {
    return this.#quantity[this.#check(id)] as number;
  }
  filledQuantity(id: number): number {
    return this.#filled[this.#check(id)] as number;
  }
  /** The open quantity with the order's sign (+ buy, − sell). */
  signedLeaves(id: number): number {
    return (this.#side[this.#check(id)] as number) * ((this.#quantity[id] as number) - (this.#filled[id] as number));
  }
  leavesQuantity(id: number): number {
    return (this.#quantity[this.#check(id)] as number) - (this.#filled[id] as number);
  }
  /** Volume-weighted fill price (NaN before the first fill). */
  averagePrice(id: number): number {
    const f = this.#filled[this.#check(id)] as number;
    return f > 0 ? (this.#notional[id] as number) / f : Number.NaN;
  }
  totalCost(id: number): number {
    return this.#cost[this.#check(id)] as number;
  }

  #check(id: number): number {
    if (id >>> 0 !== id || id >= this.#n) throw new RangeError(`OrderColumns: no order with id ${id} (ids 0..${this.#n - 1})`);
    return id;
  }

  #apply(id: number, kind: number): void {
    const from = this.#status[id] as number;
    const target = ORDER_TRANSITION_CODES[from * K + kind] as number;
    if (target === TRANSITION_INVALID) {
      throw new Error(`Order ${id}: invalid transition from "${ORDER_STATUSES[from]}" on event "${TRANSITION_KINDS[kind]}"`);
    }
    const next = target === TRANSITION_PREVIOUS ? (this.#previous[id] as number) : target;
    if (next === PENDING_CANCEL && from !== PENDING_CANCEL) this.#previous[id] = from;
    if (from === PENDING_CANCEL && kind === PARTIAL) this.#previous[id] = PARTIALLY_FILLED;
    this.#status[id] = next;
  }

  #grow(): void {
    const m = this.#asset.length * 2;
    this.#asset = grownColumn(this.#asset, m);
    this.#side = grownColumn(this.#side, m);
    this.#quantity = grownColumn(this.#quantity, m);
    this.#filled = grownColumn(this.#filled, m);
    this.#notional = grownColumn(this.#notional, m);
    this.#cost = grownColumn(this.#cost, m);
    this.#status = grownColumn(this.#status, m);
    this.#previous = grownColumn(this.#previous, m);
  }
}

/** A submitted quantity that is zero, NaN or ±Infinity. */
function badQuantity(q: number): RangeError {
  return new RangeError(`OrderColumns.submit: quantity must be a non-zero finite number, got ${q}`);
}

/** A fill that is not positive, or larger than the open quantity (an overfill). */
function badFill(id: number, quantity: number, leaves: number): RangeError {
  if (!(quantity > 0)) return new RangeError(`Order ${id}: a fill must have a positive quantity, got ${quantity}`);
  return new RangeError(`Order ${id}: fill of ${quantity} exceeds leaves ${leaves} (overfill)`);
}
