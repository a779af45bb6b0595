package io.sparkcae.core.fastpath;

import io.sparkcae.core.model.layers.MaxPooling2DLayer;
import io.sparkcae.core.model.layers.MaxPooling3DLayer;
import io.sparkcae.core.model.layers.PoolingKernel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Which native helper each layer of a network runs with. DL4J falls back to its slow built-in path
 * without a word when a helper cannot be created, so jobs log this at start-up and a test pins it.
 */
public final class LayerHelperReport {

    /** One layer and the helper class it uses ("none" when it runs DL4J's built-in path). */
    public record Entry(int index, String name, String layerType, String helper, boolean needsHelper) {
        public boolean missing() {
            return needsHelper && "none".equals(helper);
        }

        @Override
        public String toString() {
            return "layer " + index + " " + name + " (" + layerType + "): " + helper;
        }
    }

    private LayerHelperReport() {
    }

    public static List<Entry> of(ComputationGraph net) {
        List<Entry> out = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            // Conv and pooling are where the time goes; transposed conv has no oneDNN helper in M2.1.
            boolean needs = (l instanceof ConvolutionLayer && !l.getClass().getSimpleName().startsWith("Deconvolution"))
                    || l instanceof SubsamplingLayer;
            out.add(new Entry(i, l.conf().getLayer().getLayerName(), l.getClass().getSimpleName(), helperName(l), needs));
        }
        return out;
    }

    /** Layers that should run on a oneDNN helper but do not. */
    public static List<Entry> missingHelpers(ComputationGraph net) {
        return of(net).stream().filter(Entry::missing).toList();
    }

    /** What names the pooling layers that bypass their helper for libnd4j's kernel ({@link PoolingKernel}). */
    public static final String LIBND4J_POOLING = "libnd4j max pooling (oneDNN has no AVX-512 kernel here)";

    private static String helperName(Layer layer) {
        if ((layer instanceof MaxPooling2DLayer || layer instanceof MaxPooling3DLayer) && PoolingKernel.libNd4j()) {
            return LIBND4J_POOLING;
        }
        for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("helper");
                f.setAccessible(true);
                Object h = f.get(layer);
                return h == null ? "none" : h.getClass().getSimpleName();
            } catch (NoSuchFieldException e) {
                // keep walking up
            } catch (IllegalAccessException e) {
                return "unknown";
            }
        }
        return "none";
    }
}
