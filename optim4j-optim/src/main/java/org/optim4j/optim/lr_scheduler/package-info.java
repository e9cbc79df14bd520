/**
 * Learning-rate schedulers, PyTorch's {@code torch.optim.lr_scheduler}: the {@link
 * org.optim4j.optim.lr_scheduler.LRScheduler} base, every PyTorch 2.13 scheduler ({@link
 * org.optim4j.optim.lr_scheduler.LambdaLR}, {@link org.optim4j.optim.lr_scheduler.MultiplicativeLR}, {@link
 * org.optim4j.optim.lr_scheduler.StepLR}, {@link org.optim4j.optim.lr_scheduler.MultiStepLR}, {@link
 * org.optim4j.optim.lr_scheduler.ConstantLR}, {@link org.optim4j.optim.lr_scheduler.LinearLR}, {@link
 * org.optim4j.optim.lr_scheduler.ExponentialLR}, {@link org.optim4j.optim.lr_scheduler.PolynomialLR}, {@link
 * org.optim4j.optim.lr_scheduler.CosineAnnealingLR}, {@link
 * org.optim4j.optim.lr_scheduler.CosineAnnealingWarmRestarts}, {@link org.optim4j.optim.lr_scheduler.CyclicLR},
 * {@link org.optim4j.optim.lr_scheduler.OneCycleLR}, {@link org.optim4j.optim.lr_scheduler.SequentialLR},
 * {@link org.optim4j.optim.lr_scheduler.ChainedScheduler}, {@link
 * org.optim4j.optim.lr_scheduler.ReduceLROnPlateau}) and the factory {@link
 * org.optim4j.optim.lr_scheduler.LRSchedulers}.
 *
 * <p>The schedules themselves are pure functions of the step: the closed forms in {@link
 * org.optim4j.optim.lr_scheduler.Schedules} and PyTorch's recursive (chainable) forms in {@link
 * org.optim4j.optim.lr_scheduler.ChainableSchedules}. The scheduler classes are thin stateful shells over
 * them that keep PyTorch's state ({@code last_epoch}, {@code base_lrs}, ...), write the values into the
 * optimizer's parameter groups and save and load PyTorch's state dicts.
 *
 * <p>Names, defaults, option keys, state-dict keys, messages and values are PyTorch 2.13's. Exceptions map
 * as everywhere in optim4j ({@code ValueError}/{@code TypeError} → {@link IllegalArgumentException},
 * {@code RuntimeError}/{@code KeyError} → {@link IllegalStateException}, {@code NotImplementedError} → {@link
 * UnsupportedOperationException}, a missing required argument → {@link NullPointerException}); Python's
 * {@code ZeroDivisionError}, which some degenerate configurations raise, is an {@link ArithmeticException}
 * with Python's message. Warnings go to the {@link System.Logger} named {@code
 * org.optim4j.optim.lr_scheduler.LRScheduler}.
 *
 * <p>Allowed dependencies: {@code org.optim4j.optim} and {@code org.optim4j.tensor}. (SWALR, which builds on
 * {@link org.optim4j.optim.lr_scheduler.LRScheduler}, lives in {@code org.optim4j.optim.swa_utils}.)
 */
package org.optim4j.optim.lr_scheduler;
