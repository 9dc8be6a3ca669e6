// Names for histogram bins of the mode-collapse panel.
import type { DatasetConfig } from '../../../shared/config';

/** Fashion-MNIST's ten labels in label order (Xiao, Rasul and Vollgraf 2017, the dataset's README). */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** Returns the name of class or mode `index`: the Fashion-MNIST label name, else "class k" or "mode k". */
export function binName(dataset: DatasetConfig | null, index: number): string {
  if (dataset?.kind === 'fashion-mnist' && index < FASHION_MNIST_CLASSES.length) return FASHION_MNIST_CLASSES[index];
  return dataset?.kind === 'ring8' || dataset?.kind === 'grid25' ? `mode ${index}` : `class ${index}`;
}
