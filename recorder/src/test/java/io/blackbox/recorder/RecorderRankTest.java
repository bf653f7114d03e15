package io.blackbox.recorder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A recorder's place in a distributed job: what {@link Recorder#open} refuses, before it creates anything, and what
 * it takes from torchrun's variables. What the recording then says is read back in the tests module
 * ({@code SessionRankTest}).
 */
class RecorderRankTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRefuseARankOutsideItsWorldAndALocalRankWithoutOne()
    {
        assertRefused(new Recorder.Context().rank(4, 4),
            "rank must be 0 to worldSize - 1, worldSize at least 1: rank=4 worldSize=4");
        assertRefused(new Recorder.Context().rank(-2, 4),
            "rank must be 0 to worldSize - 1, worldSize at least 1: rank=-2 worldSize=4");
        assertRefused(new Recorder.Context().rank(0, 0),
            "rank must be 0 to worldSize - 1, worldSize at least 1: rank=0 worldSize=0");
        assertRefused(new Recorder.Context().localRank(0),
            "localRank must be 0 or more, and given with rank: localRank=0 rank=-1");
        assertRefused(new Recorder.Context().rank(1, 2).localRank(-3),
            "localRank must be 0 or more, and given with rank: localRank=-3 rank=1");
        assertRefused(new Recorder.Context().hostName(""), "hostName must be 1 to 255 bytes of UTF-8: hostName=");
        assertRefused(new Recorder.Context().hostName("é".repeat(128)),
            "hostName must be 1 to 255 bytes of UTF-8: hostName=" + "é".repeat(128));
        assertFalse(Files.exists(temp.resolve("refused")), "nothing is created for a refused context");
    }

    @Test
    void shouldTakeTheRankFromTorchrunsVariablesWhenBothAreSet()
    {
        final Recorder.Context all = new Recorder.Context()
            .rankFrom(Map.of("RANK", "3", "WORLD_SIZE", "8", "LOCAL_RANK", " 1 "));
        assertEquals(3, all.rank());
        assertEquals(8, all.worldSize());
        assertEquals(1, all.localRank());

        final Recorder.Context noLocal = new Recorder.Context().rankFrom(Map.of("RANK", "0", "WORLD_SIZE", "1"));
        assertEquals(0, noLocal.rank());
        assertEquals(Recorder.Context.NO_RANK, noLocal.localRank());

        final Recorder.Context half = new Recorder.Context().rankFrom(Map.of("RANK", "2", "LOCAL_RANK", "0"));
        assertEquals(Recorder.Context.NO_RANK, half.rank(), "without WORLD_SIZE there is no place in a job");
        assertEquals(Recorder.Context.NO_RANK, half.localRank());

        final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> new Recorder.Context().rankFrom(Map.of("RANK", "two", "WORLD_SIZE", "4")));
        assertEquals("environment variable RANK is not an integer: RANK=two", bad.getMessage());
    }

    private void assertRefused(final Recorder.Context context, final String message)
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> Recorder.open(context.directory(temp.resolve("refused"))));
        assertEquals(message, refused.getMessage());
    }
}
