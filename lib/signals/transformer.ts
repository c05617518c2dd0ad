/**
 * Transformer encoder over standardised return sequences (Vaswani et al. 2017 blocks: multi-head
 * self-attention + residual + layer norm, position-wise feed-forward 2·hiddenDim wide + residual +
 * layer norm; sinusoidal positional encoding on a linear embedding of each day's return). The last
 * block attends from the final position only, whose representation feeds a sigmoid: the
 * probability that the asset beats the cross-sectional median tomorrow (see sequence-model.ts).
 *
 * CPU defaults: sequenceLength 60, hiddenDim 16, 2 heads, 1 layer, 3 epochs, ~2e10 training FLOPs.
 * A big configuration (e.g. sequenceLength 252, hiddenDim 256, 8 heads) still trains in tens of
 * seconds because the sample count shrinks to fit the budget (at least 64 samples).
 */
import { opt } from "../data/index.js";
import { type ResolvedSequenceOptions, resolveSequenceOptions, SEQUENCE_KEYS, SequenceModel, type SequenceModelOptions } from "./sequence-model.js";
import type { TF } from "./tf-backend.js";
import { registerCustomLayers } from "./tf-layers.js";

/** Options of {@link TransformerModel}. */
export interface TransformerOptions extends SequenceModelOptions {
  /** Attention heads; must divide hiddenDim (default 2). */
  attentionHeads?: number;
}

const TRANSFORMER_KEYS = opt.optionKeys<TransformerOptions>()([...SEQUENCE_KEYS, "attentionHeads"]);

export class TransformerModel extends SequenceModel {
  readonly name = "transformer";
  readonly params: Readonly<ResolvedSequenceOptions & { attentionHeads: number }>;

  constructor(options: TransformerOptions = {}) {
    super();
    const given = opt.knownKeys("TransformerModel", options, TRANSFORMER_KEYS);
    const base = resolveSequenceOptions("TransformerModel", given);
    const attentionHeads = opt.positiveInt("TransformerModel", "attentionHeads", given.attentionHeads, 2);
    if (base.hiddenDim % attentionHeads !== 0) throw new RangeError(`TransformerModel: hiddenDim (${base.hiddenDim}) must be divisible by attentionHeads (${attentionHeads})`);
    this.params = Object.freeze({ ...base, attentionHeads });
  }

  /** A model with the saved parameters (the registry then loads its network's weights). */
  static fromJSON(state: { params: TransformerOptions }): TransformerModel {
    return new TransformerModel(state.params);
  }

  protected forwardFlops(): number {
    const { sequenceLength: L, hiddenDim: d, layers } = this.params;
    // K,V projections on every position, Q/FFN on every position except in the last block
    return 2 * (L * d + layers * (2 * L * d * d + 2 * L * L * d) + (layers - 1) * L * (2 * d * d + 4 * d * d) + 6 * d * d);
  }

  /** @internal */
  protected build(tf: TF): import("@tensorflow/tfjs").LayersModel {
    const { sequenceLength: L, hiddenDim: d, layers, dropout, seed, learningRate, attentionHeads } = this.params;
    const { MultiHeadSelfAttention, PositionalEncoding, LastTimeStep, LayerNorm } = registerCustomLayers(tf);
    const glorot = (k: number) => tf.initializers.glorotUniform({ seed: seed * 1000 + k });
    type SymbolicTensor = import("@tensorflow/tfjs").SymbolicTensor;
    const input = tf.input({ shape: [L, 1] });
    let x = tf.layers.dense({ units: d, kernelInitializer: glorot(1) }).apply(input) as SymbolicTensor;
    x = new PositionalEncoding({}).apply(x) as SymbolicTensor;
    for (let l = 0; l < layers; l++) {
      const last = l === layers - 1;
      let att = new MultiHeadSelfAttention({ heads: attentionHeads, lastOnly: last, seed: seed * 1000 + 100 + 10 * l }).apply(x) as SymbolicTensor;
      const base = last ? (new LastTimeStep({}).apply(x) as SymbolicTensor) : x;
      if (dropout > 0) att = tf.layers.dropout({ rate: dropout, seed: seed * 1000 + 200 + l }).apply(att) as SymbolicTensor;
      const h = new LayerNorm({}).apply(tf.layers.add().apply([base, att])) as SymbolicTensor;
      let f = tf.layers.dense({ units: 2 * d, activation: "relu", kernelInitializer: glorot(300 + l) }).apply(h) as SymbolicTensor;
      f = tf.layers.dense({ units: d, kernelInitializer: glorot(400 + l) }).apply(f) as SymbolicTensor;
      if (dropout > 0) f = tf.layers.dropout({ rate: dropout, seed: seed * 1000 + 500 + l }).apply(f) as SymbolicTensor;
      x = new LayerNorm({}).apply(tf.layers.add().apply([h, f])) as SymbolicTensor;
    }
    const out = tf.layers.dense({ units: 1, activation: "sigmoid", kernelInitializer: glorot(999) }).apply(x) as SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ optimizer: tf.train.adam(learningRate), loss: "binaryCrossentropy" });
    return model;
  }
}

export function transformerModel(options?: TransformerOptions): TransformerModel {
  return new TransformerModel(options);
}
