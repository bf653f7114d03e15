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

/* Fill out[0..count) from getrandom(2), every value non-zero. Returns 0, or -1 with the error raised. */
static int fill_non_zero(JNIEnv *env, uint64_t *out, size_t count)
{
    unsigned char *bytes = (unsigned char *)out;
    const size_t length = count * sizeof(uint64_t);
    size_t filled = 0;

    /* Small requests normally complete at once, but a signal may interrupt or shorten one. */
    while (filled < length)
    {
        const ssize_t n = getrandom(bytes + filled, length - filled, 0);
        if (n < 0)
        {
            if (EINTR == errno)
            {
                continue;
            }
            throw_errno(env, "getrandom", errno);
            return -1;
        }
        filled += (size_t)n;
    }

    /* A zero seed means "no seed" to Clamp's readers: draw again (one chance in 2^64 a value). */
    for (size_t i = 0; i < count; i++)
    {
        while (0 == out[i])
        {
            const ssize_t n = getrandom(&out[i], sizeof(out[i]), 0);
            if (n < 0 && EINTR != errno)
            {
                throw_errno(env, "getrandom", errno);
                return -1;
            }
            if (n >= 0 && (size_t)n < sizeof(out[i]))
            {
                out[i] = 0; /* a short read: draw the whole value again */
            }
        }
    }

    return 0;
}

JNIEXPORT jlong JNICALL Java_io_blackbox_jni_NativeSupport_00024Natives_entropySeed(JNIEnv *env, jclass clazz)
{
    (void)clazz;
    uint64_t seed = 0;

    return 0 == fill_non_zero(env, &seed, 1) ? (jlong)seed : 0;
}

JNIEXPORT void JNICALL Java_io_blackbox_jni_NativeSupport_00024Natives_fillEntropySeeds(
    JNIEnv *env, jclass clazz, jlongArray seeds, jint offset, jint count)
{
    (void)clazz;
    /* The Java caller checked the bounds. One getrandom(2) per 64 seeds into a stack buffer, copied into the array:
       no allocation, and no critical region held across a system call that may block early in boot. */
    uint64_t local[64];
    jint done = 0;

    while (done < count)
    {
        const jint chunk = count - done < 64 ? count - done : 64;
        if (0 != fill_non_zero(env, local, (size_t)chunk))
        {
            return;
        }
        (*env)->SetLongArrayRegion(env, seeds, offset + done, chunk, (const jlong *)local);
        done += chunk;
    }
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
