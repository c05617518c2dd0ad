/** The type of the lazily loaded @tensorflow/tfjs module (its own file, so tf-backend and tf-layers need not import each other). @internal */
export type TF = typeof import("@tensorflow/tfjs");
