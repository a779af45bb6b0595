package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Runtime side of {@link ChannelConcat}: splits a 5D gradient along the channel axis itself. */
public class ChannelConcatVertex extends MergeVertex {

    public ChannelConcatVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, dataType, 1);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
        if (epsilon == null || epsilon.rank() != 5) {
            return super.doBackward(tbptt, mgr);
        }
        INDArray[] out = new INDArray[inputs.length];
        long from = 0;
        for (int i = 0; i < inputs.length; i++) {
            long c = inputs[i].size(1);
            INDArrayIndex[] idx = {NDArrayIndex.all(), NDArrayIndex.interval(from, from + c), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()};
            out[i] = mgr.dup(ArrayType.ACTIVATION_GRAD, epsilon.get(idx), 'c');
            from += c;
        }
        return new Pair<>(null, out);
    }
}
