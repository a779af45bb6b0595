package io.sparkcae.jobs.cli;

import io.sparkcae.core.config.TrainConf;
import io.sparkcae.jobs.bench.PresetQualityBench;
import io.sparkcae.jobs.bench.ClusterTrainBench;
import io.sparkcae.jobs.bench.CompareBench;
import io.sparkcae.jobs.bench.EncodeBench;
import io.sparkcae.jobs.bench.MachineInfo;
import io.sparkcae.jobs.bench.OneClassQualityBench;
import io.sparkcae.jobs.bench.ProfileBench;
import io.sparkcae.jobs.bench.PrepBench;
import io.sparkcae.jobs.bench.TrainBench;
import io.sparkcae.jobs.bench.WorkerQualityBench;
import io.sparkcae.jobs.bench.scaling.ScalingBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Print throughput figures as JSON lines: train (plain DL4J vs Spark parameter averaging), encode (in-JVM inference vs encode to Parquet), prep (patching vs a plain Parquet write), compare (sparkcae vs the PyTorch peer, alternating pairs, ratio table), profile (where one training step and one inference batch spend their time, per layer and per ND4J op), quality (val MSE per epoch against the number of averaging workers, or with --one-class anomaly-detection AUCs per class), scaling (averaging vs gradient sharing on a few worker JVMs at shaped link rates, a fitted scaling model and its projection to 8-128 executors; docs/scaling.md), all (train + encode). The first line names the machine.")
final class BenchCommand implements Callable<Integer> {
    static final int SCALING_STEPS = 20;
    static final List<String> CASES = List.of("train", "encode", "prep", "compare", "profile", "quality", "scaling", "all");

    @Mixin
    CommonOptions options;

    @Parameters(index = "0", arity = "0..1", defaultValue = "all", description = "What to measure: train | encode | prep | compare | profile | quality | scaling | all.")
    String what;

    @Option(names = "--batches", split = ",", description = "Training batch sizes. Default: ${DEFAULT-VALUE}.")
    List<Integer> batches = List.of(64, 128);

    @Option(names = "--steps", description = "Timed fit steps per plain case (default 40); scaling: timed batches per"
            + " worker and point (default " + SCALING_STEPS + ").")
    Integer steps;

    @Option(names = "--rounds", description = "Averaging rounds timed per Spark case (bench train with one local worker: the same batches in one round, as the trainer averages one worker once per epoch). Default: ${DEFAULT-VALUE}.")
    int rounds = 4;

    @Option(names = "--workers", split = ",", description = "Spark training workers to measure (train, quality). Default: 1,2; scaling: 1,2,3.")
    List<Integer> workers;

    @Option(names = "--rates", split = ",", description = "scaling: link rates of the loopback cluster (tc token bucket on"
            + " lo in a network namespace of the bench's own; needs root): unlimited or N{kbit|mbit|gbit}. Default: ${DEFAULT-VALUE}.")
    List<String> rates = List.of("unlimited", "20mbit");

    @Option(names = "--points", description = "scaling: fit and print from the JSON lines an earlier scaling run printed"
            + " (its scaling_reference_net and scaling_point lines) instead of measuring.")
    java.nio.file.Path points;

    @Option(names = "--frequencies", split = ",", description = "scaling: averaging frequencies. Default: ${DEFAULT-VALUE}.")
    List<Integer> frequencies = List.of(5, 20);

    @Option(names = "--thresholds", split = ",", description = "scaling: initial gradient-sharing thresholds. Default: ${DEFAULT-VALUE}.")
    List<Double> thresholds = List.of(1e-3, 1e-4);

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

    @Option(names = "--out", description = "Where profile and scaling write their JSON. Default: bench-profile.json,"
            + " bench-scaling.json.")
    java.nio.file.Path out;

    @Option(names = "--pairs", description = "compare: alternating sparkcae/peer pairs; train: alternating plain/Spark passes. Default: ${DEFAULT-VALUE}.")
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

    @Option(names = "--presets", split = ",", description = "quality: train these model presets (reference, default,"
            + " quality) side by side with one local worker, each for its own epochs unless --epochs is given, and print"
            + " val MSE per epoch, train-stage seconds and test MSE.")
    List<String> presets;

    @Option(names = "--per-class-cap", description = "quality: at most this many train and test images per class (0 = all). Default: ${DEFAULT-VALUE}.")
    int perClassCap = 0;

    @Option(names = "--classes", split = ",", description = "quality: the classes taken as normal in turn. Default: ${DEFAULT-VALUE}.")
    List<Integer> classes = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    @Override
    public Integer call() throws Exception {
        if (!CASES.contains(what)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown bench case '" + what + "' (available: " + String.join(", ", CASES) + ")");
        }
        if (!"quality".equals(what) && (oneClass || cluster)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--one-class and --cluster go with the quality case");
        }
        if (presets != null && (!"quality".equals(what) || oneClass || cluster || workers != null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--presets goes with the quality case alone (one local worker), not with --one-class, --cluster or --workers");
        }
        if (oneClass && cluster) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--cluster goes with the worker-count protocol of quality, not with --one-class");
        }
        ScalingBench.Options scaling = "scaling".equals(what) ? scalingOptions() : null; // usage errors before any work
        int steps = this.steps != null ? this.steps : 40;
        List<Integer> workers = this.workers != null ? this.workers : List.of(1, 2);
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(MachineInfo.describe()));
        if (scaling != null) {
            new ScalingBench(options.context().conf(), scaling).run(System.out);
            return 0;
        }
        if ("compare".equals(what)) {
            new CompareBench(options.context().conf(), pairs, steps, peer, python).run(System.out);
            return 0;
        }
        if ("profile".equals(what)) {
            new ProfileBench(options.context().conf(), batches.get(batches.size() - 1), steps,
                    out != null ? out : java.nio.file.Path.of("bench-profile.json")).run(System.out);
            return 0;
        }
        if ("quality".equals(what) && presets != null) {
            List<PresetQualityBench.Preset> confs = new java.util.ArrayList<>();
            for (String name : presets) {
                List<String> sets = new java.util.ArrayList<>(options.sets);
                sets.add("model.preset=" + name);
                confs.add(new PresetQualityBench.Preset(name,
                        io.sparkcae.core.config.LayeredConfigLoader.load(options.config, sets)));
            }
            new PresetQualityBench(confs, epochs, rows == null ? 0 : rows).run(System.out);
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
            new TrainBench(conf, batches, steps, rounds, workers, pairs).run(System.out);
        }
        if (!"train".equals(what)) {
            new EncodeBench(conf, rows == null ? 20000 : rows).run(System.out);
        }
        return 0;
    }

    /** The scaling case's options, with its own defaults where the user gave none; bad values are usage errors. */
    ScalingBench.Options scalingOptions() {
        return new ScalingBench.Options(workers != null ? workers : List.of(1, 2, 3), ScalingBench.Options.rates(rates),
                steps != null ? steps : SCALING_STEPS, 32, frequencies, thresholds, List.of(16, 8),
                out != null ? out : java.nio.file.Path.of("bench-scaling.json"), points);
    }
}
