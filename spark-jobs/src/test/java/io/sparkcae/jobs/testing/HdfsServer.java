package io.sparkcae.jobs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HDFS on 127.0.0.1: Hadoop's MiniDFSCluster (one NameNode, one DataNode) started by Hadoop's own
 * MiniHadoopClusterManager in its own JVM, which writes the cluster's configuration once it is up.
 */
public final class HdfsServer implements AutoCloseable {
    private static final Pattern DEFAULT_FS = Pattern.compile("hdfs://[^:<]+:(\\d+)");

    private final ServerProcess process;
    private final int port;

    private HdfsServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static HdfsServer start(Path dir) throws IOException, InterruptedException {
        Path conf = dir.resolve("cluster-conf.xml");
        ServerProcess p = ServerProcess.start("hdfs", dir,
                List.of("-Xmx512m", "-Dtest.build.data=" + dir.resolve("data").toAbsolutePath()),
                "org.apache.hadoop.mapreduce.MiniHadoopClusterManager",
                List.of("-nomr", "-format", "-datanodes", "1", "-writeConfig", conf.toAbsolutePath().toString(),
                        "-D", "dfs.namenode.rpc-address=127.0.0.1:0",
                        "-D", "dfs.namenode.http-address=127.0.0.1:0",
                        "-D", "dfs.datanode.address=127.0.0.1:0",
                        "-D", "dfs.datanode.http.address=127.0.0.1:0",
                        "-D", "dfs.datanode.ipc.address=127.0.0.1:0",
                        "-D", "dfs.replication=1"));
        p.awaitReady(() -> port(conf) > 0, 90, TimeUnit.SECONDS);
        return new HdfsServer(p, port(conf));
    }

    /** The NameNode port from the written configuration, or -1 while it is not written yet. */
    private static int port(Path conf) {
        try {
            Matcher m = DEFAULT_FS.matcher(Files.exists(conf) ? Files.readString(conf) : "");
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** hdfs://127.0.0.1:port, the file system's root. */
    public String uri() {
        return "hdfs://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
