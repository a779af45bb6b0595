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

    public ChannelNormalizer(Normalization mode, float[] shift, float[] scale) {
        this.mode = mode;
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
                    shift[c] = (float) min[c];
                    scale[c] = (float) (max[c] - min[c]);
                }
            }
        }
        return new ChannelNormalizer(mode, shift, scale);
    }

    public Normalization mode() {
        return mode;
    }

    public boolean isIdentity() {
        return mode == Normalization.NONE;
    }

    /** Normalises a batch N x C x ... in place and returns it. */
    public INDArray apply(INDArray batch) {
        if (isIdentity()) {
            return batch;
        }
        INDArray s = Nd4j.createFromArray(shift);
        INDArray k = Nd4j.createFromArray(scale);
        batch.subi(broadcastable(s, batch)).divi(broadcastable(k, batch));
        return batch;
    }

    /** Maps a normalised batch back to data units, in place. */
    public INDArray invert(INDArray batch) {
        if (isIdentity()) {
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
