// The `Conv2DBackpropFilter` kernel for the wasm backend, which tfjs-backend-wasm 4.22 lacks.
// Without it, the gradient of every conv2d and conv2dTranspose layer fails on wasm with
// "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'".
import * as tf from '@tensorflow/tfjs';

const KERNEL_NAME = 'Conv2DBackpropFilter';
const BACKEND_NAME = 'wasm';

/** The attributes tfjs-core passes to `Conv2DBackpropFilter` (see `Conv2DBackpropFilterAttrs` in tfjs-core 4.22). */
interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Registers `Conv2DBackpropFilter` for the 'wasm' backend. Calling it again does nothing.
 * Registration works before or after the wasm backend initializes, because tfjs looks kernels
 * up by name each time an op runs.
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel(KERNEL_NAME, BACKEND_NAME) !== undefined) return;

  tf.registerKernel({
    kernelName: KERNEL_NAME,
    backendName: BACKEND_NAME,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      return conv2dBackpropFilter(x, dy, attrs as unknown as BackpropFilterAttrs, backend as tf.KernelBackend);
    },
  });
}

/**
 * Computes dW[i, j, c, o] = Σ_{n, p, q} xPadded[n, p·s_h + i, q·s_w + j, c] · dy[n, p, q, o]
 * with ops the wasm backend has. Take the channel c as the batch and the example n as the input
 * channel. Then the sum is a stride-1 convolution of xPadded, transposed to [C_in, H, W, N], with
 * dy as the filter, transposed to [H_out, W_out, N, C_out] and dilated by the forward stride.
 * Its output is [C_in, ≥k_h, ≥k_w, C_out]. Rows past k_h appear when the forward padding left
 * trailing input rows unused, so the result is sliced before the final transpose.
 */
function conv2dBackpropFilter(
  xInfo: tf.TensorInfo,
  dyInfo: tf.TensorInfo,
  attrs: BackpropFilterAttrs,
  backend: tf.KernelBackend,
): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const convInfo = tf.backend_util.computeConv2DInfo(
    xInfo.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const { strideHeight, strideWidth, filterHeight, filterWidth, padInfo } = convInfo;

  const x = borrowTensor(xInfo, backend);
  const dy = borrowTensor(dyInfo, backend);
  try {
    return tf.tidy(() => {
      // NCHW tensors are moved to NHWC first. The filter layout is the same in both formats.
      const channelsFirst = convInfo.dataFormat === 'channelsFirst';
      const xNhwc = (channelsFirst ? tf.transpose(x, [0, 2, 3, 1]) : x) as tf.Tensor4D;
      const dyNhwc = (channelsFirst ? tf.transpose(dy, [0, 2, 3, 1]) : dy) as tf.Tensor4D;

      const xByChannel = tf.transpose(xNhwc, [3, 1, 2, 0]); // [C_in, H, W, N]
      const dyAsFilter = tf.transpose(dyNhwc, [1, 2, 0, 3]); // [H_out, W_out, N, C_out]
      const padding: tf.backend_util.ExplicitPadding = [
        [0, 0],
        [padInfo.top, padInfo.bottom],
        [padInfo.left, padInfo.right],
        [0, 0],
      ];
      const correlation = tf.conv2d(xByChannel, dyAsFilter, 1, padding, 'NHWC', [strideHeight, strideWidth]);

      const cropped = tf.slice(correlation, [0, 0, 0, 0], [-1, filterHeight, filterWidth, -1]);
      return tf.transpose(cropped, [1, 2, 0, 3]); // [k_h, k_w, C_in, C_out]
    });
  } finally {
    if (x !== xInfo) x.dispose();
    if (dy !== dyInfo) dy.dispose();
  }
}

/**
 * Returns `info` as a tensor. The engine usually passes tensors, but a kernel that calls another
 * kernel passes a bare TensorInfo. That one is wrapped in a new tensor with its own reference
 * to the data, so disposing the wrapper leaves the caller's data alive.
 */
function borrowTensor(info: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor {
  if (info instanceof tf.Tensor) return info;

  const tensor = tf.engine().makeTensorFromTensorInfo(info, backend);
  backend.incRef(info.dataId);
  return tensor;
}
