package io.blackbox.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.blackbox.codecs.GradienceSeverity;
import io.blackbox.exporter.FamilyExport;
import io.blackbox.exporter.RecordingExport;
import io.blackbox.recorder.Recorder;
import io.blackbox.recorder.SteppingEpochNanoClock;
import io.blackbox.recorder.gradience.GradienceEmitter;
import io.blackbox.tests.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code blackbox report}, opened in a real browser: headless Chromium (Debian's {@code chromium}, which
 * {@code .ci/run} installs) loads the HTML file offline, and the report's own script says in {@code #report-status}
 * what it drew. The test fails on any error or {@code console.error} of the page, a plot missing, a run missing from
 * a plot's legend, or a series that left no pixel of its colour on its canvas.
 */
class ReportBrowserTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUNS = List.of("run-a", "run-b", "run-c");
    private static final int STEPS = 30_000;
    private static final int EVAL_EVERY = 500;
    private static final Pattern STATUS = Pattern.compile("<pre id=\"report-status\"[^>]*>([^<]*)</pre>");
    private static final Pattern DATA =
        Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    static Path temp;
    static Path recording;

    @BeforeAll
    static void record()
    {
        recording = temp.resolve("recording");
        // Three runs whose curves differ everywhere, so that every series shows on every plot; run-b crosses the gap
        // threshold and alerts.
        final SteppingEpochNanoClock clock = new SteppingEpochNanoClock(1_768_253_565_118_277_000L, 1_000_001L);
        try (Recorder recorder = Recorder.open(new Recorder.Context().directory(recording).clock(clock)))
        {
            for (int r = 0; r < RUNS.size(); r++)
            {
                final GradienceEmitter run = recorder.emitter(GradienceEmitter::new, RUNS.get(r));
                run.runStart(Map.of("model_name", "toy", "run", r), null);
                final int train = run.symbol("train");
                final int test = run.symbol("test");
                final double scale = 1.0 + r;
                for (int s = 1; s <= STEPS; s++)
                {
                    final double loss = scale * 2.0 / Math.sqrt(s) + 0.05 * r + (s == 12_345 ? 5.0 : 0.0);
                    run.trainStep(s, loss, 1e-4 * scale * (1.0 - (double)s / (STEPS + 1)));
                    if (s % EVAL_EVERY == 0)
                    {
                        final double trainPpl = Math.exp(loss);
                        final double testPpl = trainPpl * (1.0 + (r + 1) * 0.4 * s / STEPS);
                        run.eval(s, train, trainPpl, 0.5 + 0.1 * r + 0.3 * s / STEPS, loss, 512);
                        run.eval(s, test, testPpl, 0.5 + 0.1 * r, Math.log(testPpl), 128);
                        if (1 == r && s == STEPS / 2)
                        {
                            run.alert(s, GradienceSeverity.WARNING, "memorization_gap", "gap", Map.of("threshold", 1.5));
                        }
                    }
                }
                run.runEnd(STEPS, io.blackbox.codecs.GradienceRunStatus.OK, null);
            }
        }
    }

    @Test
    void shouldDrawEveryRunOfEveryPlotInChromium() throws Exception
    {
        final Path html = temp.resolve("report.html");
        final CommandRun run = CommandRun.of("report", "--recording", recording.toString(), "--out", html.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("report: " + html + " ("), run.out());

        final String text = Files.readString(html);
        // Offline: nothing is loaded from anywhere, every script and style is inline.
        assertFalse(Pattern.compile("<(script|link|img|iframe)[^>]*\\s(src|href)=", Pattern.CASE_INSENSITIVE)
            .matcher(text).find(), "no external resource");

        final JsonNode status = Chromium.reportStatus(html);
        assertEquals("[]", status.get("errors").toString(), "no error and no console.error on the page");
        final List<String> plots = new ArrayList<>();
        for (final JsonNode plot : status.get("plots"))
        {
            final String id = plot.get("id").asText();
            plots.add(id);
            final Set<String> runsInLegend = new HashSet<>();
            for (final JsonNode label : plot.get("legend"))
            {
                for (final String name : RUNS)
                {
                    if (label.asText().startsWith(name))
                    {
                        runsInLegend.add(name);
                    }
                }
            }
            assertEquals(Set.copyOf(RUNS), runsInLegend, id + ": the legend shows each run");
            for (final JsonNode series : plot.get("series"))
            {
                assertTrue(series.get("pixels").asInt() > 0, id + " " + series.get("label") + " drew on its canvas: " +
                    series);
            }
        }
        assertEquals(List.of("loss", "lr", "eval-ppl", "eval-accuracy", "gap"), plots);
        System.out.println("bench: report of " + RUNS.size() + " x " + STEPS + " steps rendered in " +
            status.get("renderMs") + " ms (headless Chromium, " + Files.size(html) + " bytes)");

        final JsonNode data = reportData(text);
        final JsonNode loss = data.get("sections").get(0).get("plots").get(0);
        for (final JsonNode series : loss.get("series"))
        {
            assertEquals(STEPS, series.get("points").asLong());
            assertTrue(series.get("x").size() <= 4 * 800, "downsampled: " + series.get("x").size() + " points kept");
        }
        // The spike at step 12,345 survives the downsampling.
        final JsonNode runA = loss.get("series").get(0);
        boolean spike = false;
        for (int i = 0; i < runA.get("x").size(); i++)
        {
            spike |= runA.get("x").get(i).asLong() == 12_345 && runA.get("y").get(i).asDouble() > 5.0;
        }
        assertTrue(spike, "the loss spike at step 12345 is kept");
        final JsonNode gap = data.get("sections").get(0).get("plots").get(4);
        assertEquals(1.5, gap.get("thresholds").get(0).get("y").asDouble());
        assertEquals("run-b", gap.get("markers").get(0).get("run").asText());
        assertEquals(STEPS / 2, gap.get("markers").get(0).get("x").asLong());
    }

    @Test
    void shouldWriteADemoReportThatDrawsInChromium() throws Exception
    {
        final Path out = temp.resolve("demo");
        final CommandRun demo = CommandRun.of("demo", "--out", out.toString(), "--steps", "3000", "--threads", "2");
        assertEquals(0, demo.exit(), demo.err());
        final Path html = out.resolve("report.html");
        assertEquals(List.of("report     " + html + " (open it in a browser: it needs no network)"),
            demo.outLines("report "));
        final JsonNode status = Chromium.reportStatus(html);
        assertEquals("[]", status.get("errors").toString());
        // Every family with a report has its plots; each plot shows the family's two runs in its legend and drew.
        final java.util.Map<String, Integer> plotsByFamily = new java.util.TreeMap<>();
        for (final JsonNode plot : status.get("plots"))
        {
            final String where = plot.get("family").asText() + " " + plot.get("id").asText();
            plotsByFamily.merge(plot.get("family").asText(), 1, Integer::sum);
            final Set<String> runs = new HashSet<>();
            long pixels = 0;
            for (final JsonNode series : plot.get("series"))
            {
                runs.add(series.get("run").asText());
                pixels += series.get("pixels").asLong();
            }
            assertEquals(2, runs.size(), where);
            for (final String runId : runs)
            {
                boolean inLegend = false;
                for (final JsonNode label : plot.get("legend"))
                {
                    inLegend |= label.asText().startsWith(runId);
                }
                assertTrue(inLegend, where + ": " + runId + " in the legend " + plot.get("legend"));
            }
            assertTrue(pixels > 0, where + " drew");
        }
        assertEquals(java.util.Map.of("agent", 2, "clamp", 2, "esper", 5, "gradience", 5, "ppo", 6), plotsByFamily);
    }

    @Test
    void shouldMakeTheSameReportFromTheExportedFiles() throws Exception
    {
        // Every family with a report, each recording its runs at once (interleaved in the queue).
        final Path mixed = temp.resolve("mixed");
        for (final String family : List.of("gradience", "ppo", "esper", "agent"))
        {
            io.blackbox.tests.family.FamilyRecordings.recordWorkload(
                io.blackbox.tests.family.FamilyRecordings.family(family), mixed, 21);
        }
        final Path fromRecording = temp.resolve("from-recording.html");
        assertEquals(0, CommandRun.of("report", "--recording", mixed.toString(), "--out",
            fromRecording.toString()).exit());
        // The files in reverse order: the report does not depend on the order they are given in.
        final List<String> files = new ArrayList<>();
        for (final List<FamilyExport.ExportedFile> family :
            RecordingExport.export(mixed, temp.resolve("mixed-export")).files().values())
        {
            for (final FamilyExport.ExportedFile file : family)
            {
                files.add(0, file.path().toString());
            }
        }
        final List<String> args = new ArrayList<>(List.of("report", "--out", temp.resolve("from-files.html").toString()));
        args.addAll(files);
        final CommandRun run = CommandRun.of(args.toArray(new String[0]));
        assertEquals(0, run.exit(), run.err());
        final ObjectNode a = (ObjectNode)reportData(Files.readString(fromRecording));
        final ObjectNode b = (ObjectNode)reportData(Files.readString(temp.resolve("from-files.html")));
        a.remove("source");
        b.remove("source");
        assertEquals(4, a.get("sections").size(), "gradience, agent, ppo and esper");
        assertTrue(a.equals(b), () -> "a recording and its export make the same plots: " +
            io.blackbox.tests.TestRecordings.difference(a, b, ""));
    }

    @Test
    void shouldReportClampSessionFilesEachARun() throws Exception
    {
        final Path clamp = temp.resolve("clamp-recording");
        io.blackbox.tests.family.FamilyRecordings.recordWorkload(
            io.blackbox.tests.family.FamilyRecordings.family("clamp"), clamp, 5);
        final List<FamilyExport.ExportedFile> files =
            RecordingExport.export(clamp, temp.resolve("clamp-export")).files().get("clamp");
        final List<String> args = new ArrayList<>(List.of("report", "--out", temp.resolve("clamp.html").toString()));
        long entries = 0;
        for (final FamilyExport.ExportedFile file : files)
        {
            args.add(file.path().toString());
            entries += file.records();
        }
        final CommandRun run = CommandRun.of(args.toArray(new String[0]));
        assertEquals(0, run.exit(), run.err());
        final JsonNode section = reportData(Files.readString(temp.resolve("clamp.html"))).get("sections").get(0);
        assertEquals("clamp", section.get("family").asText());
        long anchors = 0;
        for (final JsonNode row : section.get("rows"))
        {
            assertTrue(row.get(0).asText().startsWith("clamp_run_"), "a session file is a run named by it: " + row);
            anchors += Long.parseLong(row.get(1).asText().replace(",", ""));
        }
        assertEquals(entries, anchors, "every entry of every session file");
        assertEquals(files.size(), section.get("rows").size());
    }

    @Test
    void shouldRefuseAFileOfNoFamilyWithAReportNamingIt() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("other.jsonl"), "{\"hello\": 1}\n");
        final CommandRun run = CommandRun.of("report", file.toString(), "--out", temp.resolve("x.html").toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("blackbox: " + file + ": line 1: not a record of a family with a report"),
            run.err());
        assertFalse(Files.exists(temp.resolve("x.html")));
        final CommandRun both = CommandRun.of("report", file.toString(), "--recording", recording.toString(), "--out",
            temp.resolve("x.html").toString());
        assertEquals(64, both.exit());
    }

    static JsonNode reportData(final String html) throws Exception
    {
        final Matcher matcher = DATA.matcher(html);
        assertTrue(matcher.find(), "the report's data");
        return JSON.readTree(matcher.group(1).replace("<\\/", "</"));
    }

    /**
     * Headless Chromium, as Debian packages it.
     */
    static final class Chromium
    {
        private Chromium()
        {
        }

        /**
         * @return the {@code #report-status} the report's script wrote once it drew, parsed.
         */
        static JsonNode reportStatus(final Path html) throws Exception
        {
            final Path executable = Path.of("/usr/bin/chromium");
            assertTrue(Files.isExecutable(executable), "headless Chromium is needed: install Debian's chromium " +
                "package (.ci/run does)");
            final Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--user-data-dir=" + html.resolveSibling("chromium-profile"),
                "--virtual-time-budget=20000", "--dump-dom", html.toUri().toString())
                .redirectError(html.resolveSibling("chromium.log").toFile())
                .start();
            final String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "chromium ends");
            assertEquals(0, process.exitValue(), () -> "chromium failed: " + read(html.resolveSibling("chromium.log")));
            final Matcher matcher = STATUS.matcher(dom);
            assertTrue(matcher.find(), () -> "#report-status in the DOM chromium dumped: " +
                dom.substring(0, Math.min(2000, dom.length())));
            final String status = matcher.group(1).replace("&quot;", "\"").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&");
            assertFalse(status.isEmpty(), "the report's script ran to its end and wrote its status");
            return JSON.readTree(status);
        }

        private static String read(final Path file)
        {
            try
            {
                return Files.readString(file);
            }
            catch (final java.io.IOException ex)
            {
                return ex.toString();
            }
        }
    }
}
