package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.prep.PrepJob;
import picocli.CommandLine.Command;

@Command(name = "prep", mixinStandardHelpOptions = true,
        description = "Read raw images/volumes (IDX, PNG/JPEG/TIFF folders, NPY, HDF5, raw), cut patches, write the Parquet patch dataset to <run-dir>/prep.")
final class PrepCommand extends StageCommand {
    @Override
    String name() {
        return "prep";
    }

    @Override
    StageSession.Stage stage() {
        return PrepJob::run;
    }
}
