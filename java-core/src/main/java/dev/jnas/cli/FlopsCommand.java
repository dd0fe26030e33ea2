package dev.jnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.jnas.bindings.GraphMacs;
import dev.jnas.search.sgnas.SgnasRun;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvArchitecture;
import dev.jnas.space.mbconv.MbconvLayout;
import dev.jnas.space.mbconv.MbconvModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas flops --space sgnas --arch A}: an architecture's FLOPs by SGNAS's lookup table and by the engine's
 * exact count over the built network, which must agree (both count convolutions only, as the reference does).
 */
@Command(name = "flops", mixinStandardHelpOptions = true, sortOptions = false,
        description = "FLOPs of an architecture: the search's lookup table and the exact count of the built network.")
final class FlopsCommand implements Callable<Integer> {
    private static final int[] REFERENCE_STAGE_LAYERS = {2, 4, 4, 4, 4, 1};

    @Spec
    CommandSpec spec;

    @Option(names = "--space", required = true, description = "Search space: sgnas.")
    String space;

    @Option(names = "--arch", required = true, paramLabel = "ARCH",
            description = "Per layer, six sub-block symbols 3, 5, 7 or x (skip), layers joined by '|'; "
                    + "e.g. 357xxx|33xxxx|... (sub-block 0 never skips).")
    String architecture;

    @Option(names = "--run", paramLabel = "DIR", description = "Take the layout from this SGNAS run.")
    Path run;

    @Mixin
    MbconvLayoutOptions layoutOptions;

    @Option(names = "--input", defaultValue = "3x32x32", paramLabel = "CxHxW",
            description = "Input shape, H = W (default: ${DEFAULT-VALUE}).")
    String input;

    @Option(names = "--classes", defaultValue = "100", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Override
    public Integer call() {
        if (!"sgnas".equals(space)) {
            throw new IllegalArgumentException("unknown space '" + space + "' for flops; known: sgnas");
        }
        MbconvLayout layout = run != null ? SgnasRun.open(run).layout() : layout();
        MbconvArchitecture parsed = MbconvArchitecture.parse(architecture, layout.layerCount());
        double table = new FlopsTable(layout).flops(parsed);
        GraphMacs exact = MbconvModel.macs(layout, parsed);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("layout: %s%n", layout.describe());
        out.printf("architecture: %s%n", parsed);
        for (int l = 0; l < parsed.layerCount(); l++) {
            out.printf("  layer %2d: expansion %d, kernels %s%n", l, parsed.expansion(l),
                    MbconvLayoutOptions.describe(parsed.kernels(l)));
        }
        out.printf("table FLOPs: %.6f M (convolutions, as SGNAS's lookup table)%n", table);
        out.printf("exact FLOPs: %.6f M (convolutions of the built network); classifier %.6f M more%n",
                exact.conv() / 1e6, exact.linear() / 1e6);
        return ExitCodes.OK;
    }

    private MbconvLayout layout() {
        String[] dims = input.split("x");
        if (dims.length != 3 || !dims[1].equals(dims[2])) {
            throw new IllegalArgumentException("--input must be CxHxW with H = W, e.g. 3x32x32; got '" + input + "'");
        }
        try {
            return layoutOptions.layout(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), classes, 1.0,
                    REFERENCE_STAGE_LAYERS);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--input must be CxHxW with whole numbers; got '" + input + "'", e);
        }
    }
}
