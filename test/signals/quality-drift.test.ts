/**
 * Model quality and drift: rank IC per date vs scipy.stats.spearmanr, IC decay on a signal with a
 * known horizon, PSI against a hand computation, the two-sample KS test vs scipy, and the typed
 * alerts of DriftMonitor.
 */
import { describe, expect, it } from "vitest";
import { Panel } from "../../lib/data/panel.js";
import { type DriftAlert, DriftMonitor, icDecay, ksTwoSample, populationStabilityIndex, rankIC, rollingIC, spearman, topBottomReturns } from "../../lib/signals/index.js";
import { createRng } from "../../lib/stats/index.js";
import { hasVenv, runPython } from "../helpers/python.js";

const rng = createRng(21);
const T = 300;
const n = 25;
const dates = Int32Array.from({ length: T }, (_, i) => 17000 + i);
// returns with a planted 1-day predictability: r_{t+1} = 0.3 s_t + noise
const sc = Array.from({ length: n }, () => new Float64Array(T));
const px = Array.from({ length: n }, () => new Float64Array(T));
for (let j = 0; j < n; j++) {
  (px[j] as Float64Array)[0] = 100;
  for (let t = 0; t < T; t++) (sc[j] as Float64Array)[t] = rng.normal();
}
for (let t = 1; t < T; t++) for (let j = 0; j < n; j++) {
  const r = 0.01 * (0.3 * ((sc[j] as Float64Array)[t - 1] as number) + rng.normal());
  (px[j] as Float64Array)[t] = ((px[j] as Float64Array)[t - 1] as number) * (1 + r);
}
(sc[0] as Float64Array)[10] = Number.NaN;
const scores = new Panel(dates, Array.from({ length: n }, (_, j) => `A${j}`), sc);
const prices = new Panel(dates, scores.assets, px);

describe("rank IC", () => {
  it.skipIf(!hasVenv())("per-date IC equals scipy spearmanr", async () => {
    const r = rankIC(scores, prices);
    const rows = [0, 10, 150, 298];
    const fwd = rows.map((t) => prices.columns.map((c) => (c[t + 1] as number) / (c[t] as number) - 1));
    const s = rows.map((t) => scores.columns.map((c) => c[t] as number));
    const py = await runPython<number[]>(
      `import numpy as np
from scipy.stats import spearmanr
out = []
for a, b in zip(data["s"], data["f"]):
    a = np.array(a, dtype=float); b = np.array(b, dtype=float); ok = np.isfinite(a) & np.isfinite(b)
    out.append(float(spearmanr(a[ok], b[ok]).statistic))
emit(out)`,
      { s, f: fwd },
    );
    rows.forEach((t, k) => expect(Math.abs((r.ic[t] as number) - (py[k] as number))).toBeLessThan(1e-12));
    expect(r.ic[T - 1]).toBeNaN();
    expect(r.count).toBe(T - 1);
  });

  it("finds the planted predictability and its decay by horizon", () => {
    const r = rankIC(scores, prices);
    expect(r.mean).toBeGreaterThan(0.2);
    expect(r.tStat).toBeGreaterThan(10);
    const d = icDecay(scores, prices, [1, 5, 20]);
    expect(d.meanIC[0]).toBeGreaterThan(3 * Math.abs(d.meanIC[2] as number));
    // the k-day IC keeps the day-1 predictability diluted by k days of noise
    expect(d.meanIC[1] as number).toBeLessThan(d.meanIC[0] as number);
    const tb = topBottomReturns(scores, prices, 5);
    expect(tb.mean).toBeGreaterThan(0);
    const roll = rollingIC(r.ic, 20);
    expect(roll[18]).toBeNaN();
    expect(Number.isFinite(roll[19] as number)).toBe(true);
  });

  it("spearman handles ties as average ranks", () => {
    expect(spearman([1, 2, 2, 3], [1, 2, 2, 3])).toBeCloseTo(1, 14);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 14);
    expect(spearman([1, Number.NaN], [1, 2])).toBeNaN();
  });
});

describe("drift", () => {
  const ref = Float64Array.from({ length: 2000 }, () => rng.normal());
  const same = Float64Array.from({ length: 1000 }, () => rng.normal());
  const shifted = Float64Array.from({ length: 1000 }, () => 0.8 + rng.normal());

  it("PSI: the hand formula on quantile bins; small for the same law, large for a shift", () => {
    // two bins cut at the median: reference 50/50, current 80/20
    const r = Float64Array.from({ length: 100 }, (_, i) => i);
    const c = Float64Array.from({ length: 100 }, (_, i) => (i < 80 ? i * 0.5 : 60 + i));
    const expected = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);
    expect(populationStabilityIndex(r, c, 2)).toBeCloseTo(expected, 12);
    expect(populationStabilityIndex(ref, same)).toBeLessThan(0.05);
    expect(populationStabilityIndex(ref, shifted)).toBeGreaterThan(0.25);
  });

  it.skipIf(!hasVenv())("KS: statistic equals scipy ks_2samp, p-value equals kstwobign.sf(√en·D)", async () => {
    const a = ref.subarray(0, 300);
    const b = shifted.subarray(0, 200).map((x) => x - 0.6);
    const ours = ksTwoSample(a, b);
    const py = await runPython<{ d: number; p: number }>(
      `import numpy as np
from scipy.stats import ks_2samp, kstwobign
a = np.array(data["a"]); b = np.array(data["b"])
d = ks_2samp(a, b).statistic; en = len(a) * len(b) / (len(a) + len(b))
emit({"d": float(d), "p": float(kstwobign.sf(np.sqrt(en) * d))})`,
      { a, b },
    );
    expect(Math.abs(ours.statistic - py.d)).toBeLessThan(1e-15);
    expect(Math.abs(ours.pValue - py.p)).toBeLessThan(1e-10);
  });

  it("DriftMonitor raises typed alerts for shifted features and a failing IC", () => {
    const seen: DriftAlert[] = [];
    const mon = new DriftMonitor({ r1: ref, vol: ref }, { onAlert: (a) => seen.push(a) });
    expect(mon.checkFeatures({ r1: same, vol: same })).toEqual([]);
    const alerts = mon.checkFeatures({ r1: same, vol: shifted });
    expect(alerts.map((a) => `${a.kind}:${"feature" in a ? a.feature : ""}:${a.severity}`)).toEqual(["psi:vol:critical", "ks:vol:warning"]);
    const ic = Float64Array.from({ length: 200 }, (_, t) => (t < 100 ? 0.05 : -0.05) + 0.01 * Math.sin(t));
    const icAlerts = mon.checkIC(Int32Array.from({ length: 200 }, (_, t) => 18000 + t), ic);
    expect(icAlerts.length).toBe(1);
    const first = icAlerts[0];
    expect(first?.kind).toBe("ic");
    if (first?.kind === "ic") expect(first.date).toBeGreaterThan(18100);
    expect(seen.length).toBe(3);
    expect(() => new DriftMonitor({ x: ref }, { psiCritical: 0.01 })).toThrow(/psiCritical must be a number in \[0.1/);
  });
});
