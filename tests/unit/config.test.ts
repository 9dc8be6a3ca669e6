import { describe, expect, it } from 'vitest';
import { DATA_DEFAULTS, NETWORK_DEFAULTS, formatConfigIssues, parseRunConfig } from '../../src/shared/config';

describe('parseRunConfig', () => {
  it('fills point-data defaults for an empty config', () => {
    const result = parseRunConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    expect(result.config.dataset).toEqual({ kind: 'ring8', modes: 8, radius: 2, std: 0.02 });
    expect(result.config.batchSize).toBe(DATA_DEFAULTS.points.batchSize);
    expect(result.config.optimizerD.learningRate).toBe(DATA_DEFAULTS.points.learningRate);
    expect(result.config.model.generator).toEqual(NETWORK_DEFAULTS.mlp.generator);
    expect(result.config.loss.kind).toBe('ns');
  });

  it('fills DCGAN and image defaults for Fashion-MNIST', () => {
    const result = parseRunConfig({ dataset: { kind: 'fashion-mnist' }, model: { architecture: 'dcgan' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    expect(result.config.batchSize).toBe(64);
    expect(result.config.optimizerG.learningRate).toBe(2e-4);
    expect(result.config.model.latentSize).toBe(NETWORK_DEFAULTS.dcgan.latentSize);
    expect(result.config.model.generator.normalization).toBe('batch');
  });

  it('keeps explicit values over defaults', () => {
    const result = parseRunConfig({ batchSize: 32, optimizerD: { learningRate: 0.01 }, model: { generator: { width: 64 } } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    expect(result.config.batchSize).toBe(32);
    expect(result.config.optimizerD.learningRate).toBe(0.01);
    expect(result.config.optimizerD.beta1).toBe(0.5);
    expect(result.config.model.generator).toEqual({ width: 64, depth: 2, normalization: 'none' });
  });

  it('names the field and value of a negative learning rate', () => {
    const result = parseRunConfig({ optimizerD: { learningRate: -1 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    expect(result.issues).toHaveLength(1);
    expect(result.issues[0].field).toBe('optimizerD.learningRate');
    expect(result.issues[0].value).toBe(-1);
  });

  it('lists allowed values for an unknown loss', () => {
    const result = parseRunConfig({ loss: { kind: 'wgan-xx' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    const text = formatConfigIssues(result.issues);
    expect(text).toContain('loss.kind');
    expect(text).toContain('"hinge"');
    expect(text).toContain('must be one of');
    expect(text).toContain('wgan-xx');
  });

  it('rejects unknown fields by name', () => {
    const result = parseRunConfig({ learningRate: 0.1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    expect(result.issues).toEqual([{ field: 'learningRate', message: 'unknown field; remove it or check its spelling' }]);
  });

  it('rejects a DCGAN on 2-D points', () => {
    const result = parseRunConfig({ dataset: { kind: 'grid25' }, model: { architecture: 'dcgan' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    expect(result.issues[0].field).toBe('model.architecture');
  });

  it('rejects a fractional step count', () => {
    const result = parseRunConfig({ steps: 10.5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    expect(formatConfigIssues(result.issues)).toBe('steps: must be a whole number (got 10.5)');
  });

  it('lists the dataset kinds for an unknown one', () => {
    const result = parseRunConfig({ dataset: { kind: 'mnist' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    expect(formatConfigIssues(result.issues)).toBe('dataset.kind: unknown kind; expected one of "ring8", "grid25", "fashion-mnist", "idx" (got "mnist")');
  });

  it('states the bound of a range check', () => {
    const result = parseRunConfig({ optimizerG: { beta1: 1 } });
    expect(result.ok).toBe(false);
    if (result.ok) return;

    expect(formatConfigIssues(result.issues)).toBe('optimizerG.beta1: must be less than 1 (got 1)');
  });
});
