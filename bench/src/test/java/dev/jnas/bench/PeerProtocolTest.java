package dev.jnas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeerProtocolTest {
    @Test
    void medianOfOddEvenAndNoValues() {
        assertEquals(2.0, PeerProtocol.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, PeerProtocol.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(PeerProtocol.median(List.of())));
    }

    @Test
    void runsTheWarmUpsThenTheTimedRunsAndKeepsTheLastResult() {
        AtomicInteger calls = new AtomicInteger();
        PeerProtocol.Timed<Integer> timed = new PeerProtocol(2, 3).time(calls::incrementAndGet);
        assertEquals(5, calls.get());
        assertEquals(5, timed.result());
        assertTrue(timed.seconds() >= 0);
    }

    @Test
    void passesTheSameProtocolToTheScripts() {
        assertEquals(List.of("--warmup", "1", "--runs", "4"), new PeerProtocol(1, 4).arguments());
    }

    @Test
    void refusesAProtocolWithoutTimedRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PeerProtocol(0, 0));
        assertTrue(e.getMessage().contains("runs >= 1"), e.getMessage());
    }
}
