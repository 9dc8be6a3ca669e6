// Reads and writes a trained classifier as a folder: `model.json` (the tfjs layers topology and
// weight manifest), `weights.bin` (float32 weights) and `classifier.json` (what it was trained on
// and how well it does). tfjs 4.22 saves to files only through tfjs-node, so this module moves
// the artifacts itself through tf.io.withSaveHandler and tf.io.fromMemory.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** Bumped when the folder layout or the model changes, so old caches are retrained. */
export const CLASSIFIER_FORMAT_VERSION = 1;

export interface ClassifierInfo {
  format: number;
  /** Content hashes (`DatasetIdentity.contentHash`) of the datasets this classifier serves. */
  datasetHashes: string[];
  /** Dataset name it was trained on, e.g. `fashion-mnist/train`. */
  trainedOn: string;
  classes: number;
  featureSize: number;
  /** Share of held-out images labelled correctly, in [0, 1]. */
  testAccuracy: number;
  testItems: number;
  epochs: number;
  trainingMs: number;
  backend: string;
  createdAt: string;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const INFO_FILE = 'classifier.json';

/** Returns true when `dir` contains the three files of a saved classifier. */
export function hasSavedClassifier(dir: string): boolean {
  return [MODEL_FILE, WEIGHTS_FILE, INFO_FILE].every((file) => existsSync(join(dir, file)));
}

/** Writes `model` and `info` to `dir`, creating it. Each file is written to a temporary name first
 * and then renamed, so a reader never sees a half-written file. */
export async function saveClassifier(dir: string, model: tf.LayersModel, info: ClassifierInfo): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const { modelTopology, weightSpecs, weightData } = artifacts as unknown as tf.io.ModelArtifacts;
  if (!modelTopology || !weightSpecs || !weightData) {
    throw new Error(`Saving the classifier to ${dir} failed: tfjs returned no topology or weights.`);
  }

  const weights = new Uint8Array(Array.isArray(weightData) ? await new Blob(weightData).arrayBuffer() : weightData);
  await mkdir(dir, { recursive: true });
  const files: [string, string | Uint8Array][] = [
    [WEIGHTS_FILE, weights],
    [MODEL_FILE, JSON.stringify({ modelTopology, weightSpecs })],
    [INFO_FILE, `${JSON.stringify(info, null, 2)}\n`],
  ];
  for (const [name, content] of files) {
    const temporary = join(dir, `${name}.${process.pid}.tmp`);
    await writeFile(temporary, content);
    await rename(temporary, join(dir, name));
  }
}

/** Reads `classifier.json` of a saved classifier. @throws Error naming the file when it is unreadable. */
export async function readClassifierInfo(dir: string): Promise<ClassifierInfo> {
  const file = join(dir, INFO_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ClassifierInfo;
  } catch (error) {
    throw new Error(`Reading classifier info ${file} failed: ${(error as Error).message}. Delete the folder to retrain the classifier.`);
  }
}

/** Loads a classifier saved by `saveClassifier`. @throws Error naming the folder when a file is missing or damaged. */
export async function loadClassifier(dir: string): Promise<{ model: tf.LayersModel; info: ClassifierInfo }> {
  const info = await readClassifierInfo(dir);
  if (info.format !== CLASSIFIER_FORMAT_VERSION) {
    throw new Error(`Unsupported classifier format ${info.format} in ${dir}: expected ${CLASSIFIER_FORMAT_VERSION}. Delete the folder to retrain the classifier.`);
  }

  try {
    const { modelTopology, weightSpecs } = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8'));
    const bytes = await readFile(join(dir, WEIGHTS_FILE));
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
    return { model, info };
  } catch (error) {
    throw new Error(`Loading the classifier in ${dir} failed: ${(error as Error).message}. Delete the folder to retrain the classifier.`);
  }
}
