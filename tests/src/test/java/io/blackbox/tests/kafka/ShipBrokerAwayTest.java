package io.blackbox.tests.kafka;

import io.blackbox.exporter.family.TelemetryFamilies;
import io.blackbox.exporter.ship.RecordingShipper;
import io.blackbox.tests.family.FamilyRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A ship whose broker never answers (nothing listens on its port): it waits and retries without failing, sends
 * nothing it could lose, and stops when asked, leaving no position that claims anything was shipped.
 */
class ShipBrokerAwayTest
{
    @TempDir
    Path temp;

    @Test
    void shouldWaitForABrokerThatIsAwayAndStopWhenAskedWithNothingClaimedShipped() throws Exception
    {
        final Path recording = temp.resolve("recording");
        FamilyRecordings.recordWorkload(TelemetryFamilies.byName("gradience"), recording, 3);
        final int port;
        try (ServerSocket socket = new ServerSocket(0))
        {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        final long stopAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        final RecordingShipper.Result result = RecordingShipper.ship(recording, "127.0.0.1:" + port, "away",
            Map.of("reconnect.backoff.max.ms", "200"), new RecordingShipper.Control()
            {
                public boolean stopRequested()
                {
                    return System.nanoTime() >= stopAt;
                }

                public void idle() throws InterruptedException
                {
                    Thread.sleep(10);
                }
            });

        assertTrue(result.stopped(), result::toString);
        assertEquals(0, result.excerpts(), "nothing acknowledged");
        assertEquals(List.of(), result.damage());
        final Path position = recording.resolve("shipped-away.properties");
        assertFalse(Files.exists(position) && !Files.readString(position).contains("excerpts=0"),
            () -> "a position that claims nothing: " + position);
    }
}
