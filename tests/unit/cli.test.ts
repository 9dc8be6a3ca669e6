import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../../bin/gan-workbench.js');
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist';
const dir = mkdtempSync(join(tmpdir(), 'gan-cli-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('gan-workbench train', () => {
  it('trains ring8 and prints a JSON summary', () => {
    const db = join(dir, 'ok.db');
    const result = cli('train', '--dataset', 'ring8', '--model', 'mlp', '--steps', '40', '--log-every', '10', '--db', db, '--json', '--name', 'smoke');

    expect(result.code).toBe(0);
    const summary = lastJsonLine(result.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.backend).toBe('wasm');
    expect(summary.steps).toBe(40);
    expect(summary.name).toBe('smoke');
    expect(typeof summary.durationMs).toBe('number');
    const metrics = summary.metrics as Record<string, number>;
    for (const name of ['lossD', 'lossG', 'dReal', 'dFake', 'accReal', 'accFake', 'gradNormD', 'gradNormG']) {
      expect(Number.isFinite(metrics[name])).toBe(true);
    }

    const listed = cli('runs', '--db', db, '--json');
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: summary.runId, name: 'smoke', status: 'completed', dataset: 'ring8', loss: 'ns', steps: 40, backend: 'wasm' });
    expect((runs[0].metrics as Record<string, number>).lossD).toBe(metrics.lossD);
  });

  it('rejects a negative learning rate with exit code 2', () => {
    const db = join(dir, 'invalid.db');
    const result = cli('train', '--dataset', 'ring8', '--lr-d', '-1', '--db', db);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('optimizerD.learningRate (--lr-d)');
    expect(result.stderr).toContain('-1');
    expect(existsSync(db)).toBe(false);
  });

  it('rejects a non-numeric flag value', () => {
    const result = cli('train', '--steps', 'many', '--db', join(dir, 'x.db'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--steps expects a number, but got "many"');
  });

  it('rejects an unknown field in a config file', () => {
    const file = join(dir, 'bad-config.json');
    writeFileSync(file, JSON.stringify({ dataset: { kind: 'ring8' }, lossKind: 'ns' }));
    const result = cli('train', '--config', file, '--db', join(dir, 'x.db'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lossKind: unknown field');
  });

  it('rejects a truncated IDX file and writes nothing', () => {
    const db = join(dir, 'truncated.db');
    const images = join(dir, 'truncated-images.gz');
    const full = readFileSync(join(FASHION_MNIST, 't10k-images-idx3-ubyte.gz'));
    writeFileSync(images, full.subarray(0, 5000));
    const result = cli('train', '--dataset', images, '--model', 'dcgan', '--db', db);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(images);
    expect(existsSync(db)).toBe(false);
  });

  it('rejects an IDX file with a foreign magic number', () => {
    const images = join(dir, 'foreign.gz');
    const header = Buffer.from([0x00, 0x00, 0x0d, 0x03, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]);
    writeFileSync(images, gzipSync(Buffer.concat([header, Buffer.alloc(784)])));
    const result = cli('train', '--dataset', images, '--model', 'dcgan', '--db', join(dir, 'foreign.db'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(images);
    expect(result.stderr.toLowerCase()).toContain('magic');
  });

  it('says how to install a missing Fashion-MNIST', () => {
    const result = cli('train', '--dataset', 'fashion-mnist', '--fashion-dir', join(dir, 'nowhere'), '--db', join(dir, 'fm.db'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('dataset-fashion-mnist');
  });

  it('rejects an unknown flag with exit code 2', () => {
    const result = cli('train', '--learning-rate', '0.1');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--learning-rate');
  });
});

describe('gan-workbench runs', () => {
  it('names a missing database', () => {
    const result = cli('runs', '--db', join(dir, 'missing.db'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.db');
  });
});
