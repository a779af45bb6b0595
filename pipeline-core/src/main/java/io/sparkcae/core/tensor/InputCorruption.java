package io.sparkcae.core.tensor;

import io.sparkcae.core.config.TrainConf.Corruption;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.Serializable;

/**
 * Corrupts a batch for the denoising and inpainting variants: the network sees the corrupted copy and is
 * scored against the clean batch. Seeded per batch, so training and evaluation stay reproducible. Values
 * are clipped to [0, 1] when {@code clip} is set (data scaled to [0, 1], as images are).
 */
public final class InputCorruption implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Corruption kind;
    private final double level;
    private final boolean clip;

    public InputCorruption(Corruption kind, double level, boolean clip) {
        this.kind = kind;
        this.level = level;
        this.clip = clip;
    }

    public boolean isNone() {
        return kind == Corruption.NONE;
    }

    /** A corrupted copy of {@code clean}; the clean batch is left untouched. */
    public INDArray apply(INDArray clean, long seed) {
        if (isNone()) {
            return clean;
        }
        INDArray x = clean.dup();
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        switch (kind) {
            case GAUSSIAN -> x.addi(Nd4j.randn(rng, x.shape()).castTo(x.dataType()).muli(level));
            case SALT_PEPPER -> {
                INDArray u = Nd4j.rand(rng, x.shape()).castTo(x.dataType());
                // u < level/2 -> 0 (pepper), u > 1 - level/2 -> 1 (salt)
                INDArray pepper = u.lt(level / 2).castTo(x.dataType());
                INDArray salt = u.gt(1 - level / 2).castTo(x.dataType());
                x.muli(pepper.rsub(1.0)).muli(salt.rsub(1.0)).addi(salt);
            }
            case MASK -> mask(x, rng);
            default -> throw new IllegalStateException(kind.name());
        }
        if (clip) {
            BooleanIndexing.replaceWhere(x, 0.0, Conditions.lessThan(0.0));
            BooleanIndexing.replaceWhere(x, 1.0, Conditions.greaterThan(1.0));
        }
        return x;
    }

    /** Zeroes one random box per sample whose sides are {@code level} of the patch's sides. */
    private void mask(INDArray x, Random rng) {
        int rank = x.rank() - 2;
        java.util.Random r = new java.util.Random(rng.nextLong());
        for (int n = 0; n < x.size(0); n++) {
            INDArrayIndex[] box = new INDArrayIndex[x.rank()];
            box[0] = NDArrayIndex.point(n);
            box[1] = NDArrayIndex.all();
            for (int a = 0; a < rank; a++) {
                int size = (int) x.size(a + 2);
                int side = Math.min(size, Math.max(1, (int) Math.round(size * level)));
                int start = r.nextInt(size - side + 1);
                box[a + 2] = NDArrayIndex.interval(start, start + side);
            }
            x.put(box, 0.0);
        }
    }
}
