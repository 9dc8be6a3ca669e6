// Sample PNG locations: a folder beside the database, so the two can be moved together.
// For /x/workbench.db a run's PNGs go to /x/workbench.db-samples/run-<runId>/, and the
// database stores each path relative to /x with '/' separators.
import fs from 'node:fs';
import path from 'node:path';

/** Returns the folder that contains every run's sample PNGs for the database at `dbPath`. */
export function samplesDirFor(dbPath: string): string {
  return `${dbPath}-samples`;
}

export function runSamplesDir(dbPath: string, runId: number): string {
  return path.join(samplesDirFor(dbPath), `run-${runId}`);
}

/** Writes one sample PNG and returns its path relative to the database's folder. */
export function writeSamplePng(dbPath: string, runId: number, sampleId: number, step: number, png: Uint8Array): string {
  const folder = runSamplesDir(dbPath, runId);
  fs.mkdirSync(folder, { recursive: true });

  const file = path.join(folder, `sample-${sampleId}-step-${step}.png`);
  fs.writeFileSync(file, png);
  return path.relative(path.dirname(dbPath), file).split(path.sep).join('/');
}

/** Turns a stored relative sample path back into an absolute one. */
export function resolveSampleFile(dbPath: string, relativeFile: string): string {
  return path.resolve(path.dirname(dbPath), ...relativeFile.split('/'));
}

export function removeFileIfPresent(file: string): void {
  fs.rmSync(file, { force: true });
}

/** Removes a run's sample folder and everything in it; a missing folder is not an error. */
export function removeRunSamples(dbPath: string, runId: number): void {
  fs.rmSync(runSamplesDir(dbPath, runId), { recursive: true, force: true });
}
