package org.optim4j.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optim4j.tensor.internal.Gemm;

/**
 * How Gemm chooses its backend, each time in a fresh JVM ({@link BackendProbe}) on this module's test class
 * path: OpenBLAS when it loads, the pure-Java kernel with a warning when it does not, and the pure-Java kernel
 * without a word when {@code -Doptim4j.gemm=java} asks for it.
 */
class FallbackTest {
  private static final String WARNING = "GEMM backend not available";

  @TempDir
  Path dir;

  @Test
  void aBlasLibraryThatCannotBeOpenedFallsBackToJava() throws Exception {
    assumeTrue(FallbackTest.class.getResource(OpenBlas.SHIM_RESOURCE) != null, "the JNI shim was not built");
    String missing = dir.resolve("libopenblas.so.0").toString();
    Run run = probe("-D" + OpenBlas.LIBRARY_PROPERTY + "=" + missing);
    assertEquals("java 11.0", run.out, run.err);
    assertTrue(run.err.contains(WARNING) && run.err.contains(missing), run.err);
  }

  @Test
  void aLibraryWithoutCblasFallsBackToJava() throws Exception {
    assumeTrue(FallbackTest.class.getResource(OpenBlas.SHIM_RESOURCE) != null, "the JNI shim was not built");
    Run run = probe("-D" + OpenBlas.LIBRARY_PROPERTY + "=libm.so.6");
    assertEquals("java 11.0", run.out, run.err);
    assertTrue(run.err.contains(WARNING) && run.err.contains("no cblas_sgemm"), run.err);
  }

  @Test
  void thePropertyForcesJavaWithoutAWarning() throws Exception {
    Run run = probe("-D" + Gemm.BACKEND_PROPERTY + "=java");
    assertEquals("java 11.0", run.out, run.err);
    assertFalse(run.err.contains(WARNING), run.err);
  }

  @Test
  void openBlasIsChosenWhenTheShimWasBuilt() throws Exception {
    Run run = probe();
    if (FallbackTest.class.getResource(OpenBlas.SHIM_RESOURCE) != null) {
      assertEquals("openblas 11.0", run.out, run.err);
      assertFalse(run.err.contains(WARNING), run.err);
    } else {
      assertEquals("java 11.0", run.out, run.err);
      assertTrue(run.err.contains(WARNING) && run.err.contains("found no gcc"), run.err);
    }
  }

  private record Run(String out, String err) {}

  /** Runs {@link BackendProbe} in a new JVM with the given options; returns its trimmed stdout and stderr. */
  private Run probe(String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(options));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BackendProbe.class.getName());
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
    Run run = new Run(Files.readString(out, StandardCharsets.UTF_8).trim(),
        Files.readString(err, StandardCharsets.UTF_8));
    assertEquals(0, process.exitValue(), run.err);
    return run;
  }
}
