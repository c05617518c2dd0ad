/**
 * Keeps the orders of one backtest or session. Every change goes through `Order.apply` (the one
 * transition table); the manager only stamps events with its clock's time and indexes orders.
 * The clock is passed in; ids are per manager, so managers never share state.
 */
import { checkKeys, describeValue, unknownOption } from "../data/index.js";
import type { Clock } from "./clock.js";
import { Order, type OrderEvent, type OrderSide, type OrderType } from "./order.js";
import { type Price, Quantity } from "./precision.js";

/** What `submit` takes. */
export interface OrderRequest {
  instrument: string;
  side: OrderSide;
  quantity: Quantity;
  /** Default "market". */
  type?: OrderType;
  limitPrice?: Price;
}

/** Options of {@link OrderManager}. */
export interface OrderManagerOptions {
  /** Time source for event stamps (required: pass the backtest's clock). */
  clock: Clock;
  /** Called after every applied event (default: none). */
  onEvent?: (order: Order, event: OrderEvent) => void;
}

const REQUEST_KEYS: readonly string[] = ["instrument", "side", "quantity", "type", "limitPrice"];

export class OrderManager {
  readonly clock: Clock;
  readonly #onEvent: ((order: Order, event: OrderEvent) => void) | undefined;
  readonly #orders = new Map<number, Order>();
  readonly #open = new Map<number, Order>();
  #nextId = 1;

  constructor(options: OrderManagerOptions) {
    const o = checkKeys("OrderManager", options, ["clock", "onEvent"]);
    const clock = o.get("clock") as Clock | undefined;
    if (clock === undefined || clock === null || typeof clock.now !== "function") {
      throw new TypeError("OrderManager: option clock is required (an object with now(), e.g. new TestClock())");
    }
    const onEvent = o.get("onEvent");
    if (onEvent !== undefined && typeof onEvent !== "function") throw new TypeError("OrderManager: option onEvent must be a function (order, event) => void");
    this.clock = clock;
    this.#onEvent = onEvent as ((order: Order, event: OrderEvent) => void) | undefined;
  }

  /** Creates an order and applies `submitted`. */
  submit(request: OrderRequest): Order {
    if (request === null || typeof request !== "object") throw new TypeError(`OrderManager.submit: request must be an object, got ${describeValue(request)}`);
    // Key check without allocating (one request per order); the error is the options helper's.
    for (const key in request) if (!REQUEST_KEYS.includes(key)) throw unknownOption("OrderManager.submit", key, REQUEST_KEYS);
    const { instrument, side, quantity, type, limitPrice } = request;
    if (!(quantity instanceof Quantity)) throw new TypeError("OrderManager.submit: quantity must be a Quantity (e.g. new Quantity(100))");
    const order = new Order({
      id: this.#nextId,
      instrument,
      side,
      quantity,
      type: type ?? "market",
      ...(limitPrice === undefined ? {} : { limitPrice }),
      ts: this.clock.now(),
    });
    this.#nextId++;
    this.#orders.set(order.id, order);
    this.apply(order.id, { kind: "submitted", ts: this.clock.now() });
    return order;
  }

  /** Applies an event to order `id` (throws on an unknown id or an invalid transition). */
  apply(id: number, event: OrderEvent): Order {
    const order = this.get(id);
    order.apply(event);
    if (order.isTerminal) this.#open.delete(id);
    else this.#open.set(id, order);
    this.#onEvent?.(order, event);
    return order;
  }

  accept(id: number): Order {
    return this.apply(id, { kind: "accepted", ts: this.clock.now() });
  }

  reject(id: number, reason: string): Order {
    return this.apply(id, { kind: "rejected", ts: this.clock.now(), reason });
  }

  fill(id: number, quantity: Quantity, price: Price, cost = 0): Order {
    return this.apply(id, { kind: "filled", ts: this.clock.now(), quantity, price, cost });
  }

  /** Requests a cancel and, in a simulation, confirms it at once. */
  cancel(id: number): Order {
    this.apply(id, { kind: "cancelRequested", ts: this.clock.now() });
    return this.apply(id, { kind: "canceled", ts: this.clock.now() });
  }

  expire(id: number): Order {
    return this.apply(id, { kind: "expired", ts: this.clock.now() });
  }

  get(id: number): Order {
    const o = this.#orders.get(id);
    if (o === undefined) throw new RangeError(`OrderManager: no order with id ${id}`);
    return o;
  }

  /** Orders not yet in a terminal status, oldest first. */
  openOrders(): Order[] {
    return [...this.#open.values()];
  }

  get openCount(): number {
    return this.#open.size;
  }

  /** Every order this manager created, oldest first. */
  allOrders(): Order[] {
    return [...this.#orders.values()];
  }
}

export function orderManager(options: OrderManagerOptions): OrderManager {
  return new OrderManager(options);
}

/** Helper for callers holding a signed float quantity: the side and the integer Quantity. */
export function signedToOrder(quantity: number, precision = 0): { side: OrderSide; quantity: Quantity } {
  return { side: quantity >= 0 ? "buy" : "sell", quantity: new Quantity(Math.abs(quantity), precision) };
}
