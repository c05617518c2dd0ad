/**
 * An event loop over bar events (one bar of one asset per event) for strategies that react bar by
 * bar. Bars are columns (struct of arrays), so the loop reads typed arrays and allocates nothing per
 * bar; orders are real `Order`s driven by the transition table through an `OrderManager`, filled
 * by the venue passed in (participation cap, costs, fill price inside the bar's range) after a
 * latency of `latencyBars` bars of that asset. The clock is passed in and advanced to each bar's time.
 */
import { type Clock, type Order, OrderManager, type OrderType, Price, Quantity, SimulatedVenue, TestClock } from "../execution/index.js";

/** Bar events as columns, sorted by time (ties in any order). */
export interface BarEvents {
  readonly time: Float64Array;
  readonly asset: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly assets: readonly string[];
}

/** What a strategy sees and can do inside `onBar`. */
export interface EventContext {
  readonly bars: BarEvents;
  /** Shares held per asset. */
  readonly positions: Float64Array;
  readonly cash: number;
  /** Bars seen so far per asset. */
  readonly barCount: Int32Array;
  /** Sends an order for `quantity` shares (signed: + buy, − sell); returns its id. */
  submit(asset: number, quantity: number, type?: OrderType, limitPrice?: number): number;
  cancel(orderId: number): void;
  /** Open orders of one asset. */
  openOrders(asset: number): readonly Order[];
}

/** A bar-by-bar strategy. */
export interface BarStrategy {
  onStart?(context: EventContext): void;
  /** Called after bar `k`'s pending orders were matched. */
  onBar(context: EventContext, k: number): void;
}

/** Options of {@link BarEventEngine}. */
export interface BarEventEngineOptions {
  /** Time source (default: a new TestClock at the first bar's time). */
  clock?: TestClock;
  /** Venue (default: a SimulatedVenue with no costs and a 10% participation cap). */
  venue?: SimulatedVenue;
  /** Starting cash (default 1,000,000). */
  initialCash?: number;
  /** Bars of the same asset between an order and its first chance to fill (default 1). */
  latencyBars?: number;
  /** Decimal places of limit prices (default 4). */
  pricePrecision?: number;
}

/** Result of a run. */
export interface EventLoopResult {
  readonly events: number;
  readonly orders: number;
  readonly fills: number;
  readonly cash: number;
  readonly positions: Float64Array;
  /** Cash plus positions at each asset's last close. */
  readonly equity: number;
  readonly costs: number;
  /** Orders still open at the end. */
  readonly openOrders: number;
  /** Every fill price was inside its bar's [low, high]. */
  readonly pricesInRange: boolean;
}

export class BarEventEngine {
  readonly venue: SimulatedVenue;
  readonly initialCash: number;
  readonly latencyBars: number;
  readonly pricePrecision: number;
  readonly #clock: TestClock | undefined;

  constructor(options: BarEventEngineOptions = {}) {
    this.venue = options.venue ?? new SimulatedVenue();
    this.initialCash = options.initialCash ?? 1_000_000;
    this.latencyBars = options.latencyBars ?? 1;
    this.pricePrecision = options.pricePrecision ?? 4;
    if (!Number.isInteger(this.latencyBars) || this.latencyBars < 0) throw new RangeError(`BarEventEngine: option latencyBars must be an integer ≥ 0, got ${this.latencyBars}`);
    this.#clock = options.clock;
  }

  run(bars: BarEvents, strategy: BarStrategy): EventLoopResult {
    const N = bars.time.length;
    for (const k of ["asset", "open", "high", "low", "close", "volume"] as const) {
      if (bars[k].length !== N) throw new RangeError(`BarEventEngine.run: bars.${k} has ${bars[k].length} values, bars.time has ${N}`);
    }
    const nA = bars.assets.length;
    const clock: Clock & { advanceTo(t: number): void } = this.#clock ?? new TestClock(N > 0 ? (bars.time[0] as number) : 0);
    const manager = new OrderManager({ clock });
    const venue = this.venue;
    const positions = new Float64Array(nA);
    const barCount = new Int32Array(nA);
    const lastClose = new Float64Array(nA).fill(Number.NaN);
    const open: Order[][] = Array.from({ length: nA }, () => []);
    const eligible = new Map<number, number>();
    const latency = this.latencyBars;
    const scale = 10 ** this.pricePrecision;
    let cash = this.initialCash;
    let fills = 0;
    let orders = 0;
    let costs = 0;
    let inRange = true;

    const context: EventContext = {
      bars,
      positions,
      get cash() {
        return cash;
      },
      barCount,
      submit: (asset: number, quantity: number, type: OrderType = "market", limitPrice?: number): number => {
        if (!(asset >= 0 && asset < nA)) throw new RangeError(`submit: asset ${asset} outside 0..${nA - 1}`);
        if (!Number.isFinite(quantity) || quantity === 0) throw new RangeError(`submit: quantity must be a non-zero finite number, got ${quantity}`);
        const order = manager.submit({
          instrument: bars.assets[asset] as string,
          side: quantity > 0 ? "buy" : "sell",
          quantity: new Quantity(Math.abs(quantity)),
          type,
          ...(limitPrice === undefined ? {} : { limitPrice: new Price(Math.round(limitPrice * scale) / scale, this.pricePrecision) }),
        });
        manager.accept(order.id);
        (open[asset] as Order[]).push(order);
        eligible.set(order.id, (barCount[asset] as number) + latency);
        orders++;
        return order.id;
      },
      cancel: (orderId: number): void => {
        const o = manager.get(orderId);
        if (!o.isTerminal) manager.cancel(orderId);
      },
      openOrders: (asset: number) => (open[asset] as Order[]).filter((o) => !o.isTerminal),
    };

    strategy.onStart?.(context);
    for (let k = 0; k < N; k++) {
      const a = bars.asset[k] as number;
      clock.advanceTo(bars.time[k] as number);
      const list = open[a] as Order[];
      if (list.length > 0) {
        const seen = barCount[a] as number;
        let keep = 0;
        for (let q = 0; q < list.length; q++) {
          const o = list[q] as Order;
          if (!o.isTerminal && seen >= (eligible.get(o.id) as number)) {
            const filled = venue.matchBar(manager, o, bars.open[k] as number, bars.high[k] as number, bars.low[k] as number, bars.close[k] as number, bars.volume[k] as number);
            if (filled > 0) {
              const ev = o.events[o.events.length - 1] as { price: Price; cost: number };
              const px = ev.price.value;
              if (px < (bars.low[k] as number) - 1e-9 || px > (bars.high[k] as number) + 1e-9) inRange = false;
              const dq = o.side === "buy" ? filled : -filled;
              positions[a] = (positions[a] as number) + dq;
              cash -= dq * px + ev.cost;
              costs += ev.cost;
              fills++;
            }
          }
          if (!o.isTerminal) list[keep++] = o;
          else eligible.delete(o.id);
        }
        list.length = keep;
      }
      lastClose[a] = bars.close[k] as number;
      barCount[a] = (barCount[a] as number) + 1;
      strategy.onBar(context, k);
    }
    let equity = cash;
    for (let j = 0; j < nA; j++) if (positions[j] !== 0) equity += (positions[j] as number) * (lastClose[j] as number);
    return Object.freeze({ events: N, orders, fills, cash, positions, equity, costs, openOrders: manager.openCount, pricesInRange: inRange });
  }
}

export function barEventEngine(options?: BarEventEngineOptions): BarEventEngine {
  return new BarEventEngine(options);
}
