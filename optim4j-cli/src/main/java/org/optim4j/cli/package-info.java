/**
 * The {@code optim4j} command line: {@link org.optim4j.cli.Main} with the commands {@code train}, {@code
 * compare}, {@code schedule} and {@code eval}, parsed with picocli. Option values given as {@code key=value}
 * keep their JSON types ({@link org.optim4j.cli.OptionValues}).
 *
 * <p>Role: turn command lines into runs of {@link org.optim4j.train} and report their results and errors.
 * Allowed dependencies: everything of optim4j and the CLI's libraries; nothing depends on this package.
 * Layout of the module: {@code org.optim4j.cli} (commands) on top of {@code org.optim4j.train} (the
 * training loop, metrics, checkpoints, plots), which does not know the command line.
 */
package org.optim4j.cli;
