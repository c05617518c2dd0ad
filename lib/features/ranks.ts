/** Cross-sectional ranks per date (ties get their average rank, NaN stays NaN; pandas `rank(axis=1)`). */
import { opt, type Panel, Panel as PanelClass, readOptions } from "../data/index.js";

/** Options of {@link crossSectionalRank}. */
export interface RankOptions {
  /** Divide by the number of valid values, giving (0, 1] (pandas `pct=True`) (default false). */
  pct?: boolean;
}

/**
 * Average ranks (1-based) of the non-NaN values of `x` into `out`; NaN where x is NaN. Returns the
 * count of ranked values. Scratch arrays may be passed to avoid allocation in loops: `scratch`
 * (indices) and `keys` (values), each at least `x.length` long.
 *
 * The values are sorted once with their indices (a quicksort on typed arrays, no comparator
 * callback); ranks are half-integers, so they are exact whatever the order ties come out in.
 */
export function rankAverage(x: ArrayLike<number>, out: Float64Array, scratch?: Int32Array, keys?: Float64Array): number {
  const n = x.length;
  const idx = scratch ?? new Int32Array(n);
  const key = keys ?? new Float64Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j]!;
    if (Number.isNaN(v)) out[j] = Number.NaN;
    else {
      idx[m] = j;
      key[m++] = v;
    }
  }
  sortByKey(key, idx, 0, m - 1);
  let i = 0;
  while (i < m) {
    const v = key[i]!;
    let k = i;
    while (k + 1 < m && key[k + 1] === v) k++;
    const r = (i + k) / 2 + 1;
    for (let t = i; t <= k; t++) out[idx[t]!] = r;
    i = k + 1;
  }
  return m;
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
  const scratch = new Int32Array(n);
  const keys = new Float64Array(n);
  for (let i = 0; i < panel.nDates; i++) {
    for (let j = 0; j < n; j++) row[j] = (panel.columns[j] as Float64Array)[i]!;
    const m = rankAverage(row, out, scratch, keys);
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
