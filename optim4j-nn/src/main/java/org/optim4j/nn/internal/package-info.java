/**
 * Internal helpers of the nn packages (Python-style formatting for messages). Not public API: it may
 * change without notice.
 *
 * <p>Depends on nothing of optim4j.
 */
package org.optim4j.nn.internal;
