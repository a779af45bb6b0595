package io.sparkcae.core.config;

import java.io.Serializable;

/** How prep spreads work over Spark ({@code sparkcae.prep.*}). */
public record PrepConf(int recordsPerTask, int partitions, long maxTaskBytes) implements Serializable {
    static PrepConf read(ConfReader r) {
        return new PrepConf(r.intAtLeast("records-per-task", 1), r.intAtLeast("partitions", 0),
                r.longAtLeast("max-task-bytes", 1024));
    }
}
