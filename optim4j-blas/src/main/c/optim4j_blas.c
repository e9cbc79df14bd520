/*
 * The JNI shim behind org.optim4j.blas.OpenBlas: row-major cblas_sgemm/cblas_dgemm straight on the
 * Java heap arrays.
 *
 * The arrays are pinned with GetPrimitiveArrayCritical, which on HotSpot hands out the array itself
 * (no copy in, no copy out); the product runs inside the critical region, during which the JVM may
 * delay a garbage collection. Nothing in a critical region calls back into the JVM.
 *
 * OpenBLAS is not linked: open() dlopen()s the library whose path Java passes (the one JavaCPP's Loader
 * extracts from the org.bytedeco:openblas jar, or any library with the CBLAS symbols) and looks the
 * functions up with dlsym(), so this file compiles with nothing but gcc, the JDK's jni.h and the header
 * that javac -h writes for OpenBlas.java (which makes gcc check these signatures against the natives).
 */
#include <dlfcn.h>
#include <jni.h>
#include <stddef.h>

#include "org_optim4j_blas_OpenBlas.h"

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                         float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int,
                         double, double *, int);
typedef void (*set_threads_fn)(int);
typedef char *(*config_fn)(void);

static sgemm_fn sgemm;
static dgemm_fn dgemm;
static set_threads_fn set_threads;
static config_fn config;

/* Returns NULL when the library is open and its symbols found, else a description of the failure. */
JNIEXPORT jstring JNICALL Java_org_optim4j_blas_OpenBlas_open(JNIEnv *env, jclass cls, jstring path) {
  (void)cls;
  const char *file = (*env)->GetStringUTFChars(env, path, NULL);
  if (file == NULL) {
    return NULL; /* OutOfMemoryError pending */
  }
  void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
  (*env)->ReleaseStringUTFChars(env, path, file);
  if (lib == NULL) {
    const char *why = dlerror();
    return (*env)->NewStringUTF(env, why != NULL ? why : "dlopen failed");
  }
  sgemm_fn s = (sgemm_fn)dlsym(lib, "cblas_sgemm");
  dgemm_fn d = (dgemm_fn)dlsym(lib, "cblas_dgemm");
  if (s == NULL || d == NULL) {
    return (*env)->NewStringUTF(env, "the library has no cblas_sgemm or cblas_dgemm");
  }
  set_threads = (set_threads_fn)dlsym(lib, "openblas_set_num_threads");
  config = (config_fn)dlsym(lib, "openblas_get_config");
  sgemm = s;
  dgemm = d;
  return NULL;
}

/* The library's build description (openblas_get_config), or NULL when it has none. */
JNIEXPORT jstring JNICALL Java_org_optim4j_blas_OpenBlas_config(JNIEnv *env, jclass cls) {
  (void)cls;
  return config != NULL ? (*env)->NewStringUTF(env, config()) : NULL;
}

/* openblas_set_num_threads, when the library has it; returns whether it does. */
JNIEXPORT jboolean JNICALL Java_org_optim4j_blas_OpenBlas_setThreads(JNIEnv *env, jclass cls, jint n) {
  (void)env;
  (void)cls;
  if (set_threads == NULL) {
    return JNI_FALSE;
  }
  set_threads(n);
  return JNI_TRUE;
}

/*
 * Pins the three arrays; on failure (an OutOfMemoryError is then pending) releases what it pinned and
 * returns 0.
 */
static int pin(JNIEnv *env, jarray a, jarray b, jarray c, void **pa, void **pb, void **pc) {
  *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);
  if (*pa == NULL) {
    return 0;
  }
  *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
  if (*pb == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, a, *pa, JNI_ABORT);
    return 0;
  }
  *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);
  if (*pc == NULL) {
    (*env)->ReleasePrimitiveArrayCritical(env, b, *pb, JNI_ABORT);
    (*env)->ReleasePrimitiveArrayCritical(env, a, *pa, JNI_ABORT);
    return 0;
  }
  return 1;
}

/* Unpins in reverse order; only C is written back (a no-op when the JVM handed out the array itself). */
static void unpin(JNIEnv *env, jarray a, jarray b, jarray c, void *pa, void *pb, void *pc) {
  (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);
  (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);
  (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_org_optim4j_blas_OpenBlas_sgemm(JNIEnv *env, jclass cls, jboolean transA,
    jboolean transB, jint m, jint n, jint k, jfloat alpha, jfloatArray a, jint aOff, jint lda, jfloatArray b,
    jint bOff, jint ldb, jfloat beta, jfloatArray c, jint cOff, jint ldc) {
  (void)cls;
  void *pa, *pb, *pc;
  if (!pin(env, a, b, c, &pa, &pb, &pc)) {
    return;
  }
  sgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
        (const float *)pa + aOff, lda, (const float *)pb + bOff, ldb, beta, (float *)pc + cOff, ldc);
  unpin(env, a, b, c, pa, pb, pc);
}

JNIEXPORT void JNICALL Java_org_optim4j_blas_OpenBlas_dgemm(JNIEnv *env, jclass cls, jboolean transA,
    jboolean transB, jint m, jint n, jint k, jdouble alpha, jdoubleArray a, jint aOff, jint lda, jdoubleArray b,
    jint bOff, jint ldb, jdouble beta, jdoubleArray c, jint cOff, jint ldc) {
  (void)cls;
  void *pa, *pb, *pc;
  if (!pin(env, a, b, c, &pa, &pb, &pc)) {
    return;
  }
  dgemm(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
        (const double *)pa + aOff, lda, (const double *)pb + bOff, ldb, beta, (double *)pc + cOff, ldc);
  unpin(env, a, b, c, pa, pb, pc);
}
