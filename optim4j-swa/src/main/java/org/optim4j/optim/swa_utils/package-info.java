/**
 * Stochastic Weight Averaging and weight EMAs, PyTorch's {@code torch.optim.swa_utils}: {@link
 * org.optim4j.optim.swa_utils.AveragedModel} (a running average of a model's weights, SWA or EMA, with
 * optional averaging of buffers), {@link org.optim4j.optim.swa_utils.SWALR} (the learning-rate scheduler that
 * anneals to a constant SWA learning rate), and {@link org.optim4j.optim.swa_utils.SwaUtils} with {@code
 * updateBn} (recomputes BatchNorm statistics for averaged weights) and the averaging-function factories
 * {@code getSwaAvgFn}, {@code getEmaAvgFn}, {@code getSwaMultiAvgFn}, {@code getEmaMultiAvgFn}, whose results
 * are the functional interfaces {@link org.optim4j.optim.swa_utils.AvgFn} and {@link
 * org.optim4j.optim.swa_utils.MultiAvgFn}.
 *
 * <p>Names, defaults, state-dict keys, messages and rounding are PyTorch 2.13's; exceptions map as everywhere
 * in optim4j ({@code ValueError} → {@link IllegalArgumentException}, {@code RuntimeError}/{@code KeyError} →
 * {@link IllegalStateException}; PyTorch's {@code AssertionError} for two averaging functions is an {@link
 * IllegalArgumentException}).
 *
 * <p>This package is a Maven module of its own (optim4j-swa) because it is the one part of {@code torch.optim}
 * that needs modules. Allowed dependencies: {@code org.optim4j.nn}, {@code org.optim4j.optim}, {@code
 * org.optim4j.optim.lr_scheduler} and {@code org.optim4j.tensor}.
 */
package org.optim4j.optim.swa_utils;
