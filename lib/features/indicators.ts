/** RSI (Wilder) and MACD on prices, recursive so O(n) per asset and using only data up to t. */
import { opt, type Panel, readOptions } from "../data/index.js";
import { ewmAdjustFalse } from "./internal/window.js";

/**
 * Relative strength index with Wilder's smoothing (α = 1/period; the first average is the simple
 * mean of the first `period` changes), 0–100; NaN for the first `period` rows.
 */
export function rsiSeries(p: Float64Array, period = 14): Float64Array {
  const n = opt.positiveInt("rsi", "period", period, 14);
  const out = new Float64Array(p.length).fill(Number.NaN);
  let up = 0;
  let down = 0;
  let seen = 0;
  for (let i = 1; i < p.length; i++) {
    const d = p[i]! - p[i - 1]!;
    if (!Number.isFinite(d)) {
      seen = 0;
      up = 0;
      down = 0;
      continue;
    }
    const g = d > 0 ? d : 0;
    const l = d < 0 ? -d : 0;
    seen++;
    if (seen <= n) {
      up += g / n;
      down += l / n;
      if (seen < n) continue;
    } else {
      up = (up * (n - 1) + g) / n;
      down = (down * (n - 1) + l) / n;
    }
    out[i] = down === 0 ? (up === 0 ? 50 : 100) : 100 - 100 / (1 + up / down);
  }
  return out;
}

export function rsi(prices: Panel, period = 14): Panel {
  return prices.mapColumns((c) => rsiSeries(c, period));
}

/** Options of {@link macd}. */
export interface MACDOptions {
  /** Fast EMA span (default 12). */
  fast?: number;
  /** Slow EMA span (default 26). */
  slow?: number;
  /** Signal EMA span (default 9). */
  signal?: number;
  /** Divide by price so values compare across assets (default true). */
  normalize?: boolean;
}

const MACD_OPTIONS = {
  fast: opt.positiveInteger(12),
  slow: opt.positiveInteger(26),
  signal: opt.positiveInteger(9),
  normalize: opt.boolean(true),
} satisfies Record<keyof MACDOptions, opt.OptionRule<unknown>>;

/** MACD line (EMA_fast − EMA_slow, spans as pandas `ewm(span, adjust=False)`), its signal line and histogram. */
export function macd(prices: Panel, options: MACDOptions = {}): { readonly macd: Panel; readonly signal: Panel; readonly histogram: Panel } {
  const o = readOptions("macd", options, MACD_OPTIONS);
  const { fast, slow, signal: sig, normalize: norm } = o;
  if (fast >= slow) throw new RangeError(`macd: fast (${fast}) must be shorter than slow (${slow})`);
  const line = prices.mapColumns((p) => {
    const a = ewmAdjustFalse(p, 2 / (fast + 1));
    const b = ewmAdjustFalse(p, 2 / (slow + 1));
    const out = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const v = a[i]! - b[i]!;
      // an EMA needs about `slow` observations before it means anything
      out[i] = i < slow - 1 ? Number.NaN : norm ? v / p[i]! : v;
    }
    return out;
  });
  const signal = line.mapColumns((m) => ewmAdjustFalse(m, 2 / (sig + 1)));
  const histogram = line.mapColumns((m, _a, j) => {
    const s = signal.columns[j] as Float64Array;
    return m.map((v, i) => v - s[i]!);
  });
  return Object.freeze({ macd: line, signal, histogram });
}
