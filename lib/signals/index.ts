/**
 * lib/signals: alpha models behind one look-ahead-free contract (`AlphaModel` over lib/data's `PanelView`)
 * — pairs (distance / cointegration), Avellaneda-Lee PCA residuals, short-term reversal, ridge,
 * gradient-boosted trees, and LSTM / transformer networks on tfjs (wasm) — plus walk-forward
 * out-of-sample scoring, model quality (rank IC and its decay), drift detection and a model registry.
 */
export type { AlphaModel, FitOptions, SerializableModel } from "./alpha-model.js";
export { PairsModel, pairsModel } from "./pairs.js";
export type { PairsOptions, SelectedPair } from "./pairs.js";
export { PCAResidualModel, pcaResidualModel, pcaResidualScores, avellanedaLeeStep, avellanedaLeePositions } from "./pca-residual.js";
export type { PCAResidualOptions, PCAResidualScores } from "./pca-residual.js";
export { ReversalModel, reversalModel } from "./reversal.js";
export type { ReversalOptions } from "./reversal.js";
export { RidgeAlphaModel, ridgeAlphaModel, ridgeFit, ridgePredict } from "./ridge.js";
export type { RidgeAlphaOptions, RidgeFit } from "./ridge.js";
export { GradientBoostingAlphaModel, gradientBoostingAlphaModel, GradientBoostingRegressor } from "./gbt.js";
export type { GradientBoostingAlphaOptions, GradientBoostingOptions, RegressionTree } from "./gbt.js";
export { buildTrainingSet, predictionMatrix, resolveFeatureOptions, mlFeatureNames, featureWarmup } from "./ml-features.js";
export type { CrossSectionalFeatureOptions, TrainingSetOptions, TrainingSet, ResolvedFeatureOptions } from "./ml-features.js";
export { SequenceAlphaModel } from "./sequence-model.js";
export type { SequenceModelOptions, ResolvedSequenceOptions, NetworkArtifacts } from "./sequence-model.js";
export { LSTMAlphaModel, lstmAlphaModel } from "./lstm.js";
export type { LSTMAlphaOptions } from "./lstm.js";
export { TransformerAlphaModel, transformerAlphaModel } from "./transformer.js";
export type { TransformerAlphaOptions } from "./transformer.js";
export { loadTensorflow } from "./tf-backend.js";
export { walkForward } from "./walk-forward.js";
export type { WalkForwardOptions, WalkForwardFit, WalkForwardScores } from "./walk-forward.js";
export { rankIC, icDecay, rollingIC, spearman, topBottomReturns } from "./quality.js";
export type { RankICResult } from "./quality.js";
export { DriftMonitor, driftMonitor, populationStabilityIndex, ksTwoSample, kolmogorovSf } from "./drift.js";
export type { DriftAlert, DriftMonitorOptions, KSTestResult } from "./drift.js";
export { ModelRegistry, modelRegistry } from "./registry.js";
export type { ModelRecord, SaveModelOptions } from "./registry.js";
export { syntheticPairsMarket } from "./synthetic-market.js";
export type { SyntheticMarket, SyntheticMarketOptions } from "./synthetic-market.js";
