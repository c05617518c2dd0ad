/**
 * Real market data for the peer cross-checks: skfolio's S&P 500 constituents (20 US large caps,
 * daily adjusted close 1990–2022) and the S&P 500 index, through lib/data's `loadDataset`
 * (materialised into datasets/.cache by scripts/setup).
 */
import { alignPanels, loadDataset } from "../../lib/data/index.js";
import type { Panel } from "../../lib/data/panel.js";

export interface RealData {
  prices: Panel;
  index: Float64Array;
  source: "loadDataset";
}

export async function loadRealData(): Promise<RealData> {
  const [prices, idx] = alignPanels(await loadDataset("skfolio-sp500"), await loadDataset("skfolio-sp500-index"));
  return { prices, index: idx.column(0), source: "loadDataset" };
}

/** Simple returns of a price series (first element dropped). */
export function simpleReturns(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length - 1);
  for (let i = 1; i < p.length; i++) out[i - 1] = (p[i] as number) / (p[i - 1] as number) - 1;
  return out;
}

/** Natural log of a price series. */
export function logPrices(p: Float64Array): Float64Array {
  return p.map((v) => Math.log(v));
}

/** |a − e| ≤ max(rel·|e|, abs), NaN only equal to NaN; returns a message or null. */
export function closeMessage(actual: number, expected: number, rel = 1e-8, abs = 1e-10): string | null {
  if (Number.isNaN(expected) || expected === null) return Number.isNaN(actual) ? null : `expected NaN, got ${actual}`;
  if (!Number.isFinite(expected)) return actual === expected ? null : `expected ${expected}, got ${actual}`;
  const tol = Math.max(rel * Math.abs(expected), abs);
  return Math.abs(actual - expected) <= tol ? null : `got ${actual}, expected ${expected} (|Δ| ${Math.abs(actual - expected).toExponential(2)} > ${tol.toExponential(2)})`;
}

/** Element-wise closeness of two arrays; returns the first few failures. */
export function arrayMismatches(actual: ArrayLike<number>, expected: ArrayLike<number | null>, rel = 1e-8, abs = 1e-10): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) return [`length ${actual.length} vs ${expected.length}`];
  for (let i = 0; i < actual.length && out.length < 5; i++) {
    const e = expected[i];
    const m = closeMessage(actual[i] as number, e === null ? Number.NaN : (e as number), rel, abs);
    if (m) out.push(`[${i}] ${m}`);
  }
  return out;
}
