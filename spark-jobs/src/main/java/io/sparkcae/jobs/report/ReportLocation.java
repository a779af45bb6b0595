package io.sparkcae.jobs.report;

import io.sparkcae.jobs.common.CommittedStage;
import io.sparkcae.jobs.common.StageContext;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.net.URI;

/**
 * Where a run's committed report page is, as a person opens it: a {@code file:///} URL a browser takes for a
 * local run dir, the store's URI (to copy the report directory down) for any other.
 */
public record ReportLocation(URI page) {
    public static final String PAGE = "report.html";

    /** The page inside the report stage's committed attempt directory; an error naming the command when absent. */
    public static ReportLocation of(StageContext ctx, Configuration hadoop) {
        CommittedStage c = CommittedStage.require(ctx.stageDir(ReportJob.DIR), ReportJob.DIR, hadoop);
        return new ReportLocation(new Path(c.dir(), PAGE).toUri());
    }

    public boolean local() {
        return "file".equals(page.getScheme());
    }

    /** The URL to open: Hadoop writes {@code file:/x}, browsers and terminals link {@code file:///x}. */
    public String url() {
        return local() ? java.nio.file.Path.of(page).toUri().toString() : page.toString();
    }

    /** The line the CLI prints after a report is committed. */
    public String openLine() {
        return local() ? "Open " + url() : "Report written to " + url() + " (copy its directory to open it)";
    }
}
