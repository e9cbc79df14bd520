package org.optim4j.tensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import org.junit.jupiter.api.Test;

/**
 * How {@link Gemm} chooses its backend among the {@link java.util.ServiceLoader} providers: the first that
 * can be constructed, skipping (and reporting) those that fail, the pure-Java kernel when none is left or
 * when the system property asks for it.
 */
class GemmDiscoveryTest {
  private final List<String> warnings = new ArrayList<>();

  @Test
  void theFirstProviderThatLoadsWins() {
    GemmBackend first = named("first");
    GemmBackend chosen = Gemm.discover(null, providers(first, named("second")), warnings::add);
    assertSame(first, chosen);
    assertEquals(List.of(), warnings);
  }

  @Test
  void aProviderThatFailsIsSkippedWithItsReason() {
    GemmBackend second = named("second");
    Object failing = new ServiceConfigurationError("Provider x.Native could not be instantiated",
        new IllegalStateException("cannot open libfoo.so"));
    GemmBackend chosen = Gemm.discover("auto", providers(failing, second), warnings::add);
    assertSame(second, chosen);
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("x.Native could not be instantiated")
        && warnings.get(0).contains("cannot open libfoo.so"), warnings.get(0));
  }

  @Test
  void withNoProviderLeftTheJavaKernelComputes() {
    Object failing = new UnsatisfiedLinkError("no shim");
    assertSame(Gemm.javaBackend(), Gemm.discover(null, providers(failing), warnings::add));
    assertTrue(warnings.get(0).contains("no shim"), warnings.toString());
    assertSame(Gemm.javaBackend(), Gemm.discover(null, providers(), warnings::add));
    assertEquals(1, warnings.size());
  }

  @Test
  void javaAsTheChoiceIgnoresEveryProvider() {
    assertSame(Gemm.javaBackend(), Gemm.discover("java", providers(named("native")), warnings::add));
    assertEquals(List.of(), warnings);
  }

  @Test
  void anUnreadableProviderListIsReportedToo() {
    Iterator<GemmBackend> broken = new Iterator<>() {
      @Override
      public boolean hasNext() {
        throw new ServiceConfigurationError("META-INF/services/...: syntax error");
      }

      @Override
      public GemmBackend next() {
        throw new NoSuchElementException();
      }
    };
    assertSame(Gemm.javaBackend(), Gemm.discover(null, broken, warnings::add));
    assertTrue(warnings.get(0).contains("syntax error"), warnings.toString());
  }

  /** Providers as a ServiceLoader iterator yields them: a backend, or an error thrown by next(). */
  private static Iterator<GemmBackend> providers(Object... items) {
    Iterator<Object> it = List.of(items).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public GemmBackend next() {
        Object item = it.next();
        if (item instanceof Error e) {
          throw e;
        }
        return (GemmBackend) item;
      }
    };
  }

  private static GemmBackend named(String name) {
    return new GemmBackend() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
          int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        throw new UnsupportedOperationException();
      }

      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
          int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
