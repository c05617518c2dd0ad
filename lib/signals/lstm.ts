/**
 * LSTM classifier of Fischer & Krauss (2018) on standardised return sequences: stacked LSTM layers,
 * dropout, a sigmoid output = probability of beating tomorrow's cross-sectional median. CPU
 * defaults (sequenceLength 60, hiddenDim 16, 1 layer, 3 epochs) are smaller than the paper's
 * (240 steps, 25 units) because tfjs unrolls the recurrence step by step.
 */
import { opt } from "../data/index.js";
import { type ResolvedSequenceOptions, resolveSequenceOptions, SEQUENCE_KEYS, SequenceModel, type SequenceModelOptions } from "./sequence-model.js";
import type { TF } from "./tf-backend.js";

/** Options of {@link LSTMModel}. */
export type LSTMOptions = SequenceModelOptions;

export class LSTMModel extends SequenceModel {
  readonly name = "lstm";
  readonly params: Readonly<ResolvedSequenceOptions>;

  constructor(options: LSTMOptions = {}) {
    super();
    this.params = Object.freeze(resolveSequenceOptions("LSTMModel", opt.knownKeys("LSTMModel", options, SEQUENCE_KEYS)));
  }

  /** A model with the saved parameters (the registry then loads its network's weights). */
  static fromJSON(state: { params: LSTMOptions }): LSTMModel {
    return new LSTMModel(state.params);
  }

  protected forwardFlops(): number {
    const { sequenceLength: L, hiddenDim: d, layers } = this.params;
    return 2 * L * layers * 4 * d * (2 * d + 1);
  }

  /** @internal */
  protected build(tf: TF): import("@tensorflow/tfjs").LayersModel {
    const { sequenceLength: L, hiddenDim: d, layers, dropout, seed, learningRate } = this.params;
    type SymbolicTensor = import("@tensorflow/tfjs").SymbolicTensor;
    const input = tf.input({ shape: [L, 1] });
    let x: SymbolicTensor = input;
    for (let l = 0; l < layers; l++) {
      x = tf.layers
        .lstm({
          units: d,
          returnSequences: l < layers - 1,
          kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 10 * l + 1 }),
          recurrentInitializer: tf.initializers.orthogonal({ seed: seed * 1000 + 10 * l + 2 }),
        })
        .apply(x) as SymbolicTensor;
      if (dropout > 0) x = tf.layers.dropout({ rate: dropout, seed: seed * 1000 + 10 * l + 3 }).apply(x) as SymbolicTensor;
    }
    const out = tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 999 }) }).apply(x) as SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ optimizer: tf.train.adam(learningRate), loss: "binaryCrossentropy" });
    return model;
  }
}

export function lstmModel(options?: LSTMOptions): LSTMModel {
  return new LSTMModel(options);
}
