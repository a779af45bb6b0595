package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;


/**
 * The sampling step of a variational bottleneck. Its input is one dense layer's output read as
 * {@code [mu | log-variance]} (2k columns); its output has k columns: {@code z = mu + exp(lv/2) * eps},
 * eps ~ N(0, I) from ND4J's (seeded) RNG while training, and {@code z = mu} at inference, so encoding is
 * deterministic. It adds {@code beta * warmup * KL(N(mu, exp(lv)) || N(0, I))} (mean over the batch) to
 * the objective. The warm-up factor is part of the configuration so the training loop can raise it epoch by
 * epoch and the value travels to Spark workers with the network configuration; beta itself never changes,
 * so a checkpoint always knows the target weight.
 */
public class VariationalLatent extends LatentPenaltyConf {
    private double beta;
    private double warmup = 1.0;

    /** For DL4J's JSON deserialisation. */
    public VariationalLatent() {
    }

    public VariationalLatent(double beta) {
        this.beta = beta;
    }

    public double getBeta() {
        return beta;
    }

    public double getWarmup() {
        return warmup;
    }

    /** Share of beta in effect, in [0, 1]. */
    public void setWarmup(double warmup) {
        this.warmup = warmup;
    }

    /** The KL weight the next forward pass uses. */
    public double effectiveBeta() {
        return beta * warmup;
    }

    @Override
    protected LatentPenaltyLayer<?> newLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new VariationalLatentLayer(conf, networkDataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeFeedForward ff) || ff.getSize() % 2 != 0) {
            throw new IllegalArgumentException("variational latent needs a feed-forward input of even size"
                    + " [mu | log-variance], got " + inputType);
        }
        return InputType.feedForward(ff.getSize() / 2);
    }

    /** Per-example KL divergence of N(mu, exp(lv)) from N(0, I), for rows of {@code [mu | lv]}. */
    public static INDArray klPerExample(INDArray params) {
        long k = params.size(1) / 2;
        INDArray mu = params.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
        INDArray lv = params.get(NDArrayIndex.all(), NDArrayIndex.interval(k, 2 * k));
        // -0.5 * sum(1 + lv - mu^2 - exp(lv))
        INDArray t = Transforms.exp(lv, true).addi(mu.mul(mu)).subi(lv).subi(1.0);
        return t.sum(1).muli(0.5);
    }

    /** The mean half of {@code [mu | lv]} rows. */
    public static INDArray mean(INDArray params) {
        return params.get(NDArrayIndex.all(), NDArrayIndex.interval(0, params.size(1) / 2));
    }

    @Override
    public VariationalLatent clone() {
        return (VariationalLatent) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VariationalLatent v && super.equals(o) && Double.compare(beta, v.beta) == 0
                && Double.compare(warmup, v.warmup) == 0;
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + Double.hashCode(beta);
    }
}
