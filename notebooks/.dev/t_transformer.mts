import { loadDataset, StatArbBacktester, RiskManager, TransformerAlphaModel } from "./statarb-shim.mjs";
const data = await loadDataset("skfolio-sp500");
const index = await loadDataset("skfolio-sp500-index");
const t0 = Date.now();
const alphaModel = new TransformerAlphaModel({ sequenceLength: 20, attentionHeads: 2, hiddenDim: 8, epochs: 1, maxTrainSamples: 64, seed: 7 });
const bt = new StatArbBacktester({ data, startDate: "2007-07-01", endDate: "2008-12-31", initialCapital: 10_000_000, transactionCosts: 0.0015, marketImpactModel: "sqrt", benchmark: index });
const r = await bt.runBacktest({ alphaModel, riskManager: new RiskManager({ maxLeverage: 3.0 }), rebalanceFrequency: "daily" });
console.log(Date.now() - t0, "ms", r.fits, r.sharpeRatio, r.maxDrawdown, r.informationRatio, r.dates.length, r.trades.length);
const g = await loadDataset("gmm-finance"); console.log(g.slice({start:"2008-01-01", end: "2008-01-10", assets: ["rf","rm","hml","smb"]}).toString());
