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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox validate ppo FILE --baseline B [--relative] [--drift-threshold D]} through the real command line, on
 * townlet's 1.1 sample: the drift per {@code baseline_*} key in the baseline's order, percentages against the baseline's
 * magnitude ({@code n/a} for a zero baseline), keys the baseline lacks skipped, the threshold failing the file.
 */
class PpoDriftTest
{
    @TempDir
    Path temp;

    private static CommandRun validate(final String... args)
    {
        final String[] command = new String[args.length + 2];
        command[0] = "validate";
        command[1] = PpoWire.FAMILY;
        System.arraycopy(args, 0, command, 2, args.length);
        return CommandRun.of(command);
    }

    @Test
    void shouldPrintTheDriftOfEachBaselineKeyInTheBaselinesOrder() throws IOException
    {
        final Path sample = Samples.copy(PpoWire.FAMILY, Samples.PPO_1_1, temp);
        final Path baseline = Files.writeString(temp.resolve("baseline.json"),
            "{\"baseline_reward_sum\": 0.0, \"baseline_reward_mean\": -0.25, \"note\": \"not a baseline key\", " +
            "\"baseline_not_in_the_file\": 2.0}");

        final CommandRun run = validate(sample.toString(), "--baseline", baseline.toString(), "--relative");

        assertEquals(0, run.exit(), run::toString);
        assertEquals(String.join("\n",
            sample + ": drift from " + baseline + " (record - baseline; %: 100 * delta / |baseline|)",
            "         epoch |      baseline_reward_sum |     baseline_reward_mean | baseline_not_in_the_file |" +
                "     baseline_reward_sum% |    baseline_reward_mean% | baseline_not_in_the_file%",
            "             1 |                -4.000000 |                +0.050000 |                        - |" +
                "                      n/a |                  +20.00% |                        -",
            "  worst absolute drift:",
            "    baseline_reward_sum: -4.000000",
            "    baseline_reward_mean: +0.050000",
            "    baseline_not_in_the_file: +0.000000",
            ""), run.out());
    }

    @Test
    void shouldFailAFileWhoseDriftPassesTheThreshold() throws IOException
    {
        final Path sample = Samples.copy(PpoWire.FAMILY, Samples.PPO_1_1, temp);
        final Path baseline = Files.writeString(temp.resolve("baseline.json"), "{\"baseline_reward_mean\": -0.25}");

        assertEquals(0, validate(sample.toString(), "--baseline", baseline.toString(), "--drift-threshold", "0.06").exit());
        final CommandRun over = validate(sample.toString(), "--baseline", baseline.toString(), "--drift-threshold", "0.04");
        assertEquals(1, over.exit(), over::toString);
        assertTrue(over.out().contains(sample + ": drift beyond --drift-threshold 0.04: baseline_reward_mean=+0.050000"),
            over::toString);
    }

    @Test
    void shouldRefuseABaselineItCannotUseAsAWrongCommandLine() throws IOException
    {
        final Path sample = Samples.copy(PpoWire.FAMILY, Samples.PPO_1_1, temp);
        final Path noKeys = Files.writeString(temp.resolve("no-keys.json"), "{\"reward_mean\": 1.0}");
        final Path notFinite = Files.writeString(temp.resolve("nan.json"), "{\"baseline_reward_mean\": NaN}");

        final CommandRun withoutBaseline = validate(sample.toString(), "--relative");
        assertEquals(BlackboxCommand.EXIT_USAGE, withoutBaseline.exit());
        assertTrue(withoutBaseline.err().contains("--relative and --drift-threshold need --baseline FILE"), withoutBaseline::toString);

        final CommandRun empty = validate(sample.toString(), "--baseline", noKeys.toString());
        assertEquals(BlackboxCommand.EXIT_USAGE, empty.exit());
        assertTrue(empty.err().contains("--baseline " + noKeys + ": has no baseline_* key"), empty::toString);

        final CommandRun nan = validate(sample.toString(), "--baseline", notFinite.toString());
        assertEquals(BlackboxCommand.EXIT_USAGE, nan.exit());
        assertTrue(nan.err().contains("baseline_reward_mean: must be a finite number, found NaN"), nan::toString);
    }
}
