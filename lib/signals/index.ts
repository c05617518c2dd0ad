/**
 * lib/signals: alpha models behind one look-ahead-free contract (`AlphaModel` over lib/data's `PanelView`)
 * — pairs (distance / cointegration), Avellaneda-Lee PCA residuals, short-term reversal, ridge,
 * gradient-boosted trees, and LSTM / transformer networks on tfjs (wasm) — plus walk-forward
 * out-of-sample scoring, model quality (rank IC and its decay), drift detection and a model registry.
 */
export type { AlphaModel, FitOptions, SerializableModel } from "./alpha-model.js";
export * from "./models.js";
export { ResidualSignals, residualSignals } from "./residual-signals.js";
export type { ResidualSignalOptions, ResidualRow, PcaFactorSpec } from "./residual-signals.js";
export { buildTrainingSet, predictionMatrix, resolveFeatureOptions, mlFeatureNames, featureWarmup } from "./ml-features.js";
export type { CrossSectionalFeatureOptions, TrainingSetOptions, TrainingSet, ResolvedFeatureOptions } from "./ml-features.js";
export { SequenceModel } from "./sequence-model.js";
export type { SequenceModelOptions, ResolvedSequenceOptions, NetworkArtifacts } from "./sequence-model.js";
/** @internal tfjs stays out of the published types */
export { loadTensorflow } from "./tf-backend.js";
export { walkForward } from "./walk-forward.js";
export type { WalkForwardOptions, WalkForwardFit, WalkForwardScores } from "./walk-forward.js";
export { rankIC, icDecay, rollingIC, spearman, topBottomReturns } from "./quality.js";
export type { RankICResult } from "./quality.js";
export { DriftMonitor, driftMonitor, populationStabilityIndex, ksTwoSample, kolmogorovSf } from "./drift.js";
export type { DriftAlert, DriftMonitorOptions, KSTestResult } from "./drift.js";
export { ModelRegistry, modelRegistry } from "./registry.js";
export type { ModelRecord, ModelRegistryOptions, ModelSavedHook, SaveModelOptions } from "./registry.js";
export { MetaLabelFilter, META_LABEL_FEATURES } from "./meta-label.js";
export type { EntryOverlay, LabelledTrip, MetaLabelOptions } from "./meta-label.js";
