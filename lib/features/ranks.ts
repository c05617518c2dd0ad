/** Cross-sectional ranks per date (ties get their average rank, NaN stays NaN; pandas `rank(axis=1)`). */
import { opt, type Panel, Panel as PanelClass, readOptions } from "../data/index.js";

/** Options of {@link crossSectionalRank}. */
export interface RankOptions {
  /** Divide by the number of valid values, giving (0, 1] (pandas `pct=True`) (default false). */
  pct?: boolean;
}

/**
 * Scratch arrays for {@link rankAverage} over rows of up to `n` values, allocated once for a loop
 * (a backtest's rebalance days, a panel's dates): no allocation per row.
 */
export class RankScratch {
  readonly n: number;
  /** The non-NaN values and their positions, in input order. */
  readonly keys: Float64Array;
  readonly idx: Int32Array;
  /** The same, grouped by bucket and then sorted. */
  readonly sortedKeys: Float64Array;
  readonly sortedIdx: Int32Array;
  /** Bucket of each value, and bucket boundaries (2n + 1: counts, then prefix sums). */
  readonly bucket: Int32Array;
  readonly bounds: Int32Array;

  constructor(n: number) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`RankScratch: n must be an integer ≥ 0, got ${n}`);
    this.n = n;
    this.keys = new Float64Array(n);
    this.idx = new Int32Array(n);
    this.sortedKeys = new Float64Array(n);
    this.sortedIdx = new Int32Array(n);
    this.bucket = new Int32Array(n);
    this.bounds = new Int32Array(2 * n + 1);
  }
}

/**
 * Average ranks (1-based) of the non-NaN values of `x` into `out`; NaN where x is NaN. Returns the
 * count of ranked values. Pass a {@link RankScratch} of at least `x.length` to avoid allocation in
 * loops (the older form, index and key arrays, is still accepted; those arrays are no longer used).
 *
 * Ranks are half-integers fixed by the order of the values alone, so they are exact whatever the
 * sort ({@link sortGathered}: buckets, O(m) for spread-out values, O(m log m) at worst).
 */
export function rankAverage(x: ArrayLike<number>, out: Float64Array, scratch?: Int32Array | RankScratch, _keys?: Float64Array): number {
  if (scratch instanceof RankScratch) return rankInto(x, out, scratch.n >= x.length ? scratch : new RankScratch(x.length));
  // No RankScratch given (none, or the older index/key arrays, which are no longer needed): one
  // module-level scratch serves every call (the call is synchronous; a call re-entered from a getter
  // of `x` gets its own), so one-shot calls allocate nothing either.
  if (sharedBusy) return rankInto(x, out, new RankScratch(x.length));
  if (shared.n < x.length) shared = new RankScratch(x.length);
  sharedBusy = true;
  try {
    return rankInto(x, out, shared);
  } finally {
    sharedBusy = false;
  }
}

/** The scratch of calls to rankAverage that pass no RankScratch (grown to the longest row seen). */
let shared = new RankScratch(0);
let sharedBusy = false;

function rankInto(x: ArrayLike<number>, out: Float64Array, s: RankScratch): number {
  const n = x.length;
  const { idx, keys } = s;
  let m = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = +x[j]!;
    if (v !== v) out[j] = Number.NaN;
    else {
      idx[m] = j;
      keys[m++] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  sortGathered(s, m, lo, hi);
  assignRanks(s.sortedKeys, s.sortedIdx, m, out);
  return m;
}

/** Ranks from values sorted ascending with their positions: ties (===, so −0 and 0) get their average rank. */
function assignRanks(key: Float64Array, idx: Int32Array, m: number, out: Float64Array): void {
  let i = 0;
  while (i < m) {
    const v = key[i]!;
    let k = i;
    while (k + 1 < m && key[k + 1] === v) k++;
    const r = (i + k) / 2 + 1;
    for (let t = i; t <= k; t++) out[idx[t]!] = r;
    i = k + 1;
  }
}

/**
 * Sorts the `m` values gathered in `s.keys[0..m)` (no NaN; −0 and 0 compare equal) with their
 * positions `s.idx` ascending into `s.sortedKeys`/`s.sortedIdx`; `lo` and `hi` are their minimum
 * and maximum. Ties come out in no particular order (ranks only need the order of the values).
 * Returns whether two of the values are equal (a tie).
 *
 * The values go to 2m buckets by (v − lo)·2m/(hi − lo), a monotone map, so buckets are in value
 * order and ties share one; buckets of more than 16 values are quicksorted, and one insertion pass
 * over the whole array then orders the small buckets (it moves values only within their bucket, and
 * rarely: most buckets hold one value): O(m) for spread-out values, O(m log m) at worst. When the range
 * gives no finite positive bucket scale (all values equal, or hi − lo overflows or is too small to
 * divide by), one quicksort.
 */
export function sortGathered(s: RankScratch, m: number, lo: number, hi: number): boolean {
  const { keys, idx, sortedKeys, sortedIdx } = s;
  const nb = 2 * m;
  const scale = nb / (hi - lo);
  if (!(scale > 0 && scale < Infinity) || nb > 0x3fffffff) {
    sortedKeys.set(keys.subarray(0, m));
    sortedIdx.set(idx.subarray(0, m));
    sortByKey(sortedKeys, sortedIdx, 0, m - 1);
    return orderAndTies(sortedKeys, sortedIdx, m);
  }
  if (bucketScatter(s, m, nb, lo, scale) > 16) sortLargeBuckets(s, nb);
  return orderAndTies(sortedKeys, sortedIdx, m);
}

/**
 * Scatters keys/idx into sortedKeys/sortedIdx by bucket (nb buckets, see sortGathered); `s.bounds[b]`
 * is then bucket b's end. Returns the largest bucket's size. (Separate loops for the bucket numbers,
 * the counts and the scatter: a fused loop stalls on the data-dependent counter updates.)
 */
function bucketScatter(s: RankScratch, m: number, nb: number, lo: number, scale: number): number {
  const { keys, idx, sortedKeys, sortedIdx, bucket, bounds } = s;
  const top = nb - 1;
  for (let k = 0; k < m; k++) {
    // (v − lo)·scale is in [0, nb·(1 + ε)]: truncation is floor, nb − 1 caps the top
    const b = ((keys[k]! - lo) * scale) | 0;
    bucket[k] = b > top ? top : b;
  }
  bounds.fill(0, 0, nb);
  for (let k = 0; k < m; k++) {
    const b = bucket[k]!;
    bounds[b] = bounds[b]! + 1;
  }
  // bounds[b] becomes the start of bucket b; the scatter moves it to the bucket's end
  let largest = 0;
  let start = 0;
  for (let b = 0; b < nb; b++) {
    const c = bounds[b]!;
    if (c > largest) largest = c;
    bounds[b] = start;
    start += c;
  }
  for (let k = 0; k < m; k++) {
    const b = bucket[k]!;
    const d = bounds[b]!;
    bounds[b] = d + 1;
    sortedKeys[d] = keys[k]!;
    sortedIdx[d] = idx[k]!;
  }
  return largest;
}

/** Quicksorts each bucket of more than 16 values in place (bounds[b] = end of bucket b after the scatter). */
function sortLargeBuckets(s: RankScratch, nb: number): void {
  const { sortedKeys, sortedIdx, bounds } = s;
  let start = 0;
  for (let b = 0; b < nb; b++) {
    const end = bounds[b]!;
    if (end - start > 16) sortByKey(sortedKeys, sortedIdx, start, end - 1);
    start = end;
  }
}

/**
 * Insertion sort of `key[0..m)` (moving `idx` alike) for an array whose disorder is local (within
 * small buckets): a value not below its predecessor costs one comparison. Returns whether two values
 * are equal: each value, once inserted, is compared with the largest earlier value not above it.
 */
function orderAndTies(key: Float64Array, idx: Int32Array, m: number): boolean {
  let ties = false;
  let prev = m > 0 ? key[0]! : 0;
  for (let i = 1; i < m; i++) {
    const v = key[i]!;
    if (v > prev) prev = v;
    else if (v === prev) ties = true;
    else {
      const w = idx[i]!;
      let j = i - 1;
      while (j >= 0 && key[j]! > v) {
        key[j + 1] = key[j]!;
        idx[j + 1] = idx[j]!;
        j--;
      }
      key[j + 1] = v;
      idx[j + 1] = w;
      if (j >= 0 && key[j] === v) ties = true;
    }
  }
  return ties;
}

/**
 * Sorts `key[lo..hi]` ascending (no NaN; −0 and 0 compare equal) and applies the same moves to
 * `idx`: quicksort with a median-of-three pivot and Hoare partitioning (balanced on ties),
 * insertion sort below 16 elements, recursion on the smaller side only (depth ≤ log₂ n).
 */
export function sortByKey(key: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  while (hi - lo >= 16) {
    const mid = (lo + hi) >>> 1;
    if (key[mid]! < key[lo]!) swap(key, idx, mid, lo);
    if (key[hi]! < key[lo]!) swap(key, idx, hi, lo);
    if (key[hi]! < key[mid]!) swap(key, idx, hi, mid);
    const pivot = key[mid]!;
    let i = lo - 1;
    let j = hi + 1;
    for (;;) {
      do i++;
      while (key[i]! < pivot);
      do j--;
      while (key[j]! > pivot);
      if (i >= j) break;
      swap(key, idx, i, j);
    }
    if (j - lo < hi - j) {
      sortByKey(key, idx, lo, j);
      lo = j + 1;
    } else {
      sortByKey(key, idx, j + 1, hi);
      hi = j;
    }
  }
  insertionSort(key, idx, lo, hi);
}

/** Insertion sort of `key[lo..hi]` ascending, moving `idx` alike. */
function insertionSort(key: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = key[i]!;
    const w = idx[i]!;
    let j = i - 1;
    while (j >= lo && key[j]! > v) {
      key[j + 1] = key[j]!;
      idx[j + 1] = idx[j]!;
      j--;
    }
    key[j + 1] = v;
    idx[j + 1] = w;
  }
}

function swap(key: Float64Array, idx: Int32Array, a: number, b: number): void {
  const k = key[a]!;
  key[a] = key[b]!;
  key[b] = k;
  const t = idx[a]!;
  idx[a] = idx[b]!;
  idx[b] = t;
}

export function crossSectionalRank(panel: Panel, options: RankOptions = {}): Panel {
  const { pct } = readOptions("crossSectionalRank", options, { pct: opt.boolean(false) } satisfies Record<keyof RankOptions, opt.OptionRule<unknown>>);
  const n = panel.nAssets;
  const cols = panel.columns.map(() => new Float64Array(panel.nDates));
  const row = new Float64Array(n);
  const out = new Float64Array(n);
  const scratch = new RankScratch(n);
  for (let i = 0; i < panel.nDates; i++) {
    for (let j = 0; j < n; j++) row[j] = (panel.columns[j] as Float64Array)[i]!;
    const m = rankAverage(row, out, scratch);
    for (let j = 0; j < n; j++) (cols[j] as Float64Array)[i] = pct ? out[j]! / m : out[j]!;
  }
  return new PanelClass(panel.dates, panel.assets, cols, { validate: false });
}

/** Cross-sectional z-score per date (mean 0, std 1 over the valid assets, ddof 0). */
export function crossSectionalZScore(panel: Panel): Panel {
  const cols = panel.columns.map(() => new Float64Array(panel.nDates));
  for (let i = 0; i < panel.nDates; i++) {
    let s = 0;
    let s2 = 0;
    let m = 0;
    for (const c of panel.columns) {
      const v = c[i]!;
      if (!Number.isNaN(v)) (s += v), (s2 += v * v), m++;
    }
    const mu = s / m;
    const sd = Math.sqrt(Math.max(s2 / m - mu * mu, 0));
    panel.columns.forEach((c, j) => {
      (cols[j] as Float64Array)[i] = sd > 0 ? (c[i]! - mu) / sd : Number.NaN;
    });
  }
  return new PanelClass(panel.dates, panel.assets, cols, { validate: false });
}
