package org.optim4j.cli;

/**
 * A command line that cannot run as given, found after parsing (an option the optimizer rejects, data that
 * is not there): reported as one message, without a stack trace, with exit code 2.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
