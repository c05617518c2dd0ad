/**
 * Trades of a backtest as columns (struct of arrays) that grow by doubling, so recording a trade in
 * the daily loop allocates nothing per trade.
 */
import { attachText, fromEpochDay, textTable } from "../data/index.js";

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
  #date = new Int32Array(1024);
  #asset = new Int32Array(1024);
  #qty = new Float64Array(1024);
  #price = new Float64Array(1024);
  #cost = new Float64Array(1024);

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

  #grow(): void {
    const m = this.#date.length * 2;
    const g = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(m);
      b.set(a);
      return b;
    };
    this.#date = g(this.#date, (n) => new Int32Array(n));
    this.#asset = g(this.#asset, (n) => new Int32Array(n));
    this.#qty = g(this.#qty, (n) => new Float64Array(n));
    this.#price = g(this.#price, (n) => new Float64Array(n));
    this.#cost = g(this.#cost, (n) => new Float64Array(n));
  }

  /** Trimmed copies as a frozen table. */
  finish(assets: readonly string[]): TradeTable {
    const n = this.#n;
    const date = this.#date.slice(0, n);
    const asset = this.#asset.slice(0, n);
    const quantity = this.#qty.slice(0, n);
    const price = this.#price.slice(0, n);
    const cost = this.#cost.slice(0, n);
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
