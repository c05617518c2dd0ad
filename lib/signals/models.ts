/**
 * The alpha models of lib/signals: what the folder exports of each, and the table the model registry
 * loads saved models by. Adding a model touches two files: its own (the class — `name`, `params`,
 * `fit`, `predict`, `toJSON`, `static fromJSON` — and a lowercase factory) and this one (its export
 * line and its entry in MODEL_KINDS).
 */
import type { AlphaModel } from "./alpha-model.js";
import { GradientBoostingModel } from "./gbt.js";
import { LSTMModel } from "./lstm.js";
import { PairsModel } from "./pairs.js";
import { PCAResidualModel } from "./pca-residual.js";
import { ReversalModel } from "./reversal.js";
import { RidgeModel } from "./ridge.js";
import { TransformerModel } from "./transformer.js";

export { PairsModel, pairsModel } from "./pairs.js";
export type { PairsOptions, SelectedPair } from "./pairs.js";
export { PCAResidualModel, pcaResidualModel, pcaResidualScores, avellanedaLeeStep, avellanedaLeePositions } from "./pca-residual.js";
export type { PCAResidualOptions, PCAResidualScores } from "./pca-residual.js";
export { ReversalModel, reversalModel } from "./reversal.js";
export type { ReversalOptions } from "./reversal.js";
export { RidgeModel, ridgeModel, ridgeFit, ridgePredict } from "./ridge.js";
export type { RidgeOptions, RidgeFit } from "./ridge.js";
export { GradientBoostingModel, gradientBoostingModel, GradientBoostingRegressor } from "./gbt.js";
export type { GradientBoostingModelOptions, GradientBoostingOptions, RegressionTree } from "./gbt.js";
export { LSTMModel, lstmModel } from "./lstm.js";
export type { LSTMOptions } from "./lstm.js";
export { TransformerModel, transformerModel } from "./transformer.js";
export type { TransformerOptions } from "./transformer.js";

/** A saved model's loader: the class's `fromJSON` over the state its `toJSON` wrote. */
export type ModelLoader = (state: unknown) => AlphaModel;

const loader = <S>(model: { fromJSON(state: S): AlphaModel }): ModelLoader => (state) => model.fromJSON(state as S);

/** Loaders of saved models by kind (the model's `name`), used by {@link ModelRegistry}. */
export const MODEL_KINDS: Readonly<Record<string, ModelLoader>> = Object.freeze({
  reversal: loader(ReversalModel),
  pairs: loader(PairsModel),
  "pca-residual": loader(PCAResidualModel),
  ridge: loader(RidgeModel),
  gbt: loader(GradientBoostingModel),
  lstm: loader(LSTMModel),
  transformer: loader(TransformerModel),
});
