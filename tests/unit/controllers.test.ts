// The adaptive balancing controllers, driven by hand-made observations and statistics.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { selectBackend } from '../../src/main/training/backend';
import { createController } from '../../src/main/training/controllers/create-controller';
import { EquilibriumController } from '../../src/main/training/controllers/equilibrium-controller';
import { RtController } from '../../src/main/training/controllers/rt-controller';
import { StepRatioController } from '../../src/main/training/controllers/step-ratio-controller';
import { getLoss } from '../../src/main/training/losses';
import { parseRunConfig } from '../../src/shared/config';

/** Feeds one D update's logits to a controller, as the training step does inside its tape. */
function observe(controller: EquilibriumController | RtController, real: number[], fake: number[]): void {
  const loss = getLoss('ns');
  tf.tidy(() => {
    const realLogits = tf.tensor2d(real, [real.length, 1]);
    const fakeLogits = tf.tensor2d(fake, [fake.length, 1]);
    const terms = loss.discriminatorTerms(realLogits, fakeLogits);
    controller.observeDiscriminator({ realLogits, fakeLogits, terms, loss, threshold: 0 });
  });
  controller.afterDiscriminatorUpdate();
}

/** Reads the statistics a controller keeps, as the training step's batched read does. */
function readKept(controller: EquilibriumController | RtController): Record<string, number> {
  const kept: Record<string, tf.Scalar> = {};
  controller.keepStatistics(kept);
  const values = Object.fromEntries(Object.entries(kept).map(([name, scalar]) => [name, scalar.dataSync()[0]]));
  tf.dispose(Object.values(kept));
  return values;
}

describe('equilibrium controller', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('k update by hand', () => {
    // ns at r = f = 0: L_real = softplus(0) = ln 2 and L_G = softplus(−0) = ln 2.
    // gap = 0.5·ln 2 − ln 2 = −0.346574; k = 0.5 + 0.1·gap = 0.465343.
    const controller = new EquilibriumController({ gamma: 0.5, lambdaK: 0.1, initialK: 0.5 });

    observe(controller, [0], [0]);
    const kept = readKept(controller);

    expect(kept.k).toBeCloseTo(0.5 - 0.05 * Math.LN2, 6);
    expect(kept.equilibriumGap).toBeCloseTo(-0.5 * Math.LN2, 6);
    controller.dispose();
  });

  it('k stays within 0 and 1', () => {
    // f = 10: L_G = softplus(−10) ≈ 0, r = −10: L_real = softplus(10) ≈ 10, gap ≈ +5 per update.
    const controller = new EquilibriumController({ gamma: 0.5, lambdaK: 0.5, initialK: 0.9 });

    observe(controller, [-10], [10]);
    observe(controller, [-10], [10]);

    expect(readKept(controller).k).toBe(1);
    controller.dispose();
  });

  it('reports a change of at least 0.05', () => {
    const controller = new EquilibriumController({ gamma: 0.5, lambdaK: 0.1, initialK: 0.5 });

    const small = controller.report(10, { k: 0.48, equilibriumGap: -0.2 });
    const large = controller.report(20, { k: 0.44, equilibriumGap: -0.3 });

    expect(small.changes).toEqual([]);
    expect(large.changes).toHaveLength(1);
    expect(large.changes[0].data).toMatchObject({ controller: 'equilibrium', knob: 'k', from: 0.5, to: 0.44, gap: -0.3 });
    expect(large.changes[0].message).toMatch(/^Equilibrium control lowered k from 0\.5 to 0\.44 by step 20, because/);
    controller.dispose();
  });
});

describe('r_t controller', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('moves the noise std by interval/rampSteps', () => {
    // interval 2, rampSteps 10: each adjustment moves p by 0.2.
    const controller = new RtController({ target: 0.6, interval: 2, rampSteps: 10, initialStd: 0.5 });

    // Steps 1 and 2: signs [1, 1, −1] and [1, −1, −1] → r_t = (1/3 − 1/3)/2 = 0 ≤ 0.6, so p falls to 0.3.
    observe(controller, [1, 2, -1], [0]);
    controller.endStep(1);
    observe(controller, [1, -2, -1], [0]);
    controller.endStep(2);
    const lowered = readKept(controller);

    // Steps 3 and 4: every real logit positive → r_t = 1 > 0.6, so p rises back to 0.5.
    observe(controller, [3, 1, 2], [0]);
    controller.endStep(3);
    observe(controller, [1, 1, 1], [0]);
    controller.endStep(4);
    const raised = readKept(controller);

    expect(lowered.instanceNoiseStd).toBeCloseTo(0.3, 6);
    expect(lowered.rtAverage).toBeCloseTo(0, 6);
    expect(raised.instanceNoiseStd).toBeCloseTo(0.5, 6);
    expect(raised.rtAverage).toBe(1);
    controller.dispose();
  });

  it('never goes below 0', () => {
    const controller = new RtController({ target: 0.6, interval: 1, rampSteps: 2, initialStd: 0.1 });

    observe(controller, [-1], [0]);
    controller.endStep(1);

    expect(readKept(controller).instanceNoiseStd).toBe(0);
    controller.dispose();
  });

  it('reports the noise change with r_t', () => {
    const controller = new RtController({ target: 0.6, interval: 4, rampSteps: 500, initialStd: 0 });

    const report = controller.report(40, { instanceNoiseStd: 0.08, rtAverage: 0.9 });

    expect(report.changes).toHaveLength(1);
    expect(report.changes[0].data).toMatchObject({ controller: 'rt', knob: 'instanceNoiseStd', from: 0, to: 0.08, rt: 0.9, target: 0.6 });
    expect(report.changes[0].message).toContain('raised the instance-noise std from 0 to 0.08 by step 40');
    controller.dispose();
  });
});

describe('step-ratio controller', () => {
  const settings = { high: 0.8, low: 0.55, window: 2, maxND: 3, maxSkip: 2, initialND: 2 };
  const strong = { accReal: 0.95, accFake: 0.9 };
  const weak = { accReal: 0.5, accFake: 0.4 };

  it('lowers nD, then skips D steps', () => {
    const controller = new StepRatioController(settings);

    const reports = [10, 20, 30, 40, 50, 60].map((step) => controller.report(step, strong));
    const changes = reports.flatMap((report) => report.changes.map((change) => [change.data.from, change.data.to]));

    // Two strong logging steps per change: 2 → 1 at step 20, 1 → 0.5 (every other step) at step 40, then the bottom.
    expect(changes).toEqual([
      [2, 1],
      [1, 0.5],
    ]);
    expect(reports.map((report) => report.metrics.nD)).toEqual([2, 1, 1, 0.5, 0.5, 0.5]);
    expect([1, 2, 3, 4].map((step) => controller.discriminatorUpdates(step))).toEqual([0, 1, 0, 1]);
  });

  it('raises nD up to maxND', () => {
    const controller = new StepRatioController(settings);

    const changes = [10, 20, 30, 40, 50, 60].flatMap((step) => controller.report(step, weak).changes);

    expect(changes.map((change) => change.data.to)).toEqual([3]);
    expect(controller.discriminatorUpdates(70)).toBe(3);
    expect(changes[0].message).toBe(
      "The step-ratio controller raised the D updates per step from 2 to 3 at step 20, because D's accuracy stayed below 0.55 for 2 logging steps (last 0.45): D is losing.",
    );
  });

  it('a balanced step resets the streak', () => {
    const controller = new StepRatioController(settings);

    const changes = [strong, { accReal: 0.7, accFake: 0.6 }, strong].flatMap((stats, i) => controller.report(10 * (i + 1), stats).changes);

    expect(changes).toEqual([]);
  });
});

describe('controller factory', () => {
  it('builds the configured controller', () => {
    const parse = (controller: unknown) => {
      const result = parseRunConfig({ controller, nD: 4 });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.config;
    };

    expect(createController(parse({ kind: 'none' }))).toBeNull();
    const stepRatio = createController(parse({ kind: 'step-ratio' }));
    expect(stepRatio?.kind).toBe('step-ratio');
    expect(stepRatio?.discriminatorUpdates(1, 4)).toBe(4);
  });
});
