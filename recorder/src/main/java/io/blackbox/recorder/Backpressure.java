package io.blackbox.recorder;

/**
 * What an emit does when the ring is full because the drainer has fallen behind.
 */
public enum Backpressure
{
    /** Wait for space: nothing is lost, the emitting thread slows to the drainer's pace. */
    BLOCK,
    /** Return at once without recording; the record is counted, and the count is written into the recording. */
    DROP
}
