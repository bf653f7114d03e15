package io.blackbox.exporter.cli;

public final class BlackboxCommand
{
    public static void main(final String[] args)
    {
        System.out.println("placeholder");
    }
}
