// The `gan-workbench` command line: the same services as the app, without a window.
import { Command, CommanderError } from 'commander';
import {
  ARCHITECTURES,
  BACKEND_CHOICES,
  CONTROLLER_KINDS,
  LOSS_KINDS,
  LR_SCHEDULE_KINDS,
  NOISE_SCHEDULES,
  NORMALIZATIONS,
  OPTIMIZER_KINDS,
  PENALTY_KINDS,
} from '../../shared/config';
import { defaultDatabasePath } from './default-paths';
import { EXIT_USAGE, UsageError } from './usage-error';

const program = new Command('gan-workbench')
  .description('Train GANs, keep every run in SQLite, and watch the generator and the discriminator stay in balance.')
  .showHelpAfterError('(add --help for the list of options)')
  .exitOverride();

program
  .command('train')
  .description('train one run and store it in the database')
  .option('--config <file>', 'JSON file with a whole run config; flags override its fields')
  .option('--name <name>', 'run name (default: generated from dataset and loss)')
  .option('--experiment <name>', 'experiment the run belongs to', undefined)
  .option('--dataset <name|path>', 'ring8, grid25, fashion-mnist, or the path of an IDX image file (.gz or plain); default ring8')
  .option('--labels <path>', 'IDX label file for an IDX image dataset')
  .option('--fashion-dir <dir>', 'folder with the four Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist)')
  .option('--split <split>', 'Fashion-MNIST split: train or test')
  .option('--model <architecture>', `network architecture: ${ARCHITECTURES.join(', ')}; default mlp`)
  .option('--latent-size <n>', 'size of the latent vector z; default 16 (mlp) or 64 (dcgan)')
  .option('--g-width <n>', 'generator width: hidden units (mlp) or base filters (dcgan)')
  .option('--g-depth <n>', 'generator depth: hidden layers (mlp) or extra 3×3 convolutions per resolution (dcgan)')
  .option('--g-norm <kind>', `generator normalization: ${NORMALIZATIONS.join(', ')}`)
  .option('--d-width <n>', 'discriminator width: hidden units (mlp) or base filters (dcgan)')
  .option('--d-depth <n>', 'discriminator depth, as for --g-depth')
  .option('--d-norm <kind>', `discriminator normalization: ${NORMALIZATIONS.join(', ')}`)
  .option('--loss <kind>', `loss pair: ${LOSS_KINDS.join(', ')}; default ns`)
  .option('--gp-weight <lambda>', 'gradient-penalty weight λ for wgan-gp')
  .option('--optimizer-d <kind>', `discriminator optimizer: ${OPTIMIZER_KINDS.join(', ')}; default adam`)
  .option('--optimizer-g <kind>', `generator optimizer: ${OPTIMIZER_KINDS.join(', ')}; default adam`)
  .option('--lr-d <rate>', 'discriminator learning rate; default 1e-3 for 2-D data, 2e-4 for images')
  .option('--lr-g <rate>', 'generator learning rate; default 1e-3 for 2-D data, 2e-4 for images')
  .option('--beta1-d <beta>', 'Adam β1 of the discriminator; default 0.5')
  .option('--beta2-d <beta>', 'Adam β2 of the discriminator; default 0.999')
  .option('--beta1-g <beta>', 'Adam β1 of the generator; default 0.5')
  .option('--beta2-g <beta>', 'Adam β2 of the generator; default 0.999')
  .option('--momentum-d <m>', 'momentum of the discriminator optimizer (sgd, rmsprop)')
  .option('--momentum-g <m>', 'momentum of the generator optimizer (sgd, rmsprop)')
  .option('--n-d <n>', 'discriminator updates per step; default 1')
  .option('--n-g <n>', 'generator updates per step; default 1')
  .option('--batch-size <n>', 'examples per batch; default 256 for 2-D data, 64 for images')
  .option('--steps <n>', 'training steps (one step = nD D updates + nG G updates); default 1000')
  .option('--seed <n>', 'random seed for weights, data order and noise; default 0')
  .option('--log-every <n>', 'log metrics every n steps; default 10')
  .option('--sample-every <n>', 'save a sample snapshot every n steps; default 100')
  .option('--eval-every <n>', 'evaluate the mode-collapse indicators every n steps; default 250')
  .option('--backend <name>', `compute backend: ${BACKEND_CHOICES.join(', ')}; default auto (the best available)`)
  .option('--wgan-clip <c>', 'weight clipping bound c for loss wgan: D weights stay in [-c, c] (default 0.01)')
  .option('--real-label <t>', 'one-sided label smoothing: target for real examples with minimax and ns, e.g. 0.9 (default 1)')
  .option('--penalty <kind>', `gradient penalty on D for any loss: ${PENALTY_KINDS.join(', ')}`)
  .option('--penalty-weight <w>', 'penalty weight: λ for wgan-gp, γ for r1 and r2 (default 10)')
  .option('--penalty-every <k>', 'lazy regularization: apply the penalty every k D updates, scaled by k (default 1)')
  .option('--spectral-norm-d', "spectrally normalize the discriminator's layers")
  .option('--spectral-norm-g', "spectrally normalize the generator's layers")
  .option('--feature-matching <w>', "weight of feature matching on a hidden layer of D in G's loss (default 0: off)")
  .option('--adversarial-weight <w>', "weight of the adversarial loss in G's loss (default 1; 0 with --feature-matching trains G on feature matching alone)")
  .option('--feature-layer <i>', 'hidden layer of D for feature matching: 0 is the first, -1 the last (default -1)')
  .option('--noise-std <std>', "instance noise: std of Gaussian noise on D's inputs at step 1, in data units (default 0: off)")
  .option('--noise-schedule <kind>', `how the instance-noise std falls to 0: ${NOISE_SCHEDULES.join(', ')}`)
  .option('--noise-steps <n>', 'steps until the instance-noise std reaches 0 (default 0: the whole run)')
  .option('--ema', 'keep an EMA copy of the generator and save its samples beside G\'s')
  .option('--ema-decay <beta>', 'decay of the EMA generator (default 0.999)')
  .option('--lr-schedule-d <kind>', `discriminator learning-rate schedule: ${LR_SCHEDULE_KINDS.join(', ')}`)
  .option('--lr-schedule-g <kind>', `generator learning-rate schedule: ${LR_SCHEDULE_KINDS.join(', ')}`)
  .option('--lr-final-fraction-d <f>', 'linear and cosine schedules of D: multiple of the rate at the last step (default 0)')
  .option('--lr-final-fraction-g <f>', 'linear and cosine schedules of G: multiple of the rate at the last step (default 0)')
  .option('--lr-step-size-d <n>', 'step schedule of D: steps between two decays (default 1000)')
  .option('--lr-step-size-g <n>', 'step schedule of G: steps between two decays (default 1000)')
  .option('--lr-gamma-d <g>', 'step schedule of D: factor of each decay (default 0.5)')
  .option('--lr-gamma-g <g>', 'step schedule of G: factor of each decay (default 0.5)')
  .option('--controller <kind>', `adaptive balancing controller: ${CONTROLLER_KINDS.join(', ')}; set its parameters in --config`)
  .option('--db <path>', 'SQLite database file', defaultDatabasePath())
  .option('--json', 'print a JSON summary as the last line instead of text')
  .option('--print-config', 'print the full config (defaults filled in) as JSON and exit without training; edit it and pass it back with --config')
  .action(async (options) => {
    const { runTrainCommand } = await import('./train-command');
    process.exitCode = await runTrainCommand(options);
  });

program
  .command('runs')
  .description('list the runs in a database')
  .option('--db <path>', 'SQLite database file', defaultDatabasePath())
  .option('--json', 'print a JSON array')
  .action(async (options) => {
    const { runRunsCommand } = await import('./runs-command');
    process.exitCode = runRunsCommand(options);
  });

program
  .command('bench')
  .description('measure milliseconds per training step for the DCGAN-small and MLP-2D shapes')
  .option('--backend <name>', `compute backend: ${BACKEND_CHOICES.join(', ')}`, 'auto')
  .option('--steps <n>', 'timed steps per shape', '20')
  .option('--warmup <n>', 'untimed steps before timing', '3')
  .option('--shape <id>', 'only one shape: dcgan-small or mlp-2d')
  .option('--json', 'print one JSON object')
  .action(async (options) => {
    const { runBenchCommand } = await import('./bench-command');
    process.exitCode = await runBenchCommand(options);
  });

program
  .command('serve')
  .description('serve the workbench UI and API on 127.0.0.1 for a browser (headless machines)')
  .option('--port <n>', 'port to listen on (default: a free port)')
  .option('--db <path>', 'SQLite database file', defaultDatabasePath())
  .action(async (options) => {
    const port = options.port === undefined ? undefined : Number(options.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new UsageError(`--port expects an integer from 0 to 65535, but got "${options.port}"`);
    }
    const { runServeCommand } = await import('./serve-command');
    await runServeCommand({ port, db: options.db });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version output end with code 0; every other parse error is a usage error.
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = EXIT_USAGE;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  }
}
