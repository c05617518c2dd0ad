/**
 * Tick sources: what a strategy run reads. A source yields `TickBatch`es — trades and quotes merged in
 * time order, as columns — whether it replays the store, replays arrays in memory, or consumes a live
 * feed (kafka-source.ts). The strategy runner does not know which.
 */
import type { QuoteBatch, TradeBatch } from "./schema.js";

export const TRADE = 0;
export const QUOTE = 1;

/** Ticks as columns, time-ordered; row i is a trade (kind 0: price, size, side) or a quote (kind 1: bid, ask, sizes). */
export interface TickBatch {
  readonly n: number;
  /** Nanoseconds since 1970 of t = 0 (midnight UTC of the first tick of the run). */
  readonly base: bigint;
  /** Nanoseconds since `base` (a float64 holds them exactly for 104 days). */
  readonly t: Float64Array;
  readonly kind: Uint8Array;
  /** Index into `symbols`. */
  readonly sym: Uint32Array;
  /** The symbol dictionary (a later batch of the same source may extend it, never reorder it). */
  readonly symbols: readonly string[];
  readonly price: Float64Array;
  readonly size: Float64Array;
  readonly side: Int8Array;
  readonly bid: Float64Array;
  readonly ask: Float64Array;
  readonly bidSize: Float64Array;
  readonly askSize: Float64Array;
}

/** Anything that yields tick batches: the store, arrays, a live feed. */
export type TickSource = AsyncIterable<TickBatch>;

export const DAY_NS = 86_400_000_000_000n;

/** Codes of a label column in a dictionary (extended in place). */
function encode(c: TradeBatch["sym"], dict: string[], index: Map<string, number>): Uint32Array {
  const idOf = (s: string) => {
    let k = index.get(s);
    if (k === undefined) {
      k = dict.length;
      dict.push(s);
      index.set(s, k);
    }
    return k;
  };
  if (Array.isArray(c)) return Uint32Array.from(c as string[], idOf);
  const { codes, dictionary } = c as { codes: ArrayLike<number>; dictionary: readonly string[] };
  const map = Uint32Array.from(dictionary, idOf);
  return Uint32Array.from(codes as ArrayLike<number>, (k) => map[k] as number);
}

/** Merges trade and quote columns (each time-ordered) into tick batches, quotes first at equal times. */
export function* batchesFromColumns(trades: TradeBatch, quotes: QuoteBatch, rowsPerBatch = 131_072): Generator<TickBatch> {
  const symbols: string[] = [];
  const index = new Map<string, number>();
  const ts = encode(trades.sym, symbols, index);
  const qs = encode(quotes.sym, symbols, index);
  const nt = trades.ts.length;
  const nq = quotes.ts.length;
  const first = nt === 0 ? quotes.ts[0] : nq === 0 ? trades.ts[0] : (trades.ts[0] as bigint) < (quotes.ts[0] as bigint) ? trades.ts[0] : quotes.ts[0];
  if (first === undefined) return;
  const base = (first / DAY_NS) * DAY_NS;
  let i = 0;
  let j = 0;
  while (i < nt || j < nq) {
    const m = Math.min(rowsPerBatch, nt - i + nq - j);
    const b = emptyBatch(m, base, symbols);
    for (let k = 0; k < m; k++) {
      const useQuote = j < nq && (i >= nt || (quotes.ts[j] as bigint) <= (trades.ts[i] as bigint));
      if (useQuote) {
        (b.t as Float64Array)[k] = Number((quotes.ts[j] as bigint) - base);
        b.kind[k] = QUOTE;
        b.sym[k] = qs[j] as number;
        b.bid[k] = quotes.bid[j] as number;
        b.ask[k] = quotes.ask[j] as number;
        b.bidSize[k] = quotes.bidSize[j] as number;
        b.askSize[k] = quotes.askSize[j] as number;
        b.price[k] = Number.NaN;
        j++;
      } else {
        b.t[k] = Number((trades.ts[i] as bigint) - base);
        b.sym[k] = ts[i] as number;
        b.price[k] = trades.price[i] as number;
        b.size[k] = trades.size[i] as number;
        b.side[k] = trades.side?.[i] ?? 0;
        b.bid[k] = b.ask[k] = Number.NaN;
        i++;
      }
    }
    yield b;
  }
}

/** A batch of `n` zeroed rows. */
export function emptyBatch(n: number, base: bigint, symbols: readonly string[]): TickBatch & { t: Float64Array } {
  return {
    n, base, symbols,
    t: new Float64Array(n), kind: new Uint8Array(n), sym: new Uint32Array(n),
    price: new Float64Array(n), size: new Float64Array(n), side: new Int8Array(n),
    bid: new Float64Array(n), ask: new Float64Array(n), bidSize: new Float64Array(n), askSize: new Float64Array(n),
  };
}

/** A source over batches already in memory (e.g. a simulated market), for `runStrategy`. */
export async function* arraySource(batches: Iterable<TickBatch>): AsyncGenerator<TickBatch> {
  for (const b of batches) yield b;
}
