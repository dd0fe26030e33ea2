package dev.jnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.jnas.bindings.Engine;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.report.SgnasReport;
import dev.jnas.search.sgnas.ArchitectureGenerator;
import dev.jnas.search.sgnas.GeneratedArchitecture;
import dev.jnas.search.sgnas.GeneratorEvaluation;
import dev.jnas.search.sgnas.HardwareConstraintLoss;
import dev.jnas.search.sgnas.ParameterFile;
import dev.jnas.search.sgnas.PriorPool;
import dev.jnas.search.sgnas.SgnasRun;
import dev.jnas.search.sgnas.SgnasSearch;
import dev.jnas.search.sgnas.SupernetNet;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas generate sgnas --targets T1,T2,...}: one forward pass of a trained generator for all targets, then per
 * target the decoded architecture, its table and exact FLOPs and its supernet accuracy on the held-out split.
 */
@Command(name = "sgnas", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Architectures for FLOPs targets from an SGNAS run's generator, in one forward pass.")
final class SgnasGenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--targets", required = true, split = ",", paramLabel = "MFLOPS,...",
            description = "FLOPs targets in MFLOPs.")
    double[] targets;

    @Option(names = "--run", defaultValue = "sgnas-run", paramLabel = "DIR",
            description = "The SGNAS run (jnas search sgnas --out) (default: ${DEFAULT-VALUE}).")
    Path runDirectory;

    @Option(names = "--generator", paramLabel = "FILE",
            description = "Generator parameters (default: the run's best generator).")
    Path generatorFile;

    @Option(names = "--no-accuracy", description = "Skip the held-out accuracy of each architecture and its random "
            + "baseline (FLOPs only).")
    boolean noAccuracy;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        SgnasRun run = SgnasRun.open(runDirectory);
        PrintWriter out = spec.commandLine().getOut();
        FlopsTable table = new FlopsTable(run.layout());
        PriorPool pool = PriorPool.load(run.priorPool());
        try (Engine engine = engineOptions.open();
             ArchitectureGenerator generator = ArchitectureGenerator.create(engine, run.layout().layerCount(), 0)) {
            ParameterFile.load(generator.net(), generatorFile != null ? generatorFile : run.bestGenerator());
            long start = System.nanoTime();
            GeneratorEvaluation generated = GeneratorEvaluation.of(generator, targets, run.range(), pool, table,
                    new HardwareConstraintLoss().inUnits(run.range().unit()));
            double generateSeconds = (System.nanoTime() - start) / 1e9;
            List<GeneratedArchitecture> architectures = noAccuracy ? flopsOnly(run, generated)
                    : scored(engine, run, table, generated);
            if (json) {
                out.println(SgnasReport.generatedJson(run.directory(), generateSeconds, architectures));
            } else {
                out.printf("%s%n%d architectures in one generator pass, %.2f ms%n", run.describe(), targets.length,
                        generateSeconds * 1e3);
                out.print(SgnasReport.table(architectures));
                for (double target : targets) {
                    if (target < run.range().low() || target >= run.range().high()) {
                        out.printf("note: target %s is outside the generator's range [%s, %s)%n", target,
                                run.range().low(), run.range().high());
                    }
                }
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static List<GeneratedArchitecture> flopsOnly(SgnasRun run, GeneratorEvaluation generated) {
        List<GeneratedArchitecture> architectures = new ArrayList<>();
        for (int i = 0; i < generated.targets().length; i++) {
            architectures.add(new GeneratedArchitecture(generated.targets()[i], generated.architectures()[i],
                    generated.flops()[i], MbconvModel.macs(run.layout(), generated.architectures()[i]).conv() / 1e6,
                    Double.NaN, Double.NaN, 0));
        }
        return architectures;
    }

    private List<GeneratedArchitecture> scored(Engine engine, SgnasRun run, FlopsTable table,
                                               GeneratorEvaluation generated) {
        if (!FashionMnist.NAME.equals(run.dataset())) {
            throw new IllegalStateException("the run's data set '" + run.dataset() + "' is unknown here");
        }
        FashionMnist data = fashionMnist.open();
        LabeledImages images = data.load(run.trainImages(), 1).train();
        LabeledImages heldOut = images.range(images.count() - run.heldOut(), images.count());
        try (SupernetNet supernet = SupernetNet.compile(engine, run.layout(), run.seed())) {
            ParameterFile.load(supernet.net(), run.supernetParameters());
            return new SgnasSearch(engine, run).score(supernet, table, generated, heldOut);
        }
    }
}
