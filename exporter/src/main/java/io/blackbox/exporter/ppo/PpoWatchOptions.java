package io.blackbox.exporter.ppo;

import io.blackbox.exporter.family.FamilyWatch;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code blackbox watch ppo}'s thresholds. townlet's watcher has every rule off unless given; a watcher that says
 * nothing by default is easy to leave running blind, so four rules are on with values a PPO run should never reach
 * when healthy, and each is set or turned {@code off} by its option: max KL above 0.05 (PPO's trust region is usually
 * targeted at 0.01-0.02), max gradient norm above 10 (a common clip is 0.5-1.0, so ten times past it is a blow-up),
 * mean batch entropy below 0.05 (a collapsed policy), a negative reward-advantage correlation (advantages pointing
 * against rewards: a sign or GAE bug). Total loss has no scale-free bound, so it is off unless given.
 */
public final class PpoWatchOptions implements FamilyWatch
{
    static final String OFF = "off";

    @Option(names = "--kl-threshold", paramLabel = "X|off", defaultValue = "0.05",
        description = "Alert when kl_divergence_max (1.0: kl_divergence) is above X (default: ${DEFAULT-VALUE}).")
    String kl;

    @Option(names = "--grad-threshold", paramLabel = "X|off", defaultValue = "10",
        description = "Alert when grad_norm_max (1.0: grad_norm) is above X (default: ${DEFAULT-VALUE}).")
    String grad;

    @Option(names = "--loss-threshold", paramLabel = "X|off", defaultValue = OFF,
        description = "Alert when loss_total is above X (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--entropy-threshold", paramLabel = "X|off", defaultValue = "0.05",
        description = "Alert when batch_entropy_mean (1.0: loss_entropy) is below X: entropy collapse " +
            "(default: ${DEFAULT-VALUE}).")
    String entropy;

    @Option(names = "--reward-corr-threshold", paramLabel = "X|off", defaultValue = "0",
        description = "Alert when reward_advantage_corr (1.1 records) is below X (default: ${DEFAULT-VALUE}).")
    String rewardCorr;

    private PpoAlerts.Thresholds thresholds;

    public void checkOptions()
    {
        thresholds = new PpoAlerts.Thresholds(value("--kl-threshold", kl), value("--grad-threshold", grad),
            value("--loss-threshold", loss), value("--entropy-threshold", entropy),
            value("--reward-corr-threshold", rewardCorr));
    }

    private static Double value(final String option, final String text)
    {
        if (OFF.equals(text))
        {
            return null;
        }
        try
        {
            final double value = Double.parseDouble(text);
            if (Double.isFinite(value))
            {
                return value;
            }
        }
        catch (final NumberFormatException ex)
        {
            // named below
        }
        throw new IllegalArgumentException(option + " must be a finite number or off: " + text);
    }

    public Watcher open(final Path file, final Path stateFile, final Consumer<String> alerts,
        final Consumer<String> problems)
    {
        return new PpoWatch(file, thresholds, stateFile, alerts, problems);
    }

    public Watcher openRecording(final Path recording, final Path stateFile, final Consumer<String> alerts,
        final Consumer<String> problems)
    {
        return new PpoRecordingWatch(recording, thresholds, stateFile, alerts, problems);
    }
}
