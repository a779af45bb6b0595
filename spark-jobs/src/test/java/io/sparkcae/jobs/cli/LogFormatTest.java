package io.sparkcae.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --log-format json switches Log4j2 (Spark's backend) to one JSON object per line, from the CLI's start. */
class LogFormatTest {
    @Test
    void jsonLogFormatWritesOneJsonObjectPerLine() throws Exception {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        URI before = ctx.getConfigLocation();
        String info;
        String warn;
        try {
            StringWriter err = new StringWriter();
            int code = SparkCaeCli.execute(new PrintWriter(err, true), "prep", "--log-format", "json", "--dry-run");
            assertEquals(0, code, err.toString());
            // The configuration now in force: the console appender of conf/log4j2-json.properties.
            // (Its output stream is shared with the previous console appender, so the layout is checked.)
            Configuration conf = ctx.getConfiguration();
            assertTrue(ctx.getConfigLocation().toString().endsWith("log4j2-json.properties"), String.valueOf(ctx.getConfigLocation()));
            Appender console = conf.getAppender("console");
            assertTrue(conf.getRootLogger().getAppenders().containsKey("console"));
            StringLayout layout = (StringLayout) console.getLayout();
            info = layout.toSerializable(event(Level.INFO, "a \"quoted\"\nmessage", null));
            warn = layout.toSerializable(event(Level.WARN, "with a stack trace", new IllegalStateException("boom")));
        } finally {
            Configurator.reconfigure(before);
        }
        assertTrue(info.endsWith("\n") && info.strip().lines().count() == 1, info);
        assertTrue(warn.strip().lines().count() == 1, warn);
        ObjectMapper json = new ObjectMapper();
        JsonNode i = json.readTree(info);
        assertEquals("INFO", i.get("level").asText());
        assertEquals("io.sparkcae.test", i.get("loggerName").asText());
        assertEquals("a \"quoted\"\nmessage", i.get("message").asText());
        assertEquals("sparkcae", i.get("app").asText());
        assertTrue(i.get("timeMillis").asLong() > 0);
        JsonNode w = json.readTree(warn);
        assertEquals("WARN", w.get("level").asText());
        assertTrue(w.get("thrown").toString().contains("boom"), warn);
    }

    private static LogEvent event(Level level, String message, Throwable thrown) {
        return Log4jLogEvent.newBuilder()
                .setLoggerName("io.sparkcae.test")
                .setLevel(level)
                .setMessage(new SimpleMessage(message))
                .setThrown(thrown)
                .setTimeMillis(System.currentTimeMillis())
                .build();
    }

    @Test
    void unknownLogFormatIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = SparkCaeCli.execute(new PrintWriter(err, true), "train", "--log-format", "xml", "--dry-run");
        assertEquals(2, code, err.toString());
    }
}
