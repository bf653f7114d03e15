package io.blackbox.recorder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the settings do to a JVM that records, each in a fresh child JVM (system properties are once per JVM): this
 * module's class path has SLF4J's API and no logging provider, as a library user's may.
 */
class ChronicleSettingsTest
{
    @TempDir
    Path temp;

    @Test
    void shouldPrintNothingWhenChronicleLogsWithNoLoggingProvider() throws Exception
    {
        assertEquals("", run(Logging.class), "a recording JVM prints nothing unless its user configures logging");
    }

    @Test
    void shouldLeaveSlf4jsWarningsToAUserWhoAsksForThem() throws Exception
    {
        final String printed = run(Logging.class, "-Dslf4j.internal.verbosity=WARN");
        assertTrue(printed.contains("No SLF4J providers were found"), "the setting is what silences it:\n" + printed);
    }

    @Test
    void shouldGiveJnaAPrivateFolderOfThisProcessGoneAtExit() throws Exception
    {
        final String printed = run(JnaFolder.class);
        final String[] lines = printed.strip().split("\n");
        assertEquals(2, lines.length, printed);
        assertTrue(lines[0].startsWith(temp.resolve("tmp").resolve("blackbox-jna-").toString()), lines[0]);
        assertEquals("rwx------", lines[1], "owner only");
        assertTrue(Files.notExists(Path.of(lines[0])), "deleted when the JVM exited");
        try (var left = Files.list(temp.resolve("tmp")))
        {
            assertEquals(List.of(), left.toList(), "nothing left in the temporary directory");
        }
    }

    private String run(final Class<?> main, final String... properties) throws IOException, InterruptedException
    {
        final Path tmp = Files.createDirectories(temp.resolve("tmp"));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports") ||
                argument.startsWith("-Dchronicle"))
            {
                command.add(argument);
            }
        }
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(List.of(properties));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.add(temp.resolve("recording").toString());
        final Path output = temp.resolve(main.getSimpleName() + ".txt");
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(output.toFile()).start();
        try
        {
            assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM ends");
        }
        finally
        {
            child.destroyForcibly();
        }
        final String printed = Files.readString(output);
        assertEquals(0, child.exitValue(), printed);
        return printed;
    }

    /**
     * Records, then logs the way Chronicle does (through SLF4J's API).
     */
    public static final class Logging
    {
        public static void main(final String[] args)
        {
            try (Recorder recorder = Recorder.open(new Recorder.Context().directory(Path.of(args[0]))))
            {
                recorder.symbol("a");
            }
            LoggerFactory.getLogger(ChronicleSettingsTest.class).warn("as Chronicle warns");
        }
    }

    /**
     * Records, then prints JNA's folder and its permissions.
     */
    public static final class JnaFolder
    {
        public static void main(final String[] args) throws IOException
        {
            try (Recorder recorder = Recorder.open(new Recorder.Context().directory(Path.of(args[0]))))
            {
                recorder.symbol("a");
            }
            final Path folder = Path.of(System.getProperty("jna.tmpdir"));
            System.out.println(folder);
            System.out.println(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        }
    }
}
