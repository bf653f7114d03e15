package io.blackbox.tests.training;

import io.blackbox.tests.ChildJvm;
import io.blackbox.tests.TestRecordings;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM running one of bench's training programs (io.blackbox.bench.training) as {@code bench/train.sh} runs
 * it: this JVM's java and the flags Chronicle and Agrona need, bench's classes and {@code target/training.classpath},
 * DJL offline with tracking opted out, its native library extracted once into {@code target/djl-cache}, and a home
 * of the test's own.
 */
final class TrainingProcess
{
    private TrainingProcess()
    {
    }

    /**
     * Run {@code main} with {@code args} in a child JVM under {@code temp} (its home there, its stderr in a file)
     * until it exits, which must be with 0.
     *
     * @return the lines it printed.
     */
    static List<String> run(final Path temp, final String main, final String... args) throws Exception
    {
        final ProcessBuilder builder = builder(temp.resolve("home"), main, args);
        final String name = main.substring(main.lastIndexOf('.') + 1);
        try (ChildJvm child = ChildJvm.start(name, builder, temp.resolve("training.err")))
        {
            final int exit = child.awaitExit();
            final List<String> lines = child.lines();
            assertEquals(0, exit, () -> "exit of " + name + "\n" + lines + "\n" + child.errors());
            return lines;
        }
    }

    /**
     * @return the first of {@code lines} that starts with {@code prefix}.
     */
    static String line(final List<String> lines, final String prefix)
    {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no line starting " + prefix + " in " + lines));
    }

    /**
     * @return the {@code key=value} fields of a line (values without spaces).
     */
    static Map<String, String> fields(final String line)
    {
        return List.of(line.split(" ")).stream()
            .filter(part -> part.indexOf('=') > 0)
            .collect(Collectors.toMap(part -> part.substring(0, part.indexOf('=')),
                part -> part.substring(part.indexOf('=') + 1)));
    }

    private static ProcessBuilder builder(final Path home, final String main, final String... args) throws IOException
    {
        final Path bench = TestRecordings.repositoryRoot().resolve("bench").resolve("target");
        final Path classpathFile = bench.resolve("training.classpath");
        final Path classes = bench.resolve("classes");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(classes))
        {
            fail(classpathFile + " or " + classes + " is missing: build bench first (mvn -pl bench package)");
        }
        Files.createDirectories(home);

        final List<String> command = TestRecordings.javaCommand(
            classes + File.pathSeparator + Files.readString(classpathFile, StandardCharsets.UTF_8).trim(),
            List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Duser.home=" + home), main, args);

        final ProcessBuilder builder = new ProcessBuilder(command);
        offline(builder.environment(), home);
        return builder;
    }

    /**
     * DJL's own variables would point it elsewhere: none of them, offline, the cache under target, home the test's.
     */
    private static void offline(final Map<String, String> environment, final Path home) throws IOException
    {
        for (final String name : List.of("ENGINE_CACHE_DIR", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
            "PYTORCH_FLAVOR", "PYTORCH_PRECXX11", "PYTORCH_EXTRA_LIBRARY_PATH", "DJL_DEFAULT_ENGINE"))
        {
            environment.remove(name);
        }
        environment.put("DJL_OFFLINE", "true");
        environment.put("OPT_OUT_TRACKING", "true");
        environment.put("DJL_CACHE_DIR",
            Files.createDirectories(Path.of("target", "djl-cache")).toAbsolutePath().toString());
        environment.put("HOME", home.toString());
    }
}
