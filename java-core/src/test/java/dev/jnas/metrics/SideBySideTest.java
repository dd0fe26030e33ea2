package dev.jnas.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The side-by-side contract: results in item order whatever order the items finish in, every item taken once,
 * the callback on the calling thread, and no return (by result, failure or interrupt) while a worker still runs.
 */
class SideBySideTest {
    private static final List<Integer> ITEMS = IntStream.range(0, 12).boxed().toList();

    /**
     * With two workers or more, item 0 waits until the callback has heard of item 1, so the items finish out of
     * order; each result is the item's square, in item order, and the callback hears of every item once.
     */
    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 2, 3, 4})
    void resultsAreInItemOrderWhateverOrderTheyFinishIn(int workerCount) {
        CountDownLatch itemOneHeard = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        List<Integer> finishOrder = new ArrayList<>();
        Set<String> startThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger starts = new AtomicInteger();
        List<Integer> results;
        try (SideBySide<Integer> sideBySide = new SideBySide<>(workers(workerCount), "test-worker")) {
            results = sideBySide.map(ITEMS, worker -> {
                starts.incrementAndGet();
                startThreads.add(Thread.currentThread().getName());
                return item -> {
                    if (item == 0 && workerCount > 1) {
                        await(itemOneHeard);
                    }
                    return item * item;
                };
            }, (index, result) -> {
                assertEquals(caller, Thread.currentThread(), "the callback runs on the calling thread");
                assertEquals(index * index, result);
                finishOrder.add(index);
                if (index == 1) {
                    itemOneHeard.countDown();
                }
            });
        }
        assertEquals(ITEMS.stream().map(item -> item * item).toList(), results);
        assertEquals(workerCount, starts.get(), "every worker starts once");
        assertEquals(Set.of("test-worker"), startThreads);
        assertEquals(ITEMS, finishOrder.stream().sorted().toList());
        if (workerCount > 1) {
            assertTrue(finishOrder.indexOf(1) < finishOrder.indexOf(0), finishOrder.toString());
        }
    }

    /**
     * Item 1 fails at once while item 0 is still running; map rethrows the failure only after item 0 has
     * finished, and no worker takes another item.
     */
    @Test
    void theFirstFailureIsRethrownAfterEveryWorkerHasStopped() {
        CountDownLatch itemOneFailed = new CountDownLatch(1);
        AtomicBoolean itemZeroFinished = new AtomicBoolean();
        Set<Integer> taken = Collections.synchronizedSet(new TreeSet<>());
        try (SideBySide<Integer> sideBySide = new SideBySide<>(workers(2), "test-worker")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sideBySide.map(ITEMS, worker -> item -> {
                        taken.add(item);
                        if (item == 1) {
                            itemOneFailed.countDown();
                            throw new IllegalStateException("item 1 failed");
                        }
                        if (item == 0) {
                            await(itemOneFailed);
                        }
                        sleep(100); // time for the failure to stop the workers
                        if (item == 0) {
                            itemZeroFinished.set(true);
                        }
                        return item;
                    }));
            assertEquals("item 1 failed", e.getMessage());
        }
        assertTrue(itemZeroFinished.get(), "map returned while item 0 was running");
        assertEquals(Set.of(0, 1), taken);
    }

    /** A failing callback stops the workers too, and hears of nothing after its failure. */
    @Test
    void aFailingCallbackStopsTheWorkers() {
        Set<Integer> taken = Collections.synchronizedSet(new TreeSet<>());
        List<Integer> heard = new ArrayList<>();
        try (SideBySide<Integer> sideBySide = new SideBySide<>(workers(1), "test-worker")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sideBySide.map(ITEMS, worker -> item -> {
                        taken.add(item);
                        sleep(100);
                        return item;
                    }, (index, result) -> {
                        heard.add(index);
                        throw new IllegalArgumentException("cannot store item " + index);
                    }));
            assertEquals("cannot store item 0", e.getMessage());
        }
        assertEquals(List.of(0), heard);
        // The worker may take item 1 before the callback of item 0 fails, but no item after that.
        assertTrue(taken.equals(Set.of(0)) || taken.equals(Set.of(0, 1)), taken.toString());
    }

    /** An interrupt does not cut the map short: every item is measured, then the interrupt status is restored. */
    @Test
    void anInterruptIsDeferredUntilEveryItemIsDone() {
        List<Integer> results;
        boolean interrupted;
        try (SideBySide<Integer> sideBySide = new SideBySide<>(workers(2), "test-worker")) {
            Thread.currentThread().interrupt();
            results = sideBySide.map(ITEMS, worker -> item -> {
                sleep(5);
                return -item;
            });
        } finally {
            interrupted = Thread.interrupted();
        }
        assertTrue(interrupted, "the interrupt status was lost");
        assertEquals(ITEMS.stream().map(item -> -item).toList(), results);
    }

    @Test
    void noItemsGiveNoResultsAndNoCallback() {
        AtomicInteger starts = new AtomicInteger();
        try (SideBySide<Integer> sideBySide = new SideBySide<>(workers(3), "test-worker")) {
            List<Integer> results = sideBySide.map(List.<Integer>of(), worker -> {
                starts.incrementAndGet();
                return item -> item;
            }, (index, result) -> {
                throw new AssertionError("no item, no callback");
            });
            assertEquals(List.of(), results);
        }
        assertEquals(3, starts.get());
    }

    @Test
    void moreWorkersThanItemsTakeEachItemOnce() {
        List<Integer> calls = Collections.synchronizedList(new ArrayList<>());
        try (SideBySide<Integer> sideBySide = new SideBySide<>(workers(4), "test-worker")) {
            List<Integer> results = sideBySide.map(List.of(7, 8), worker -> item -> {
                calls.add(item);
                return item + 100;
            });
            assertEquals(List.of(107, 108), results);
        }
        assertEquals(List.of(7, 8), calls.stream().sorted().toList());
    }

    @Test
    void rejectsNoWorkersAndUseAfterClose() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new SideBySide<>(List.of(), "test-worker"));
        assertEquals("no workers for the test-worker threads", none.getMessage());
        SideBySide<Integer> closed = new SideBySide<>(workers(1), "test-worker");
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.map(ITEMS, worker -> item -> item));
    }

    private static List<Integer> workers(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "the latch never opened");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
