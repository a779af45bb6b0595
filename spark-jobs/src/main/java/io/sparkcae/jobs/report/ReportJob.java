package io.sparkcae.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkcae.core.report.HtmlReport;
import io.sparkcae.jobs.common.RunFiles;
import io.sparkcae.jobs.common.StageContext;
import io.sparkcae.jobs.common.StageRunner;
import io.sparkcae.jobs.common.CommittedStage;
import io.sparkcae.jobs.common.Fingerprint;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report stage: one self-contained HTML page for a run directory, with every committed stage's
 * metrics as tables and its figures (loss curves, reconstructions, ROC, score histogram, residual maps) and
 * a 2-D PCA projection of the latents coloured by label. Figures are copied next to the page, so the
 * report directory can be moved or served on its own. Writes {@code <run-dir>/report/report.html}.
 */
public final class ReportJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String DIR = "report";
    private static final String[] STAGES = {"prep", "train", "encode", "score", "reassemble", "rom"};
    private static final String[] FIGURES = {"loss.png", "reconstructions.png", "samples.png", "interpolation.png",
            "roc.png", "score_histogram.png", "error_vs_latent_size.png"};

    private ReportJob() {
    }

    public static Map<String, Object> run(SparkSession spark, StageContext ctx) throws Exception {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        FileSystem fs = new Path(ctx.runDir()).getFileSystem(hadoop);
        StringBuilder inputs = new StringBuilder();
        Map<String, String> present = new LinkedHashMap<>();
        for (String stage : STAGES) {
            CommittedStage c = ctx.committed(stage, hadoop);
            if (c != null) {
                present.put(stage, c.dir().toString());
                inputs.append(stage).append('=').append(c.fingerprint()).append('\n');
            }
        }
        if (present.isEmpty()) {
            throw io.sparkcae.core.error.SparkCaeException.usage(ctx.runDir() + ": no committed stage outputs to report on");
        }
        return StageRunner.run(ctx, DIR, Fingerprint.of("report", inputs.toString()), hadoop,
                dir -> write(spark, ctx, fs, present, dir));
    }

    private static Map<String, Object> write(SparkSession spark, StageContext ctx, FileSystem fs,
                                             Map<String, String> present, String dir) throws java.io.IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        java.nio.file.Path local = Files.createTempDirectory("sparkcae-report");
        try {
            HtmlReport html = new HtmlReport("sparkcae run " + new Path(ctx.runDir()).getName());
            html.paragraph("Run directory: " + ctx.runDir() + ". Stages with committed output: " + String.join(", ", present.keySet()) + ".");
            int figures = 0;
            for (String stage : present.keySet()) {
                String stageOutput = present.get(stage);
                html.heading(stage);
                JsonNode metrics = readJson(fs, new Path(stageOutput, "metrics.json"));
                if (metrics != null) {
                    html.table(List.of("metric", "value"), rows(metrics));
                }
                Path comparison = new Path(stageOutput, "comparison.csv");
                if (fs.exists(comparison)) {
                    List<String> lines = RunFiles.readString(fs, comparison).lines().filter(l -> !l.isBlank()).toList();
                    if (!lines.isEmpty()) {
                        html.paragraph("Held-out MSE per latent size (normalised units; latent size 0: the train mean).");
                        html.table(List.of(lines.get(0).split(",", -1)), lines.subList(1, lines.size()).stream()
                                .map(l -> List.of(l.split(",", -1))).toList());
                    }
                }
                for (String fig : FIGURES) {
                    Path p = new Path(stageOutput, fig);
                    if (fs.exists(p)) {
                        String name = stage + "-" + fig;
                        fs.copyToLocalFile(p, new Path(local.resolve(name).toUri()));
                        html.image(name, stage + ": " + fig.replace(".png", "").replace('_', ' '));
                        figures++;
                    }
                }
                Path residuals = new Path(stageOutput, "residuals");
                if (fs.exists(residuals)) {
                    int shown = 0;
                    var listed = fs.listStatus(residuals);
                    java.util.Arrays.sort(listed, java.util.Comparator.comparing(st -> st.getPath().getName()));
                    for (var st : listed) {
                        if (shown++ >= 8) {
                            break;
                        }
                        String name = stage + "-" + st.getPath().getName();
                        fs.copyToLocalFile(st.getPath(), new Path(local.resolve(name).toUri()));
                        html.image(name, "residual map (|reconstruction - input|) of a high-error test patch");
                        figures++;
                    }
                }
                if (stage.equals("encode")) {
                    java.nio.file.Path png = local.resolve("encode-latent-pca.png");
                    if (LatentProjection.write(spark, new Path(stageOutput, "latents").toString(), png)) {
                        html.image(png.getFileName().toString(), "latents projected on their first two principal"
                                + " components (up to 5,000 patches), coloured by label");
                        figures++;
                    }
                }
            }
            html.write(local.resolve("report.html"));
            try (var files = Files.list(local)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                    RunFiles.copyLocal(f, dir, f.getFileName().toString(), hadoop);
                }
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("stages", List.copyOf(present.keySet()));
            metrics.put("figures", figures);
            LOG.info("report: {} -> {}/report.html", present.keySet(), dir);
            return metrics;
        } finally {
            try (var s = Files.walk(local)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static JsonNode readJson(FileSystem fs, Path p) throws java.io.IOException {
        if (!fs.exists(p)) {
            return null;
        }
        try (InputStream in = fs.open(p)) {
            return JSON.readTree(in);
        }
    }

    private static List<List<String>> rows(JsonNode metrics) {
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            rows.add(List.of(e.getKey(), v.isNumber() && v.isFloatingPointNumber()
                    ? String.format(java.util.Locale.ROOT, "%.6g", v.asDouble()) : v.isTextual() ? v.asText() : v.toString()));
        }
        return rows;
    }
}
