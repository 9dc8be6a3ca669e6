// Dense, conv and conv-transpose layers whose kernel is spectrally normalized in every forward
// pass (spectral-norm.ts has the math). Each layer keeps u and v as non-trainable weights, so
// they are saved, copied and disposed with the model. `powerIterate()` advances the estimate;
// the training step calls it outside the gradient tape, once per update of the layer's network.
import * as tf from '@tensorflow/tfjs';

import { kernelMatrix, powerIteration, spectrallyNormalized, type KernelLayout } from './spectral-norm';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

interface SpectralLayerArgs extends LayerArgs {
  useBias?: boolean;
  kernelInitializer: Initializer;
  /** Seed of the random start vector u. */
  seed: number;
}

function singleInput(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** The shared part: kernel, optional bias, u and v, the power iteration and the normalized kernel. */
abstract class SpectralNormLayer extends tf.layers.Layer {
  protected kernel: tf.LayerVariable | null = null;
  protected bias: tf.LayerVariable | null = null;
  private u: tf.LayerVariable | null = null;
  private v: tf.LayerVariable | null = null;
  protected readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly seed: number;

  constructor(args: SpectralLayerArgs) {
    super(args);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer;
    this.seed = args.seed;
  }

  protected abstract readonly layout: KernelLayout;

  /** Creates the kernel, bias, u and v, then runs one power iteration so that σ is usable at once. */
  protected buildWeights(kernelShape: number[], outputs: number): void {
    this.kernel = this.addWeight('kernel', kernelShape, 'float32', this.kernelInitializer, undefined, true);
    if (this.useBias) this.bias = this.addWeight('bias', [outputs], 'float32', tf.initializers.zeros(), undefined, true);

    const inputs = kernelShape.reduce((product, size) => product * size, 1) / outputs;
    this.u = this.addWeight('sn_u', [outputs], 'float32', tf.initializers.randomNormal({ seed: this.seed }), undefined, false);
    this.v = this.addWeight('sn_v', [inputs], 'float32', tf.initializers.zeros(), undefined, false);
    this.powerIterate();
  }

  /** Advances u and v by one power iteration. Call it outside any gradient tape. */
  powerIterate(): void {
    const { kernel, u, v } = this.requireWeights();
    const next = tf.tidy(() => powerIteration(kernelMatrix(kernel.read(), this.layout), u.read() as tf.Tensor1D));
    u.write(next.u);
    v.write(next.v);
    tf.dispose([next.u, next.v]);
  }

  /** W / σ(W); differentiable with respect to the kernel. */
  protected normalizedKernel(): tf.Tensor {
    const { kernel, u, v } = this.requireWeights();
    return spectrallyNormalized(kernel.read(), this.layout, u.read() as tf.Tensor1D, v.read() as tf.Tensor1D);
  }

  protected addBias(output: tf.Tensor): tf.Tensor {
    return this.bias === null ? output : tf.add(output, this.bias.read());
  }

  private requireWeights(): { kernel: tf.LayerVariable; u: tf.LayerVariable; v: tf.LayerVariable } {
    if (this.kernel === null || this.u === null || this.v === null) {
      throw new Error(`Spectral-norm layer "${this.name}" is used before it was built; add it to a model with a known input shape first.`);
    }
    return { kernel: this.kernel, u: this.u, v: this.v };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), useBias: this.useBias, seed: this.seed };
  }
}

/** A dense layer x·W_SN + b, linear (add the activation as its own layer). */
export class SpectralDense extends SpectralNormLayer {
  static readonly className = 'SpectralDense';
  protected readonly layout = 'dense';
  private readonly units: number;

  constructor(args: SpectralLayerArgs & { units: number }) {
    super(args);
    this.units = args.units;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.buildWeights([shape[shape.length - 1] as number, this.units], this.units);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => this.addBias(tf.matMul(singleInput(inputs) as tf.Tensor2D, this.normalizedKernel() as tf.Tensor2D)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

interface ConvArgs extends SpectralLayerArgs {
  filters: number;
  kernelSize: number;
  strides: number;
}

/** The shape settings both spectrally normalized convolutions share; the two differ in kernel
 * layout and in whether the stride shrinks or grows the feature map. */
abstract class SpectralConvLayer extends SpectralNormLayer {
  protected readonly filters: number;
  protected readonly kernelSize: number;
  protected readonly strides: number;

  constructor(args: ConvArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides;
  }

  /** Returns the kernel shape for `channels` input channels. */
  protected abstract kernelShape(channels: number): number[];

  /** Returns the output height or width for an input of `size` ('same' padding). */
  protected abstract outputSize(size: number): number;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.buildWeights(this.kernelShape(shape[3] as number), this.filters);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, height, width] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const scale = (size: number | null) => (size === null ? null : this.outputSize(size));
    return [batch, scale(height), scale(width), this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides };
  }
}

/** A 2-D convolution with 'same' padding and a spectrally normalized kernel [kh, kw, cin, cout]. */
export class SpectralConv2D extends SpectralConvLayer {
  static readonly className = 'SpectralConv2D';
  protected readonly layout = 'conv';

  protected kernelShape(channels: number): number[] {
    return [this.kernelSize, this.kernelSize, channels, this.filters];
  }

  protected outputSize(size: number): number {
    return Math.ceil(size / this.strides);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() =>
      this.addBias(tf.conv2d(singleInput(inputs) as tf.Tensor4D, this.normalizedKernel() as tf.Tensor4D, this.strides, 'same')),
    );
  }
}

/** A 2-D transposed convolution with 'same' padding (output size = input size × stride) and a
 * spectrally normalized kernel [kh, kw, cout, cin]. */
export class SpectralConv2DTranspose extends SpectralConvLayer {
  static readonly className = 'SpectralConv2DTranspose';
  protected readonly layout = 'conv-transpose';

  protected kernelShape(channels: number): number[] {
    return [this.kernelSize, this.kernelSize, this.filters, channels];
  }

  protected outputSize(size: number): number {
    return size * this.strides;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = singleInput(inputs) as tf.Tensor4D;
      const [batch, height, width] = x.shape;
      const outputShape: [number, number, number, number] = [batch, this.outputSize(height), this.outputSize(width), this.filters];
      return this.addBias(tf.conv2dTranspose(x, this.normalizedKernel() as tf.Tensor4D, outputShape, this.strides, 'same'));
    });
  }
}

tf.serialization.registerClass(SpectralDense);
tf.serialization.registerClass(SpectralConv2D);
tf.serialization.registerClass(SpectralConv2DTranspose);

/** Runs one power iteration in every spectral-norm layer of `model`; returns how many it found. */
export function powerIterateModel(model: tf.LayersModel): number {
  let count = 0;
  for (const layer of model.layers) {
    if (layer instanceof SpectralNormLayer) {
      layer.powerIterate();
      count++;
    }
  }
  return count;
}
