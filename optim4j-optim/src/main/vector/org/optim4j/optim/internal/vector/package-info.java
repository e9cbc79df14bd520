/**
 * Kernels written with the incubating Vector API ({@code jdk.incubator.vector}). Not public API. This source
 * directory compiles with {@code --add-modules jdk.incubator.vector}; its classes are loaded reflectively, and
 * only when the running JVM has the module, by {@link org.optim4j.optim.internal.Bf16StateKernels#vector()},
 * so the library needs no JVM flag. Each kernel gives the bits of the plain loop it replaces (tested).
 *
 * <p>Allowed dependencies: the JDK, {@code jdk.incubator.vector} and {@code org.optim4j.optim.internal}.
 */
package org.optim4j.optim.internal.vector;
