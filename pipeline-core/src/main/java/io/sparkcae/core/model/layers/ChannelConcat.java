package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Concatenation along the channel axis for skip connections: DL4J's {@link MergeVertex}, except that its
 * backward pass also handles 5D (NCDHW) activations, which DL4J 1.0.0-M2.1 rejects ("Invalid rank during
 * forward pass (not 2, 3, 4)") although its forward pass supports them.
 */
public class ChannelConcat extends MergeVertex {

    public ChannelConcat() {
    }

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        return new ChannelConcatVertex(graph, name, idx, networkDatatype);
    }

    @Override
    public ChannelConcat clone() {
        return new ChannelConcat();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelConcat;
    }

    @Override
    public int hashCode() {
        return ChannelConcat.class.hashCode();
    }
}
