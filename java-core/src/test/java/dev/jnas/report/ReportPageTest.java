package dev.jnas.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report page escapes every text it is given, so a result's strings cannot break or inject markup. */
class ReportPageTest {
    @TempDir
    Path dir;

    @Test
    void everyMarkupCharacterIsEscaped() {
        assertEquals("&lt;b&gt;1&lt;-0 &amp; &quot;x&quot; &#39;y&#39;&lt;/b&gt;",
                ReportPage.escape("<b>1<-0 & \"x\" 'y'</b>"));
    }

    @Test
    void factsTablesAndHeadingsAreEscaped() throws IOException {
        Path file = dir.resolve("report.html");
        ReportPage page = new ReportPage(file);
        page.section("a <run>", dir.resolve("x&y.json"));
        page.facts(Map.of("<k>", "<v>"));
        page.table(List.of("<h>"), List.of(List.of("<c>")));
        page.write("<title>");
        String html = Files.readString(file);
        assertTrue(html.contains("<title>&lt;title&gt;</title>"), html);
        assertTrue(html.contains("<h2>a &lt;run&gt;</h2>"), html);
        assertTrue(html.contains("<p>From x&amp;y.json.</p>"), html);
        assertTrue(html.contains("<tr><th>&lt;k&gt;</th><td>&lt;v&gt;</td></tr>"), html);
        assertTrue(html.contains("<th>&lt;h&gt;</th>") && html.contains("<td>&lt;c&gt;</td>"), html);
    }
}
