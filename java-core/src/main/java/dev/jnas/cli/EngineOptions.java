package dev.jnas.cli;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import picocli.CommandLine.Option;

/** Where a command computes: the backend, the GPU, and the CPU threads of its engine. */
final class EngineOptions {
    @Option(names = "--backend", defaultValue = "cpu", description = "cpu or cuda (default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--device", defaultValue = "0", description = "GPU ordinal for cuda (default: ${DEFAULT-VALUE}).")
    int device;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads; 0 for all cores (default: "
            + "${DEFAULT-VALUE}).")
    int threads;

    /** An engine on the chosen backend with the chosen threads (the caller closes it). */
    Engine open() {
        Engine engine = Engine.open(backend, device);
        try {
            engine.setThreads(threads);
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }
}
