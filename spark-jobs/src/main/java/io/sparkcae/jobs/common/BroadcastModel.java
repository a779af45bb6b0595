package io.sparkcae.jobs.common;

import io.sparkcae.core.model.CaeModel;
import io.sparkcae.core.tensor.PatchShape;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model shipped to executors once (a Spark broadcast of its zip bytes) and deserialised at most once per
 * task thread and broadcast: DL4J networks are not safe to share between concurrently running tasks.
 */
public final class BroadcastModel implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ThreadLocal<CaeModel>> CACHE = new ConcurrentHashMap<>();

    private final Broadcast<byte[]> zip;
    private final int[] inputShape;
    private final String latentVertex;

    private BroadcastModel(Broadcast<byte[]> zip, int[] inputShape, String latentVertex) {
        this.zip = zip;
        this.inputShape = inputShape;
        this.latentVertex = latentVertex;
    }

    public static BroadcastModel of(JavaSparkContext jsc, CaeModel model) {
        return new BroadcastModel(jsc.broadcast(ModelStore.toBytes(model.network())),
                model.inputShape().dims(), model.latentVertex());
    }

    /** What a stage does with a model shipped to the executors for the duration of the call. */
    @FunctionalInterface
    public interface Use<T> {
        T apply(BroadcastModel model) throws Exception;
    }

    /** Broadcasts {@code model}, runs {@code use} with it and removes the broadcast again, whatever happens. */
    public static <T> T using(SparkSession spark, CaeModel model, Use<T> use) throws Exception {
        BroadcastModel bm = of(JavaSparkContext.fromSparkContext(spark.sparkContext()), model);
        try {
            return use.apply(bm);
        } finally {
            bm.destroy();
        }
    }

    public CaeModel get() {
        ThreadLocal<CaeModel> local = CACHE.computeIfAbsent("b" + zip.id(), k -> new ThreadLocal<>());
        CaeModel m = local.get();
        if (m == null) {
            m = new CaeModel(ModelStore.fromBytes(zip.value()), PatchShape.of(inputShape), latentVertex);
            local.set(m);
        }
        return m;
    }

    public void destroy() {
        CACHE.remove("b" + zip.id());
        zip.destroy();
    }
}
