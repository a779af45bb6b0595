package io.sparkcae.jobs.bench;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward and backward time of every vertex of a ComputationGraph, measured by running the graph one vertex
 * at a time in its topological order (the order DL4J itself uses) and timing each vertex's own work. It
 * runs without workspaces, so the sum can differ from a real {@code fit}; the profile prints both.
 */
final class LayerTimes {
    /** Median milliseconds of one vertex; backward is 0 for inference. */
    record Layer(String name, String type, double forwardMs, double backwardMs) {
    }

    private LayerTimes() {
    }

    /** Median per-vertex times over {@code reps} passes (after {@code warmup}), for training or inference. */
    static List<Layer> measure(ComputationGraph graph, INDArray input, boolean training, int warmup, int reps) {
        GraphVertex[] vertices = graph.getVertices();
        int[] order = graph.topologicalSortOrder();
        double[][] fwd = new double[vertices.length][reps];
        double[][] bwd = new double[vertices.length][reps];
        for (int r = -warmup; r < reps; r++) {
            double[] f = new double[vertices.length];
            double[] b = new double[vertices.length];
            pass(graph, vertices, order, input, training, f, b);
            if (r >= 0) {
                for (int v = 0; v < vertices.length; v++) {
                    fwd[v][r] = f[v];
                    bwd[v][r] = b[v];
                }
            }
        }
        List<Layer> layers = new ArrayList<>();
        for (int idx : order) {
            GraphVertex v = vertices[idx];
            if (v.isInputVertex()) {
                continue;
            }
            String type = v.hasLayer() ? v.getLayer().getClass().getSimpleName() : v.getClass().getSimpleName();
            layers.add(new Layer(v.getVertexName(), type, median(fwd[idx]), training ? median(bwd[idx]) : 0));
        }
        graph.clear();
        return layers;
    }

    private static void pass(ComputationGraph graph, GraphVertex[] vertices, int[] order, INDArray input,
                             boolean training, double[] fwdMs, double[] bwdMs) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        graph.clear();
        graph.setInputs(input); // preprocessors read the batch size from the graph's inputs
        graph.setLabels(input);
        for (int idx : order) {
            GraphVertex v = vertices[idx];
            INDArray out;
            if (v.isInputVertex()) {
                out = input;
            } else {
                long t0 = System.nanoTime();
                out = v.doForward(training, mgr);
                fwdMs[idx] = (System.nanoTime() - t0) / 1e6;
            }
            VertexIndices[] next = v.getOutputVertices();
            if (next != null) {
                for (VertexIndices n : next) {
                    vertices[n.getVertexIndex()].setInput(n.getVertexEdgeNumber(), out, mgr);
                }
            }
        }
        if (!training) {
            return;
        }
        // A vertex read by several others receives the sum of their epsilons, as in DL4J's own backprop.
        Map<Integer, INDArray> epsilons = new HashMap<>();
        for (int i = order.length - 1; i >= 0; i--) {
            GraphVertex v = vertices[order[i]];
            if (v.isInputVertex()) {
                continue;
            }
            if (v.isOutputVertex() && v.getLayer() instanceof IOutputLayer outputLayer) {
                outputLayer.setLabels(input); // an autoencoder's labels are its input
            } else {
                v.setEpsilon(epsilons.get(order[i]));
            }
            long t0 = System.nanoTime();
            Pair<Gradient, INDArray[]> grads = v.doBackward(false, mgr);
            bwdMs[order[i]] = (System.nanoTime() - t0) / 1e6;
            VertexIndices[] from = v.getInputVertices();
            INDArray[] eps = grads.getSecond();
            if (from == null || eps == null) {
                continue;
            }
            for (int k = 0; k < from.length; k++) {
                if (eps[k] == null) {
                    continue;
                }
                epsilons.merge(from[k].getVertexIndex(), eps[k].dup(), INDArray::addi);
            }
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
