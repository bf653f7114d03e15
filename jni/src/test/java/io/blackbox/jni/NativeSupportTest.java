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
 * Runs against the pure-Java fallback in the default build and against libblackboxjni.so under {@code -Pnative},
 * which sets {@value NativeSupport#LIBRARY_PATH_PROP_NAME}.
 */
class NativeSupportTest
{
    private static final boolean NATIVE_REQUESTED = null != System.getProperty(NativeSupport.LIBRARY_PATH_PROP_NAME);

    @Test
    void shouldLoadNativeExactlyWhenLibraryPathIsGiven()
    {
        assertEquals(NATIVE_REQUESTED, NativeSupport.isNativeLoaded(), () -> "reason=" + NativeSupport.loadFailureReason());
    }

    @Test
    void shouldReportNoLoadFailureWhenLoadedOrNotRequested()
    {
        assertNull(NativeSupport.loadFailureReason());
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
