// A short list of the balancing techniques a run config turns on, for the live view's header.
import type { RunConfig } from '../../../shared/config';

/** Returns one phrase per technique that differs from its default, e.g. "R1 γ 10 every 16". */
export function balancingSummary(config: RunConfig): string[] {
  const parts: string[] = [];
  if (config.loss.kind === 'wgan') parts.push(`clip ${config.wganClip}`);
  if (config.loss.kind === 'wgan-gp') parts.push(`GP λ ${config.loss.gradientPenaltyWeight}`);
  if (config.realLabel !== 1 && (config.loss.kind === 'minimax' || config.loss.kind === 'ns')) parts.push(`real label ${config.realLabel}`);
  if (config.penalty.kind !== 'none') {
    const every = config.penalty.every > 1 ? ` every ${config.penalty.every}` : '';
    parts.push(`${config.penalty.kind.toUpperCase()} ${config.penalty.kind === 'wgan-gp' ? 'λ' : 'γ'} ${config.penalty.weight}${every}`);
  }

  const normalized = [config.spectralNorm.discriminator ? 'D' : '', config.spectralNorm.generator ? 'G' : ''].filter(Boolean);
  if (normalized.length > 0) parts.push(`spectral norm ${normalized.join('+')}`);
  if (config.featureMatching.weight > 0) parts.push(`feature matching ${config.featureMatching.weight}`);
  if (config.instanceNoise.std > 0) parts.push(`noise σ ${config.instanceNoise.std} ${config.instanceNoise.schedule}`);
  if (config.emaGenerator.enabled) parts.push(`EMA G β ${config.emaGenerator.decay}`);
  for (const [network, label] of [['discriminator', 'D'], ['generator', 'G']] as const) {
    const schedule = config.lrSchedule[network];
    if (schedule.kind !== 'constant') parts.push(`lr ${label} ${schedule.kind}`);
  }
  if (config.controller.kind !== 'none') parts.push(`controller ${config.controller.kind}`);
  return parts;
}
