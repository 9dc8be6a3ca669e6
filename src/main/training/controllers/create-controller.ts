// Builds the run's adaptive balancing controller from its config.
import type { RunConfig } from '../../../shared/config';
import type { BalanceController } from './balance-controller';
import { EquilibriumController } from './equilibrium-controller';
import { RtController } from './rt-controller';
import { StepRatioController } from './step-ratio-controller';

/** Returns the controller that `config.controller` names, or null for kind 'none'. */
export function createController(config: Pick<RunConfig, 'controller' | 'nD' | 'instanceNoise'>): BalanceController | null {
  const controller = config.controller;
  switch (controller.kind) {
    case 'none':
      return null;
    case 'equilibrium':
      return new EquilibriumController(controller);
    case 'rt':
      return new RtController({ ...controller, initialStd: config.instanceNoise.std });
    case 'step-ratio':
      return new StepRatioController({ ...controller, initialND: config.nD });
  }
}
