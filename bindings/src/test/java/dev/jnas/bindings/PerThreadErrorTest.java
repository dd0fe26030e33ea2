package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * jnas_last_error is per thread: threads failing side by side, each naming its own bad node, each get the
 * message of their own failure, never one another's.
 */
class PerThreadErrorTest {
    private static final int THREADS = 4;
    private static final int FAILURES = 2000;

    @Test
    void eachThreadReadsTheMessageOfItsOwnFailure() throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int base = 1000 * (t + 1);
                checked.add(pool.submit(() -> failRepeatedly(base, start)));
            }
            for (Future<Integer> thread : checked) {
                assertEquals(FAILURES, thread.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Refers to the nodes base .. base + FAILURES − 1, none of which exists; returns the failures checked. */
    private static int failRepeatedly(int base, CyclicBarrier start) throws Exception {
        try (GraphBuilder graph = GraphBuilder.create()) {
            graph.input(1, 4, 4);
            start.await();
            for (int i = 0; i < FAILURES; i++) {
                int node = base + i;
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> graph.relu(node));
                assertTrue(e.nativeMessage().contains("node " + node + " "), e.nativeMessage() + " for node " + node);
            }
            return FAILURES;
        }
    }
}
