package dev.jnas.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.jnas.bindings.DeviceReport;
import dev.jnas.bindings.Devices;
import dev.jnas.bindings.GpuInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the CUDA GPUs the NVIDIA driver sees, or says plainly that there are none and why. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the CUDA GPUs (through the driver).")
final class DevicesCommand implements Callable<Integer> {
    private static final double GIB = 1024.0 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DeviceReport report = Devices.discover();
        if (report.gpus().isEmpty()) {
            out.println("no CUDA GPUs: " + report.reason() + "; the cpu backend is available");
            return ExitCodes.OK;
        }
        for (GpuInfo gpu : report.gpus()) {
            out.printf("gpu %d: %s, %s, %.1f GiB%n", gpu.ordinal(), gpu.name(), gpu.computeCapability(),
                    gpu.totalMemoryBytes() / GIB);
        }
        return ExitCodes.OK;
    }
}
