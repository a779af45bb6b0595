package io.sparkcae.jobs.cli;

import io.sparkcae.jobs.bench.TrainBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Print throughput figures as JSON lines. Cases: train (plain DL4J vs Spark parameter averaging, inference).")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", arity = "0..1", defaultValue = "train", description = "What to measure: train.")
    String what;

    @Option(names = "--batches", split = ",", description = "Training batch sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> batches = List.of(64, 128);

    @Option(names = "--steps", description = "Timed fit steps per plain case. Default: ${DEFAULT-VALUE}.")
    int steps = 40;

    @Option(names = "--rounds", description = "Averaging rounds timed per Spark case. Default: ${DEFAULT-VALUE}.")
    int rounds = 4;

    @Override
    public Integer call() throws Exception {
        if (!"train".equals(what)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown bench case '" + what + "' (available: train)");
        }
        new TrainBench(options.context().conf(), batches, steps, rounds).run(System.out);
        return 0;
    }
}
