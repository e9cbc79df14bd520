/**
 * Native GEMM: {@link org.optim4j.blas.OpenBlasBackend}, OpenBLAS behind optim4j-tensor's
 * {@link org.optim4j.tensor.internal.GemmBackend}, registered as a {@link java.util.ServiceLoader} provider so
 * that {@link org.optim4j.tensor.internal.Gemm} uses it whenever this module is on the class path and the
 * library loads ({@code -Doptim4j.gemm=java} keeps the pure-Java kernel).
 *
 * <p>The JNI shim is {@code src/main/c/optim4j_blas.c}, compiled by gcc during the Maven build. Allowed
 * dependencies: optim4j-tensor, JavaCPP's {@code Loader} (to extract native files from jars) and the OpenBLAS
 * binaries of {@code org.bytedeco:openblas}; nothing of nn, data or optim.
 */
package org.optim4j.blas;
