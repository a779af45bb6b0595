package io.sparkcae.core.model.layers;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;

/**
 * Shared configuration plumbing of our parameterless latent layers. Fields of subclasses are serialised by
 * DL4J's own Jackson mapper (field visibility, class name as type id), so a model zip and the configuration
 * Spark ships to workers both carry them; every subclass needs a public no-argument constructor for that.
 */
abstract class LatentPenaltyConf extends NoParamLayer {

    protected LatentPenaltyConf() {
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // no parameters, nothing sized by the input
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return List.of();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
                .standardMemory(0, 0).workingMemory(0, 0, 0, out.arrayElementsPerExample())
                .cacheMemory(0, 0).build();
    }
}
