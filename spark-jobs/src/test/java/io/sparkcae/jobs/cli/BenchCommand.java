package io.sparkcae.jobs.cli;

import io.sparkcae.core.config.TrainConf;
import io.sparkcae.jobs.bench.ClusterTrainBench;
import io.sparkcae.jobs.bench.CompareBench;
import io.sparkcae.jobs.bench.EncodeBench;
import io.sparkcae.jobs.bench.MachineInfo;
import io.sparkcae.jobs.bench.OneClassQualityBench;
import io.sparkcae.jobs.bench.ProfileBench;
import io.sparkcae.jobs.bench.PrepBench;
import io.sparkcae.jobs.bench.TrainBench;
import io.sparkcae.jobs.bench.WorkerQualityBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Print throughput figures as JSON lines: train (plain DL4J vs Spark parameter averaging), encode (in-JVM inference vs encode to Parquet), prep (patching vs a plain Parquet write), compare (sparkcae vs the PyTorch peer, alternating pairs, ratio table), profile (where one training step and one inference batch spend their time, per layer and per ND4J op), quality (val MSE per epoch against the number of averaging workers, or with --one-class anomaly-detection AUCs per class), all (train + encode). The first line names the machine.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions options;

    @Parameters(index = "0", arity = "0..1", defaultValue = "all", description = "What to measure: train | encode | prep | compare | profile | quality | all.")
    String what;

    @Option(names = "--batches", split = ",", description = "Training batch sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> batches = List.of(64, 128);

    @Option(names = "--steps", description = "Timed fit steps per plain case. Default: ${DEFAULT-VALUE}.")
    int steps = 40;

    @Option(names = "--rounds", description = "Averaging rounds timed per Spark case. Default: ${DEFAULT-VALUE}.")
    int rounds = 4;

    @Option(names = "--workers", split = ",", description = "Spark training workers to measure (train, quality). Default: ${DEFAULT-VALUE}.")
    List<Integer> workers = List.of(1, 2);

    @Option(names = "--mode", description = "Train on a loopback Spark standalone cluster (one worker JVM per --workers"
            + " entry, on 127.0.0.1) with this training mode: averaging | sharing. Default: Spark local mode, averaging.")
    TrainConf.TrainingMode mode;

    @Option(names = "--tiff-side", description = "Side of the generated 16-bit TIFF in the prep case. Default: ${DEFAULT-VALUE}.")
    int tiffSide = 4096;

    @Option(names = "--volume-side", description = "Grid side of the simulated 4-channel series in the prep case. Default: ${DEFAULT-VALUE}.")
    int volumeSide = 64;

    @Option(names = "--volume-steps", description = "Time steps of that series. Default: ${DEFAULT-VALUE}.")
    int volumeSteps = 50;

    @Option(names = "--rows", description = "encode: patches encoded to Parquet (default 20000); quality: Fashion-MNIST"
            + " training images used, from the start of the train set (default 0 = all 60,000).")
    Integer rows;

    @Option(names = "--out", description = "Where profile writes its JSON. Default: ${DEFAULT-VALUE}.")
    java.nio.file.Path out = java.nio.file.Path.of("bench-profile.json");

    @Option(names = "--pairs", description = "compare: alternating sparkcae/peer pairs. Default: ${DEFAULT-VALUE}.")
    int pairs = 3;

    @Option(names = "--peer", description = "compare: the PyTorch peer script. Default: ${DEFAULT-VALUE}.")
    java.nio.file.Path peer = java.nio.file.Path.of(System.getenv().getOrDefault("SPARKCAE_PEER_BENCH",
            "../shared/bench/pytorch_cae.py"));

    @Option(names = "--python", description = "compare: the interpreter with torch. Default: ${DEFAULT-VALUE}.")
    String python = "/usr/bin/python3";

    @Option(names = "--one-class", description = "quality: the one-class protocol (one model per class, the other classes"
            + " anomalous) instead of val MSE against the number of workers.")
    boolean oneClass;

    @Option(names = "--cluster", description = "quality: train on a loopback Spark standalone cluster with one worker JVM"
            + " per training worker (default: Spark local mode).")
    boolean cluster;

    @Option(names = "--epochs", description = "quality: training epochs per worker count (default 3) or per class with"
            + " --one-class (default 5).")
    Integer epochs;

    @Option(names = "--per-class-cap", description = "quality: at most this many train and test images per class (0 = all). Default: ${DEFAULT-VALUE}.")
    int perClassCap = 0;

    @Option(names = "--classes", split = ",", description = "quality: the classes taken as normal in turn. Default: ${DEFAULT-VALUE}.")
    List<Integer> classes = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    @Override
    public Integer call() throws Exception {
        if (!List.of("train", "encode", "prep", "compare", "profile", "quality", "all").contains(what)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown bench case '" + what + "' (available: train, encode, prep, compare, profile, quality, all)");
        }
        if (!"quality".equals(what) && (oneClass || cluster)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--one-class and --cluster go with the quality case");
        }
        if (oneClass && cluster) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--cluster goes with the worker-count protocol of quality, not with --one-class");
        }
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(MachineInfo.describe()));
        if ("compare".equals(what)) {
            new CompareBench(options.context().conf(), pairs, steps, peer, python).run(System.out);
            return 0;
        }
        if ("profile".equals(what)) {
            new ProfileBench(options.context().conf(), batches.get(batches.size() - 1), steps, out).run(System.out);
            return 0;
        }
        if ("quality".equals(what) && oneClass) {
            new OneClassQualityBench(options.context().conf(), epochs == null ? 5 : epochs, perClassCap, classes)
                    .run(System.out);
            return 0;
        }
        if ("quality".equals(what)) {
            new WorkerQualityBench(options.context().conf(), epochs == null ? 3 : epochs, rows == null ? 0 : rows,
                    workers, cluster).run(System.out);
            return 0;
        }
        if ("prep".equals(what)) {
            new PrepBench(tiffSide, volumeSide, volumeSteps).run(System.out);
            return 0;
        }
        var conf = options.context().conf();
        if (!"encode".equals(what) && mode != null) {
            new ClusterTrainBench(conf, mode, batches, steps, rounds, workers).run(System.out);
        } else if (!"encode".equals(what)) {
            new TrainBench(conf, batches, steps, rounds, workers).run(System.out);
        }
        if (!"train".equals(what)) {
            new EncodeBench(conf, rows == null ? 20000 : rows).run(System.out);
        }
        return 0;
    }
}
