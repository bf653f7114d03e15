package io.blackbox.bench.clamp;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Event;

/**
 * A Clamp anchor as one JDK Flight Recorder event: begun at the lock, committed at the release (JFR times it), with
 * the anchor's context, seed and score: what a JFR user writes per anchor.
 */
@Name(ClampAnchorEvent.NAME)
@Label("Clamp anchor")
@Category({ "Blackbox", "Bench" })
@Description("An anchor's cycle, for comparing JFR's cost with Blackbox's")
@StackTrace(false)
public class ClampAnchorEvent extends Event
{
    public static final String NAME = "blackbox.bench.ClampAnchor";

    @Label("Context")
    String context;
    @Label("Seed")
    long seed;
    @Label("Host thread id")
    long threadId;
    @Label("Stability score")
    double stabilityScore;
}
