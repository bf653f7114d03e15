package io.blackbox.tests.cli;

import io.blackbox.tests.TestRecordings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged command line as a user runs it: the executable jar in a child JVM with its argument file, a fresh
 * HOME, no terminal, and none of the environment that changes how Java or Blackbox behave.
 */
final class BlackboxJar
{
    private BlackboxJar()
    {
    }

    static Path exporterTarget()
    {
        return TestRecordings.repositoryRoot().resolve("exporter").resolve("target");
    }

    /**
     * @return a process builder running {@code blackbox ARGS} in {@code workingDirectory} with {@code home} as HOME.
     */
    static ProcessBuilder command(final Path home, final Path workingDirectory, final String... args)
    {
        final Path jar = exporterTarget().resolve("blackbox.jar");
        final Path jvmOptions = exporterTarget().resolve("jvm.options");
        if (!Files.isRegularFile(jar) || !Files.isRegularFile(jvmOptions))
        {
            fail("the executable jar is not built: expected " + jar + " and " + jvmOptions +
                "; package the exporter first (mvn -o install -DskipTests -pl codecs,jni,recorder,exporter)");
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + jvmOptions);
        // Java takes user.home from the password database, not from $HOME: point both at the fresh directory.
        command.add("-Duser.home=" + home);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        final ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("CI", "true");
        for (final String inherited : List.of("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME",
            "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "BLACKBOX_DEBUG"))
        {
            builder.environment().remove(inherited);
        }
        return builder;
    }
}
