// The per-run evaluation of the mode-collapse indicators. The trainer creates one evaluator
// after the dataset loads and calls `evaluate` every `evalEvery` steps and at the last step.
// Each evaluation generates a fixed latent batch, computes the indicators (see
// src/main/metrics/), sends them as metric points, and raises the collapse alarm.
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../../shared/config';
import type { MetricPoint } from '../../shared/run';
import type { LoadedDataset } from '../data/dataset';
import { createLogger } from '../logger';
import { featureExtractor } from '../classifier/classifier-model';
import { obtainClassifier, type ClassifierLocations } from '../classifier/classifier-cache';
import { CollapseAlarm, type CollapseFinding, type CollapseObservation } from '../metrics/collapse-alarm';
import type { VerdictEvidence } from '../../shared/verdict';
import { classHistogram, classesCovered, classKL } from '../metrics/class-coverage';
import { densityCoverage } from '../metrics/density-coverage';
import { diversityRatio } from '../metrics/diversity';
import { featureSet, type FeatureSet } from '../metrics/feature-set';
import { fitGaussian, frechetDistance, type GaussianFit } from '../metrics/frechet-distance';
import { evaluateMixtureModes } from '../metrics/mixture-modes';
import { fitNdbBins, numberOfDifferentBins } from '../metrics/ndb';
import { precisionRecall } from '../metrics/precision-recall';
import type { GanStep } from './gan-step';
import type { VerdictTracker } from './verdict-tracker';
import type { TrainerHost } from './trainer';

const log = createLogger('evaluator');

/** Generated (and real) 2-D points per evaluation: the VEEGAN and PacGAN protocol. */
export const MIXTURE_EVAL_SAMPLES = 2500;
/** Generated (and real) images per evaluation; the class indicators need at least 1,000. */
export const IMAGE_EVAL_SAMPLES = 1000;
/** A mode counts as covered when its high-quality count reaches this share of a uniform
 * split of the samples (2500 / 8 × 0.1 ≈ 32 points for ring8), the same rule as for classes. */
export const MIN_MODE_SHARE_OF_EXPECTED = 0.1;
/** Images per generator or classifier call, to bound the activations held at once. */
const CHUNK = 250;
/** Seed stream of the evaluation latent batch, apart from the trainer's streams. */
const EVAL_LATENT_SEED_OFFSET = 0x5eed;

export interface Evaluator {
  /** Evaluates the generator at `step` and reports through the host. Reads tensors only here. */
  evaluate(step: number): void;
  /** Reports the total evaluation time and its share of the run's wall time. */
  summarize(step: number, runMs: number): void;
  dispose(): void;
}

export interface EvaluatorOptions {
  classifierLocations?: ClassifierLocations;
  /** Epochs when a classifier has to be trained for this dataset. */
  classifierEpochs?: number;
  /** The run's verdict tracker: the alarm raises and clears its `mode-collapse` verdict. */
  verdicts?: Pick<VerdictTracker, 'raise' | 'clear'>;
}

/** A fixed latent batch, split into chunks, so every evaluation uses the same z. */
class EvaluationLatent {
  private readonly chunks: tf.Tensor2D[] = [];

  constructor(count: number, latentSize: number, seed: number) {
    for (let start = 0; start < count; start += CHUNK) {
      const size = Math.min(CHUNK, count - start);
      this.chunks.push(tf.randomNormal([size, latentSize], 0, 1, 'float32', seed + start) as tf.Tensor2D);
    }
  }

  /** Returns the generator's outputs for the whole batch, flattened. */
  generate(gan: GanStep, itemSize: number): Float32Array {
    const total = this.chunks.reduce((sum, chunk) => sum + chunk.shape[0], 0);
    const values = new Float32Array(total * itemSize);
    let offset = 0;
    for (const chunk of this.chunks) {
      const part = gan.generate(chunk);
      values.set(part, offset);
      offset += part.length;
    }
    return values;
  }

  dispose(): void {
    tf.dispose(this.chunks);
  }
}

/** Indicators and alarm shared by both kinds of data: timing, the alarm and the summary. */
abstract class BaseEvaluator implements Evaluator {
  private readonly alarm = new CollapseAlarm();
  private totalMs = 0;
  private evaluations = 0;
  private failed = false;
  private previousStep = 0;

  constructor(
    protected readonly host: TrainerHost,
    private readonly verdicts?: EvaluatorOptions['verdicts'],
  ) {}

  protected abstract compute(step: number): { values: Record<string, number>; observation: CollapseObservation };

  evaluate(step: number): void {
    if (this.failed) return;
    const started = performance.now();
    let computed: ReturnType<BaseEvaluator['compute']>;
    try {
      computed = this.compute(step);
    } catch (error) {
      // One failing indicator should not end a run that trains fine, so the run goes on without them.
      this.failed = true;
      log.warn({ step, err: error }, 'mode-collapse evaluation failed; evaluation is off for the rest of the run');
      this.host.event(step, 'warning', `Mode-collapse evaluation failed at step ${step} and is off for the rest of the run: ${(error as Error).message}`);
      return;
    }
    const { values, observation } = computed;
    const change = this.alarm.observe(observation);
    const evalMs = performance.now() - started;
    this.totalMs += evalMs;
    this.evaluations++;

    const points: MetricPoint[] = Object.entries(values)
      .filter(([, value]) => Number.isFinite(value))
      .map(([name, value]) => ({ step, name, value }));
    const active = change.kind === 'raised' || (change.kind === 'unchanged' && change.active);
    points.push({ step, name: 'collapseAlarm', value: active ? 1 : 0 }, { step, name: 'evalMs', value: evalMs });
    this.host.metrics(points);

    if (change.kind === 'raised') {
      this.host.event(step, 'collapse', change.finding.message, change.finding.data);
      this.verdicts?.raise(step, 'mode-collapse', { message: change.finding.message, evidence: toEvidence(change.finding, this.previousStep) });
    }
    if (change.kind === 'cleared') {
      this.host.event(step, 'info', `Mode-collapse alarm cleared at step ${step}: coverage, diversity and the histogram are back within their thresholds.`);
      this.verdicts?.clear('mode-collapse');
    }
    this.previousStep = step;
  }

  summarize(step: number, runMs: number): void {
    if (this.evaluations === 0) return;
    const share = runMs > 0 ? this.totalMs / runMs : 0;
    const message = `Evaluation took ${(this.totalMs / 1000).toFixed(1)} s over ${this.evaluations} evaluations, ${(share * 100).toFixed(1)}% of the run's ${(runMs / 1000).toFixed(1)} s.`;
    this.host.event(step, 'info', message, { evaluations: this.evaluations, evalMsTotal: this.totalMs, runMs, evalShare: share });
  }

  abstract dispose(): void;
}

/** Turns an alarm's numbers into verdict evidence, which contains numbers and strings only. The
 * window runs from the previous evaluation, the reference of the drop, to this one. */
function toEvidence(finding: CollapseFinding, previousStep: number): VerdictEvidence {
  const evidence: VerdictEvidence = { window: [previousStep, finding.step], reasons: finding.reasons.join(', ') };
  for (const [name, value] of Object.entries(finding.data)) {
    if (typeof value === 'number' || typeof value === 'string') evidence[name] = value;
  }
  return evidence;
}

class MixtureEvaluator extends BaseEvaluator {
  private readonly latent: EvaluationLatent;
  private readonly real: FeatureSet;
  private readonly centres: [number, number][];
  private readonly std: number;

  constructor(host: TrainerHost, private readonly gan: GanStep, dataset: LoadedDataset, config: RunConfig, verdicts?: EvaluatorOptions['verdicts']) {
    super(host, verdicts);
    this.centres = dataset.identity.centres!;
    this.std = dataset.identity.std!;
    this.real = featureSet(dataset.realBatch(MIXTURE_EVAL_SAMPLES), 2);
    this.latent = new EvaluationLatent(MIXTURE_EVAL_SAMPLES, config.model.latentSize, config.seed + EVAL_LATENT_SEED_OFFSET);
  }

  protected compute(step: number): { values: Record<string, number>; observation: CollapseObservation } {
    const points = this.latent.generate(this.gan, 2);
    const minSamplesPerMode = Math.max(1, Math.ceil((MIN_MODE_SHARE_OF_EXPECTED * MIXTURE_EVAL_SAMPLES) / this.centres.length));
    const report = evaluateMixtureModes(points, this.centres, this.std, { minSamplesPerMode });
    const diversity = diversityRatio(this.real, featureSet(points, 2));

    const values: Record<string, number> = {
      highQualityFraction: report.highQualityFraction,
      modesCovered: report.modesCovered,
      modesTotal: this.centres.length,
      modeCoverageMinimum: minSamplesPerMode,
      diversity,
    };
    // Reverse KL is undefined without a high-quality point, so that evaluation has none.
    if (report.reverseKL !== null) values.reverseKL = report.reverseKL;
    report.modeCounts.forEach((count, mode) => (values[`modeCount.${mode}`] = count));

    const uniform = this.centres.map(() => 1 / this.centres.length);
    return {
      values,
      observation: { step, unit: 'modes', covered: report.modesCovered, coverageTotal: this.centres.length, diversity, histogram: report.modeCounts, realShares: uniform },
    };
  }

  dispose(): void {
    this.latent.dispose();
  }
}

/** Everything about the real images that stays fixed over a run. */
interface RealReference {
  features: FeatureSet;
  gaussian: GaussianFit;
  ndbCentroids: FeatureSet;
  classCounts: number[];
}

class ImageEvaluator extends BaseEvaluator {
  private readonly latent: EvaluationLatent;

  /** `heads` shares `classifier`'s weights and outputs [features, logits]. */
  constructor(
    host: TrainerHost,
    private readonly gan: GanStep,
    private readonly classifier: tf.LayersModel,
    private readonly heads: tf.LayersModel,
    private readonly real: RealReference,
    private readonly itemShape: number[],
    config: RunConfig,
    verdicts?: EvaluatorOptions['verdicts'],
  ) {
    super(host, verdicts);
    this.latent = new EvaluationLatent(IMAGE_EVAL_SAMPLES, config.model.latentSize, config.seed + EVAL_LATENT_SEED_OFFSET);
  }

  protected compute(step: number): { values: Record<string, number>; observation: CollapseObservation } {
    const itemSize = this.itemShape.reduce((product, size) => product * size, 1);
    const images = this.latent.generate(this.gan, itemSize);
    const { features, labels } = classifyImages(this.heads, images, this.itemShape);
    const classes = this.real.classCounts.length;

    const generatedCounts = classHistogram(labels, classes);
    const { precision, recall } = precisionRecall(this.real.features, features);
    const { density, coverage } = densityCoverage(this.real.features, features);
    const ndb = numberOfDifferentBins(this.real.features, features, this.real.ndbCentroids);
    const diversity = diversityRatio(this.real.features, features);
    const covered = classesCovered(generatedCounts, this.real.classCounts);

    const values: Record<string, number> = {
      classesCovered: covered,
      classesTotal: this.real.classCounts.filter((count) => count > 0).length,
      classKL: classKL(generatedCounts, this.real.classCounts),
      classifierFrechetDistance: frechetDistance(this.real.gaussian, fitGaussian(features)),
      precision,
      recall,
      density,
      coverage,
      ndb: ndb.ndb,
      ndbBins: ndb.bins,
      diversity,
    };
    generatedCounts.forEach((count, label) => (values[`classCount.${label}`] = count));

    const realTotal = this.real.classCounts.reduce((sum, count) => sum + count, 0);
    return {
      values,
      observation: {
        step,
        unit: 'classes',
        covered,
        coverageTotal: values.classesTotal,
        diversity,
        histogram: generatedCounts,
        realShares: this.real.classCounts.map((count) => count / realTotal),
      },
    };
  }

  dispose(): void {
    this.latent.dispose();
    this.classifier.dispose();
  }
}

/** Runs the classifier over flattened images in chunks and returns penultimate features and predicted labels. */
function classifyImages(heads: tf.LayersModel, images: Float32Array, itemShape: number[]): { features: FeatureSet; labels: Int32Array } {
  const itemSize = itemShape.reduce((product, size) => product * size, 1);
  const count = images.length / itemSize;
  const featureParts: Float32Array[] = [];
  const labels = new Int32Array(count);

  for (let start = 0; start < count; start += CHUNK) {
    const size = Math.min(CHUNK, count - start);
    const [features, predicted] = tf.tidy(() => {
      const batch = tf.tensor(images.subarray(start * itemSize, (start + size) * itemSize), [size, 28, 28, 1]);
      const [featureTensor, logits] = heads.predict(batch) as tf.Tensor[];
      return [featureTensor.dataSync() as Float32Array, logits.argMax(-1).dataSync() as Int32Array];
    });
    featureParts.push(features);
    labels.set(predicted, start);
  }

  const dim = featureParts[0].length / Math.min(CHUNK, count);
  const values = new Float32Array(count * dim);
  featureParts.forEach((part, i) => values.set(part, i * CHUNK * dim));
  return { features: featureSet(values, dim), labels };
}

/**
 * Creates the evaluator for a run, or returns null when the dataset has no indicators:
 * images without labels (no classifier can be trained) or points without known centres.
 * For labelled images this loads the feature classifier, training and caching it first when
 * the dataset has none (minutes, once per dataset), and reports which it used as an event.
 */
export async function createEvaluator(config: RunConfig, dataset: LoadedDataset, gan: GanStep, host: TrainerHost, options: EvaluatorOptions = {}): Promise<Evaluator | null> {
  if (dataset.kind === 'points') {
    if (!dataset.identity.centres || dataset.identity.std === undefined) return null;
    return new MixtureEvaluator(host, gan, dataset, config, options.verdicts);
  }

  if (dataset.labels === null) {
    host.event(0, 'info', `No mode-collapse indicators for ${dataset.identity.name}: it has no labels, and the feature classifier learns from labels. Pass a labels file to get them.`);
    return null;
  }

  let obtained: Awaited<ReturnType<typeof obtainClassifier>>;
  try {
    obtained = await obtainClassifier(dataset.identity, options.classifierLocations, {
      epochs: options.classifierEpochs,
      onTraining: (message) => host.event(0, 'info', message),
    });
  } catch (error) {
    log.warn({ dataset: dataset.identity.name, err: error }, 'no feature classifier; the run has no image indicators');
    host.event(0, 'warning', `No mode-collapse indicators for ${dataset.identity.name}: ${(error as Error).message}`);
    return null;
  }
  const { info } = obtained;
  host.event(0, 'info', `Feature classifier (${obtained.source}, ${obtained.dir}): test accuracy ${(info.testAccuracy * 100).toFixed(1)}% on ${info.testItems} held-out images.`, {
    classifierDir: obtained.dir,
    classifierSource: obtained.source,
    testAccuracy: info.testAccuracy,
  });
  host.metrics([{ step: 0, name: 'classifierTestAccuracy', value: info.testAccuracy }]);

  const realCount = Math.min(IMAGE_EVAL_SAMPLES, dataset.identity.items);
  const heads = tf.model({ inputs: obtained.model.inputs, outputs: [featureExtractor(obtained.model).outputs[0], obtained.model.outputs[0]] });
  const { features } = classifyImages(heads, dataset.realBatch(realCount), dataset.shape);
  const classCounts = classHistogram(dataset.labels, info.classes);
  const real: RealReference = { features, gaussian: fitGaussian(features), ndbCentroids: fitNdbBins(features, undefined, config.seed), classCounts };
  return new ImageEvaluator(host, gan, obtained.model, heads, real, dataset.shape, config, options.verdicts);
}
