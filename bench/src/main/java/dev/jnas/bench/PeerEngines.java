package dev.jnas.bench;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * One single-threaded CPU engine per worker, as `jnas score` and `jnas search tenas` measure networks by default:
 * side by side, which on a small CPU beats splitting each small network's kernels over threads.
 */
record PeerEngines(List<Engine> engines) implements AutoCloseable {
    static PeerEngines open(int workers) {
        List<Engine> engines = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                engines.add(Engine.open(Backend.CPU));
                engines.get(w).setThreads(1);
            }
        } catch (RuntimeException e) {
            engines.forEach(Engine::close);
            throw e;
        }
        return new PeerEngines(List.copyOf(engines));
    }

    @Override
    public void close() {
        engines.forEach(Engine::close);
    }
}
