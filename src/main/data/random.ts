// Seeded random numbers for dataset sampling, independent of TensorFlow.js's own generator.
import seedrandom from 'seedrandom';

/** A seeded source of uniform and normal numbers. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
  /** A pair of independent standard normals from one Box–Muller transform. */
  normalPair(): [number, number];
}

/**
 * Creates a generator for one named stream of a seed. Different `stream` names give
 * independent sequences for the same seed, so training batches and the evaluation batch
 * never draw from each other's sequence.
 */
export function createSeededRandom(seed: number, stream: string): SeededRandom {
  const next = seedrandom(`gan-workbench/${stream}/${seed}`);

  const uniform = (): number => next();
  const integer = (n: number): number => Math.floor(next() * n);

  // Box–Muller transform: for u1 in (0, 1] and u2 in [0, 1),
  // sqrt(-2 ln u1) · (cos 2πu2, sin 2πu2) are two independent N(0, 1) values.
  const normalPair = (): [number, number] => {
    const u1 = 1 - next();
    const u2 = next();
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  };

  return { uniform, integer, normalPair };
}
