package io.blackbox.exporter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Help text wrapped at spaces before picocli sees it. Picocli wraps a description line longer than the usage width
 * wherever its line breaker allows, inside a path too ({@code ROOT/blackbox-export.} then {@code json} on the next
 * line), and a line written shorter by hand then stops short of the margin. So descriptions are written as
 * paragraphs, one array element each, and made into lines here.
 */
final class HelpText
{
    private static final Pattern WORD = Pattern.compile("( *)(\\S+)");

    private HelpText()
    {
    }

    /**
     * Wrap the description paragraphs (all but the first: picocli lists a subcommand by its first description line,
     * which must stay one line) and the footer of {@code command} and of every command under it.
     */
    static void wrapDescriptions(final CommandLine command)
    {
        final UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        final int width = usage.width();
        final String[] description = usage.description();
        if (description.length > 1)
        {
            final List<String> lines = new ArrayList<>();
            lines.add(description[0]);
            for (int i = 1; i < description.length; i++)
            {
                lines.addAll(wrap(description[i], width));
            }
            usage.description(lines.toArray(String[]::new));
        }
        final List<String> footer = new ArrayList<>();
        for (final String paragraph : usage.footer())
        {
            footer.addAll(wrap(paragraph, width));
        }
        usage.footer(footer.toArray(String[]::new));
        command.getSubcommands().values().forEach(HelpText::wrapDescriptions);
    }

    /**
     * @param paragraph text, its leading spaces kept on every line it becomes (a hanging indent for the rest).
     * @param width     the longest line.
     * @return lines no longer than {@code width}, broken at spaces only; a word longer than a line stands alone.
     */
    static List<String> wrap(final String paragraph, final int width)
    {
        int indent = 0;
        while (indent < paragraph.length() && paragraph.charAt(indent) == ' ')
        {
            indent++;
        }
        final String continuation = paragraph.substring(0, indent) + (indent > 0 ? "  " : "");
        final List<String> lines = new ArrayList<>();
        final StringBuilder line = new StringBuilder(paragraph.substring(0, indent));
        boolean empty = true;
        // Each word with the spaces before it, kept as written inside a line (an aligned column stays aligned).
        final Matcher word = WORD.matcher(paragraph.substring(indent));
        while (word.find())
        {
            if (!empty && line.length() + word.group().length() > width)
            {
                lines.add(line.toString());
                line.setLength(0);
                line.append(continuation);
                empty = true;
            }
            line.append(empty ? word.group(2) : word.group());
            empty = false;
        }
        lines.add(line.toString());
        return lines;
    }
}
