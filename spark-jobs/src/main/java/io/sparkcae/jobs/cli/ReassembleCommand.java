package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.reassemble.ReassembleJob;
import io.sparkcae.prep.reassembly.BlendWindow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reassemble", mixinStandardHelpOptions = true,
        description = "Stitch the patches of <run-dir>/prep/patches back into whole images/volumes (overlap-blended); writes <run-dir>/reassemble.")
final class ReassembleCommand extends StageCommand {
    @Option(names = "--format", description = "npy (any rank) | tiff (2D, float32) | png (2D, 8-bit). Default: ${DEFAULT-VALUE}.")
    String format = "npy";

    @Option(names = "--what", description = "patches (the patch dataset: reproduces the input) | residuals (score's reconstruction - input; "
            + "png = heat map), written to <run-dir>/residual-maps. Default: ${DEFAULT-VALUE}.")
    ReassembleJob.What what = ReassembleJob.What.PATCHES;

    @Option(names = "--blend", description = "Overlap weighting: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    BlendWindow blend = BlendWindow.HANN;

    @Override
    String name() {
        return "reassemble";
    }

    @Override
    StageSession.Stage stage() {
        if (!java.util.List.of("npy", "tiff", "png").contains(format)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--format must be npy, tiff or png, got '" + format + "'");
        }
        return (spark, c) -> ReassembleJob.run(spark, c, what, format, blend);
    }
}
