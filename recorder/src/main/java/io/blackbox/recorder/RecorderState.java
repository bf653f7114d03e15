package io.blackbox.recorder;

/**
 * The recorder's state as writers see it: whether they may claim ring space at once ({@link #accepting}: open, the
 * drainer healthy, the file system not full), and on the slow path why not. Written rarely, by the drainer and by
 * close; read by every claim. On cache lines of its own: the drainer writes fields of its own every round, and a
 * line shared with one of them would cost every emitting thread a cache miss per round.
 */
final class RecorderState extends RecorderStateFields
{
    @SuppressWarnings("unused")
    private long p10, p11, p12, p13, p14, p15, p16, p17;
}

abstract class RecorderStateFields extends RecorderStatePadding
{
    volatile boolean accepting = true;
    volatile boolean closing;
    volatile boolean storageFull;
}

abstract class RecorderStatePadding
{
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07;
}
