/**
 * Trades of a backtest as columns (struct of arrays) that grow by doubling (lib/execution's
 * `grownColumn`), so recording a trade in the daily loop allocates nothing per trade.
 */
import { attachText, fromEpochDay, textTable } from "../data/index.js";
import { type CloseFills, columnCapacity, grownColumn } from "../execution/index.js";

/** A finished, read-only trade table. */
export interface TradeTable {
  readonly length: number;
  /** Epoch day of each fill. */
  readonly date: Int32Array;
  /** Asset column of each fill. */
  readonly asset: Int32Array;
  /** Signed shares (+ buy, − sell). */
  readonly quantity: Float64Array;
  /** Fill price (currency per share). */
  readonly price: Float64Array;
  /** Transaction costs of the fill (currency, all kinds). */
  readonly cost: Float64Array;
  /** Asset names (`asset` indexes into it). */
  readonly assets: readonly string[];
  /** One trade as an object (for display; not for loops). */
  at(k: number): { date: number; asset: string; quantity: number; price: number; cost: number };
}

export class TradeLog {
  #n = 0;
  #date: Int32Array;
  #asset: Int32Array;
  #qty: Float64Array;
  #price: Float64Array;
  #cost: Float64Array;

  /**
   * `capacity`: rows before the first growth (default 1,024). A caller that knows an upper bound
   * (the daily backtester: one fill per asset and day) passes it, so the columns never grow (no
   * copies); `finish` then hands out views, not copies, when at least half is used.
   */
  constructor(capacity = 1024) {
    columnCapacity("TradeLog", capacity);
    this.#date = new Int32Array(capacity);
    this.#asset = new Int32Array(capacity);
    this.#qty = new Float64Array(capacity);
    this.#price = new Float64Array(capacity);
    this.#cost = new Float64Array(capacity);
  }

  get length(): number {
    return this.#n;
  }

  push(date: number, asset: number, quantity: number, price: number, cost: number): void {
    if (this.#n === this.#date.length) this.#grow();
    const k = this.#n++;
    this.#date[k] = date;
    this.#asset[k] = asset;
    this.#qty[k] = quantity;
    this.#price[k] = price;
    this.#cost[k] = cost;
  }

  /** Appends a day's fills (`fills.n` rows, in their order), all on `date`. */
  append(date: number, fills: CloseFills): void {
    const n = fills.n;
    while (this.#n + n > this.#date.length) this.#grow();
    const k0 = this.#n;
    const { asset, quantity, price, cost } = fills;
    const dD = this.#date;
    const dA = this.#asset;
    const dQ = this.#qty;
    const dP = this.#price;
    const dC = this.#cost;
    dD.fill(date, k0, k0 + n);
    for (let k = 0; k < n; k++) {
      dA[k0 + k] = asset[k] as number;
      dQ[k0 + k] = quantity[k] as number;
      dP[k0 + k] = price[k] as number;
      dC[k0 + k] = cost[k] as number;
    }
    this.#n = k0 + n;
  }

  #grow(): void {
    const m = this.#date.length * 2;
    this.#date = grownColumn(this.#date, m);
    this.#asset = grownColumn(this.#asset, m);
    this.#qty = grownColumn(this.#qty, m);
    this.#price = grownColumn(this.#price, m);
    this.#cost = grownColumn(this.#cost, m);
  }

  /**
   * The trades as a frozen table; the log must not be written afterwards. The columns are the log's
   * own, trimmed (views of their first rows) when at least half of them is used, else trimmed
   * copies (so a table never holds more than twice its size).
   */
  finish(assets: readonly string[]): TradeTable {
    const n = this.#n;
    const view = 2 * n >= this.#date.length;
    const trim = <T extends Int32Array | Float64Array>(a: T): T => (view ? (a.subarray(0, n) as T) : (a.slice(0, n) as T));
    const date = trim(this.#date);
    const asset = trim(this.#asset);
    const quantity = trim(this.#qty);
    const price = trim(this.#price);
    const cost = trim(this.#cost);
    const table = {
      length: n,
      date,
      asset,
      quantity,
      price,
      cost,
      assets,
      at(k: number) {
        if (!(k >= 0 && k < n)) throw new RangeError(`trades.at: index ${k} outside 0..${n - 1}`);
        return { date: date[k] as number, asset: assets[asset[k] as number] as string, quantity: quantity[k] as number, price: price[k] as number, cost: cost[k] as number };
      },
    };
    return Object.freeze(
      attachText(table, (t) =>
        textTable({
          title: `TradeTable: ${t.length} fills of ${t.assets.length} assets`,
          rows: t.length,
          index: (k) => fromEpochDay(t.date[k]!),
          columns: [
            { name: "asset", cell: (k) => t.assets[t.asset[k]!] ?? String(t.asset[k]) },
            { name: "quantity", cell: (k) => t.quantity[k]! },
            { name: "price", cell: (k) => t.price[k]! },
            { name: "cost", cell: (k) => t.cost[k]! },
          ],
        }),
      ),
    );
  }
}
