/**
 * Public entry points read their options through lib/options/options.ts: an unknown key is an error with a
 * "did you mean", a value of the wrong type a TypeError and one out of range a RangeError, each naming
 * the entry point, the option, the value and what is allowed. A sample of each folder.
 */
import { describe, expect, it } from "vitest";
import { Panel, PanelView, parsePanelCSV } from "../../lib/data/index.js";
import { crossSectionalRank, macd, volatilityRegime } from "../../lib/features/index.js";
import { equityChart } from "../../lib/plot/index.js";
import { DollarNeutral, MeanVariance, TopKBottomK, trailingRiskModel, VolatilityTarget } from "../../lib/portfolio/index.js";
import { DriftMonitor, GradientBoostingModel, PairsModel, ReversalModel, RidgeModel, rankIC, TransformerModel, walkForward } from "../../lib/signals/index.js";

function prices(nDates = 300, nAssets = 4): Panel {
  const dates = Int32Array.from({ length: nDates }, (_, i) => 16_000 + i);
  const cols = Array.from({ length: nAssets }, (_, j) => Float64Array.from({ length: nDates }, (_, i) => 100 + j + Math.sin(i / (5 + j))));
  return new Panel(dates, Array.from({ length: nAssets }, (_, j) => `A${j}`), cols);
}

describe("entry-point options", () => {
  const p = prices();

  it("lib/data: Panel, Panel.slice, parsePanelCSV, PanelView", () => {
    expect(() => new Panel(p.dates, p.assets, p.columns, { validat: false } as never)).toThrow(new RangeError('Panel: unknown option "validat" (did you mean "validate"?); allowed: "validate"'));
    expect(() => new Panel(p.dates, p.assets, p.columns, { validate: "no" } as never)).toThrow(new TypeError('Panel: validate must be true or false, got "no"'));
    expect(() => p.slice({ strat: "2014-01-01" } as never)).toThrow(/Panel.slice: unknown option "strat" \(did you mean "start"\?\)/);
    expect(() => parsePanelCSV("date,A\n2020-01-02,1\n", { delimeter: ";" } as never)).toThrow(/parsePanelCSV: unknown option "delimeter" \(did you mean "delimiter"\?\)/);
    expect(() => parsePanelCSV("date,A\n2020-01-02,1\n", { delimiter: "" })).toThrow(TypeError);
    expect(() => new PanelView(p, p.dates[10] as number, { fields: { volume: 1 } } as never)).toThrow(/PanelView: fields must be an object of Panels by field name/);
  });

  it("lib/features: macd, volatilityRegime, crossSectionalRank", () => {
    expect(() => macd(p, { slwo: 30 } as never)).toThrow(/macd: unknown option "slwo" \(did you mean "slow"\?\)/);
    expect(() => macd(p, { fast: 0 })).toThrow(new RangeError("macd: fast must be a positive integer, got 0"));
    expect(() => macd(p, { normalize: 1 } as never)).toThrow(TypeError);
    expect(() => volatilityRegime(p, { high: 0.5 })).toThrow(/volatilityRegime: high must be a number in \[0.8, ∞\), got 0.5/);
    expect(() => crossSectionalRank(p, { pct: "yes" } as never)).toThrow(new TypeError('crossSectionalRank: pct must be true or false, got "yes"'));
  });

  it("lib/portfolio: constructions and the trailing risk model", () => {
    expect(() => new TopKBottomK({ K: 5 } as never)).toThrow(/TopKBottomK: unknown option "K" \(did you mean "k"\?\)/);
    expect(() => new MeanVariance({ riskAversio: 2 } as never)).toThrow(/did you mean "riskAversion"/);
    expect(() => new DollarNeutral({ maxPosition: -1 })).toThrow(new RangeError("DollarNeutral: maxPosition must be a number in (0, ∞) or Infinity, got -1"));
    expect(new DollarNeutral({ maxPosition: Infinity }).params.maxPosition).toBe(Infinity);
    expect(() => new VolatilityTarget({ inner: {} as never })).toThrow(/VolatilityTarget: inner must be a PortfolioConstruction/);
    expect(() => trailingRiskModel(p, { window: "252" } as never)).toThrow(new TypeError('trailingRiskModel: window must be a positive integer, got "252"'));
  });

  it("lib/signals: models, walkForward, rankIC, DriftMonitor", async () => {
    expect(() => new RidgeModel({ alhpa: 1 } as never)).toThrow(/RidgeModel: unknown option "alhpa" \(did you mean "alpha"\?\)/);
    expect(() => new GradientBoostingModel({ nEstimator: 5 } as never)).toThrow(/did you mean "nEstimators"/);
    expect(() => new PairsModel({ formationDay: 100 } as never)).toThrow(/PairsModel: unknown option "formationDay" \(did you mean "formationDays"\?\)/);
    expect(() => new TransformerModel({ attentionHeds: 2 } as never)).toThrow(/did you mean "attentionHeads"/);
    expect(() => new ReversalModel({ lookback: 2.5 })).toThrow(/ReversalModel: lookback must be a positive integer, got 2.5/);
    await expect(walkForward(new ReversalModel(), p, { retrainEvry: 5 } as never)).rejects.toThrow(/walkForward: unknown option "retrainEvry" \(did you mean "retrainEvery"\?\)/);
    expect(() => rankIC(p, p, { horizn: 5 } as never)).toThrow(/rankIC: unknown option "horizn" \(did you mean "horizon"\?\)/);
    expect(() => new DriftMonitor({ x: [1, 2, 3] }, { psiWarnign: 0.2 } as never)).toThrow(/did you mean "psiWarning"/);
  });

  it("lib/plot: chart helpers", () => {
    const r = new Float64Array(p.nDates);
    expect(() => equityChart({ dates: p.dates, returns: r, benchmrk: r } as never)).toThrow(/equityChart: unknown option "benchmrk" \(did you mean "benchmark"\?\)/);
  });
});
