/**
 * Training runs: the seed's loop ({@link org.optim4j.train.Trainer}) over the seed's models ({@link
 * org.optim4j.train.Models}) and data ({@link org.optim4j.train.Datasets}) with any optimizer and scheduler
 * ({@link org.optim4j.train.Schedulers}, the only class that touches {@code org.optim4j.optim.lr_scheduler}),
 * its metrics ({@link org.optim4j.train.EpochMetrics}, {@link org.optim4j.train.Evaluation}), PNG plots
 * ({@link org.optim4j.train.Plots}, XChart), progress display ({@link org.optim4j.train.Progress}) and
 * checkpoints ({@link org.optim4j.train.Checkpoint}: a safetensors file, read and written by {@link
 * org.optim4j.train.SafeTensors}, with a JSON document in its metadata, replaced atomically by {@link
 * org.optim4j.train.AtomicFiles}).
 *
 * <p>Role: everything a training program needs besides the library itself. Allowed dependencies: optim4j's
 * tensor, nn, data and optim modules, Jackson, XChart and progressbar; it knows nothing of the command line
 * ({@code org.optim4j.cli} depends on it, not the other way round). Lives in the optim4j-cli module so that
 * the library modules keep no third-party dependencies.
 */
package org.optim4j.train;
