/*
 * STREAM triad a[i] = b[i] + s * c[i] over double arrays much larger than the caches, the machine's
 * sustainable memory bandwidth for bench/compare-pytorch.sh.
 *
 * usage: triad [ELEMENTS [REPS]]        (defaults: 20 000 000 doubles per array, 20 repetitions)
 * build: gcc -O3 -march=native -fopenmp bench/stream/triad.c -o triad; threads from OMP_NUM_THREADS
 *
 * The arrays are first touched by the threads that use them (static schedule), so their pages sit where
 * those threads run. Output: one JSON line with the best and the median repetition in GB/s (10^9 bytes),
 * counting 24 bytes per element as STREAM does (read b and c, write a), so the write-allocate read of a
 * is not counted: the traffic the memory really carries is up to 4/3 of the figure.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000L;
  int reps = argc > 2 ? atoi(argv[2]) : 20;
  if (n < 1 || reps < 1) {
    fprintf(stderr, "usage: triad [ELEMENTS [REPS]]\n");
    return 2;
  }
  double *a = malloc(n * sizeof(double));
  double *b = malloc(n * sizeof(double));
  double *c = malloc(n * sizeof(double));
  double *t = malloc(reps * sizeof(double));
  if (!a || !b || !c || !t) {
    fprintf(stderr, "triad: cannot allocate 3 x %ld doubles\n", n);
    return 1;
  }
  const double s = 3.0;
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++) {
    a[i] = 0.0;
    b[i] = 1.0;
    c[i] = 2.0;
  }
  for (int r = 0; r < reps; r++) {
    double start = omp_get_wtime();
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
      a[i] = b[i] + s * c[i];
    }
    t[r] = omp_get_wtime() - start;
  }
  for (long i = 0; i < n; i += n / 7 + 1) {
    if (a[i] != 7.0) {
      fprintf(stderr, "triad: wrong result a[%ld] = %g\n", i, a[i]);
      return 1;
    }
  }
  qsort(t, reps, sizeof(double), cmp);
  double bytes = 24.0 * n;
  printf("{\"impl\": \"stream-triad\", \"threads\": %d, \"elements\": %ld, \"reps\": %d, \"best_gbs\": %.2f, "
         "\"median_gbs\": %.2f}\n", omp_get_max_threads(), n, reps, bytes / t[0] * 1e-9, bytes / t[reps / 2] * 1e-9);
  free(a);
  free(b);
  free(c);
  free(t);
  return 0;
}
