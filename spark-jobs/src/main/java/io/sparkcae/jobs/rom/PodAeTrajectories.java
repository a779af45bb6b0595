package io.sparkcae.jobs.rom;

import io.sparkcae.prep.dataset.PatchDataset;
import io.sparkcae.prep.dataset.PatchSchema;
import io.sparkcae.prep.dataset.Split;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * The latent trajectories when rom has no CAE (method pod-ae): every step's POD-autoencoder latent and its
 * reconstruction error, in the CAE's trajectory layout (sim_id, t, split, z, recon_error). The coefficients
 * are in patch-id order within each split, as {@link DistributedPod} indexed them, so the ids are collected in
 * that same order to label them.
 */
final class PodAeTrajectories {
    private PodAeTrajectories() {
    }

    /** @param latent the size whose model is written (the first trained size when it was not trained) */
    static void write(SparkSession spark, PatchDataset patches, Dataset<Row> valRows, Dataset<Row> testRows,
                      PodAeSweep.Result ae, int latent, String dir) {
        PodAeSweep.Point point = ae.points().get(0);
        for (PodAeSweep.Point p : ae.points()) {
            if (p.latentSize() == latent) {
                point = p;
            }
        }
        PodAutoencoder model = point.fitted().model();
        List<Row> rows = new ArrayList<>();
        add(rows, ids(patches.split(Split.TRAIN, "POD")), Split.TRAIN, ae.train(), model);
        add(rows, ids(testRows), Split.TEST, ae.test(), model);
        if (valRows != null) {
            add(rows, ids(valRows), Split.VAL, ae.val(), model);
        }
        spark.createDataFrame(rows, RomJob.SCHEMA).orderBy(col("sim_id"), col("t")).write().parquet(dir);
    }

    private static List<String> ids(Dataset<Row> rows) {
        return rows.select(col(PatchSchema.ID)).orderBy(col(PatchSchema.ID)).as(Encoders.STRING()).collectAsList();
    }

    private static void add(List<Row> out, List<String> ids, Split split, ProjectedSnapshots snapshots,
                            PodAutoencoder model) {
        double[][] z = model.encode(snapshots.coefficients());
        double[][] rebuilt = model.reconstruct(snapshots.coefficients());
        for (int r = 0; r < ids.size(); r++) {
            String id = ids.get(r);
            int colon = id.lastIndexOf(':');
            float[] zf = new float[z[r].length];
            for (int j = 0; j < zf.length; j++) {
                zf[j] = (float) z[r][j];
            }
            out.add(RowFactory.create(id.substring(0, colon), Long.parseLong(id.substring(colon + 1)),
                    split.columnValue(), zf, snapshots.rowMse(r, rebuilt[r])));
        }
    }
}
