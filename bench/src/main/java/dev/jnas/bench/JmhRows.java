package dev.jnas.bench;

import dev.jnas.bench.BenchTable.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/** The JMH results as table rows, each with its benchmark's FLOP count and its ratios to related rows. */
final class JmhRows {
    /** Seconds per operation by key, e.g. "ConvBench.forwardBackward 16", in run order. */
    private final Map<String, Double> secondsByKey = new LinkedHashMap<>();

    JmhRows(Collection<RunResult> results) {
        for (RunResult result : results) {
            secondsByKey.put(key(result), seconds(result));
        }
    }

    /** OpenBLAS sgemm's GFLOP/s on the peak shape, or NaN when it did not run. */
    double peakGflops() {
        Double s = secondsByKey.get("GemmBench.openblas " + Shapes.PEAK_GEMM);
        return s == null ? Double.NaN : Shapes.gemmFlops(Shapes.PEAK_GEMM) / s / 1e9;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        secondsByKey.forEach((key, s) -> rows.add(row(key, s)));
        return rows;
    }

    private Row row(String key, double s) {
        String[] parts = key.split(" ");
        String param = parts.length > 1 ? parts[1] : "";
        return switch (parts[0]) {
            case "FfmCallBench.downcall" -> Row.timed("FFM downcall (jnas_cuda_compiled)", s, "");
            case "ConvBench.forwardBackward" -> {
                int channels = Integer.parseInt(param);
                String shape = Shapes.convGemmShape(channels);
                Double sgemm = secondsByKey.get("GemmBench.openblas " + shape);
                String note = sgemm == null ? "" : String.format(Locale.ROOT, "%.0f%% of sgemm's rate at %s",
                        100 * (Shapes.convFlops(channels) / s) / (Shapes.gemmFlops(shape) / sgemm), shape);
                yield new Row("conv3x3 fwd+bwd C=" + channels + " B=64 32x32", s, Shapes.convFlops(channels), note);
            }
            case "GemmBench.jnas", "GemmBench.openblas" -> {
                Double sgemm = secondsByKey.get("GemmBench.openblas " + param);
                String note = parts[0].endsWith("openblas") ? (param.equals(Shapes.PEAK_GEMM) ? "the peak" : "")
                        : sgemm == null ? "" : String.format(Locale.ROOT, "%.0f%% of OpenBLAS's rate", 100 * sgemm / s);
                yield new Row(parts[0].replace("GemmBench.", "gemm ") + " " + param, s, Shapes.gemmFlops(param), note);
            }
            case "MixedEdgeBench.forward", "MixedEdgeBench.forwardBackward" -> {
                boolean backward = parts[0].endsWith("Backward");
                yield new Row("mixed edge " + (backward ? "fwd+bwd" : "fwd") + " C=16 B=64 32x32", s, backward
                        ? Shapes.trainingFlops(MixedEdgeBench.macs(), Shapes.BATCH)
                        : Shapes.forwardFlops(MixedEdgeBench.macs(), Shapes.BATCH), "skip, conv1x1, conv3x3, pool");
            }
            case "NtkBench.ntk" -> new Row("NTK Jacobian+Gram, kappa net B=72, " + param + " BN", s,
                    NtkBench.flops(param), "");
            case "SpectrumBench.spectrum" -> new Row("NTK spectrum 72x72 (double)", s,
                    Shapes.eigenvalueFlops(Shapes.NTK_BATCH), "");
            case "PatternBench.collectPatterns" -> Row.timed("patterns: collect 3x1000 (thin net)", s,
                    String.format(Locale.ROOT, "%.3g samples/s", PatternBench.BATCHES * PatternBench.PATCHES / s));
            case "PatternBench.countDistinct" -> Row.timed("patterns: count distinct of 3000", s, "");
            case "MbconvBench.forwardBackward" -> new Row("MBConv path fwd+bwd k" + param + " e6 B=64 (sgnas)", s,
                    MbconvBench.flops(param), "");
            case "SgnasBench.supernetEpoch" -> Row.timed("sgnas supernet epoch (" + SgnasBench.TRAIN_IMAGES + " img)",
                    s, String.format(Locale.ROOT, "%.0f images/s", SgnasBench.TRAIN_IMAGES / s));
            case "SgnasBench.generateOnePass", "SgnasBench.generateOnePassPerTarget" -> {
                Double onePass = secondsByKey.get("SgnasBench.generateOnePass");
                yield Row.timed(parts[0].replace("SgnasBench.", "sgnas ") + " x" + SgnasBench.TARGETS, s,
                        onePass == null ? "" : String.format(Locale.ROOT, "%.1fx the one pass", s / onePass));
            }
            case "HessianBench.forwardBackward", "HessianBench.forwardHessian", "HessianBench.forward" -> {
                Double forward = secondsByKey.get("HessianBench.forward");
                Double backward = secondsByKey.get("HessianBench.forwardBackward");
                String note = forward == null || backward == null || !parts[0].endsWith("Hessian") ? ""
                        : String.format(Locale.ROOT, "%.2fx the backward", (s - forward) / (backward - forward));
                yield Row.timed(parts[0].replace("HessianBench.", "small CNN "), s, note);
            }
            default -> Row.timed(key, s, "");
        };
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
