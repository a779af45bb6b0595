package io.sparkcae.core.tensor;

import io.sparkcae.core.config.DataConf.Normalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * Per-channel affine normalisation x' = (x - shift) / scale, from the train split's statistics. Train,
 * encode and score apply the same instance (it travels in model.json), and {@link #invert} maps model
 * output back to the data's own units.
 */
public final class ChannelNormalizer implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Normalization mode;
    private final float[] shift;
    private final float[] scale;
    /** Per-channel clip bounds applied before normalising, or null for none. */
    private final float[] clipLow;
    private final float[] clipHigh;

    public ChannelNormalizer(Normalization mode, float[] shift, float[] scale) {
        this(mode, shift, scale, null, null);
    }

    public ChannelNormalizer(Normalization mode, float[] shift, float[] scale, float[] clipLow, float[] clipHigh) {
        this.mode = mode;
        this.clipLow = clipLow == null ? null : clipLow.clone();
        this.clipHigh = clipHigh == null ? null : clipHigh.clone();
        this.shift = shift.clone();
        this.scale = scale.clone();
        for (int c = 0; c < scale.length; c++) {
            if (!(scale[c] > 0) || !Float.isFinite(scale[c])) {
                // A constant channel has no spread to divide by; leave it centred but unscaled.
                this.scale[c] = 1f;
            }
        }
    }

    /** Builds the normaliser a mode asks for from per-channel mean, std, min and max. */
    public static ChannelNormalizer of(Normalization mode, double[] mean, double[] std, double[] min, double[] max) {
        return of(mode, mean, std, min, max, null, null);
    }

    /** As above, clipping each channel to [clipLow, clipHigh] first; with MINMAX those bounds are the range. */
    public static ChannelNormalizer of(Normalization mode, double[] mean, double[] std, double[] min, double[] max,
                                       double[] clipLow, double[] clipHigh) {
        int n = mean.length;
        float[] shift = new float[n];
        float[] scale = new float[n];
        for (int c = 0; c < n; c++) {
            switch (mode) {
                case NONE -> {
                    shift[c] = 0f;
                    scale[c] = 1f;
                }
                case STANDARDIZE -> {
                    shift[c] = (float) mean[c];
                    scale[c] = (float) std[c];
                }
                case MINMAX -> {
                    double lo = clipLow == null ? min[c] : clipLow[c];
                    double hi = clipHigh == null ? max[c] : clipHigh[c];
                    shift[c] = (float) lo;
                    scale[c] = (float) (hi - lo);
                }
            }
        }
        return new ChannelNormalizer(mode, shift, scale, toFloats(clipLow), toFloats(clipHigh));
    }

    private static float[] toFloats(double[] d) {
        if (d == null) {
            return null;
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    public Normalization mode() {
        return mode;
    }

    public boolean isIdentity() {
        return mode == Normalization.NONE && clipLow == null;
    }

    public float[] clipLow() {
        return clipLow == null ? null : clipLow.clone();
    }

    public float[] clipHigh() {
        return clipHigh == null ? null : clipHigh.clone();
    }

    /** Normalises a batch N x C x ... in place and returns it. */
    public INDArray apply(INDArray batch) {
        if (isIdentity()) {
            return batch;
        }
        if (clipLow != null) {
            for (int c = 0; c < clipLow.length; c++) {
                INDArray channel = batch.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c));
                org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(channel, clipLow[c],
                        org.nd4j.linalg.indexing.conditions.Conditions.lessThan(clipLow[c]));
                org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(channel, clipHigh[c],
                        org.nd4j.linalg.indexing.conditions.Conditions.greaterThan(clipHigh[c]));
            }
        }
        if (mode == Normalization.NONE) {
            return batch;
        }
        INDArray s = Nd4j.createFromArray(shift);
        INDArray k = Nd4j.createFromArray(scale);
        batch.subi(broadcastable(s, batch)).divi(broadcastable(k, batch));
        return batch;
    }

    /** Maps a normalised batch back to data units, in place. */
    public INDArray invert(INDArray batch) {
        if (mode == Normalization.NONE) {
            return batch;
        }
        INDArray s = Nd4j.createFromArray(shift);
        INDArray k = Nd4j.createFromArray(scale);
        batch.muli(broadcastable(k, batch)).addi(broadcastable(s, batch));
        return batch;
    }

    private static INDArray broadcastable(INDArray perChannel, INDArray batch) {
        long[] shape = new long[batch.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = perChannel.length();
        return perChannel.reshape(shape).broadcast(batch.shape()).castTo(batch.dataType());
    }

    public float[] shift() {
        return shift.clone();
    }

    public float[] scale() {
        return scale.clone();
    }
}
