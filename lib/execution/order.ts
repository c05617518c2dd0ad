/**
 * An order whose state changes only by applying events through one exhaustive
 * (status, event) → status table (NautilusTrader `orders/mod.rs` habit, DESIGN.md example 6).
 * The table is typed `Record<OrderStatus, Record<TransitionKind, …>>`, so the compiler refuses a
 * table that forgets a pair; `null` marks an invalid transition and applying it throws.
 */
import { describeValue, unknownOption } from "../data/index.js";
import { type Price, Quantity } from "./precision.js";

/** Life-cycle states of an order. */
export type OrderStatus =
  | "initialized"
  | "submitted"
  | "accepted"
  | "rejected"
  | "partiallyFilled"
  | "filled"
  | "pendingCancel"
  | "canceled"
  | "expired";

/** Statuses from which no event can move the order. */
export const ORDER_TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(["rejected", "filled", "canceled", "expired"]);

/** Event kinds as they key the transition table (a fill is split into partial and full). */
export type TransitionKind =
  | "submitted"
  | "accepted"
  | "rejected"
  | "partiallyFilled"
  | "filled"
  | "cancelRequested"
  | "canceled"
  | "cancelRejected"
  | "expired";

/** `"previous"`: go back to the status held before `pendingCancel`. */
type Target = OrderStatus | "previous" | null;

/** The one transition table. Rows: current status; columns: event; `null`: invalid. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Readonly<Record<TransitionKind, Target>>>> = Object.freeze({
  initialized: { submitted: "submitted", accepted: null, rejected: "rejected", partiallyFilled: null, filled: null, cancelRequested: null, canceled: "canceled", cancelRejected: null, expired: null },
  submitted: { submitted: null, accepted: "accepted", rejected: "rejected", partiallyFilled: "partiallyFilled", filled: "filled", cancelRequested: "pendingCancel", canceled: "canceled", cancelRejected: null, expired: "expired" },
  accepted: { submitted: null, accepted: null, rejected: null, partiallyFilled: "partiallyFilled", filled: "filled", cancelRequested: "pendingCancel", canceled: "canceled", cancelRejected: null, expired: "expired" },
  partiallyFilled: { submitted: null, accepted: null, rejected: null, partiallyFilled: "partiallyFilled", filled: "filled", cancelRequested: "pendingCancel", canceled: "canceled", cancelRejected: null, expired: "expired" },
  pendingCancel: { submitted: null, accepted: null, rejected: null, partiallyFilled: "pendingCancel", filled: "filled", cancelRequested: null, canceled: "canceled", cancelRejected: "previous", expired: "expired" },
  rejected: { submitted: null, accepted: null, rejected: null, partiallyFilled: null, filled: null, cancelRequested: null, canceled: null, cancelRejected: null, expired: null },
  filled: { submitted: null, accepted: null, rejected: null, partiallyFilled: null, filled: null, cancelRequested: null, canceled: null, cancelRejected: null, expired: null },
  canceled: { submitted: null, accepted: null, rejected: null, partiallyFilled: null, filled: null, cancelRequested: null, canceled: null, cancelRejected: null, expired: null },
  expired: { submitted: null, accepted: null, rejected: null, partiallyFilled: null, filled: null, cancelRequested: null, canceled: null, cancelRejected: null, expired: null },
});

/** Statuses in code order: the code of a status (in {@link OrderColumns}) is its index here. */
export const ORDER_STATUSES: readonly OrderStatus[] = Object.freeze(Object.keys(ORDER_TRANSITIONS) as OrderStatus[]);
/** Transition kinds in code order. */
export const TRANSITION_KINDS: readonly TransitionKind[] = Object.freeze(Object.keys(ORDER_TRANSITIONS.initialized) as TransitionKind[]);
/** Code in {@link ORDER_TRANSITION_CODES} of an invalid pair. */
export const TRANSITION_INVALID = -1;
/** Code in {@link ORDER_TRANSITION_CODES} of "back to the status held before pendingCancel". */
export const TRANSITION_PREVIOUS = -2;

/**
 * {@link ORDER_TRANSITIONS} compiled to codes for columnar orders (no second table: derived from the
 * one above at load): the target of (status s, kind k) is `ORDER_TRANSITION_CODES[s * TRANSITION_KINDS.length + k]`,
 * a status code, {@link TRANSITION_INVALID} or {@link TRANSITION_PREVIOUS}.
 */
export const ORDER_TRANSITION_CODES: Int8Array = (() => {
  const codes = new Int8Array(ORDER_STATUSES.length * TRANSITION_KINDS.length);
  ORDER_STATUSES.forEach((s, si) => {
    TRANSITION_KINDS.forEach((k, ki) => {
      const target = ORDER_TRANSITIONS[s][k];
      codes[si * TRANSITION_KINDS.length + ki] = target === null ? TRANSITION_INVALID : target === "previous" ? TRANSITION_PREVIOUS : ORDER_STATUSES.indexOf(target);
    });
  });
  return codes;
})();

/** Order side. */
export type OrderSide = "buy" | "sell";
/** Order type: market, limit, or market-on-close (fills at the bar's close). */
export type OrderType = "market" | "limit" | "moc";

/** An event applied to an order. `ts` is the clock time (epoch ms or bar index, the clock's unit). */
export type OrderEvent =
  | { readonly kind: "submitted"; readonly ts: number }
  | { readonly kind: "accepted"; readonly ts: number }
  | { readonly kind: "rejected"; readonly ts: number; readonly reason: string }
  | { readonly kind: "filled"; readonly ts: number; readonly quantity: Quantity; readonly price: Price; readonly cost: number }
  | { readonly kind: "cancelRequested"; readonly ts: number }
  | { readonly kind: "canceled"; readonly ts: number }
  | { readonly kind: "cancelRejected"; readonly ts: number; readonly reason: string }
  | { readonly kind: "expired"; readonly ts: number };

/** What an order is created from. */
export interface OrderSpec {
  readonly id: number;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly type: OrderType;
  /** Limit price (required for `type: "limit"`, refused otherwise). */
  readonly limitPrice?: Price;
  readonly ts: number;
}

const ORDER_SPEC_KEYS: readonly string[] = ["id", "instrument", "side", "quantity", "type", "limitPrice", "ts"];

export class Order {
  readonly id: number;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly type: OrderType;
  readonly limitPrice: Price | undefined;
  readonly tsInit: number;
  #status: OrderStatus = "initialized";
  #previous: OrderStatus = "initialized";
  #filled: Quantity;
  #notional = 0;
  #cost = 0;
  readonly #events: OrderEvent[] = [];

  constructor(spec: OrderSpec) {
    if (spec === null || typeof spec !== "object") throw new TypeError(`Order: spec must be an object, got ${describeValue(spec)}`);
    // Key check without allocating (one Order per fill path); the error is the options helper's.
    for (const key in spec) if (!ORDER_SPEC_KEYS.includes(key)) throw unknownOption("Order", key, ORDER_SPEC_KEYS);
    const { id, side, type, quantity, limitPrice, instrument, ts } = spec;
    if (side !== "buy" && side !== "sell") throw new TypeError(`Order: side must be "buy" or "sell", got ${JSON.stringify(side)}`);
    if (type !== "market" && type !== "limit" && type !== "moc") {
      throw new TypeError(`Order: type must be "market", "limit" or "moc", got ${JSON.stringify(type)}`);
    }
    if (!(quantity instanceof Quantity)) throw new TypeError(`Order ${id}: quantity must be a Quantity, got ${describeValue(quantity)}`);
    if (quantity.isZero) throw new RangeError(`Order ${id}: quantity must be > 0`);
    if (type === "limit" && limitPrice === undefined) throw new TypeError(`Order ${id}: a limit order needs limitPrice`);
    if (type !== "limit" && limitPrice !== undefined) throw new TypeError(`Order ${id}: limitPrice is only for type "limit"`);
    this.id = id;
    this.instrument = instrument;
    this.side = side;
    this.quantity = quantity;
    this.type = type;
    this.limitPrice = limitPrice;
    this.tsInit = ts;
    this.#filled = new Quantity(0, quantity.precision);
  }

  get status(): OrderStatus {
    return this.#status;
  }
  get filledQuantity(): Quantity {
    return this.#filled;
  }
  /** Quantity still open. */
  get leavesQuantity(): Quantity {
    return this.quantity.sub(this.#filled);
  }
  /** Volume-weighted fill price (NaN before the first fill). */
  get averagePrice(): number {
    return this.#filled.isZero ? Number.NaN : this.#notional / this.#filled.value;
  }
  /** Total transaction cost booked on fills (currency). */
  get totalCost(): number {
    return this.#cost;
  }
  get isTerminal(): boolean {
    return ORDER_TERMINAL_STATUSES.has(this.#status);
  }
  get isOpen(): boolean {
    return !this.isTerminal && this.#status !== "initialized";
  }
  /** The events applied so far, oldest first. */
  get events(): readonly OrderEvent[] {
    return this.#events;
  }

  /** Applies one event through the transition table; throws on an invalid (status, event) pair. */
  apply(event: OrderEvent): OrderStatus {
    let kind: TransitionKind;
    if (event.kind === "filled") {
      if (event.quantity.precision !== this.quantity.precision) {
        throw new RangeError(`Order ${this.id}: fill quantity precision ${event.quantity.precision} ≠ order precision ${this.quantity.precision}`);
      }
      if (event.quantity.isZero) throw new RangeError(`Order ${this.id}: a fill must have a positive quantity`);
      const leaves = this.leavesQuantity;
      if (event.quantity.compare(leaves) > 0) throw new RangeError(`Order ${this.id}: fill of ${event.quantity} exceeds leaves ${leaves} (overfill)`);
      kind = event.quantity.equals(leaves) ? "filled" : "partiallyFilled";
    } else {
      kind = event.kind;
    }
    const target = ORDER_TRANSITIONS[this.#status][kind];
    if (target === null) throw new Error(`Order ${this.id}: invalid transition from "${this.#status}" on event "${kind}"`);
    const next = target === "previous" ? this.#previous : target;
    if (event.kind === "filled") {
      this.#filled = this.#filled.add(event.quantity);
      this.#notional += event.quantity.value * event.price.value;
      this.#cost += event.cost;
    }
    if (next === "pendingCancel" && this.#status !== "pendingCancel") this.#previous = this.#status;
    if (this.#status === "pendingCancel" && kind === "partiallyFilled") this.#previous = "partiallyFilled";
    this.#status = next;
    this.#events.push(event);
    return next;
  }
}
