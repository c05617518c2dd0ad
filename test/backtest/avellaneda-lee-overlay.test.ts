/**
 * The entry overlay of runAvellanedaLee (issue 17 item 7: the ML overlay evaluated out of sample):
 * the filtered book runs on the same s-scores and differs only where the overlay refused an opening,
 * the overlay learns only from trips closed before the day it decides, and lib/signals'
 * MetaLabelFilter takes every entry until its first fit and then decides from features of data up to
 * the decision day only.
 */
import { describe, expect, it } from "vitest";
import { runAvellanedaLee } from "../../lib/backtest/index.js";
import { type EntryOverlay, type LabelledTrip, MetaLabelFilter } from "../../lib/signals/index.js";
import { syntheticPairsMarket } from "../../lib/stats/index.js";
import { bitDiff, scrambleAfter } from "../signals/helpers.js";

const market = syntheticPairsMarket({ nAssets: 30, nDays: 190, seed: 7 }).prices;
const small = { correlationWindow: 100, ouWindow: 40, variants: ["pca-15"], fillAt: ["close"] } as const;

/** An overlay that records what it was told and decides by a rule on the row. */
function recorder(accept: (t: number) => boolean) {
  const learnt: { t: number; trips: LabelledTrip[] }[] = [];
  const asked: number[] = [];
  const overlay: EntryOverlay = {
    name: "recorder",
    features: (t, asset, side, s, kappa) => Float64Array.of(t, asset, side, s, kappa),
    learn: (t, trips) => void learnt.push({ t, trips: [...trips] }),
    accept: (t) => (asked.push(t), accept(t)),
  };
  return { overlay, learnt, asked };
}

describe("runAvellanedaLee with an entry overlay", () => {
  it("accept-all gives the plain book bit for bit; reject-all opens nothing; plain runs and params unchanged", () => {
    const plain = runAvellanedaLee(market, small);
    const all = recorder(() => true);
    const withAll = runAvellanedaLee(market, { ...small, overlay: () => all.overlay });
    expect(withAll.runs.map((r) => r.overlay)).toEqual(["none", "recorder"]);
    expect(withAll.runs[1]!.label).toBe("PCA, 15 eigenportfolios + recorder");
    for (const r of withAll.runs) for (let j = 0; j < market.nAssets; j++) expect(bitDiff(r.targets.columns[j]!, plain.runs[0]!.targets.columns[j]!)).toEqual([]);
    expect(bitDiff(withAll.runs[1]!.result.net, plain.runs[0]!.result.net)).toEqual([]);
    expect(plain.params).not.toHaveProperty("overlay");
    expect(withAll.params.overlay).toBe("recorder");
    const none = recorder(() => false);
    const withNone = runAvellanedaLee(market, { ...small, overlay: () => none.overlay });
    expect(Math.max(...withNone.runs[1]!.positions)).toBe(0);
    expect(none.asked.length).toBeGreaterThan(0);
    expect(withNone.runs[1]!.roundTrips.count).toBe(0);
    // the unfiltered book is still the plain one
    expect(bitDiff(withNone.runs[0]!.result.net, plain.runs[0]!.result.net)).toEqual([]);
  });

  it("learns each closed trip once, only after its exit row, with the features of its entry", () => {
    const r = recorder((t) => t % 2 === 0);
    const s = runAvellanedaLee(market, { ...small, overlay: () => r.overlay });
    const plainTrips = s.runs[0]!.roundTrips.trips;
    let seen = 0;
    for (const { t, trips } of r.learnt) {
      for (const x of trips) {
        expect(x.exitRow).toBeLessThan(t);
        expect(x.features[0]).toBe(x.entryRow); // features were taken on the entry row
        expect(plainTrips.some((p) => p.entryRow === x.entryRow && p.exitRow === x.exitRow && p.asset === x.features[1] && p.pnl === x.pnl)).toBe(true);
      }
      seen += trips.length;
    }
    // every trip closed before the last row was handed over exactly once (those ending on the last row are still open)
    expect(seen).toBe(plainTrips.filter((x) => x.exitRow < market.nDates - 1).length);
    expect(r.learnt.map((x) => x.t)).toEqual(Array.from({ length: market.nDates - 100 }, (_, k) => 100 + k));
    // the filtered book differs from the plain one: odd rows refused their openings
    expect(s.runs[1]!.roundTrips.count).toBeLessThan(s.runs[0]!.roundTrips.count);
  });
});

describe("MetaLabelFilter", () => {
  it("takes every entry before its first fit, then fits walk-forward; features use data up to t only", () => {
    const filters: MetaLabelFilter[] = [];
    const s = runAvellanedaLee(market, { ...small, overlay: () => { const f = new MetaLabelFilter(market, { minTrips: 20, refitEvery: 10, nEstimators: 5, positionSize: 0.02 }); filters.push(f); return f; } });
    const f = filters[0]!;
    expect(f.name).toBe("meta-label gbt");
    expect(f.fits.length).toBeGreaterThan(1);
    const first = f.fits[0]!.row;
    for (let k = 1; k < f.fits.length; k++) expect(f.fits[k]!.row - f.fits[k - 1]!.row).toBeGreaterThanOrEqual(10);
    // until the first fit the filtered book is the plain one
    const k0 = first - 100;
    expect(bitDiff(s.runs[1]!.result.net.subarray(0, k0), s.runs[0]!.result.net.subarray(0, k0))).toEqual([]);
    expect(f.asked).toBeGreaterThan(0);
    expect(f.taken).toBeLessThanOrEqual(f.asked);
    // no look-ahead in the features
    const cut = 150;
    const a = new MetaLabelFilter(market);
    const b = new MetaLabelFilter(scrambleAfter(market, cut));
    for (const j of [0, 7, 29]) expect(bitDiff(a.features(cut, j, -1, 1.4, 30), b.features(cut, j, -1, 1.4, 30))).toEqual([]);
    expect(() => new MetaLabelFilter(market, { model: "lstm" as never })).toThrow(/model/);
    expect(() => new MetaLabelFilter(market, { minTrip: 3 } as never)).toThrow(/minTrips/);
  });
});
