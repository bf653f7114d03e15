package io.blackbox.tests.ppo;

import io.blackbox.exporter.Samples;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.ppo.PpoWire;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox watch ppo FILE --once [--state S]} through the real command line, on records made from townlet's 1.1
 * sample: each rule alerts past its threshold and not short of it; a stream that grows by a half line, a blank line and
 * the rest between runs; a restarted watcher with its state gives every alert exactly once; a state of another stream
 * is refused.
 */
class PpoWatchTest
{
    @TempDir
    Path temp;

    private static CommandRun watch(final String... args)
    {
        final String[] command = new String[args.length + 2];
        command[0] = "watch";
        command[1] = PpoWire.FAMILY;
        System.arraycopy(args, 0, command, 2, args.length);
        return CommandRun.of(command);
    }

    private int samples;

    /**
     * townlet's 1.1 sample as record {@code offset}, made healthy (the sample's toy run has zero entropy, which the
     * default entropy rule rightly calls a collapse), with one key set to {@code value} when {@code key} is given.
     */
    private String record(final int offset, final String key, final String value) throws IOException
    {
        final String sample = Files.readString(Samples.copy(PpoWire.FAMILY, Samples.PPO_1_1,
            Files.createDirectories(temp.resolve("sample-" + samples++)))).strip();
        String line = sample.replace("\"log_stream_offset\": 1.0", "\"log_stream_offset\": " + offset + ".0")
            .replace("\"epoch\": 1.0", "\"epoch\": " + offset + ".0")
            .replace("\"batch_entropy_mean\": 0.0", "\"batch_entropy_mean\": 1.2");
        if (null != key)
        {
            line = line.replaceFirst("\"" + key + "\": [^,}]+", "\"" + key + "\": " + value);
        }
        return line;
    }

    @Test
    void shouldAlertOnEachRulePastItsThresholdOnly() throws IOException
    {
        final Path file = temp.resolve("run.jsonl");
        Files.writeString(file, String.join("\n",
            record(1, null, null),
            record(2, "kl_divergence_max", "0.08"),
            record(3, "grad_norm_max", "12.5"),
            record(4, "batch_entropy_mean", "0.01"),
            record(5, "reward_advantage_corr", "-0.3"),
            record(6, "loss_total", "9.0"),
            record(7, "kl_divergence_max", "0.05")) + "\n");

        final CommandRun run = watch(file.toString(), "--once", "--entropy-threshold", "0.05", "--loss-threshold", "5");

        assertEquals(2, run.exit(), run::toString);
        assertEquals(List.of(
            "ALERT " + file + ":2: log_stream_offset 2, epoch 2: KL: kl_divergence_max 0.08 above 0.05",
            "ALERT " + file + ":3: log_stream_offset 3, epoch 3: gradient norm: grad_norm_max 12.5 above 10",
            "ALERT " + file + ":4: log_stream_offset 4, epoch 4: entropy collapse: batch_entropy_mean 0.01 below 0.05",
            "ALERT " + file + ":5: log_stream_offset 5, epoch 5: reward-advantage correlation: reward_advantage_corr " +
                "-0.3 below 0",
            "ALERT " + file + ":6: log_stream_offset 6, epoch 6: loss: loss_total 9 above 5"), run.outLines("ALERT "));

        final CommandRun off = watch(file.toString(), "--once", "--kl-threshold", "off", "--grad-threshold", "off",
            "--entropy-threshold", "off", "--reward-corr-threshold", "off");
        assertEquals(0, off.exit(), off::toString);
        assertEquals(List.of(), off.outLines("ALERT "));
    }

    @Test
    void shouldGiveEveryAlertOnceAcrossRestartsAsTheStreamGrows() throws IOException
    {
        final Path file = temp.resolve("growing.jsonl");
        final Path state = temp.resolve("watch.state");
        Files.writeString(file, record(1, null, null) + "\n" + record(2, "kl_divergence_max", "0.09") + "\n");

        final CommandRun first = watch(file.toString(), "--once", "--state", state.toString());
        assertEquals(List.of("ALERT " + file + ":2: log_stream_offset 2, epoch 2: KL: kl_divergence_max 0.09 above 0.05"),
            first.outLines("ALERT "));

        // A record being written: half of it, no newline yet. Nothing is read of it.
        final String third = record(3, "grad_norm_max", "50.0");
        final int half = third.length() / 2;
        Files.writeString(file, third.substring(0, half), StandardOpenOption.APPEND);
        final CommandRun second = watch(file.toString(), "--once", "--state", state.toString());
        assertEquals(0, second.exit(), second::toString);
        assertEquals(List.of(), second.outLines("ALERT "), "no alert repeated, the half line not read");
        assertEquals("", second.err(), "a half line is no problem");

        // The rest of it, a blank line, and one more alerting record.
        Files.writeString(file, third.substring(half) + "\n\n" + record(4, "kl_divergence_max", "0.07") + "\n",
            StandardOpenOption.APPEND);
        final CommandRun third2 = watch(file.toString(), "--once", "--state", state.toString());
        assertEquals(2, third2.exit(), third2::toString);
        assertEquals(List.of(
            "ALERT " + file + ":3: log_stream_offset 3, epoch 3: gradient norm: grad_norm_max 50 above 10",
            "ALERT " + file + ":5: log_stream_offset 4, epoch 4: KL: kl_divergence_max 0.07 above 0.05"),
            third2.outLines("ALERT "));

        final CommandRun again = watch(file.toString(), "--once", "--state", state.toString());
        assertEquals(List.of(), again.outLines("ALERT "), "nothing new: nothing said");
    }

    @Test
    void shouldSkipAMalformedLineAndNameIt() throws IOException
    {
        final Path file = temp.resolve("malformed.jsonl");
        Files.writeString(file, record(1, null, null) + "\n{\"epoch\": \n" + record(2, "kl_divergence_max", "0.5") + "\n");

        final CommandRun run = watch(file.toString(), "--once");
        assertEquals(2, run.exit(), run::toString);
        assertEquals(1, run.outLines("ALERT ").size(), run::toString);
        assertTrue(run.err().startsWith(file + ":2: not valid JSON, skipped"), run::toString);
    }

    @Test
    void shouldRefuseAStateOfAnotherStream() throws IOException
    {
        final Path state = temp.resolve("watch.state");
        final Path a = Files.writeString(temp.resolve("a.jsonl"), record(1, null, null) + "\n");
        final Path b = Files.writeString(temp.resolve("b.jsonl"), record(1, null, null) + "\n");
        assertEquals(0, watch(a.toString(), "--once", "--state", state.toString()).exit());

        final CommandRun other = watch(b.toString(), "--once", "--state", state.toString());
        assertEquals(1, other.exit(), other::toString);
        assertTrue(other.err().contains("belongs to the stream " + a.toAbsolutePath()), other::toString);

        Files.writeString(a, record(1, "epoch", "99.0") + "\n");
        final CommandRun replaced = watch(a.toString(), "--once", "--state", state.toString());
        assertEquals(1, replaced.exit(), replaced::toString);
        assertTrue(replaced.err().contains("its first record differs"), replaced::toString);
    }

    @Test
    void shouldRefuseAThresholdThatIsNotANumberAsAWrongCommandLine() throws IOException
    {
        final Path file = Files.writeString(temp.resolve("run.jsonl"), record(1, null, null) + "\n");
        final CommandRun run = watch(file.toString(), "--once", "--kl-threshold", "high");
        assertEquals(BlackboxCommand.EXIT_USAGE, run.exit(), run::toString);
        assertTrue(run.err().contains("--kl-threshold must be a finite number or off: high"), run::toString);
    }
}
