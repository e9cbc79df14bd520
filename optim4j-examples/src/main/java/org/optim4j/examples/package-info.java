/**
 * The seed programs (../shared/reference/seeds) as runnable classes. Depends on every library module; no
 * library module depends on it.
 */
package org.optim4j.examples;
