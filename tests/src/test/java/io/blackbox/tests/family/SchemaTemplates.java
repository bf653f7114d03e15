package io.blackbox.tests.family;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The template ids the SBE schema declares, read from the schema the codecs were generated from (on the class path,
 * with the files it includes).
 */
final class SchemaTemplates
{
    static final String SCHEMA_RESOURCE = "sbe/blackbox-schema.xml";
    private static final String SBE_NAMESPACE = "http://fixprotocol.io/2016/sbe";

    private SchemaTemplates()
    {
    }

    /**
     * @return the id of every message of the schema, in schema order.
     */
    static List<Integer> templateIds() throws Exception
    {
        final URL schema = SchemaTemplates.class.getClassLoader().getResource(SCHEMA_RESOURCE);
        assertNotNull(schema, SCHEMA_RESOURCE + " on the class path");
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(true);
        final NodeList messages = factory.newDocumentBuilder().parse(schema.toString())
            .getElementsByTagNameNS(SBE_NAMESPACE, "message");
        final List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < messages.getLength(); i++)
        {
            ids.add(Integer.parseInt(((Element)messages.item(i)).getAttribute("id")));
        }

        return ids;
    }
}
