package io.blackbox.tests.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.exporter.cli.BlackboxCommand;
import io.blackbox.exporter.cli.CommandLineRun;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.blackbox.exporter.cli.CommandLineRun.blackbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The {@code blackbox} launcher script run as a user runs it, from a copy of the repository's layout in a temp
 * directory: the script, a {@code pom.xml}, {@code exporter/src}, and the jar this build packaged. {@code mvn} on the
 * script's PATH is a stand-in that records how it was called: the real one would {@code install} into the shared
 * {@code ~/.m2}. The stand-in either fails (nothing must build) or "builds" by copying the packaged jar into place,
 * which is what the script needs of Maven. A real first build from a clean clone is in
 * {@code docs/reliability.md}, run by hand with {@code MAVEN_OPTS=-Dmaven.repo.local=...}.
 */
class LauncherScriptTest
{
    /** A hang guard only: a demo that ignores a signal never ends, one that obeys ends in about a second. */
    private static final long WAIT_SECONDS = 120;

    @TempDir
    Path temp;

    private Path root;
    private Path bin;
    private Path mvnCalls;
    private Path home;

    @BeforeEach
    void layOutRepository() throws IOException
    {
        final Path repository = TestRecordings.repositoryRoot();
        final Path packaged = BlackboxJar.exporterTarget();
        root = Files.createDirectories(temp.resolve("repo"));
        Files.copy(repository.resolve("blackbox"), root.resolve("blackbox"));
        Files.setPosixFilePermissions(root.resolve("blackbox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        Files.writeString(Files.createDirectories(root.resolve("exporter/src/main/java")).resolve("Main.java"), "\n");
        final Path target = Files.createDirectories(root.resolve("exporter/target"));
        Files.copy(packaged.resolve("blackbox.jar"), target.resolve("blackbox.jar"));
        Files.copy(packaged.resolve("jvm.options"), target.resolve("jvm.options"));
        Files.createSymbolicLink(target.resolve("lib"), packaged.resolve("lib")); // the jar's Class-Path
        makeSourcesOlderThanTheJar();

        bin = Files.createDirectories(temp.resolve("bin"));
        // PATH is this directory alone, so the real mvn is never found: only the tools the script and the stand-in use.
        for (final String tool : List.of("bash", "cat", "cp", "dirname", "find", "mktemp", "readlink", "rm", "touch"))
        {
            Files.createSymbolicLink(bin.resolve(tool), onSystemPath(tool));
        }
        mvnCalls = temp.resolve("mvn-calls");
        home = Files.createDirectories(temp.resolve("home"));
        mvn("echo 'mvn must not run' >&2\nexit 1\n");
    }

    @Test
    void shouldRunTheJarWithoutBuildingWhenItIsCurrent() throws Exception
    {
        final Result run = launch(Map.of(), "--version");

        assertEquals(0, run.exit, run::toString);
        assertTrue(run.out.startsWith("blackbox "), run::toString);
        assertEquals("", run.err, run::toString);
        assertFalse(Files.exists(mvnCalls), "mvn did not run");
    }

    static Stream<Arguments> commandsAndExitCodes()
    {
        return Stream.of(
            Arguments.of(BlackboxCommand.EXIT_OK, "--help"),
            Arguments.of(BlackboxCommand.EXIT_FAILURE, "export --recording missing --out export"),
            Arguments.of(BlackboxCommand.EXIT_USAGE, "nonsense"),
            Arguments.of(BlackboxCommand.EXIT_USAGE, "demo --steps 0"));
    }

    @ParameterizedTest
    @MethodSource("commandsAndExitCodes")
    void shouldExitWithTheCommandsExitCode(final int exit, final String args) throws Exception
    {
        final Result run = launch(Map.of(), args.split(" "));

        assertEquals(exit, run.exit, run::toString);
    }

    /**
     * Both words reach the JVM, so the variable is split into words: the JVM prints its flags, the heap size among
     * them.
     */
    @Test
    void shouldPassBlackboxJavaOptsToTheJvm() throws Exception
    {
        final Result run = launch(Map.of("BLACKBOX_JAVA_OPTS", "-Xmx77m -XX:+PrintCommandLineFlags"), "--version");

        assertEquals(0, run.exit, run::toString);
        assertTrue(run.out.contains("-XX:MaxHeapSize=" + 77L * 1024 * 1024), run::toString);
        assertTrue(run.out.contains("-XX:+PrintCommandLineFlags"), run::toString);
    }

    @Test
    void shouldBuildOnTheFirstRunOnlyThenRunTheCommand() throws Exception
    {
        Files.delete(root.resolve("exporter/target/blackbox.jar"));
        Files.delete(root.resolve("exporter/target/jvm.options"));
        mvnThatBuilds();

        final Result first = launch(Map.of(), "--version");
        final Result second = launch(Map.of(), "--version");

        assertEquals(0, first.exit, first::toString);
        assertEquals("blackbox: building (first run)...\n", first.err, first::toString);
        assertTrue(first.out.startsWith("blackbox "), first::toString);
        // The command line's modules only, packaged: an install of every module fails on the tests module, which has
        // no jar to install (.ci/run runs this build for real on a clean clone).
        assertEquals(List.of("-B -q -Dstyle.color=never -DskipTests -pl exporter -am package"), mvnCalls(),
            "one build, of the command line");
        assertEquals(0, second.exit, second::toString);
        assertEquals("", second.err, "no second build\n" + second);
        assertEquals(first.out, second.out);
    }

    @Test
    void shouldRebuildWhenASourceIsNewerThanTheJar() throws Exception
    {
        mvnThatBuilds();
        Files.setLastModifiedTime(root.resolve("exporter/src/main/java/Main.java"),
            FileTime.fromMillis(Files.getLastModifiedTime(root.resolve("exporter/target/blackbox.jar")).toMillis() + 60_000));

        final Result run = launch(Map.of(), "--version");

        assertEquals(0, run.exit, run::toString);
        assertEquals("blackbox: building (sources changed)...\n", run.err, run::toString);
        assertEquals(1, mvnCalls().size());
    }

    @Test
    void shouldShowMavensOutputWhenTheBuildFails() throws Exception
    {
        Files.delete(root.resolve("exporter/target/blackbox.jar"));
        mvn("echo '[ERROR] COMPILATION ERROR: Main.java:[1,1] class expected'\nexit 1\n");

        final Result run = launch(Map.of(), "--version");

        assertEquals(1, run.exit, run::toString);
        assertEquals("", run.out, run::toString);
        assertEquals("blackbox: building (first run)...\n[ERROR] COMPILATION ERROR: Main.java:[1,1] class expected\n" +
            "blackbox: build failed (Maven's errors are above)\n", run.err);
    }

    @Test
    void shouldSayMavenIsNeededToBuild() throws Exception
    {
        Files.delete(root.resolve("exporter/target/blackbox.jar"));
        Files.delete(bin.resolve("mvn"));

        final Result run = launch(Map.of(), "--version");

        assertEquals(1, run.exit, run::toString);
        assertTrue(run.err.startsWith("blackbox: Maven (mvn) is needed to build "), run::toString);
    }

    /**
     * The script execs the JVM, so a signal to the process the user started reaches the JVM; the demo then ends its
     * runs and closes the recorder: nothing is left to recover, export finds a clean recording, and each run's last
     * record is its end, aborted because interrupted.
     */
    @ParameterizedTest
    @ValueSource(strings = { "TERM", "INT" })
    void shouldStopTheDemoCleanlyOnASignal(final String signal) throws Exception
    {
        // A JVM started with SIGINT ignored (nohup, a background job of a shell) keeps it ignored: so would any Java
        // program, with or without this script.
        assumeFalse("INT".equals(signal) && isSigintIgnored(), "SIGINT is ignored in this test's process");
        final Path out = temp.resolve("demo");
        final Path stdout = temp.resolve("demo.out");
        final Process demo = builder(Map.of(), "demo", "--out", out.toString(), "--threads", "2", "--steps", "1000000",
            "--steps-per-second", "200")
            .redirectOutput(stdout.toFile()).redirectError(temp.resolve("demo.err").toFile()).start();
        try
        {
            awaitAcknowledgedSteps(demo, stdout);
            assertTrue(demo.info().command().orElse("").endsWith("/java"),
                "the script's process is the JVM (exec): " + demo.info().command());

            new ProcessBuilder("kill", "-" + signal, Long.toString(demo.pid())).inheritIO().start().waitFor();

            assertTrue(demo.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "the demo ends on SIG" + signal);
        }
        finally
        {
            demo.destroyForcibly();
        }
        assertEquals(128 + ("TERM".equals(signal) ? 15 : 2), demo.exitValue(), () -> read(stdout));

        final CommandLineRun recover = blackbox("recover", "--recording", out.resolve("recording").toString());
        assertEquals(0, recover.exit(), recover::toString);
        assertTrue(recover.out().contains("held no records that were not in the queue"), recover::toString);
        final CommandLineRun export = blackbox("export", "--recording", out.resolve("recording").toString(), "--out",
            temp.resolve("export").toString());
        assertEquals(0, export.exit(), export::toString);
        assertEquals("", export.err(), export::toString);
        final List<Path> runs;
        try (Stream<Path> files = Files.list(temp.resolve("export").resolve("gradience")))
        {
            runs = files.sorted().toList();
        }
        assertEquals(2, runs.size(), runs::toString);
        for (final Path run : runs)
        {
            final List<ObjectNode> records = TestRecordings.readJsonl(run);
            final ObjectNode last = records.get(records.size() - 1);
            assertEquals("run_end", last.path("event").asText(), last::toString);
            assertEquals("aborted", last.path("status").asText(), last::toString);
            assertEquals("interrupted", last.path("reason").asText(), last::toString);
        }
    }

    private static Path onSystemPath(final String tool)
    {
        for (final String directory : List.of("/usr/local/bin", "/usr/bin", "/bin"))
        {
            final Path path = Path.of(directory, tool);
            if (Files.isExecutable(path))
            {
                return path;
            }
        }
        return fail(tool + " not found");
    }

    private static boolean isSigintIgnored() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
        {
            if (line.startsWith("SigIgn:"))
            {
                return (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    /**
     * Wait for a progress line with steps above 0: the runs are recording.
     */
    private static void awaitAcknowledgedSteps(final Process demo, final Path stdout) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadlineNs)
        {
            if (!demo.isAlive())
            {
                fail("the demo ended before it was signalled, exit " + demo.exitValue() + "\n" + read(stdout));
            }
            if (read(stdout).lines().anyMatch(line -> line.startsWith("progress steps=") &&
                !line.startsWith("progress steps=0 ")))
            {
                return;
            }
            Thread.sleep(50);
        }
        fail("no progress from the demo\n" + read(stdout));
    }

    private void makeSourcesOlderThanTheJar() throws IOException
    {
        final FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (final String path : List.of("pom.xml", "exporter/src/main/java/Main.java", "exporter/src/main/java",
            "exporter/src/main", "exporter/src"))
        {
            Files.setLastModifiedTime(root.resolve(path), old);
        }
    }

    private void mvn(final String body) throws IOException
    {
        final Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho \"$*\" >> '" + mvnCalls + "'\n" + body);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * A Maven that builds what the script runs: the packaged jar and its argument file, as install leaves them.
     */
    private void mvnThatBuilds() throws IOException
    {
        final Path packaged = BlackboxJar.exporterTarget();
        mvn("cp '" + packaged.resolve("blackbox.jar") + "' '" + packaged.resolve("jvm.options") + "' exporter/target/\n");
    }

    private List<String> mvnCalls() throws IOException
    {
        return Files.exists(mvnCalls) ? Files.readAllLines(mvnCalls) : List.of();
    }

    private ProcessBuilder builder(final Map<String, String> environment, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(root.resolve("blackbox").toString());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        final Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", bin.toString());
        env.put("HOME", home.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("CI", "true");
        env.putAll(environment);
        return builder;
    }

    private Result launch(final Map<String, String> environment, final String... args) throws Exception
    {
        final Path out = temp.resolve("out");
        final Path err = temp.resolve("err");
        final Process process = builder(environment, args).redirectOutput(out.toFile()).redirectError(err.toFile())
            .start();
        try
        {
            assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "blackbox " + String.join(" ", args) + " ends");
        }
        finally
        {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), read(out), read(err));
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private record Result(int exit, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
