// `gan-workbench runs`: lists every run in a database, as a table or as a JSON array.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunRecord } from '../../shared/run';
import { verdictsFromEvents, type VerdictId } from '../../shared/verdict';
import { RunStore } from '../store/run-store';
import { UsageError } from './usage-error';

export interface RunsCommandOptions {
  db: string;
  json?: boolean;
}

function durationSeconds(run: RunRecord): number | null {
  if (!run.startedAt || !run.endedAt) return null;
  return (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
}

function toRow(run: RunRecord, metrics: Record<string, number>, verdict: VerdictId | null) {
  return {
    id: run.id,
    name: run.name,
    experiment: run.experiment,
    status: run.status,
    dataset: run.dataset?.name ?? run.config.dataset.kind,
    model: run.config.model.architecture,
    loss: run.config.loss.kind,
    steps: run.step,
    totalSteps: run.config.steps,
    backend: run.backend?.name ?? null,
    gpu: run.backend?.gpu ?? false,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationSeconds: durationSeconds(run),
    error: run.error,
    /** The last balance verdict, or null when the run has none. */
    verdict,
    tags: run.tags,
    metrics,
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function runRunsCommand(options: RunsCommandOptions): number {
  const db = resolve(options.db);
  if (!existsSync(db)) throw new UsageError(`database not found: ${db}; train a run first or pass an existing file with --db`);

  const store = RunStore.open(db);
  try {
    const rows = store.listRuns().map((run) => toRow(run, store.latestMetrics(run.id), verdictsFromEvents(store.getEvents(run.id)).at(-1)?.id ?? null));
    if (options.json) {
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write(`no runs in ${db}\n`);
      return 0;
    }

    const header = ['id', 'name', 'status', 'dataset', 'model', 'loss', 'steps', 'verdict', 'backend', 'started', 'duration'];
    const table = rows.map((row) => [
      String(row.id),
      row.name,
      row.status,
      row.dataset,
      row.model,
      row.loss,
      `${row.steps}/${row.totalSteps}`,
      row.verdict ?? '–',
      row.backend ?? '–',
      row.startedAt ?? '–',
      row.durationSeconds === null ? '–' : `${row.durationSeconds.toFixed(1)} s`,
    ]);
    const widths = header.map((title, i) => Math.max(title.length, ...table.map((cells) => cells[i].length)));
    const lines = [header, ...table].map((cells) => cells.map((cell, i) => pad(cell, widths[i])).join('  ').trimEnd());
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } finally {
    store.close();
  }
}
