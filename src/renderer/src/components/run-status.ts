// Plain-word labels and explanations for run statuses.
import type { RunStatus } from '../../../shared/run';

export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
};

export const STATUS_EXPLANATIONS: Record<RunStatus, string> = {
  queued: 'Waiting for a free training worker.',
  running: 'Training now.',
  completed: 'Trained every step.',
  failed: 'Training stopped with an error.',
  stopped: 'Stopped by the user before the last step.',
  interrupted: 'The app closed while this run was training; it did not finish and cannot be resumed.',
};
