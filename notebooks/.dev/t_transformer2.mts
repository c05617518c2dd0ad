import { loadDataset, StatArbBacktester, RiskManager, TransformerAlphaModel, ReversalModel, sharpeRatio } from "./statarb-shim.mjs";
const data = await loadDataset("skfolio-sp500");
const index = await loadDataset("skfolio-sp500-index");
for (const [freq, epochs, samples] of [["daily",1,64],["weekly",1,64],["weekly",3,512],["daily",3,512]] as const) {
const t0 = Date.now();
const alphaModel = new TransformerAlphaModel({ sequenceLength: 20, attentionHeads: 2, hiddenDim: 8, epochs, maxTrainSamples: samples, seed: 7 });
const bt = new StatArbBacktester({ data, startDate: "2007-07-01", endDate: "2008-12-31", initialCapital: 10_000_000, transactionCosts: 0.0015, marketImpactModel: "sqrt", benchmark: index });
const r = await bt.runBacktest({ alphaModel, riskManager: new RiskManager({ maxLeverage: 3.0 }), rebalanceFrequency: freq });
console.log(freq, epochs, samples, Date.now() - t0, "ms", r.fits, r.sharpeRatio.toFixed(2), "pre-cost", sharpeRatio(r.returnsBeforeCosts).toFixed(2), r.maxDrawdown.toFixed(3), r.averageTurnover.toFixed(3), r.costs.total.toFixed(0));
}
const bt = new StatArbBacktester({ data, startDate: "2007-07-01", endDate: "2008-12-31", initialCapital: 10_000_000, transactionCosts: 0.0015, marketImpactModel: "sqrt", benchmark: index });
const r = await bt.runBacktest({ alphaModel: new ReversalModel(), riskManager: new RiskManager({ maxLeverage: 3.0 }), rebalanceFrequency: "weekly" });
console.log("rev", r.sharpeRatio, sharpeRatio(r.returnsBeforeCosts), r.maxDrawdown);
