package io.sparkcae.jobs.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The browser check itself: it must see a broken image and a throwing script, and pass a clean page. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class HeadlessChromiumTest {
    @TempDir
    Path dir;

    @Test
    void reportsABrokenImageAndAScriptErrorButNotAGoodImage() throws Exception {
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("good.png").toFile());
        Files.writeString(dir.resolve("page.html"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
                + "<img src=\"good.png\" alt=\"good\"><img src=\"missing.png\" alt=\"broken\">"
                + "<script>throw new Error('thrown by the page under test');</script></body></html>");
        HeadlessChromium.PageCheck c;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            c = browser.check(dir.resolve("page.html").toUri(), null);
        }
        assertFalse(c.clean(), c.toString());
        assertEquals(2, c.images(), c.toString());
        assertEquals(List.of("missing.png"), c.brokenImages(), c.toString());
        assertTrue(c.errors().stream().anyMatch(e -> e.startsWith("script error") && e.contains("thrown by the page under test")),
                c.toString());
        assertTrue(c.errors().stream().anyMatch(e -> e.contains("missing.png")), "the failed load is logged: " + c);
        assertTrue(c.errors().stream().noneMatch(e -> e.contains("good.png")), c.toString());
    }

    @Test
    void aCleanPageIsCleanAndItsScreenshotShowsIt() throws Exception {
        BufferedImage red = new BufferedImage(50, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 50; x++) {
                red.setRGB(x, y, 0xff0000);
            }
        }
        ImageIO.write(red, "png", dir.resolve("red.png").toFile());
        // Taller than the window, so a viewport-only screenshot would miss the image at the bottom.
        Files.writeString(dir.resolve("page.html"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
                + "<body style=\"margin:0\"><div style=\"height:2000px\">top</div><img src=\"red.png\" alt=\"red\"></body></html>");
        HeadlessChromium.PageCheck c;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            c = browser.check(dir.resolve("page.html").toUri(), dir.resolve("shot.png"));
        }
        assertTrue(c.clean(), c.toString());
        assertEquals(1, c.images());
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(c.screenshotPng()));
        assertNotNull(shot);
        assertTrue(shot.getHeight() >= 2020, "full page, not the 900 px window: " + shot.getHeight());
        assertEquals(0xff0000, shot.getRGB(10, 2010) & 0xffffff, "the image at the bottom is in the screenshot");
        assertTrue(Files.size(dir.resolve("shot.png")) > 0);
    }
}
