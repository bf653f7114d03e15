/*
 * Natives of io.blackbox.jni.NativeSupport (its private nested class Natives).
 * Each call is one system call or vDSO call; none allocates. On a failing OS call an
 * IllegalStateException is raised naming the call and errno, and the return value is ignored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void throw_errno(JNIEnv *env, const char *call, int err)
{
    char message[160];
    snprintf(message, sizeof(message), "%s failed: errno=%d (%s)", call, err, strerror(err));
    jclass type = (*env)->FindClass(env, "java/lang/IllegalStateException");
    if (NULL != type) /* else FindClass has already raised an error */
    {
        (*env)->ThrowNew(env, type, message);
    }
}

JNIEXPORT jlong JNICALL Java_io_blackbox_jni_NativeSupport_00024Natives_hostThreadId(JNIEnv *env, jclass clazz)
{
    (void)env;
    (void)clazz;
    /* glibc only gained a gettid() wrapper in 2.30; the system call works everywhere. */
    return (jlong)syscall(SYS_gettid);
}

JNIEXPORT jlong JNICALL Java_io_blackbox_jni_NativeSupport_00024Natives_entropySeed(JNIEnv *env, jclass clazz)
{
    (void)clazz;
    uint64_t seed = 0;
    unsigned char *out = (unsigned char *)&seed;
    size_t filled = 0;

    /* Small requests normally complete at once, but a signal may interrupt or shorten one. */
    while (filled < sizeof(seed))
    {
        const ssize_t n = getrandom(out + filled, sizeof(seed) - filled, 0);
        if (n < 0)
        {
            if (EINTR == errno)
            {
                continue;
            }
            throw_errno(env, "getrandom", errno);
            return 0;
        }
        filled += (size_t)n;
    }

    return (jlong)seed;
}

JNIEXPORT jlong JNICALL Java_io_blackbox_jni_NativeSupport_00024Natives_monotonicNanos(JNIEnv *env, jclass clazz)
{
    (void)clazz;
    struct timespec now;
    if (0 != clock_gettime(CLOCK_MONOTONIC, &now))
    {
        throw_errno(env, "clock_gettime(CLOCK_MONOTONIC)", errno);
        return 0;
    }

    return (jlong)now.tv_sec * 1000000000LL + (jlong)now.tv_nsec;
}
