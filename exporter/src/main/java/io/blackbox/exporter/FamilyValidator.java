package io.blackbox.exporter;

import java.nio.file.Path;
import java.util.List;

/**
 * Checks a family's telemetry files against the family's specification; what {@code blackbox validate FAMILY} runs.
 * <p>
 * A JSON Lines family is a {@link JsonLinesValidator}: its JSON Schema plus the Java rules a schema cannot say.
 */
@FunctionalInterface
public interface FamilyValidator
{
    /**
     * Validate one file, including the problems of the file itself: it being missing, unreadable or empty,
     * malformed lines and the like.
     *
     * @param file the file; problems name it as {@code file.toString()}.
     * @return every problem in file order; empty when the file is valid. Never throws for bad input.
     */
    List<Problem> validate(Path file);
}
