/**
 * Real market data for the peer cross-checks: skfolio's S&P 500 constituents (20 US large caps,
 * daily adjusted close 1990–2022) and the S&P 500 index, through `loadDataset` from lib/data.
 * While lib/data's registry is not there yet, the same skfolio files are read through the `.venv`
 * skfolio package (still real data, never synthetic) and `source` says so.
 */
import { Panel } from "../../lib/data/panel.js";
import { runPython } from "../helpers/python.js";

export interface RealData {
  prices: Panel;
  index: Float64Array;
  source: "loadDataset" | "skfolio-python";
}

function toPanel(x: unknown): Panel | null {
  if (x instanceof Panel) return x;
  const p = (x as { panel?: unknown; prices?: unknown } | null) ?? null;
  if (p && p.prices instanceof Panel) return p.prices;
  if (p && p.panel instanceof Panel) return p.panel;
  return null;
}

export async function loadRealData(): Promise<RealData> {
  try {
    const data = (await import("../../lib/data/index.js")) as Record<string, unknown>;
    const load = data.loadDataset as ((name: string) => Promise<unknown>) | undefined;
    if (typeof load === "function") {
      const prices = toPanel(await load("skfolio-sp500"));
      const idx = toPanel(await load("skfolio-sp500-index"));
      if (prices && idx && idx.dates.length === prices.dates.length) {
        return { prices, index: idx.columns[0] as Float64Array, source: "loadDataset" };
      }
    }
  } catch {
    // registry not available yet (or the cache is not materialised): fall back below
  }
  const r = await runPython<{ dates: string[]; assets: string[]; values: number[][]; index: number[] }>(`
from skfolio.datasets import load_sp500_dataset, load_sp500_index
df = load_sp500_dataset(); ix = load_sp500_index().reindex(df.index)
emit({"dates": [d.strftime("%Y-%m-%d") for d in df.index], "assets": list(df.columns),
      "values": [df[c].tolist() for c in df.columns], "index": ix.iloc[:, 0].tolist()})
`);
  const prices = new Panel(r.dates, r.assets, r.values.map((c) => Float64Array.from(c)));
  return { prices, index: Float64Array.from(r.index), source: "skfolio-python" };
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
