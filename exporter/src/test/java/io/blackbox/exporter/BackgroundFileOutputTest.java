package io.blackbox.exporter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackgroundFileOutputTest
{
    @TempDir
    Path temp;

    @Test
    void shouldHoldEveryByteOfManyFilesWrittenInTurnOnceClosed() throws IOException
    {
        final int files = 5;
        final BackgroundFileOutput[] outs = new BackgroundFileOutput[files];
        final ByteArrayOutputStream[] expected = new ByteArrayOutputStream[files];
        for (int f = 0; f < files; f++)
        {
            outs[f] = new BackgroundFileOutput(temp.resolve(f + ".jsonl"));
            expected[f] = new ByteArrayOutputStream();
        }
        final SplittableRandom random = new SplittableRandom(3);
        final byte[] bytes = new byte[3 * BackgroundFileOutput.CHUNK_BYTES];
        for (int i = 0; i < 2_000; i++)
        {
            final int f = random.nextInt(files);
            // Lines of a few bytes up to more than a chunk, so chunks fill part-way, exactly and across.
            final int length = random.nextInt(10) == 0 ? random.nextInt(bytes.length) : random.nextInt(300);
            for (int b = 0; b < length; b++)
            {
                bytes[b] = (byte)('a' + (i + b) % 26);
            }
            outs[f].write(bytes, 0, length);
            expected[f].write(bytes, 0, length);
        }
        for (int f = 0; f < files; f++)
        {
            outs[f].close();
            outs[f].close(); // twice is once
            assertArrayEquals(expected[f].toByteArray(), Files.readAllBytes(temp.resolve(f + ".jsonl")), "file " + f);
        }
    }

    @Test
    void shouldHoldEveryByteOfFilesWrittenFromSeveralThreadsAtOnce() throws Exception
    {
        // An export on several threads: each thread writes files of its own, all through the one background writer.
        final int threads = 3;
        final int filesPerThread = 2;
        final ByteArrayOutputStream[][] expected = new ByteArrayOutputStream[threads][filesPerThread];
        final List<Thread> writers = new ArrayList<>();
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < threads; t++)
        {
            final int thread = t;
            final Thread writer = new Thread(() ->
            {
                try
                {
                    writeInTurn(thread, filesPerThread, expected[thread]);
                }
                catch (final Throwable ex)
                {
                    failures.add(ex);
                }
            }, "writer-" + t);
            writers.add(writer);
            writer.start();
        }
        for (final Thread writer : writers)
        {
            writer.join();
        }

        assertEquals(List.of(), List.copyOf(failures));
        for (int t = 0; t < threads; t++)
        {
            for (int f = 0; f < filesPerThread; f++)
            {
                assertArrayEquals(expected[t][f].toByteArray(), Files.readAllBytes(temp.resolve(t + "-" + f + ".jsonl")),
                    "thread " + t + " file " + f);
            }
        }
    }

    private void writeInTurn(final int thread, final int files, final ByteArrayOutputStream[] expected)
        throws IOException
    {
        final BackgroundFileOutput[] outs = new BackgroundFileOutput[files];
        for (int f = 0; f < files; f++)
        {
            outs[f] = new BackgroundFileOutput(temp.resolve(thread + "-" + f + ".jsonl"));
            expected[f] = new ByteArrayOutputStream();
        }
        final SplittableRandom random = new SplittableRandom(thread);
        final byte[] bytes = new byte[2 * BackgroundFileOutput.CHUNK_BYTES];
        for (int i = 0; i < 1_000; i++)
        {
            final int f = random.nextInt(files);
            final int length = random.nextInt(10) == 0 ? random.nextInt(bytes.length) : random.nextInt(300);
            for (int b = 0; b < length; b++)
            {
                bytes[b] = (byte)('a' + (thread + i + b) % 26);
            }
            outs[f].write(bytes, 0, length);
            expected[f].write(bytes, 0, length);
        }
        for (final BackgroundFileOutput out : outs)
        {
            out.close();
        }
    }

    @Test
    void shouldFailTheCloseOfAFileWhoseBackgroundWritesFailed() throws IOException
    {
        // Every write to /dev/full fails with "No space left on device", as a full disk does.
        final Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(full), "Linux's /dev/full");
        final BackgroundFileOutput out = new BackgroundFileOutput(full);
        final byte[] bytes = new byte[BackgroundFileOutput.CHUNK_BYTES];
        final IOException ex = assertThrows(IOException.class, () ->
        {
            // Past the chunks in flight, a write waits for a written one: by then the first failure is known.
            for (int i = 0; i < 3 * BackgroundFileOutput.CHUNKS_IN_FLIGHT; i++)
            {
                out.write(bytes, 0, bytes.length);
            }
        });
        assertTrue(ex.getMessage().startsWith("cannot write /dev/full: "), ex.getMessage());
        final IOException atClose = assertThrows(IOException.class, out::close, "the close says so too");
        assertTrue(atClose.getMessage().startsWith("cannot write /dev/full: "), atClose.getMessage());
    }
}
