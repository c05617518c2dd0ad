/** Shared helpers of the signal tests: a panel whose rows after a cut-off are replaced by garbage. */
import { Panel } from "../../lib/data/panel.js";

/** A copy of `p` with every value after row `cut` replaced (seeded): spikes, NaNs, crashes. */
export function scrambleAfter(p: Panel, cut: number, seed = 99): Panel {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cols = p.columns.map((c) => {
    const x = Float64Array.from(c);
    for (let i = cut + 1; i < x.length; i++) {
      const r = u();
      x[i] = r < 0.05 ? Number.NaN : (x[cut] as number) * (r < 0.5 ? 0.2 + r : 3 * r);
    }
    return x;
  });
  return new Panel(p.dates, p.assets, cols);
}

/** Indices where two arrays are not bit-identical (NaN equals NaN, +0 ≠ −0 is tolerated as equal). */
export function bitDiff(a: Float64Array, b: Float64Array): number[] {
  const out: number[] = [];
  if (a.length !== b.length) return [-1];
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (!(x === y || (Number.isNaN(x) && Number.isNaN(y)))) out.push(i);
  }
  return out;
}
