package io.blackbox.jni;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Host facts that the JDK does not expose directly, read through a small C shim ({@code libblackboxjni.so}) when it
 * is available and derived in pure Java when it is not.
 * <p>
 * The library is looked for once, when this class initialises:
 * <ol>
 *     <li>if the system property {@value #LIBRARY_PATH_PROP_NAME} is set, the file it names is loaded with
 *     {@link System#load(String)} (a relative path is resolved against the working directory);</li>
 *     <li>otherwise {@code System.loadLibrary("}{@value #LIBRARY_NAME}{@code ")} searches {@code java.library.path}.</li>
 * </ol>
 * Any failure falls back to pure Java silently: nothing is printed and nothing is thrown. {@link #isNativeLoaded()}
 * says which implementation is in use and {@link #loadFailureReason()} says why the native one is not.
 * <p>
 * All methods are thread safe; the native ones make one system call (or a vDSO call) and allocate nothing.
 */
public final class NativeSupport
{
    /**
     * System property naming the shared library file to load instead of searching {@code java.library.path}.
     */
    public static final String LIBRARY_PATH_PROP_NAME = "blackbox.jni.library";

    /**
     * Name of the library for {@link System#loadLibrary(String)}: {@code libblackboxjni.so} on Linux.
     */
    public static final String LIBRARY_NAME = "blackboxjni";

    /** What {@link #load()} returns when no library was found and none was asked for: not worth reporting. */
    private static final String NOT_FOUND = "";

    private static final boolean NATIVE_LOADED;
    private static final String LOAD_FAILURE_REASON;

    static
    {
        final String reason = load();
        NATIVE_LOADED = null == reason;
        LOAD_FAILURE_REASON = NOT_FOUND.equals(reason) ? null : reason;
    }

    private NativeSupport()
    {
    }

    /**
     * Whether the native library was loaded and linked, so that the other methods read the OS directly.
     *
     * @return true when the native implementation is in use, false when the pure-Java fallback is.
     */
    public static boolean isNativeLoaded()
    {
        return NATIVE_LOADED;
    }

    /**
     * Why the native library is not in use.
     *
     * @return null when it is loaded, or when it was simply not found and no path was requested through
     * {@value #LIBRARY_PATH_PROP_NAME}; otherwise a one-line reason.
     */
    public static String loadFailureReason()
    {
        return LOAD_FAILURE_REASON;
    }

    /**
     * The operating system's id of the calling thread: {@code gettid(2)} on Linux, the id that {@code top -H},
     * {@code perf} and {@code /proc/<pid>/task/} show.
     * <p>
     * Fallback: {@link Thread#getId()}, which is unique among live threads of this JVM but is not an OS id.
     *
     * @return the id of the calling thread.
     */
    public static long hostThreadId()
    {
        return NATIVE_LOADED ? Natives.hostThreadId() : Thread.currentThread().getId();
    }

    /**
     * 64 bits from the operating system's entropy source, {@code getrandom(2)}, for seeding generators.
     * <p>
     * Fallback: a long from a {@link SecureRandom} shared by all callers.
     *
     * @return 64 random bits.
     */
    public static long entropySeed()
    {
        return NATIVE_LOADED ? Natives.entropySeed() : FallbackEntropy.RANDOM.nextLong();
    }

    /**
     * Nanoseconds from {@code clock_gettime(CLOCK_MONOTONIC)}: never goes backwards, has an arbitrary origin, and is
     * comparable across processes on the same host (unlike a JVM's {@link System#nanoTime()} in general).
     * <p>
     * Fallback: {@link System#nanoTime()}.
     *
     * @return monotonic time in nanoseconds.
     */
    public static long monotonicNanos()
    {
        return NATIVE_LOADED ? Natives.monotonicNanos() : System.nanoTime();
    }

    /**
     * @return null when loaded and linked, {@link #NOT_FOUND} when no path was requested and none of
     * {@code java.library.path} holds the library, otherwise a one-line reason.
     */
    private static String load()
    {
        final String property = System.getProperty(LIBRARY_PATH_PROP_NAME);
        final String requestedPath = null == property || property.isBlank() ? null : property;
        try
        {
            if (null != requestedPath)
            {
                // Only the file asked for: silently loading a different one from the search path would mislead.
                System.load(Path.of(requestedPath).toAbsolutePath().toString());
            }
            else
            {
                System.loadLibrary(LIBRARY_NAME);
            }

            // Link every native now, so a stale or partial library falls back here rather than failing a caller.
            Natives.hostThreadId();
            Natives.entropySeed();
            Natives.monotonicNanos();
            return null;
        }
        catch (final UnsatisfiedLinkError ex)
        {
            if (null == requestedPath && !isOnLibraryPath())
            {
                return NOT_FOUND;
            }
            return reason(requestedPath, ex);
        }
        catch (final SecurityException | IllegalStateException | InvalidPathException ex)
        {
            return reason(requestedPath, ex);
        }
    }

    private static boolean isOnLibraryPath()
    {
        final String fileName = System.mapLibraryName(LIBRARY_NAME);
        for (final String dir : System.getProperty("java.library.path", "").split(File.pathSeparator))
        {
            if (!dir.isEmpty() && new File(dir, fileName).exists())
            {
                return true;
            }
        }
        return false;
    }

    private static String reason(final String requestedPath, final Throwable ex)
    {
        final String where = null != requestedPath ?
            LIBRARY_PATH_PROP_NAME + "=" + requestedPath :
            "library=" + System.mapLibraryName(LIBRARY_NAME);
        final String message = null == ex.getMessage() ? "" : ": " + ex.getMessage();
        return (where + " " + ex.getClass().getSimpleName() + message).replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The natives, in their own class so that the fallback path never links them.
     * Implemented in {@code src/main/c/blackbox_jni.c}; each throws {@link IllegalStateException} if the OS call fails.
     */
    private static final class Natives
    {
        static native long hostThreadId();

        static native long entropySeed();

        static native long monotonicNanos();
    }

    /** Created only when the fallback is first used. */
    private static final class FallbackEntropy
    {
        static final SecureRandom RANDOM = new SecureRandom();
    }
}
