package io.blackbox.exporter.clamp;

import io.blackbox.exporter.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The session file's layout and the validator's rules ({@code blackbox validate clamp}): a good file written by
 * {@link ClampSessionFile#toJson} reads back to the same records with no problem; broken one way at a time, it gives
 * exactly the one problem, {@code FILE:RECORD: field: problem}.
 */
class ClampSessionFileTest
{
    private static final long T0 = 1_735_689_600_000_000_000L; // 2025-01-01T00:00:00Z

    @TempDir
    Path temp;

    private static final List<ClampRecordValue> RECORDS = List.of(
        new ClampRecordValue("kernel-launch", -2L, "4242", T0, T0 + 5_000_000L, 5.0, 1.0),
        new ClampRecordValue("allreduce", 7L, "4243", T0 + 1_500_000L, T0 + 2_250_000L, 0.75, 0.8),
        new ClampRecordValue("held", 9L, "4242", T0 + 3_000_000L, null, 0.0, 0.0));

    @Test
    void shouldWriteOneRecordALineAndReadItBack() throws Exception
    {
        final Path file = temp.resolve("clamp_run_20250101T000000Z.json");
        ClampSessionFile.write(file, RECORDS);

        assertEquals(String.join("\n",
            "{",
            "  \"stability_score\": 0.600000,",
            "  \"records\": [",
            "    {\"context\": \"kernel-launch\", \"seed\": 18446744073709551614, \"thread_id\": \"4242\", " +
                "\"acquired_at\": \"2025-01-01T00:00:00Z\", \"released_at\": \"2025-01-01T00:00:00.005Z\", " +
                "\"duration_ms\": 5.000, \"stability_score\": 1.0},",
            "    {\"context\": \"allreduce\", \"seed\": 7, \"thread_id\": \"4243\", " +
                "\"acquired_at\": \"2025-01-01T00:00:00.001500Z\", \"released_at\": \"2025-01-01T00:00:00.002250Z\", " +
                "\"duration_ms\": 0.750, \"stability_score\": 0.8},",
            "    {\"context\": \"held\", \"seed\": 9, \"thread_id\": \"4242\", " +
                "\"acquired_at\": \"2025-01-01T00:00:00.003Z\", \"released_at\": null, \"duration_ms\": 0.000, " +
                "\"stability_score\": 0.0}",
            "  ]",
            "}",
            ""), Files.readString(file));
        final ClampSessionFile.Contents contents = ClampSessionFile.read(file);
        assertEquals(List.of(), contents.problems());
        assertEquals(RECORDS, contents.records());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"seed\": 7,|\"seed\": 0,|2|seed|zero: a failed acquisition, the spec says|",
        "\"seed\": 7,|\"seed\": -7,|2|seed|not a 64-bit unsigned seed: -7|",
        "\"duration_ms\": 0.750, \"stability_score\": 0.8|\"duration_ms\": 0.750, \"stability_score\": 1.5|2|" +
            "stability_score|outside [0, 1]: 1.5 (telemetry corruption, the spec says)|the file's mean is now wrong too",
        "\"released_at\": \"2025-01-01T00:00:00.002250Z\"|\"released_at\": \"2024-12-31T23:59:59Z\"|2|released_at|" +
            "before its acquisition (2024-12-31T23:59:59Z < 2025-01-01T00:00:00.001500Z)|",
        "\"stability_score\": 0.600000|\"stability_score\": 0.700000|0|stability_score|" +
            "not the mean of its records' scores: 0.7, the mean is 0.600000|",
        "\"thread_id\": \"4243\"|\"thread_id\": 4243|2|thread_id|not a string: 4243|",
        "\"acquired_at\": \"2025-01-01T00:00:00.001500Z\"|\"acquired_at\": \"yesterday\"|2|acquired_at|" +
            "not an ISO-8601 UTC time: \"yesterday\"|" })
    void shouldGiveTheOneProblemOfAFileBrokenOneWay(final String good, final String bad, final long record,
        final String field, final String message, final String alsoTheMean) throws Exception
    {
        final Path file = temp.resolve("session.json");
        final String text = ClampSessionFile.toJson(RECORDS);
        Files.writeString(file, text.replace(good, bad));

        final List<Problem> problems = ClampSessionFile.read(file).problems();
        assertEquals(new Problem(file.toString(), record, field, message), problems.get(0));
        // A changed score changes the records' mean, which the file's score no longer is: that is a second problem.
        assertEquals(null == alsoTheMean ? 1 : 2, problems.size(), problems::toString);
    }

    @Test
    void shouldNameAFileThatIsNotASessionFile() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("x.json"), "{\"records\": []}");
        assertEquals(List.of(new Problem(file.toString(), 0, "records", "empty: a session file holds at least one " +
            "record"), new Problem(file.toString(), 0, "stability_score", "missing")),
            ClampSessionFile.read(file).problems());
    }
}
