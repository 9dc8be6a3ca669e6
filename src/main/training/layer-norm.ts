// Layer normalization (Ba et al. 2016, "Layer Normalization") written with broadcasting ops, so
// that differentiating it twice, as a gradient penalty does, costs memory in proportion to the
// activation on every backend.
//
// tf.layers.layerNormalization (tfjs-layers 4.22) does not: it tiles the per-example mean and
// variance ([batch, 1, 1, 1]) to the full activation shape before calling tf.batchNorm. The
// gradient of Tile in tfjs-core 4.22 runs one Slice and one Add per repetition, which is 7·7·64
// = 3136 pairs per tiled tensor for a [batch, 7, 7, 64] activation. When a gradient penalty
// differentiates that gradient again (tf.grad inside tf.variableGrads), the outer tape saves a
// copy of the full activation gradient for each Slice, and the wasm backend's Identity kernel
// really copies it. At batch 64 the 6272 copies (two tiled tensors) of 0.8 MB exceed the 4 GiB wasm32 memory, so the
// backend aborts ("Aborted()", "memory access out of bounds"). At batch 16 they fit (a measured
// peak of about 2.5 GB), but a step takes seconds. Broadcasting needs neither Tile nor Slice,
// because the gradient of a broadcast is a Sum over the broadcast axes.
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface LayerNormArgs extends LayerArgs {
  /** Axes to normalize over within each example, such as [-1] or [1, 2, 3]. Negative axes count from the end, and the batch axis 0 is not allowed. */
  axis: number[];
  /** Constant added to the variance before the square root. */
  epsilon: number;
}

/**
 * y = γ · (x − μ) / √(σ² + ε) + β, with the mean μ and variance σ² of each example taken over
 * `axis`, and a learned scale γ (starting at 1) and offset β (starting at 0) of the shape of
 * those axes. The weights are named gamma and beta, with the same shapes as in
 * tf.layers.layerNormalization. It behaves the same in training and inference.
 */
export class LayerNorm extends tf.layers.Layer {
  static readonly className = 'WorkbenchLayerNorm';
  private readonly axis: number[];
  private readonly epsilon: number;
  /** Non-negative, sorted form of `axis`, which build() sets. */
  private axes: number[] = [];
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: LayerNormArgs) {
    super(args);
    if (args.axis.length === 0 || !args.axis.every(Number.isInteger)) {
      throw new Error(`Invalid layer-norm axis ${JSON.stringify(args.axis)}: expected one or more integer axes, e.g. [-1] or [1, 2, 3].`);
    }
    if (!(args.epsilon > 0)) {
      throw new Error(`Invalid layer-norm epsilon ${args.epsilon}: expected a positive number such as 1e-5.`);
    }
    this.axis = [...args.axis];
    this.epsilon = args.epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = singleShape(inputShape);
    this.axes = normalizeAxes(this.axis, shape.length);
    const parameterShape = this.axes.map((axis) => shape[axis]);
    if (!parameterShape.every((size): size is number => typeof size === 'number')) {
      throw new Error(`Layer norm "${this.name}" needs known sizes on axes ${JSON.stringify(this.axis)}, but the input shape is ${JSON.stringify(shape)}.`);
    }

    this.gamma = this.addWeight('gamma', parameterShape, 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', parameterShape, 'float32', tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return singleShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const { gamma, beta } = this.requireWeights();
    const x = Array.isArray(inputs) ? inputs[0] : inputs;

    return tf.tidy(() => {
      // γ and β have the shape of the normalized axes; size-1 axes elsewhere let them broadcast.
      const parameterShape = x.shape.map((size, axis) => (this.axes.includes(axis) ? size : 1));
      const { mean, variance } = tf.moments(x, this.axes, true);
      const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normalized, tf.reshape(gamma.read(), parameterShape)), tf.reshape(beta.read(), parameterShape));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon };
  }

  private requireWeights(): { gamma: tf.LayerVariable; beta: tf.LayerVariable } {
    if (this.gamma === null || this.beta === null) {
      throw new Error(`Layer norm "${this.name}" is used before it was built; add it to a model with a known input shape first.`);
    }
    return { gamma: this.gamma, beta: this.beta };
  }
}

tf.serialization.registerClass(LayerNorm);

function singleShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/** Maps negative axes to positive ones and checks that each lies in 1…rank−1. */
function normalizeAxes(axis: number[], rank: number): number[] {
  const axes = axis.map((value) => (value < 0 ? value + rank : value));
  for (const [index, value] of axes.entries()) {
    if (value < 1 || value >= rank) {
      throw new Error(
        `Invalid layer-norm axis ${axis[index]} for an input of rank ${rank}: expected an axis from 1 to ${rank - 1} (or −${rank - 1} to −1), because axis 0 is the batch.`,
      );
    }
  }
  return [...new Set(axes)].sort((a, b) => a - b);
}
