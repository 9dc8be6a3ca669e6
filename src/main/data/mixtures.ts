// The built-in 2-D Gaussian mixtures: `ring8` (modes on a circle) and `grid25` (modes on a square grid).
import type { z } from 'zod';
import type { grid25Schema, ring8Schema } from '../../shared/config';
import type { SeededRandom } from './random';

export type Ring8Config = z.output<typeof ring8Schema>;
export type Grid25Config = z.output<typeof grid25Schema>;
export type MixtureConfig = Ring8Config | Grid25Config;

/** Returns the mode centres: `modes` points evenly on a circle of `radius` starting at (radius, 0), or a `side` × `side` grid with `spacing`, centred on the origin, row by row from the lowest y. */
export function mixtureCentres(config: MixtureConfig): [number, number][] {
  if (config.kind === 'ring8') {
    const centres: [number, number][] = [];
    for (let k = 0; k < config.modes; k++) {
      const angle = (2 * Math.PI * k) / config.modes;
      centres.push([config.radius * Math.cos(angle), config.radius * Math.sin(angle)]);
    }
    return centres;
  }

  const offset = ((config.side - 1) * config.spacing) / 2;
  const centres: [number, number][] = [];
  for (let row = 0; row < config.side; row++) {
    for (let column = 0; column < config.side; column++) {
      centres.push([column * config.spacing - offset, row * config.spacing - offset]);
    }
  }
  return centres;
}

/**
 * Draws `count` points from the equal-weight mixture of isotropic Gaussians N(centre, std² I).
 * Returns them interleaved as [x0, y0, x1, y1, ...]. Each point takes one uniform draw for
 * its mode and one Box–Muller pair for its offset, so the sequence depends only on `random`.
 */
export function sampleMixture(centres: readonly [number, number][], std: number, count: number, random: SeededRandom): Float32Array {
  if (centres.length === 0) {
    throw new RangeError('Cannot sample a mixture with no centres: pass at least one centre.');
  }

  const points = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const [cx, cy] = centres[random.integer(centres.length)];
    const [nx, ny] = random.normalPair();
    points[2 * i] = cx + std * nx;
    points[2 * i + 1] = cy + std * ny;
  }
  return points;
}
