/** Shared helpers of the signal tests: a panel whose rows after a cut-off are replaced by garbage. */
import { Panel } from "../../lib/data/panel.js";
import { seededUniform } from "../../lib/stats/index.js";

/** A copy of `p` with every value after row `cut` replaced (seeded): spikes, NaNs, crashes. */
export function scrambleAfter(p: Panel, cut: number, seed = 99): Panel {
  const u = seededUniform(seed);
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
