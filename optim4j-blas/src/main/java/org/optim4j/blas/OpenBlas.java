package org.optim4j.blas;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bytedeco.javacpp.Loader;

/**
 * The JNI shim ({@code src/main/c/optim4j_blas.c}) and the OpenBLAS library it opens: loading, and the raw
 * row-major {@code cblas_sgemm}/{@code cblas_dgemm} calls on heap arrays.
 *
 * <p>Loading, once per class loader:
 * <ol>
 * <li>the platform must be {@value #PLATFORM}, the only one whose OpenBLAS binaries this module depends on
 *     and whose shim the build compiles;
 * <li>the shim, a resource of this jar when gcc was present at build time, is copied to a private file in
 *     JavaCPP's cache directory ({@code ~/.javacpp/cache}), loaded with {@link System#load} and deleted
 *     (the mapping stays), so that no two builds of optim4j-blas ever share or overwrite a file;
 * <li>OpenBLAS is the {@code libopenblas.so.0} of the {@code org.bytedeco:openblas} jar, extracted by
 *     JavaCPP's {@link Loader#cacheResource} (once, shared safely between processes) beside the Fortran
 *     runtime it needs, which is loaded first; the system property {@value #LIBRARY_PROPERTY} names another
 *     library with the CBLAS symbols instead;
 * <li>the shim opens it ({@code dlopen}), finds {@code cblas_sgemm} and {@code cblas_dgemm}, sets OpenBLAS to
 *     one thread, and a 2×2 product in each precision checks the whole chain.
 * </ol>
 * Any failure is reported by {@link #load()} as an {@link IllegalStateException} naming the step.
 */
final class OpenBlas {
  /** System property: path of the BLAS library to open instead of the bundled OpenBLAS. */
  static final String LIBRARY_PROPERTY = "optim4j.blas.library";
  /** The platform the shim is built for, in JavaCPP's naming. */
  static final String PLATFORM = "linux-x86_64";
  /** The shim inside this jar. */
  static final String SHIM_RESOURCE = "/org/optim4j/blas/" + PLATFORM + "/liboptim4j-blas.so";
  private static final String OPENBLAS_DIR = "/org/bytedeco/openblas/" + PLATFORM + "/";
  /** OpenBLAS's own dependencies in the bytedeco jar, in the order they must be loaded. */
  private static final String[] RUNTIME = {"libquadmath.so.0", "libgfortran.so.5"};
  private static final String OPENBLAS = "libopenblas.so.0";

  private static String description;
  private static IllegalStateException failure;

  private OpenBlas() {}

  /**
   * Loads the shim and opens the BLAS library on the first call; returns the library's description (for
   * OpenBLAS, its build configuration).
   *
   * @throws IllegalStateException if either cannot be loaded, now or at the first call, with the reason
   */
  static synchronized String load() {
    if (description == null && failure == null) {
      try {
        description = open();
      } catch (IllegalStateException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new IllegalStateException(failure.getMessage(), failure);
    }
    return description;
  }

  private static String open() {
    String platform = Loader.getPlatform();
    if (!PLATFORM.equals(platform)) {
      throw new IllegalStateException("no native GEMM for platform " + platform + ", only for " + PLATFORM);
    }
    URL shim = OpenBlas.class.getResource(SHIM_RESOURCE);
    if (shim == null) {
      throw new IllegalStateException("the JNI shim " + SHIM_RESOURCE
          + " is not in optim4j-blas (its build found no gcc or no JDK headers)");
    }
    loadShim(shim);
    String library = System.getProperty(LIBRARY_PROPERTY);
    if (library == null) {
      for (String runtime : RUNTIME) {
        loadFile(cache(resource(runtime)), "OpenBLAS's runtime " + runtime);
      }
      library = cache(resource(OPENBLAS)).getPath();
    }
    String error = open(library);
    if (error != null) {
      throw new IllegalStateException("cannot open the BLAS library " + library + ": " + error);
    }
    setThreads(1);
    selfTest(library);
    String config = config();
    return config != null ? config : library;
  }

  private static URL resource(String file) {
    URL url = OpenBlas.class.getResource(OPENBLAS_DIR + file);
    if (url == null) {
      throw new IllegalStateException(OPENBLAS_DIR + file + " is not on the class path (the org.bytedeco:openblas "
          + PLATFORM + " jar is missing)");
    }
    return url;
  }

  private static File cache(URL resource) {
    try {
      return Loader.cacheResource(resource);
    } catch (IOException e) {
      throw new IllegalStateException("cannot extract " + resource + ": " + e, e);
    }
  }

  private static void loadShim(URL shim) {
    Path copy = null;
    try {
      copy = Files.createTempFile(Loader.getCacheDir().toPath(), "liboptim4j-blas", ".so");
      try (InputStream in = shim.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      loadFile(copy.toFile(), "the JNI shim");
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy the JNI shim out of " + shim + ": " + e, e);
    } finally {
      if (copy != null) {
        copy.toFile().delete();
      }
    }
  }

  private static void loadFile(File file, String what) {
    try {
      System.load(file.getAbsolutePath());
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("cannot load " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** C ← A·Bᵀ for a 2×2 problem with exact results, in both precisions, through offsets and strides. */
  private static void selfTest(String library) {
    float[] a = {9, 1, 2, 3, 4};
    float[] b = {5, 6, 7, 8};
    float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
    sgemm(false, true, 2, 2, 2, 1f, a, 1, 2, b, 0, 2, 0f, c, 0, 2);
    double[] d = new double[4];
    dgemm(false, true, 2, 2, 2, 1.0, new double[] {1, 2, 3, 4}, 0, 2, new double[] {5, 6, 7, 8}, 0, 2, 0.0, d, 0,
        2);
    float[] expected = {17, 23, 39, 53};
    for (int i = 0; i < 4; i++) {
      if (c[i] != expected[i] || d[i] != expected[i]) {
        throw new IllegalStateException("the BLAS library " + library + " computed a wrong test product");
      }
    }
  }

  /** Opens the library at {@code path}; returns null on success, else why it failed. */
  private static native String open(String path);

  /** The library's {@code openblas_get_config()}, or null when it has none. */
  private static native String config();

  /** {@code openblas_set_num_threads(n)}; returns false when the library has no such function. */
  private static native boolean setThreads(int n);

  /**
   * Row-major {@code cblas_sgemm} on the calling thread: {@code C ← α·op(A)·op(B) + β·C}, with the arguments
   * of {@code Gemm.gemm}, already validated.
   */
  static native void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

  /** Row-major {@code cblas_dgemm} on the calling thread; see {@link #sgemm}. */
  static native void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
      int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);
}
