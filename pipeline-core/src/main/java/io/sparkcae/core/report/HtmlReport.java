package io.sparkcae.core.report;

import io.sparkcae.core.files.AtomicFileWrite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A self-contained HTML page (inline CSS, no scripts, no external resources other than the PNGs
 * it links) so a run directory can be copied or archived and still open anywhere. All text is
 * HTML-escaped: captions and table cells come from config values and file names.
 *
 * <p>Not thread-safe; build one page per thread.
 */
public final class HtmlReport {

    private static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
            + "table{border-collapse:collapse;margin:1em 0}"
            + "th,td{border:1px solid #bbb;padding:4px 10px;text-align:left}"
            + "th{background:#eee}"
            + "figure{margin:1em 0}img{max-width:100%;image-rendering:pixelated}"
            + "figcaption{color:#444;font-size:90%}";

    private final String title;
    private final StringBuilder body = new StringBuilder();

    public HtmlReport(String title) {
        this.title = requireText(title, "title");
        body.append("<h1>").append(escape(title)).append("</h1>\n");
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(requireText(text, "heading"))).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(requireText(text, "paragraph"))).append("</p>\n");
        return this;
    }

    /** @throws IllegalArgumentException when a row's width differs from the header's */
    public HtmlReport table(List<String> headers, List<List<String>> rows) {
        if (headers == null || headers.isEmpty() || rows == null) {
            throw new IllegalArgumentException("table needs at least one header and a (possibly empty) row list");
        }
        // Validate everything before appending so a bad row cannot leave half a table behind.
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row == null || row.size() != headers.size()) {
                throw new IllegalArgumentException("table row " + r + " has "
                        + (row == null ? "no" : String.valueOf(row.size())) + " cells, expected " + headers.size());
            }
        }
        StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
        for (String h : headers) {
            t.append("<th>").append(escape(h)).append("</th>");
        }
        t.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            t.append("<tr>");
            for (String cell : row) {
                t.append("<td>").append(escape(cell)).append("</td>");
            }
            t.append("</tr>\n");
        }
        body.append(t).append("</tbody>\n</table>\n");
        return this;
    }

    /**
     * @param relativePngPath path relative to the HTML file, with '/' separators
     * @throws IllegalArgumentException for absolute paths or URLs, which would break the page once
     *                                  the run directory is moved
     */
    public HtmlReport image(String relativePngPath, String caption) {
        String src = requireText(relativePngPath, "image path");
        if (src.startsWith("/") || src.startsWith("\\") || src.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            throw new IllegalArgumentException("image path must be relative to the report, got " + src);
        }
        String cap = caption == null ? "" : caption;
        body.append("<figure><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(cap)).append("\">");
        if (!cap.isEmpty()) {
            body.append("<figcaption>").append(escape(cap)).append("</figcaption>");
        }
        body.append("</figure>\n");
        return this;
    }

    /** The complete page as it would be written. */
    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n"
                + body + "</body>\n</html>\n";
    }

    /** Writes the page atomically (temp file in the same directory, then rename), creating parent directories. */
    public void write(Path html) throws IOException {
        byte[] bytes = render().getBytes(StandardCharsets.UTF_8);
        AtomicFileWrite.write(html, out -> out.write(bytes));
    }

    /** Escapes for both element content and double- or single-quoted attribute values; null becomes empty. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String requireText(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return text;
    }
}
