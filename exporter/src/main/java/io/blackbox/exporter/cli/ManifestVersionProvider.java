package io.blackbox.exporter.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version {@code --version} prints: the jar manifest's {@code Implementation-Version}, else the version in the
 * Maven descriptor the jar carries, else {@value #DEVELOPMENT_VERSION} (running from classes, as in tests).
 */
public final class ManifestVersionProvider implements IVersionProvider
{
    /**
     * The version reported when no packaging metadata is found.
     */
    public static final String DEVELOPMENT_VERSION = "dev";

    private static final String MAVEN_DESCRIPTOR = "/META-INF/maven/io.blackbox/blackbox-exporter/pom.properties";

    /**
     * {@inheritDoc}
     */
    @Override
    public String[] getVersion()
    {
        return new String[]{ "blackbox " + version() };
    }

    /**
     * The version of the running command line.
     *
     * @return the version, never null.
     */
    public static String version()
    {
        final String implementationVersion = ManifestVersionProvider.class.getPackage().getImplementationVersion();
        if (null != implementationVersion && !implementationVersion.isBlank())
        {
            return implementationVersion;
        }

        try (InputStream in = ManifestVersionProvider.class.getResourceAsStream(MAVEN_DESCRIPTOR))
        {
            if (null != in)
            {
                final Properties properties = new Properties();
                properties.load(in);
                final String version = properties.getProperty("version");
                if (null != version && !version.isBlank())
                {
                    return version;
                }
            }
        }
        catch (final IOException ignore)
        {
            // A damaged descriptor is no reason to fail --version.
        }

        return DEVELOPMENT_VERSION;
    }
}
