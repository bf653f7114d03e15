package io.blackbox.recorder.agent;

import java.util.Locale;

/**
 * {@code review.decision}'s verdict: the spec's three, and nothing else.
 */
public enum AgentVerdict
{
    /** Accept the cycle's result. */
    ACCEPT,
    /** Revise it. */
    REVISE,
    /** Abort the run. */
    ABORT;

    /**
     * @return the wire form: {@code accept}, {@code revise}, {@code abort}.
     */
    public String wire()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
