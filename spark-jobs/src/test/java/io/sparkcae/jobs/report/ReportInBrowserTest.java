package io.sparkcae.jobs.report;

import io.sparkcae.jobs.testing.HeadlessChromium;
import io.sparkcae.jobs.testing.LocalSpark;
import io.sparkcae.jobs.testing.SmallRun;
import io.sparkcae.jobs.testing.StageDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a real small pipeline run, opened in a real headless browser: every figure loads, no script
 * error, and a screenshot lands in {@code target/report-screenshot.png} for people to look at.
 */
@ExtendWith(LocalSpark.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReportInBrowserTest {
    static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

    @Test
    void pipelineEndsWithTheCommittedReportsUrl() throws Exception {
        SmallRun run = SmallRun.get();
        Path page = StageDirs.output(run.runDir(), "report").resolve("report.html");
        assertTrue(Files.isRegularFile(page), page.toString());
        List<String> lines = run.stdout().lines().toList();
        int open = lines.indexOf("Open " + page.toUri());
        assertTrue(open >= 0, run.stdout());
        assertTrue(lines.subList(0, open).stream().anyMatch(l -> l.startsWith("pipeline: done in ")),
                "the URL comes last, after the pipeline's summary: " + run.stdout());
        assertTrue(page.toUri().toString().startsWith("file:///"), page.toUri().toString());
        for (String stage : List.of("prep", "train", "encode", "score", "report")) {
            assertTrue(run.stdout().contains(stage + ": done in "), stage + " ran: " + run.stdout());
        }
    }

    @Test
    void reportShowsEveryFigureInABrowserWithoutErrors() throws Exception {
        HeadlessChromium.require(); // before the run: a missing browser should not cost a pipeline first
        SmallRun run = SmallRun.get();
        Path page = StageDirs.output(run.runDir(), "report").resolve("report.html");
        String html = Files.readString(page);
        for (String figure : List.of("train-loss.png", "train-reconstructions.png", "encode-latent-pca.png",
                "score-score_histogram.png", "score-roc.png", "score-residual_00.png")) {
            assertTrue(html.contains("src=\"" + figure + "\""), figure + " is on the page");
        }
        HeadlessChromium.PageCheck c;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            c = browser.check(page.toUri(), SCREENSHOT);
        }
        assertTrue(c.clean(), "the report as the browser shows it: " + c);
        int figures = html.split("<img ", -1).length - 1;
        assertEquals(figures, c.images(), c.toString());
        assertTrue(figures >= 9, "loss, reconstructions, latent map, histogram, ROC and 4 residual maps: " + figures);

        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(c.screenshotPng()));
        assertNotNull(shot);
        assertTrue(shot.getHeight() > 2000, "the whole page, figures included: " + shot.getWidth() + "x" + shot.getHeight());
        assertTrue(Files.size(SCREENSHOT) > 10_000, SCREENSHOT + " written");
    }
}
