/** Cross-sectional ranks per date (ties get their average rank, NaN stays NaN; pandas `rank(axis=1)`). */
import { opt, type Panel, Panel as PanelClass, readOptions } from "../data/index.js";

/** Options of {@link crossSectionalRank}. */
export interface RankOptions {
  /** Divide by the number of valid values, giving (0, 1] (pandas `pct=True`) (default false). */
  pct?: boolean;
}

/**
 * Average ranks (1-based) of the finite values of `x` into `out`; NaN where x is NaN. Returns the
 * count of finite values. Scratch arrays may be passed to avoid allocation in loops.
 */
export function rankAverage(x: ArrayLike<number>, out: Float64Array, scratch?: Int32Array): number {
  const n = x.length;
  const idx = scratch ?? new Int32Array(n);
  let m = 0;
  for (let j = 0; j < n; j++) {
    if (Number.isNaN(x[j] as number)) out[j] = Number.NaN;
    else idx[m++] = j;
  }
  const sub = idx.subarray(0, m);
  sub.sort((a, b) => (x[a] as number) - (x[b] as number));
  let i = 0;
  while (i < m) {
    let k = i;
    while (k + 1 < m && x[sub[k + 1]!] === x[sub[i]!]) k++;
    const r = (i + k) / 2 + 1;
    for (let t = i; t <= k; t++) out[sub[t]!] = r;
    i = k + 1;
  }
  return m;
}

export function crossSectionalRank(panel: Panel, options: RankOptions = {}): Panel {
  const { pct } = readOptions("crossSectionalRank", options, { pct: opt.boolean(false) } satisfies Record<keyof RankOptions, opt.OptionRule<unknown>>);
  const n = panel.nAssets;
  const cols = panel.columns.map(() => new Float64Array(panel.nDates));
  const row = new Float64Array(n);
  const out = new Float64Array(n);
  const scratch = new Int32Array(n);
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
