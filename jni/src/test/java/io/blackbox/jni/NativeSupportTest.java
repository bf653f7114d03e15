package io.blackbox.jni;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs twice in the build: against the library this module packaged (on Linux with gcc, the native implementation
 * must then be the one in use) and with the fallback forced by {@value NativeSupport#DISABLE_PROP_NAME}; the same
 * contract holds for both.
 */
class NativeSupportTest
{
    private static final boolean FALLBACK_FORCED = Boolean.getBoolean(NativeSupport.DISABLE_PROP_NAME);
    private static final boolean BUNDLED = null != NativeSupport.class.getResource(NativeSupport.bundledResource());

    @Test
    void shouldUseTheBundledLibraryUnlessTheFallbackIsForced()
    {
        assertEquals(BUNDLED && !FALLBACK_FORCED, NativeSupport.isNativeLoaded(),
            () -> "bundled=" + BUNDLED + " forced=" + FALLBACK_FORCED + " reason=" + NativeSupport.loadFailureReason());
    }

    @Test
    void shouldBundleTheLibraryOnLinuxWithACompiler() throws Exception
    {
        assumeTrue(System.getProperty("os.name").equals("Linux") && compilerPresent(), "no gcc here");
        assertTrue(BUNDLED, NativeSupport.bundledResource() + " in the jar");
    }

    @Test
    void shouldSayWhyWhenTheFallbackIsInUse()
    {
        if (NativeSupport.isNativeLoaded())
        {
            assertNull(NativeSupport.loadFailureReason());
        }
        else if (FALLBACK_FORCED)
        {
            assertEquals("disabled by -D" + NativeSupport.DISABLE_PROP_NAME + "=true",
                NativeSupport.loadFailureReason());
        }
    }

    @Test
    void shouldLeaveNoCopyOfTheLibraryBehind() throws Exception
    {
        assumeTrue(NativeSupport.isNativeLoaded(), "native library not loaded");
        try (var entries = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            final long pid = ProcessHandle.current().pid();
            assertEquals(java.util.List.of(), entries.filter(p -> p.getFileName().toString().startsWith("blackbox-jni-"))
                .filter(p -> Files.exists(p.resolve(System.mapLibraryName(NativeSupport.LIBRARY_NAME))))
                .map(Path::toString).toList(), "no extracted library left in the temporary directory (pid " + pid + ")");
        }
        // The loaded copy is mapped though deleted: /proc/self/maps names it "(deleted)".
        final String maps = Files.readString(Path.of("/proc/self/maps"));
        assertTrue(maps.lines().anyMatch(line -> line.contains("blackbox-jni-") && line.endsWith("(deleted)")), maps);
    }

    @Test
    void shouldGiveNonZeroSeedsInBulk()
    {
        final long[] seeds = new long[1000];
        NativeSupport.entropySeeds(seeds, 10, 900);
        final Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < seeds.length; i++)
        {
            if (i < 10 || i >= 910)
            {
                assertEquals(0, seeds[i], "outside the range: untouched");
            }
            else
            {
                assertNotEquals(0, seeds[i]);
                distinct.add(seeds[i]);
            }
        }
        assertTrue(distinct.size() >= 899, () -> "distinct=" + distinct.size());
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
            () -> NativeSupport.entropySeeds(seeds, 950, 100));
    }

    @Test
    void shouldGiveThreadIdsTheKernelListsForThisProcess() throws Exception
    {
        assumeTrue(NativeSupport.isNativeLoaded(), "native library not loaded");
        final AtomicLong other = new AtomicLong();
        final java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            other.set(NativeSupport.hostThreadId());
            read.countDown();
            try
            {
                done.await();
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();
        read.await();
        try (var tasks = Files.list(Path.of("/proc/self/task")))
        {
            final Set<Long> ids = new HashSet<>();
            tasks.forEach(task -> ids.add(Long.parseLong(task.getFileName().toString())));
            assertTrue(ids.contains(NativeSupport.hostThreadId()), ids::toString);
            assertTrue(ids.contains(other.get()), ids::toString);
        }
        finally
        {
            done.countDown();
            thread.join();
        }
    }

    private static boolean compilerPresent() throws Exception
    {
        try
        {
            return new ProcessBuilder("gcc", "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }

    @Test
    void shouldNeverGoBackwardsInMonotonicNanos()
    {
        long previous = NativeSupport.monotonicNanos();
        for (int i = 0; i < 1_000_000; i++)
        {
            final long now = NativeSupport.monotonicNanos();
            if (now < previous)
            {
                fail("went backwards: previous=" + previous + " now=" + now);
            }
            previous = now;
        }
    }

    @Test
    void shouldAdvanceMonotonicNanosAcrossSleep() throws InterruptedException
    {
        final long start = NativeSupport.monotonicNanos();
        Thread.sleep(5);
        final long elapsed = NativeSupport.monotonicNanos() - start;

        assertTrue(elapsed >= 5_000_000L, () -> "elapsed=" + elapsed);
    }

    @Test
    void shouldGiveDifferentHostThreadIdsToDifferentThreads() throws InterruptedException
    {
        final AtomicLong otherId = new AtomicLong();
        final Thread other = new Thread(() -> otherId.set(NativeSupport.hostThreadId()));
        other.start();
        other.join();

        assertNotEquals(NativeSupport.hostThreadId(), otherId.get());
    }

    @Test
    void shouldGiveSameHostThreadIdWithinThread()
    {
        assertEquals(NativeSupport.hostThreadId(), NativeSupport.hostThreadId());
    }

    @Test
    void shouldMatchKernelThreadIdWhenNativeIsLoaded() throws Exception
    {
        assumeTrue(NativeSupport.isNativeLoaded(), "native library not loaded");

        // /proc/thread-self -> "<pid>/task/<tid>"
        final Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        final long tid = Long.parseLong(link.getFileName().toString());

        assertEquals(tid, NativeSupport.hostThreadId());
    }

    @Test
    void shouldGiveDistinctEntropySeeds()
    {
        final Set<Long> seeds = new HashSet<>();
        for (int i = 0; i < 100; i++)
        {
            seeds.add(NativeSupport.entropySeed());
        }

        assertTrue(seeds.size() >= 99, () -> "distinct=" + seeds.size());
    }

    @Test
    void shouldFallBackWithOneLineReasonWhenRequestedLibraryIsMissing() throws Exception
    {
        final String missing = "/nonexistent/dir/libblackboxjni.so";
        final String saved = System.getProperty(NativeSupport.LIBRARY_PATH_PROP_NAME);
        // A fresh class loader initialises a fresh NativeSupport, which reads the property once.
        final URL classes = NativeSupport.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{ classes }, ClassLoader.getPlatformClassLoader()))
        {
            System.setProperty(NativeSupport.LIBRARY_PATH_PROP_NAME, missing);
            final Class<?> isolated = Class.forName(NativeSupport.class.getName(), true, loader);
            assertNotEquals(NativeSupport.class, isolated);

            assertFalse((Boolean)call(isolated, "isNativeLoaded"));
            final String reason = (String)call(isolated, "loadFailureReason");
            assertNotNull(reason);
            assertTrue(reason.contains(missing), reason);
            assertFalse(reason.contains("\n") || reason.contains("\r"), reason);
            assertEquals(Thread.currentThread().getId(), call(isolated, "hostThreadId"));
        }
        finally
        {
            if (null == saved)
            {
                System.clearProperty(NativeSupport.LIBRARY_PATH_PROP_NAME);
            }
            else
            {
                System.setProperty(NativeSupport.LIBRARY_PATH_PROP_NAME, saved);
            }
        }
    }

    private static Object call(final Class<?> type, final String name) throws Exception
    {
        final Method method = type.getMethod(name);
        return method.invoke(null);
    }
}
