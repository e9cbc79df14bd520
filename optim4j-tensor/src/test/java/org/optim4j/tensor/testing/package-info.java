/**
 * Test support shared by every module through optim4j-tensor's test-jar: {@link
 * org.optim4j.tensor.testing.Fixtures} reads the expected values that real PyTorch wrote into
 * {@code fixtures/} (see {@code tools/reference/}), and {@link org.optim4j.tensor.testing.Tolerance}
 * is the one place the comparison tolerance is named. Depends on JUnit-free Jackson only; nothing
 * of the engine.
 */
package org.optim4j.tensor.testing;
