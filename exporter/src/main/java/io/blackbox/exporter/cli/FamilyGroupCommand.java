package io.blackbox.exporter.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command whose work is done by its per-family subcommands ({@code validate}, {@code monitor}, {@code import}):
 * reached itself only when no family subcommand matched, it refuses what was typed where the family goes, naming the
 * registered families.
 */
abstract class FamilyGroupCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", hidden = true)
    private List<String> words;

    @Override
    public Integer call()
    {
        throw FamilyCommands.unknownFamily(spec, words);
    }

    /**
     * @return the words after the command that named no family; empty when there were none.
     */
    protected List<String> unmatchedWords()
    {
        return null == words ? List.of() : words;
    }
}
