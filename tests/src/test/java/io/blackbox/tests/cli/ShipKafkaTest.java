package io.blackbox.tests.cli;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.tests.CommandRun;
import io.blackbox.tests.ExportedFiles;
import io.blackbox.tests.kafka.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code blackbox ship} against a real Kafka broker (KRaft, on loopback, in a JVM of its own), as issue 20 asks: the
 * demo records every family at a training loop's pace while the shipper follows its recording; the shipper is killed
 * with SIGKILL and started again, and so is the broker, once each, mid-way. The files {@code export --bootstrap}
 * writes from the topic must then be the files the recording exports, byte for byte, the summary included.
 */
class ShipKafkaTest
{
    private static final String TOPIC = "telemetry";

    @TempDir
    Path temp;

    @Test
    void shouldShipALiveRecordingThroughAShipperAndABrokerKilledMidWayAndExportTheSameFiles() throws Exception
    {
        final Path home = Files.createDirectory(temp.resolve("home"));
        final Path demo = temp.resolve("demo");
        final Path recording = demo.resolve("recording");
        try (KafkaBroker broker = KafkaBroker.start(temp.resolve("broker")))
        {
            broker.createTopic(TOPIC, 3);
            final Process recorder = BlackboxJar.command(home, temp, "demo", "--steps", "3000", "--threads", "1",
                    "--steps-per-second", "300", "--out", demo.toString())
                .redirectOutput(temp.resolve("demo.out").toFile())
                .redirectError(temp.resolve("demo.err").toFile())
                .start();
            try
            {
                awaitFile(recording.resolve("queue"), recorder);
                Process shipper = ship(home, recording, broker, 1);
                Thread.sleep(2_000);
                shipper.destroyForcibly().waitFor(); // kill -9, mid-way
                shipper = ship(home, recording, broker, 2);
                Thread.sleep(2_000);
                broker.kill();
                Thread.sleep(2_000);
                broker.restart();

                // Guards against a hung child only, not performance checks.
                assertTrue(recorder.waitFor(5, TimeUnit.MINUTES), "the demo ended");
                assertEquals(0, recorder.exitValue(), () -> read(temp.resolve("demo.out")) + read(temp.resolve("demo.err")));
                assertTrue(shipper.waitFor(5, TimeUnit.MINUTES), "the shipper ended after the recorder closed");
                assertEquals(0, shipper.exitValue(), () -> read(temp.resolve("ship-2.out")) + read(temp.resolve("ship-2.err")));
                assertTrue(read(temp.resolve("ship-2.out")).contains("shipped "), () -> read(temp.resolve("ship-2.out")));
            }
            finally
            {
                recorder.destroyForcibly();
            }

            final Path local = temp.resolve("local");
            final RecordingExport.Result exported = RecordingExport.export(recording, local, 1, records -> {});
            assertEquals(0, exported.damageCount(), () -> String.join("\n", exported.damage()));
            assertTrue(exported.records() > 10_000, "the demo recorded: " + exported.records());

            final Path collected = temp.resolve("collected");
            final CommandRun export = CommandRun.of("export", "--bootstrap", broker.bootstrap(), "--topic", TOPIC,
                "--out", collected.toString());
            assertEquals(0, export.exit(), export::err);

            ExportedFiles.assertSame(local, collected);
        }
    }

    private Process ship(final Path home, final Path recording, final KafkaBroker broker, final int run)
        throws IOException
    {
        return BlackboxJar.command(home, temp, "ship", "--recording", recording.toString(), "--bootstrap",
                broker.bootstrap(), "--topic", TOPIC)
            .redirectOutput(temp.resolve("ship-" + run + ".out").toFile())
            .redirectError(temp.resolve("ship-" + run + ".err").toFile())
            .start();
    }

    private static void awaitFile(final Path file, final Process process) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(file))
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                fail(file + " did not appear");
            }
            Thread.sleep(20);
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return file + ": " + ex;
        }
    }
}
