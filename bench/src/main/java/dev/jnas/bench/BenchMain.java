package dev.jnas.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * `./jnas bench [--quick] [NAME]`: runs the JMH benchmarks (those whose class name contains NAME) in a forked JVM
 * and prints one table with GFLOP/s and the ratio to OpenBLAS's sgemm measured in the same run on the same shapes. `./jnas bench tenas-search ...` runs
 * {@link TenasSearchBench} instead.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        if (args.length > 0 && args[0].equals("tenas-search")) {
            TenasSearchBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        // A word that is not an option picks the benchmark classes whose name contains it, e.g. "Sgnas".
        String only = Arrays.stream(args).filter(a -> !a.startsWith("--")).findFirst().orElse("");
        String library = System.getProperty("jnas.library", "");
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.jnas\\.bench\\..*" + Pattern.quote(only) + ".*Bench")
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-Djnas.library=" + library)
                .warmupIterations(quick ? 1 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
                .measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000));
        printTable(new Runner(options.build()).run());
    }

    private static void printTable(Collection<RunResult> results) {
        Map<String, Double> secondsByKey = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (RunResult result : results) {
            String key = key(result);
            secondsByKey.put(key, seconds(result));
            order.add(key);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %14s %10s %22s%n", "benchmark", "time", "GFLOP/s", "vs OpenBLAS sgemm");
        for (String key : order) {
            double s = secondsByKey.get(key);
            String[] parts = key.split(" ");
            switch (parts[0]) {
                case "FfmCallBench.downcall" -> System.out.printf(Locale.ROOT, "%-34s %11.1f ns%n", "FFM downcall", s * 1e9);
                case "ConvBench.forwardBackward" -> {
                    int channels = Integer.parseInt(parts[1]);
                    double gflops = Shapes.convFlops(channels) / s / 1e9;
                    Double peer = secondsByKey.get("GemmBench.openblas " + Shapes.convGemmShape(channels));
                    row("conv3x3 fwd+bwd C=" + channels + " B=64", s, gflops,
                            peer == null ? null : gflops / (Shapes.gemmFlops(Shapes.convGemmShape(channels)) / peer / 1e9));
                }
                case "GemmBench.jnas", "GemmBench.openblas" -> {
                    double gflops = Shapes.gemmFlops(parts[1]) / s / 1e9;
                    Double peer = secondsByKey.get("GemmBench.openblas " + parts[1]);
                    row(parts[0].replace("GemmBench.", "gemm ") + " " + parts[1], s, gflops,
                            peer == null ? null : peer / s);
                }
                case "SgnasBench.supernetEpoch" -> System.out.printf(Locale.ROOT,
                        "%-34s %11.3f ms %10s %22s%n", "sgnas supernet epoch (" + SgnasBench.TRAIN_IMAGES + " img)",
                        s * 1e3, "", String.format(Locale.ROOT, "%.0f images/s", SgnasBench.TRAIN_IMAGES / s));
                case "SgnasBench.generateOnePass", "SgnasBench.generateOnePassPerTarget" -> {
                    Double onePass = secondsByKey.get("SgnasBench.generateOnePass");
                    System.out.printf(Locale.ROOT, "%-34s %11.3f ms %10s %22s%n", parts[0].replace("SgnasBench.",
                            "sgnas ") + " x" + SgnasBench.TARGETS, s * 1e3, "", onePass == null ? ""
                            : String.format(Locale.ROOT, "%.1fx the one pass", s / onePass));
                }
                case "HessianBench.forwardBackward", "HessianBench.forwardHessian", "HessianBench.forward" -> {
                    Double forward = secondsByKey.get("HessianBench.forward");
                    Double backward = secondsByKey.get("HessianBench.forwardBackward");
                    String ratio = forward == null || backward == null || parts[0].endsWith("forward") ? ""
                            : String.format(Locale.ROOT, "%.2fx the backward", (s - forward) / (backward - forward));
                    System.out.printf(Locale.ROOT, "%-34s %11.3f ms %10s %22s%n",
                            parts[0].replace("HessianBench.", "small CNN "), s * 1e3, "", ratio);
                }
                default -> row(key, s, Double.NaN, null);
            }
        }
    }

    private static void row(String name, double seconds, double gflops, Double ratio) {
        System.out.printf(Locale.ROOT, "%-34s %11.3f ms %10.2f %21s%n", name, seconds * 1e3, gflops,
                ratio == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * ratio));
    }

    /** "ConvBench.forwardBackward 16": the benchmark's class.method and its one parameter value, if any. */
    private static String key(RunResult result) {
        String benchmark = result.getParams().getBenchmark();
        String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        Collection<String> keys = result.getParams().getParamsKeys();
        return keys.isEmpty() ? shortName : shortName + " " + result.getParams().getParam(keys.iterator().next());
    }

    /** The primary score converted to seconds per operation (every benchmark here is AverageTime). */
    private static double seconds(RunResult result) {
        double score = result.getPrimaryResult().getScore();
        String unit = result.getPrimaryResult().getScoreUnit();  // e.g. "ms/op"
        return switch (unit.substring(0, unit.indexOf('/'))) {
            case "ns" -> score * 1e-9;
            case "us" -> score * 1e-6;
            case "ms" -> score * 1e-3;
            default -> score;
        };
    }
}
