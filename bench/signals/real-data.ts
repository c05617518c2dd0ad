/**
 * Out-of-sample quality of every alpha model on real data, next to the short-term reversal
 * baseline: walk-forward scores (refit on trailing windows, predictions from views cut at each
 * date), then the mean daily rank IC (1-day and 5-day forward returns), its t-statistic, and the
 * mean daily return / Sharpe of the equal-weight top-k / bottom-k book held one day (no costs).
 * Reported, not asserted. Datasets: skfolio's S&P 500 constituents (20 stocks, 1990–2022) and
 * fBasics' DowJones30 (30 stocks, 1990–2001).
 * Run: npx tsx bench/signals/real-data.ts   (writes bench/results/signals-real.md.part)
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { loadDataset } from "../../lib/data/index.js";
import type { Panel } from "../../lib/data/panel.js";
import {
  type AlphaModel,
  GradientBoostingModel,
  icDecay,
  LSTMModel,
  PairsModel,
  PCAResidualModel,
  rankIC,
  ReversalModel,
  RidgeModel,
  topBottomReturns,
  TransformerModel,
  walkForward,
  type WalkForwardOptions,
} from "../../lib/signals/index.js";

interface Spec {
  label: string;
  make: () => AlphaModel;
  wf: WalkForwardOptions;
}

/** Network training per fit: 4,096 sampled (date, asset) sequences, 4 epochs of batches of 128. */
const nn = { epochs: 4, maxTrainSamples: 4096, batchSize: 128, learningRate: 0.003, seed: 1 };

const specs: Spec[] = [
  { label: "reversal (5-day, baseline)", make: () => new ReversalModel({ lookback: 5 }), wf: { trainWindow: 252, retrainEvery: 252 } },
  { label: "pairs, distance (GGR: 252 formation / 126 trading, 2σ)", make: () => new PairsModel({ pairs: 5 }), wf: { trainWindow: 253, retrainEvery: 126, embargo: 0 } },
  { label: "pairs, cointegration", make: () => new PairsModel({ method: "cointegration", pairs: 5 }), wf: { trainWindow: 253, retrainEvery: 126, embargo: 0 } },
  { label: "PCA residual, −s-score (A-L 2010)", make: () => new PCAResidualModel({ output: "score" }), wf: { trainWindow: 253, retrainEvery: 10_000 } },
  { label: "PCA residual, A-L positions", make: () => new PCAResidualModel(), wf: { trainWindow: 253, retrainEvery: 10_000 } },
  { label: "ridge (α 10, rank target)", make: () => new RidgeModel(), wf: { trainWindow: 1000, retrainEvery: 252 } },
  { label: "gradient boosting (100 trees, depth 3)", make: () => new GradientBoostingModel(), wf: { trainWindow: 1000, retrainEvery: 252 } },
  { label: "LSTM (60 steps, 16 units; 4,096 samples × 4 epochs)", make: () => new LSTMModel({ ...nn }), wf: { trainWindow: 1000, retrainEvery: 756 } },
  { label: "transformer (60 steps, d 16, 2 heads; 4,096 samples × 4 epochs)", make: () => new TransformerModel({ ...nn }), wf: { trainWindow: 1000, retrainEvery: 756 } },
];

const only = process.env.MODELS?.split(",");
const rows: string[] = [];
for (const [name, k] of [["skfolio-sp500", 4], ["dowjones30", 5]] as const) {
  const prices: Panel = await loadDataset(name);
  // the first 1,000 dates are training history for the ML models; everyone is scored on the same span
  const start = prices.dates[1001] as number;
  for (const s of specs) {
    if (only && !only.some((o) => s.label.startsWith(o))) continue;
    const t0 = performance.now();
    const wf = await walkForward(s.make(), prices, { ...s.wf, start });
    const ic1 = rankIC(wf.scores, prices, { horizon: 1 });
    const decay = icDecay(wf.scores, prices, [1, 5, 21]);
    const tb = topBottomReturns(wf.scores, prices, k);
    const secs = (performance.now() - t0) / 1000;
    const row = `| ${name} | ${s.label} | ${ic1.count} | ${ic1.mean.toFixed(4)} | ${ic1.tStat.toFixed(2)} | ${(decay.meanIC[1] as number).toFixed(4)} | ${(decay.meanIC[2] as number).toFixed(4)} | ${(tb.mean * 1e4).toFixed(2)} | ${tb.sharpe.toFixed(2)} | ${wf.fits.length} | ${secs.toFixed(1)} |`;
    rows.push(row);
    console.log(row);
  }
}
const lines = [
  "### Out-of-sample model quality on real data (lib/signals; reported, not asserted)",
  "",
  `Command: \`npx tsx bench/signals/real-data.ts\` — ${cpus().length} cores, Node ${process.version}. Walk-forward from the 1,001st date (the ML models train on the trailing 1,000 dates, refitting yearly; the networks every three years; pairs re-form every 126 days), embargo 1 day unless noted; IC = Spearman correlation of a date's scores with the next h-day returns, averaged over dates; top-k/bottom-k = equal-weight long the k best and short the k worst scores (k = 4 of 20 for sp500, 5 of 30 for DowJones30), held one day, before costs. Pairs and A-L positions are sparse (±1/0) scores, so their IC is computed on few distinct values. The networks use the CPU defaults (60-step sequences, not Fischer-Krauss' 240) and 4,096 training samples × 4 epochs per fit (learning rate 0.003), far less training than the papers: treat their rows as a smoke test of the pipeline, not as evidence about the architectures.`,
  "",
  "| dataset | model | scored dates | mean IC (1d) | t | mean IC (5d) | mean IC (21d) | top/bottom-k bp/day | Sharpe | fits | seconds |",
  "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...rows,
  "",
];
writeFileSync(new URL("../results/signals-real.md.part", import.meta.url), lines.join("\n"));
console.log(lines.join("\n"));
