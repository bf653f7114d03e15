package io.blackbox.tests.readme;

import io.blackbox.exporter.RecordingExport;
import io.blackbox.tests.TestRecordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's library example is the text a user copies: compiled as it stands, run in a JVM given exactly the flags
 * the README lists, and its recording exported. So the README cannot drift from the code, and its flag list cannot
 * drift from the build's. The run also shows what a library must not do to its user: print, or write outside the
 * directory it was given (the home directory and the temporary directory are empty ones of the test's).
 */
class ReadmeExampleTest
{
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("^public class (\\w+)", Pattern.MULTILINE);
    private static final String FLAGS_HEADING = "### JVM flags a library user needs";
    private static final String RUN_ID = "fbbeb25f-02c0-4aa5-a7eb-5a9884cbcb51";

    @TempDir
    Path temp;

    @Test
    void shouldListTheJvmFlagsTheBuildUses() throws IOException
    {
        final List<String> built = words(Files.readString(
            TestRecordings.repositoryRoot().resolve("exporter").resolve("target").resolve("jvm.options")));
        assertEquals(built, readmeFlags(), "README's flags vs exporter/target/jvm.options (from the parent pom)");
    }

    @Test
    void shouldKeepTheExampleMavenProjectTheReadmesExample() throws IOException
    {
        final Path project = TestRecordings.repositoryRoot().resolve("tests/src/it/library-user");
        assertEquals(javaBlocks().get(0), Files.readString(project.resolve("src/main/java/TrainingLoop.java")),
            "tests/src/it/library-user runs the README's example as it stands");
        assertEquals(readmeFlags(), words(Files.readString(project.resolve("jvm.options"))),
            "tests/src/it/library-user/jvm.options holds the README's flags");
    }

    /**
     * A Java block that is not a whole program is an excerpt of the file its first line names: each of its lines is
     * in that file, in order (a trailing comment added for the README, or "...", is not compared).
     */
    @Test
    void shouldQuoteEachExcerptFromTheFileItNames() throws IOException
    {
        final List<String> excerpts = javaBlocks().stream().filter(block -> !PUBLIC_CLASS.matcher(block).find())
            .toList();
        assertTrue(excerpts.size() >= 1, "the README quotes the training loop");
        for (final String excerpt : excerpts)
        {
            final String[] lines = excerpt.split("\n");
            assertTrue(lines[0].startsWith("// "), () -> "an excerpt names its file on its first line: " + lines[0]);
            final Path file = TestRecordings.repositoryRoot().resolve(lines[0].substring(3).trim());
            final List<String> source = Files.readAllLines(file).stream().map(String::trim).toList();
            int at = 0;
            for (int i = 1; i < lines.length; i++)
            {
                final String line = lines[i].replaceFirst("\\s+// [^\"]*$", "").trim();
                if (line.isEmpty() || line.equals("..."))
                {
                    continue;
                }
                final int found = indexFrom(source, at, line);
                assertTrue(found >= 0, () -> file + " holds, after the excerpt's earlier lines: " + line);
                at = found + 1;
            }
        }
    }

    private static int indexFrom(final List<String> lines, final int from, final String line)
    {
        for (int i = from; i < lines.size(); i++)
        {
            if (lines.get(i).equals(line) || lines.get(i).startsWith(line + " //"))
            {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldCompileRunAndExportTheLibraryExample() throws Exception
    {
        final List<String> blocks = javaBlocks().stream().filter(block -> PUBLIC_CLASS.matcher(block).find()).toList();
        assertEquals(1, blocks.size(), "the README's whole Java programs (one, under Library use)");
        final String source = blocks.get(0);
        final Matcher className = PUBLIC_CLASS.matcher(source);
        assertTrue(className.find(), "the example is a whole program: a public class with main");

        final Path sources = Files.createDirectories(temp.resolve("src"));
        final Path classes = Files.createDirectories(temp.resolve("classes"));
        final Path file = sources.resolve(className.group(1) + ".java");
        Files.writeString(file, source);
        compile(file, classes);

        final Path work = Files.createDirectories(temp.resolve("work"));
        final Path home = Files.createDirectories(temp.resolve("home"));
        final Path tmp = Files.createDirectories(temp.resolve("tmp"));
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(readmeFlags());
        // Java takes user.home from the password database, not from $HOME: point both at an empty directory.
        command.add("-Duser.home=" + home);
        command.add("-Djava.io.tmpdir=" + tmp);
        command.add("-cp");
        command.add(classes + File.pathSeparator + withoutLoggingProvider(System.getProperty("java.class.path")));
        command.add(className.group(1));
        final Path output = temp.resolve("output.txt");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("HOME", home.toString());
        final Process example = builder.start();
        try
        {
            assertTrue(example.waitFor(2, TimeUnit.MINUTES), "the example ends");
        }
        finally
        {
            example.destroyForcibly();
        }
        final String printed = Files.readString(output);
        assertEquals(0, example.exitValue(), "the example's exit status; it printed:\n" + printed);
        assertEquals("", printed, "a recording JVM prints nothing unless asked (no SLF4J provider here)");
        assertEquals(List.of(), filesUnder(home), "nothing written to the user's home");
        assertEquals(List.of(), filesUnder(tmp), "nothing left in the temporary directory");

        final Path export = temp.resolve("telemetry");
        final RecordingExport.Result result = RecordingExport.export(work.resolve("runs").resolve("r1"), export);
        final List<String> lines = Files.readAllLines(export.resolve("gradience").resolve(RUN_ID + ".jsonl"));
        assertEquals(List.of("run_start", "train_step", "train_step", "eval", "run_end"),
            lines.stream().map(ReadmeExampleTest::event).toList(), "the example's events, in order: " + result);
        assertTrue(lines.get(1).contains("\"loss\":0.6981"), lines.get(1));
        assertTrue(lines.get(2).contains("\"grad_norm\":0.18"), lines.get(2));
    }

    /**
     * The class path of a user who added only Blackbox: this build's test class path holds a logging provider
     * (slf4j-nop, the command line's), which a library user does not get.
     */
    private static String withoutLoggingProvider(final String classPath)
    {
        final List<String> entries = Arrays.stream(classPath.split(File.pathSeparator))
            .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("slf4j-nop")).toList();
        assertEquals(classPath.split(File.pathSeparator).length - 1, entries.size(), "one provider taken out");
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> filesUnder(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            return files.filter(path -> !path.equals(directory)).map(path -> directory.relativize(path).toString())
                .sorted().toList();
        }
    }

    private static String event(final String line)
    {
        final Matcher event = Pattern.compile("\"event\":\"(\\w+)\"").matcher(line);
        return event.find() ? event.group(1) : line;
    }

    private static void compile(final Path file, final Path classes) throws IOException
    {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8))
        {
            final List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString());
            final boolean compiled = compiler.getTask(null, files, diagnostics, options, null,
                files.getJavaFileObjects(file)).call();
            final StringBuilder problems = new StringBuilder();
            for (final Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics())
            {
                problems.append("README example line ").append(diagnostic.getLineNumber()).append(": ")
                    .append(diagnostic.getMessage(null)).append('\n');
            }
            if (!compiled || problems.length() > 0)
            {
                fail("the README's example does not compile cleanly:\n" + problems);
            }
        }
    }

    private static List<String> javaBlocks() throws IOException
    {
        final Matcher block = JAVA_BLOCK.matcher(readme());
        final List<String> blocks = new ArrayList<>();
        while (block.find())
        {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    /**
     * @return the words of the first code block under the flags heading.
     */
    private static List<String> readmeFlags() throws IOException
    {
        final String readme = readme();
        final int heading = readme.indexOf(FLAGS_HEADING);
        assertTrue(heading >= 0, "README has the heading: " + FLAGS_HEADING);
        final int start = readme.indexOf("```\n", heading) + 4;
        final int end = readme.indexOf("```", start);
        return words(readme.substring(start, end));
    }

    private static List<String> words(final String text)
    {
        return Arrays.stream(text.trim().split("\\s+")).toList();
    }

    private static String readme() throws IOException
    {
        return Files.readString(TestRecordings.repositoryRoot().resolve("README.md"));
    }
}
