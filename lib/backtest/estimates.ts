/**
 * The market state the cost models read at a fill (stage 4's inputs), known at the close before the
 * fill's row i:
 *   σᵢ = standard deviation (ddof 1) of the last `volWindow` daily simple returns (rows < i),
 *   ADVᵢ = mean of the last `advWindow` volumes (rows < i; NaN without volume data).
 *
 * Computed once per fill day for every asset (`estimate(i)`), on typed arrays: each daily return is
 * divided out once into a per-asset ring of the last `volWindow` returns, and the window sums are
 * taken over the ring in date order — the same additions in the same order as summing the window
 * afresh, so the figures are bit-identical to a per-order computation (a running add/remove sum
 * would round differently). Cost per fill day: O(assets × window) additions, no division, no
 * allocation; no per-run matrix of returns.
 */
import type { Panel } from "../data/index.js";
import { at, columnAt } from "./typed.js";

export class MarketEstimates {
  /** σ per asset at the row of the last `estimate` call (NaN with fewer than 2 returns). */
  readonly sigma: Float64Array;
  /** ADV per asset at that row (NaN without volume data or without a valid volume in the window). */
  readonly adv: Float64Array;
  /** Close prices, row-major (rows × assets). */
  readonly #prices: Float64Array;
  readonly #volume: readonly Float64Array[] | undefined;
  readonly #volWindow: number;
  readonly #advWindow: number;
  /** ring[(t mod volWindow)·n + j] = return of asset j at row t, for rows t in [#ringFrom, #ringTo). */
  readonly #ring: Float64Array;
  #ringFrom = 1;
  #ringTo = 1;
  /** The row the arrays hold (−1: none yet). */
  #row = -1;
  /** 1 for an asset whose price is never missing (NaN) in the rows read: its returns are all numbers. */
  readonly #complete: Uint8Array;

  /**
   * `prices`: the close panel's rows, row-major (`rowMajor`), `n` assets; `complete[j]` = 1 when asset
   * j has no NaN price in those rows (`rowMajor`'s flags).
   */
  constructor(prices: Float64Array, complete: Uint8Array, volume: Panel | undefined, volWindow: number, advWindow: number) {
    const n = complete.length;
    this.#prices = prices;
    this.#complete = complete;
    this.#volume = volume?.columns;
    this.#volWindow = volWindow;
    this.#advWindow = advWindow;
    this.sigma = new Float64Array(n).fill(Number.NaN);
    this.adv = new Float64Array(n).fill(Number.NaN);
    this.#ring = new Float64Array(n * volWindow);
  }

  /** Fills `sigma` and `adv` for fills at row `i` (from rows before `i`); a repeated row costs nothing. */
  estimate(i: number): void {
    if (i === this.#row) return;
    this.#row = i;
    this.#advance(i);
    this.#sigmas(i);
    if (this.#volume !== undefined) this.#advs(this.#volume, i);
  }

  /** Brings the ring to hold the returns of rows [max(1, i − volWindow), i). */
  #advance(i: number): void {
    const w = this.#volWindow;
    const from = Math.max(1, i - w);
    // Rows already in the ring are kept; a jump back or past the window starts it again.
    let t = this.#ringFrom <= from && from <= this.#ringTo && i >= this.#ringTo ? this.#ringTo : from;
    const prices = this.#prices;
    const n = this.sigma.length;
    const ring = this.#ring;
    for (; t < i; t++) {
      const base = (t % w) * n;
      const now = t * n;
      const before = now - n;
      for (let j = 0; j < n; j++) ring[base + j] = at(prices, now + j) / at(prices, before + j) - 1;
    }
    this.#ringFrom = from;
    this.#ringTo = i;
  }

  /**
   * σ of every asset from the ring's returns of rows [max(1, i − volWindow), i), each asset's sums
   * in row order; four assets at a time, so four independent addition chains stay in registers.
   */
  #sigmas(i: number): void {
    const w = this.#volWindow;
    const ring = this.#ring;
    const sigma = this.sigma;
    const n = sigma.length;
    const from = Math.max(1, i - w);
    const span = w * n;
    // Row t's slot starts at (t mod w)·n: step n from row `from`'s, wrapping at the ring's end.
    const first = (from % w) * n;
    const complete = this.#complete;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      if ((complete[j] as number) & (complete[j + 1] as number) & (complete[j + 2] as number) & (complete[j + 3] as number)) {
        this.#sigmas4(j, first, i - from);
        continue;
      }
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
      let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
      let k = first + j;
      for (let t = from; t < i; t++) {
        const x0 = at(ring, k);
        const x1 = at(ring, k + 1);
        const x2 = at(ring, k + 2);
        const x3 = at(ring, k + 3);
        if (x0 === x0) (s0 += x0), (q0 += x0 * x0), m0++;
        if (x1 === x1) (s1 += x1), (q1 += x1 * x1), m1++;
        if (x2 === x2) (s2 += x2), (q2 += x2 * x2), m2++;
        if (x3 === x3) (s3 += x3), (q3 += x3 * x3), m3++;
        k += n;
        if (k >= span) k -= span;
      }
      sigma[j] = sd(s0, q0, m0);
      sigma[j + 1] = sd(s1, q1, m1);
      sigma[j + 2] = sd(s2, q2, m2);
      sigma[j + 3] = sd(s3, q3, m3);
    }
    for (; j < n; j++) {
      let s0 = 0, q0 = 0, m0 = 0;
      let k = first + j;
      for (let t = from; t < i; t++) {
        const x0 = at(ring, k);
        if (x0 === x0) (s0 += x0), (q0 += x0 * x0), m0++;
        k += n;
        if (k >= span) k -= span;
      }
      sigma[j] = sd(s0, q0, m0);
    }
  }

  /**
   * σ of assets j…j+3, none of whose returns is NaN: the same sums in the same row order as the
   * general loop (every value counts), without its per-value test; `m` returns from slot `first`.
   */
  #sigmas4(j: number, first: number, m: number): void {
    const ring = this.#ring;
    const sigma = this.sigma;
    const n = sigma.length;
    const span = ring.length;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    let k = first + j;
    for (let t = 0; t < m; t++) {
      const x0 = at(ring, k);
      const x1 = at(ring, k + 1);
      const x2 = at(ring, k + 2);
      const x3 = at(ring, k + 3);
      s0 += x0;
      q0 += x0 * x0;
      s1 += x1;
      q1 += x1 * x1;
      s2 += x2;
      q2 += x2 * x2;
      s3 += x3;
      q3 += x3 * x3;
      k += n;
      if (k >= span) k -= span;
    }
    sigma[j] = sd(s0, q0, m);
    sigma[j + 1] = sd(s1, q1, m);
    sigma[j + 2] = sd(s2, q2, m);
    sigma[j + 3] = sd(s3, q3, m);
  }

  /** Mean volume of every asset over rows [max(0, i − advWindow), i) (negative or NaN volumes skipped), each sum in row order; four assets at a time. */
  #advs(volume: readonly Float64Array[], i: number): void {
    const from = Math.max(0, i - this.#advWindow);
    const adv = this.adv;
    const n = adv.length;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const v0 = columnAt(volume, j);
      const v1 = columnAt(volume, j + 1);
      const v2 = columnAt(volume, j + 2);
      const v3 = columnAt(volume, j + 3);
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
      for (let t = from; t < i; t++) {
        const x0 = at(v0, t);
        const x1 = at(v1, t);
        const x2 = at(v2, t);
        const x3 = at(v3, t);
        if (x0 >= 0) (s0 += x0), m0++;
        if (x1 >= 0) (s1 += x1), m1++;
        if (x2 >= 0) (s2 += x2), m2++;
        if (x3 >= 0) (s3 += x3), m3++;
      }
      adv[j] = m0 > 0 ? s0 / m0 : Number.NaN;
      adv[j + 1] = m1 > 0 ? s1 / m1 : Number.NaN;
      adv[j + 2] = m2 > 0 ? s2 / m2 : Number.NaN;
      adv[j + 3] = m3 > 0 ? s3 / m3 : Number.NaN;
    }
    for (; j < n; j++) {
      const v = columnAt(volume, j);
      let s0 = 0, m0 = 0;
      for (let t = from; t < i; t++) {
        const x = at(v, t);
        if (x >= 0) (s0 += x), m0++;
      }
      adv[j] = m0 > 0 ? s0 / m0 : Number.NaN;
    }
  }
}

/** Sample standard deviation (ddof 1) from Σx, Σx² and the count; NaN below 2 values. */
function sd(s: number, ss: number, m: number): number {
  return m > 1 ? Math.sqrt(Math.max(0, (ss - (s * s) / m) / (m - 1))) : Number.NaN;
}

