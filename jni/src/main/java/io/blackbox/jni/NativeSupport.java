package io.blackbox.jni;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
 *     {@link System#load(String)} (a relative path is resolved against the working directory), and only that file;</li>
 *     <li>if {@value #DISABLE_PROP_NAME} is {@code true}, none is: the fallback is forced (tests of the fallback);</li>
 *     <li>otherwise the library this jar carries for the platform ({@link #bundledResource()}, built by {@code mvn}
 *     where a C compiler and the JDK's headers are) is copied into a directory of this process's own (owner-only,
 *     under {@code java.io.tmpdir}), loaded, and the copy and directory deleted at once: the loaded library stays
 *     mapped, and nothing is left in a shared folder;</li>
 *     <li>otherwise {@code System.loadLibrary("}{@value #LIBRARY_NAME}{@code ")} searches {@code java.library.path}.</li>
 * </ol>
 * Any failure falls back to pure Java: nothing is thrown, and one line on standard error says which fallback is in use
 * and why (once per class loader). {@link #isNativeLoaded()} says which implementation is in use and
 * {@link #loadFailureReason()} says why the native one is not.
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

    /**
     * System property that, when {@code true}, forces the pure-Java fallback (no library is loaded).
     */
    public static final String DISABLE_PROP_NAME = "blackbox.jni.disable";

    /** What {@link #load()} returns when no library was found and none was asked for: not worth reporting. */
    private static final String NOT_FOUND = "";

    private static final boolean NATIVE_LOADED;
    private static final String LOAD_FAILURE_REASON;

    static
    {
        final String reason = load();
        NATIVE_LOADED = null == reason;
        LOAD_FAILURE_REASON = NOT_FOUND.equals(reason) ? null : reason;
        if (!NATIVE_LOADED)
        {
            // Said once, so that a user knows thread ids are not the OS's before reading them in a file.
            System.err.println("blackbox: native support not loaded (" +
                (null == LOAD_FAILURE_REASON ? "no " + System.mapLibraryName(LIBRARY_NAME) + " for " + platform() +
                " in this jar or on java.library.path" : LOAD_FAILURE_REASON) + "): using the pure-Java fallback " +
                "(thread ids are the JVM's, not the OS's; seeds from SecureRandom; System.nanoTime)");
        }
    }

    /**
     * @return where this jar carries the library for this platform, e.g.
     * {@code /io/blackbox/jni/linux-amd64/libblackboxjni.so}.
     */
    public static String bundledResource()
    {
        return "/io/blackbox/jni/" + platform() + "/" + System.mapLibraryName(LIBRARY_NAME);
    }

    private static String platform()
    {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).replace(' ', '_') + "-" +
            System.getProperty("os.arch", "");
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
     * Never zero: a zero is drawn again (Clamp's readers take a zero seed for "no seed").
     * <p>
     * Fallback: a long from a {@link SecureRandom} shared by all callers.
     *
     * @return 64 random bits, not all zero.
     */
    public static long entropySeed()
    {
        return NATIVE_LOADED ? Natives.entropySeed() : FallbackEntropy.nonZero();
    }

    /**
     * Fill {@code seeds[offset, offset + count)} with {@link #entropySeed()}s in one system call per 64 seeds: for a
     * pool of seeds refilled off the hot path. Allocates nothing.
     *
     * @param seeds  where the seeds go.
     * @param offset the first index filled.
     * @param count  how many.
     * @throws IndexOutOfBoundsException when the range is not in {@code seeds}.
     */
    public static void entropySeeds(final long[] seeds, final int offset, final int count)
    {
        java.util.Objects.checkFromIndexSize(offset, count, seeds.length);
        if (NATIVE_LOADED)
        {
            Natives.fillEntropySeeds(seeds, offset, count);
        }
        else
        {
            for (int i = offset; i < offset + count; i++)
            {
                seeds[i] = FallbackEntropy.nonZero();
            }
        }
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
        if (null == requestedPath && Boolean.getBoolean(DISABLE_PROP_NAME))
        {
            return "disabled by -D" + DISABLE_PROP_NAME + "=true";
        }
        try
        {
            if (null != requestedPath)
            {
                // Only the file asked for: silently loading a different one from the search path would mislead.
                System.load(Path.of(requestedPath).toAbsolutePath().toString());
            }
            else if (!loadBundled())
            {
                System.loadLibrary(LIBRARY_NAME);
            }

            // Link every native now, so a stale or partial library falls back here rather than failing a caller.
            Natives.hostThreadId();
            Natives.entropySeed();
            Natives.monotonicNanos();
            Natives.fillEntropySeeds(new long[1], 0, 1);
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
        catch (final SecurityException | IllegalStateException | InvalidPathException | IOException ex)
        {
            return reason(requestedPath, ex);
        }
    }

    /**
     * Load the library this jar carries for the platform, from a copy in a directory of this process's own that is
     * deleted as soon as the library is loaded.
     *
     * @return false when the jar carries none for this platform.
     */
    private static boolean loadBundled() throws IOException
    {
        try (InputStream in = NativeSupport.class.getResourceAsStream(bundledResource()))
        {
            if (null == in)
            {
                return false;
            }
            final Path directory = Files.createTempDirectory("blackbox-jni-"); // owner-only on POSIX
            final Path copy = directory.resolve(System.mapLibraryName(LIBRARY_NAME));
            try
            {
                Files.copy(in, copy);
                System.load(copy.toString());
            }
            finally
            {
                // Once loaded, the library stays mapped: the file is not needed, and nothing is left behind.
                Files.deleteIfExists(copy);
                Files.deleteIfExists(directory);
            }
            return true;
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

        static native void fillEntropySeeds(long[] seeds, int offset, int count);
    }

    /** Created only when the fallback is first used. */
    private static final class FallbackEntropy
    {
        static final SecureRandom RANDOM = new SecureRandom();

        static long nonZero()
        {
            long seed;
            do
            {
                seed = RANDOM.nextLong();
            }
            while (0 == seed);
            return seed;
        }
    }
}
