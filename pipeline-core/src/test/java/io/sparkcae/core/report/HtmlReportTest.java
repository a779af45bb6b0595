package io.sparkcae.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void escapesAllUserText() {
        String html = new HtmlReport("Run <1> & \"2\"")
                .heading("<h1>")
                .paragraph("<script>alert('x')</script>")
                .table(List.of("<b>key</b>"), List.of(List.of("a&b")))
                .image("figs/it's.png", "caption <i>")
                .render();

        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"), html);
        assertTrue(html.contains("<title>Run &lt;1&gt; &amp; &quot;2&quot;</title>"), html);
        assertTrue(html.contains("<h2>&lt;h1&gt;</h2>"), html);
        assertTrue(html.contains("<th>&lt;b&gt;key&lt;/b&gt;</th>"), html);
        assertTrue(html.contains("<td>a&amp;b</td>"), html);
        assertTrue(html.contains("src=\"figs/it&#39;s.png\""), html);
        assertTrue(html.contains("<figcaption>caption &lt;i&gt;</figcaption>"), html);
    }

    @Test
    void writtenPageReferencesTheImageAndKeepsOrder() throws IOException {
        Path html = dir.resolve("out/report.html");

        new HtmlReport("sparkcae run")
                .heading("Training")
                .image("figures/loss.png", "Loss per epoch")
                .paragraph("after")
                .write(html);

        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<meta charset=\"utf-8\">"));
        int img = page.indexOf("<img src=\"figures/loss.png\" alt=\"Loss per epoch\">");
        assertTrue(img > page.indexOf("<h2>Training</h2>"), page);
        assertTrue(page.indexOf("<p>after</p>") > img, page);
        assertFalse(page.contains("http"), "self-contained: no external resources");
        try (Stream<Path> files = Files.list(html.getParent())) {
            assertEquals(List.of(html), files.toList(), "temp file was moved, not left behind");
        }
    }

    @Test
    void rewriteReplacesThePreviousPage() throws IOException {
        Path html = dir.resolve("report.html");
        new HtmlReport("first").write(html);
        new HtmlReport("second").write(html);

        String page = Files.readString(html);
        assertTrue(page.contains("<h1>second</h1>"));
        assertFalse(page.contains("first"));
    }

    @Test
    void tableRendersEveryRowAndRejectsRaggedRows() {
        String html = new HtmlReport("t")
                .table(List.of("metric", "value"), List.of(List.of("mse", "0.01"), List.of("psnr", "31.2")))
                .render();
        assertTrue(html.contains("<tr><td>mse</td><td>0.01</td></tr>"), html);
        assertTrue(html.contains("<tr><td>psnr</td><td>31.2</td></tr>"), html);

        HtmlReport report = new HtmlReport("t");
        String before = report.render();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                report.table(List.of("a", "b"), List.of(List.of("1", "2"), List.of("3"))));
        assertTrue(e.getMessage().contains("row 1 has 1 cells, expected 2"), e.getMessage());
        assertEquals(before, report.render(), "a rejected table leaves no partial markup");
    }

    @Test
    void rejectsNonRelativeImagePaths() {
        HtmlReport report = new HtmlReport("t");
        assertThrows(IllegalArgumentException.class, () -> report.image("/abs/loss.png", "c"));
        assertThrows(IllegalArgumentException.class, () -> report.image("https://example.org/x.png", "c"));
        assertThrows(IllegalArgumentException.class, () -> report.image("C:\\x.png", "c"));
        assertThrows(IllegalArgumentException.class, () -> report.image("javascript:alert(1)", "c"));
    }
}
