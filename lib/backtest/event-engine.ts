/**
 * An event loop over bar events (one bar of one asset per event) for strategies that react bar by
 * bar. Bars are columns (struct of arrays), so the loop reads typed arrays and allocates nothing per
 * bar; orders are real `Order`s driven by the transition table through an `OrderManager`, filled
 * by the venue passed in (participation cap, costs, fill price inside the bar's range) after a
 * latency of `latencyBars` bars of that asset. The clock is passed in and advanced to each bar's time.
 */
import { opt, readOptions } from "../data/index.js";
import { type Clock, OrderManager, type Order, type OrderType, Price, Quantity, SimulatedVenue, TestClock } from "../execution/index.js";
import { at, atInt } from "./typed.js";

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
  clock?: Clock & { advanceTo(t: number): void };
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

/** A clock the engine can move: `now()` and `advanceTo(t)` (a `TestClock`). */
type MovableClock = Clock & { advanceTo(t: number): void };

const isClock = (v: unknown): v is MovableClock =>
  typeof v === "object" && v !== null && typeof (v as MovableClock).now === "function" && typeof (v as MovableClock).advanceTo === "function";

const ENGINE_OPTIONS = {
  clock: opt.optional(opt.custom<MovableClock>("a clock with now() and advanceTo(t) (a TestClock)", () => new TestClock(), isClock)),
  venue: opt.custom<SimulatedVenue>("a SimulatedVenue", () => new SimulatedVenue(), (v): v is SimulatedVenue => v instanceof SimulatedVenue),
  initialCash: opt.number(1_000_000, { min: 0 }),
  latencyBars: opt.integer(1, { min: 0 }),
  pricePrecision: opt.integer(4, { min: 0, max: 9 }),
};

export class BarEventEngine {
  readonly venue: SimulatedVenue;
  readonly initialCash: number;
  readonly latencyBars: number;
  readonly pricePrecision: number;
  readonly #clock: MovableClock | undefined;

  constructor(options: BarEventEngineOptions = {}) {
    const o = readOptions("BarEventEngine", options, ENGINE_OPTIONS);
    this.venue = o.venue;
    this.initialCash = o.initialCash;
    this.latencyBars = o.latencyBars;
    this.pricePrecision = o.pricePrecision;
    this.#clock = o.clock;
  }

  run(bars: BarEvents, strategy: BarStrategy): EventLoopResult {
    checkBars(bars);
    if (strategy === null || typeof strategy !== "object" || typeof strategy.onBar !== "function") {
      throw new TypeError(`BarEventEngine.run: strategy must be an object with onBar(context, k), got ${opt.describeValue(strategy)}`);
    }
    const N = bars.time.length;
    const clock = this.#clock ?? new TestClock(N > 0 ? at(bars.time, 0) : 0);
    const loop = new BarLoop(this, bars, clock);
    const { context, open, barCount, lastClose } = loop;
    const { time, asset, close } = bars;
    strategy.onStart?.(context);
    for (let k = 0; k < N; k++) {
      const a = atInt(asset, k);
      clock.advanceTo(at(time, k));
      if ((open[a] as Order[]).length > 0) loop.matchOpenOrders(k, a);
      lastClose[a] = at(close, k);
      barCount[a] = atInt(barCount, a) + 1;
      strategy.onBar(context, k);
    }
    return loop.result();
  }
}

function checkBars(bars: BarEvents): void {
  if (bars === null || typeof bars !== "object" || !(bars.time instanceof Float64Array)) {
    throw new TypeError(`BarEventEngine.run: bars must be BarEvents columns ({ time: Float64Array, asset: Int32Array, open, high, low, close, volume, assets }), got ${opt.describeValue(bars)}`);
  }
  const N = bars.time.length;
  for (const k of ["asset", "open", "high", "low", "close", "volume"] as const) {
    if (bars[k]?.length !== N) throw new RangeError(`BarEventEngine.run: bars.${k} has ${bars[k]?.length} values, bars.time has ${N}`);
  }
  if (!Array.isArray(bars.assets)) throw new TypeError("BarEventEngine.run: bars.assets must be an array of asset names");
}

/** The state of one run: orders through the manager and the venue, positions and cash. */
class BarLoop {
  readonly context: EventContext;
  readonly #bars: BarEvents;
  readonly #venue: SimulatedVenue;
  readonly #manager: OrderManager;
  readonly #positions: Float64Array;
  /** Bars seen so far per asset (the run loop advances it). */
  readonly barCount: Int32Array;
  /** Last close per asset (the run loop books it). */
  readonly lastClose: Float64Array;
  /** Open orders per asset. */
  readonly open: Order[][];
  readonly #eligible = new Map<number, number>();
  #cash: number;
  #fills = 0;
  #orders = 0;
  #costs = 0;
  #inRange = true;

  constructor(engine: BarEventEngine, bars: BarEvents, clock: MovableClock) {
    const nA = bars.assets.length;
    this.#bars = bars;
    this.#venue = engine.venue;
    this.#manager = new OrderManager({ clock });
    this.#positions = new Float64Array(nA);
    this.barCount = new Int32Array(nA);
    this.lastClose = new Float64Array(nA).fill(Number.NaN);
    this.open = Array.from({ length: nA }, () => []);
    this.#cash = engine.initialCash;
    this.context = this.#makeContext(engine.latencyBars, 10 ** engine.pricePrecision, engine.pricePrecision);
  }

  #makeContext(latency: number, scale: number, precision: number): EventContext {
    const bars = this.#bars;
    const nA = bars.assets.length;
    const manager = this.#manager;
    const loop = this;
    return {
      bars,
      positions: this.#positions,
      get cash() {
        return loop.#cash;
      },
      barCount: this.barCount,
      submit: (asset: number, quantity: number, type: OrderType = "market", limitPrice?: number): number => {
        if (!(asset >= 0 && asset < nA)) throw new RangeError(`submit: asset ${asset} outside 0..${nA - 1}`);
        if (!Number.isFinite(quantity) || quantity === 0) throw new RangeError(`submit: quantity must be a non-zero finite number, got ${quantity}`);
        const order = manager.submit({
          instrument: bars.assets[asset] as string,
          side: quantity > 0 ? "buy" : "sell",
          quantity: new Quantity(Math.abs(quantity)),
          type,
          ...(limitPrice === undefined ? {} : { limitPrice: new Price(Math.round(limitPrice * scale) / scale, precision) }),
        });
        manager.accept(order.id);
        (this.open[asset] as Order[]).push(order);
        this.#eligible.set(order.id, atInt(this.barCount, asset) + latency);
        this.#orders++;
        return order.id;
      },
      cancel: (orderId: number): void => {
        const o = manager.get(orderId);
        if (!o.isTerminal) manager.cancel(orderId);
      },
      openOrders: (asset: number) => (this.open[asset] as Order[]).filter((o) => !o.isTerminal),
    };
  }

  /** Offers bar `k` to the open orders of asset `a` that are past their latency; drops finished orders. */
  matchOpenOrders(k: number, a: number): void {
    const list = this.open[a] as Order[];
    const seen = atInt(this.barCount, a);
    let keep = 0;
    for (let q = 0; q < list.length; q++) {
      const o = list[q] as Order;
      if (!o.isTerminal && seen >= (this.#eligible.get(o.id) as number)) this.#match(o, k, a);
      if (!o.isTerminal) list[keep++] = o;
      else this.#eligible.delete(o.id);
    }
    list.length = keep;
  }

  #match(o: Order, k: number, a: number): void {
    const b = this.#bars;
    const low = at(b.low, k);
    const high = at(b.high, k);
    const filled = this.#venue.matchBar(this.#manager, o, at(b.open, k), high, low, at(b.close, k), at(b.volume, k));
    if (filled <= 0) return;
    const ev = o.events[o.events.length - 1] as { price: Price; cost: number };
    const px = ev.price.value;
    if (px < low - 1e-9 || px > high + 1e-9) this.#inRange = false;
    const dq = o.side === "buy" ? filled : -filled;
    this.#positions[a] = at(this.#positions, a) + dq;
    this.#cash -= dq * px + ev.cost;
    this.#costs += ev.cost;
    this.#fills++;
  }

  result(): EventLoopResult {
    const positions = this.#positions;
    let equity = this.#cash;
    for (let j = 0; j < positions.length; j++) if (positions[j] !== 0) equity += at(positions, j) * at(this.lastClose, j);
    return Object.freeze({
      events: this.#bars.time.length,
      orders: this.#orders,
      fills: this.#fills,
      cash: this.#cash,
      positions,
      equity,
      costs: this.#costs,
      openOrders: this.#manager.openCount,
      pricesInRange: this.#inRange,
    });
  }
}

export function barEventEngine(options?: BarEventEngineOptions): BarEventEngine {
  return new BarEventEngine(options);
}
