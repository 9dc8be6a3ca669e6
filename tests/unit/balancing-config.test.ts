// The balancing fields of the run config: defaults, rejected values and the CLI flags that set them.
import { describe, expect, it } from 'vitest';

import { buildRunConfig } from '../../src/main/cli/train-options';
import { formatConfigIssues, parseRunConfig } from '../../src/shared/config';

function issuesOf(input: unknown): string {
  const result = parseRunConfig(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return formatConfigIssues(result.issues);
}

describe('balancing config', () => {
  it('defaults leave training unchanged', () => {
    const result = parseRunConfig({});
    if (!result.ok) throw new Error(JSON.stringify(result.issues));

    const { wganClip, realLabel, penalty, spectralNorm, featureMatching, instanceNoise, emaGenerator, lrSchedule, controller } = result.config;
    expect({ wganClip, realLabel }).toEqual({ wganClip: 0.01, realLabel: 1 });
    expect(penalty).toEqual({ kind: 'none', weight: 10, every: 1 });
    expect(spectralNorm).toEqual({ discriminator: false, generator: false });
    expect(featureMatching).toEqual({ weight: 0, adversarialWeight: 1, layer: -1 });
    expect(instanceNoise).toEqual({ std: 0, schedule: 'linear', annealSteps: 0 });
    expect(emaGenerator).toEqual({ enabled: false, decay: 0.999 });
    expect(lrSchedule.discriminator).toEqual({ kind: 'constant', finalFraction: 0, stepSize: 1000, gamma: 0.5 });
    expect(lrSchedule.generator.kind).toBe('constant');
    expect(controller).toEqual({ kind: 'none' });
  });

  it('controller parameters take their defaults', () => {
    const parsed = (controller: unknown) => {
      const result = parseRunConfig({ controller });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.config.controller;
    };

    expect(parsed({ kind: 'equilibrium' })).toEqual({ kind: 'equilibrium', gamma: 0.5, lambdaK: 0.001, initialK: 0 });
    expect(parsed({ kind: 'rt' })).toEqual({ kind: 'rt', target: 0.6, interval: 4, rampSteps: 500 });
    expect(parsed({ kind: 'step-ratio' })).toEqual({ kind: 'step-ratio', high: 0.8, low: 0.55, window: 3, maxND: 5, maxSkip: 2 });
  });

  it('invalid values name the field', () => {
    expect(issuesOf({ realLabel: 0 })).toMatch(/^realLabel: must be greater than 0 \(got 0\)/);
    expect(issuesOf({ penalty: { kind: 'r3' } })).toMatch(/^penalty\.kind: must be one of "none", "wgan-gp", "r1", "r2" \(got "r3"\)/);
    expect(issuesOf({ emaGenerator: { enabled: true, decay: 1 } })).toMatch(/^emaGenerator\.decay: must be less than 1 \(got 1\)/);
    expect(issuesOf({ controller: { kind: 'step-ratio', low: 0.9 } })).toBe('controller.low: must be below controller.high (got 0.9)');
    expect(issuesOf({ featureMatching: { adversarialWeight: 0 } })).toMatch(/^featureMatching: featureMatching\.weight and featureMatching\.adversarialWeight are both 0/);
    expect(issuesOf({ controller: { kind: 'rt', gamma: 0.5 } })).toBe('controller.gamma: unknown field; remove it or check its spelling');
  });
});

describe('balancing flags', () => {
  it('set the config fields', () => {
    const config = buildRunConfig({
      loss: 'ragan',
      realLabel: '0.9',
      wganClip: '0.05',
      penalty: 'r1',
      penaltyWeight: '0.5',
      penaltyEvery: '16',
      spectralNormD: true,
      ema: true,
      emaDecay: '0.99',
      featureMatching: '2',
      adversarialWeight: '0',
      featureLayer: '0',
      noiseStd: '0.1',
      noiseSchedule: 'cosine',
      noiseSteps: '500',
      lrScheduleD: 'step',
      lrStepSizeD: '100',
      lrGammaD: '0.8',
      lrScheduleG: 'linear',
      lrFinalFractionG: '0.1',
      controller: 'step-ratio',
    });

    expect(config.loss.kind).toBe('ragan');
    expect(config.realLabel).toBe(0.9);
    expect(config.wganClip).toBe(0.05);
    expect(config.penalty).toEqual({ kind: 'r1', weight: 0.5, every: 16 });
    expect(config.spectralNorm).toEqual({ discriminator: true, generator: false });
    expect(config.emaGenerator).toEqual({ enabled: true, decay: 0.99 });
    expect(config.featureMatching).toEqual({ weight: 2, adversarialWeight: 0, layer: 0 });
    expect(config.instanceNoise).toEqual({ std: 0.1, schedule: 'cosine', annealSteps: 500 });
    expect(config.lrSchedule.discriminator).toMatchObject({ kind: 'step', stepSize: 100, gamma: 0.8 });
    expect(config.lrSchedule.generator).toMatchObject({ kind: 'linear', finalFraction: 0.1 });
    expect(config.controller.kind).toBe('step-ratio');
  });

  it('a bad value names the flag', () => {
    expect(() => buildRunConfig({ penaltyEvery: 'often' })).toThrow('--penalty-every expects a number, but got "often"');
    expect(() => buildRunConfig({ noiseSchedule: 'exponential' })).toThrow(/instanceNoise\.schedule \(--noise-schedule\): must be one of/);
  });
});
