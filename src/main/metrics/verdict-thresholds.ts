// Thresholds of the balance verdict engine. Each is a judgement call calibrated on short ring8
// runs (MLP, wasm backend, batch 64 to 256) and stated with its reason, so that a reader can
// tell a principled limit from a tuned one.

/** Logged steps in the window the engine reads. Ten logged steps (100 training steps at the
 * default logging interval) average out the batch-to-batch noise of a 64-example batch, whose
 * accuracy moves in steps of 1/64, while a change of regime still shows within one window. */
export const WINDOW_ENTRIES = 10;

/** Logged steps before the first verdict other than `warming-up`. Three is the fewest that
 * gives two successive differences, which the oscillation test needs. */
export const MIN_WINDOW_ENTRIES = 3;

/** Logged steps in a row a new verdict must be computed before it replaces the current one.
 * Without it a window mean that sits on a threshold flips the verdict at every logged step.
 * `diverged` and the first verdict after warm-up take effect at once. */
export const CONFIRM_ENTRIES = 2;

/** D's balanced accuracy (the mean of its window-mean accuracies on real and on generated
 * examples) above which D counts as separating them with confidence: nine in ten right. */
export const DOMINANT_ACCURACY = 0.9;

/** Window mean of D(G(z)) below which D counts as confident that generated examples are fake.
 * For the logistic losses and hinge, 0.2 = σ(−1.4): generated examples sit well on the fake side
 * of the decision boundary. For LSGAN the raw output has target 0 for generated examples, so
 * the same number means "near the fake target". */
export const DOMINANT_D_FAKE = 0.2;

/** Window mean of D's accuracy on generated examples at or below which D counts as no better
 * than chance on them: 0.5 is chance, and 0.05 above it absorbs the noise of a small batch. */
export const CHANCE_ACCURACY = 0.55;

/** G's gradient norm, as a fraction of its largest value in the first window, below which it
 * counts as vanishing: a tenfold drop. */
export const VANISHING_GRADIENT_FRACTION_OF_EARLY = 0.1;

/** G's gradient norm, as a fraction of D's, below which it counts as vanishing. The two norms
 * stay within a factor of ten of each other in healthy ring8 runs, so a hundredfold gap means
 * G barely moves while D still learns. */
export const VANISHING_GRADIENT_FRACTION_OF_D = 0.01;

/** Window mean of `dSaturated` (the fraction of generated examples whose logit saturates the
 * loss) above which G's gradient counts as vanishing: nine in ten generated examples get next
 * to no gradient. */
export const SATURATED_FRACTION = 0.9;

/** Median absolute change between successive logged losses, as a fraction of the loss's typical
 * size (its mean magnitude, or its value when D cannot tell real from generated examples when
 * that is larger), above which the loss counts as swinging. Batch noise in a balanced ring8 run
 * stays near 0.05; a loss that swings by half its size between two logged steps is not noise. */
export const OSCILLATION_RELATIVE_SWING = 0.5;

/** Fraction of successive changes that reverse direction, at or above which a swinging loss
 * counts as oscillating rather than trending. A steady trend reverses almost never and white
 * noise about two times in three. */
export const OSCILLATION_REVERSAL_FRACTION = 0.5;

/** Smallest size the relative swing divides by, so that a loss hovering near zero does not read
 * as a large relative swing when no other size applies. */
export const LOSS_SCALE_FLOOR = 0.1;

/** Fraction of the window's critic gaps at or below zero for a Wasserstein critic to count as
 * losing to G. The gap is the mean critic value on real minus on generated examples (the
 * Wasserstein estimate), so the critic then rates generated examples at or above real ones. */
export const CRITIC_LOSING_FRACTION = 0.8;

/** Fraction of successive rises of the critic gap, at or above which the gap counts as widening
 * steadily rather than moving with batch noise. */
export const CRITIC_WIDENING_FRACTION = 0.8;

/** Rise of the critic gap across the window, as a multiple of its mean magnitude, above which
 * the widening counts as large: the gap more than doubles within one window. A gradient-penalized
 * critic is about 1-Lipschitz, so its gap is bounded by the data's scale and cannot double for
 * long without G falling further behind. */
export const CRITIC_WIDENING_RISE = 1;
