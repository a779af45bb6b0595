package io.sparkcae.jobs.testing;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API server on 127.0.0.1: s3proxy with its filesystem backend (one folder per bucket), in its own
 * JVM. Speaks signed S3 requests, so the S3A connector talks to it exactly as to a cloud store.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "sparkcae-test-access";
    public static final String SECRET_KEY = "sparkcae-test-secret";

    private final ServerProcess process;
    private final int port;

    private S3Server(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server with these (empty) buckets; its data lives under {@code dir}. */
    public static S3Server start(Path dir, String... buckets) throws IOException, InterruptedException {
        Path store = Files.createDirectories(dir.resolve("store"));
        for (String b : buckets) {
            Files.createDirectories(store.resolve(b)); // the filesystem backend's bucket is a folder
        }
        int port = ServerProcess.freePort();
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store.toAbsolutePath()) + "\n");
        // s3proxy logs every request at DEBUG without a configuration of its own.
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        ServerProcess p = ServerProcess.start("s3", dir, List.of("-Xmx256m",
                        "-Dlogback.configurationFile=" + logback.toAbsolutePath()),
                "org.gaul.s3proxy.Main", List.of("--properties", props.toAbsolutePath().toString()));
        S3Server server = new S3Server(p, port);
        p.awaitReady(server::accepts, 60, TimeUnit.SECONDS);
        return server;
    }

    private boolean accepts() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Everything S3A needs for this server except the endpoint (fs.s3a.* keys). */
    public static Map<String, String> clientSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.access.key", ACCESS_KEY);
        m.put("fs.s3a.secret.key", SECRET_KEY);
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.endpoint.region", "us-east-1");
        return m;
    }

    /** A Hadoop configuration that reaches this server. */
    public Configuration hadoopConf() {
        Configuration c = new Configuration();
        clientSettings().forEach(c::set);
        c.set("fs.s3a.endpoint", endpoint());
        return c;
    }

    @Override
    public void close() {
        process.close();
    }
}
