package io.blackbox.codecs.layout;

/**
 * The files of a recording directory.
 * <pre>
 *   DIR/
 *     ring.dat          the memory-mapped ring emitters write into ({@link RingFileDescriptor})
 *     recorder.lock     held (OS file lock) while a Recorder has the directory open
 *     schema.sbeir      the SBE IR of the schema that wrote the records: the recording describes itself to a tool
 *                       without Blackbox's classes; Blackbox's reader does not read it (each record's header gives
 *                       the version and block length its generated decoders need)
 *     queue/            Chronicle Queue: one excerpt per batch of records ({@link RecordingBatchDescriptor})
 * </pre>
 */
public final class RecordingDirectoryLayout
{
    public static final String RING_FILE = "ring.dat";
    public static final String LOCK_FILE = "recorder.lock";
    public static final String IR_FILE = "schema.sbeir";
    public static final String QUEUE_DIRECTORY = "queue";
    /** Classpath resource of the IR generated with the codecs. */
    public static final String IR_RESOURCE = "/sbe/blackbox-schema.sbeir";

    private RecordingDirectoryLayout()
    {
    }
}
