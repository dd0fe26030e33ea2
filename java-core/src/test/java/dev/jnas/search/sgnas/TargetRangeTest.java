package dev.jnas.search.sgnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TargetRangeTest {
    private final TargetRange cifar = new TargetRange(80, 120);

    @Test
    void normalisesLowToZeroAndHighToOne() {
        assertEquals(0, cifar.normalise(80));
        assertEquals(1, cifar.normalise(120));
        assertEquals(0.275, cifar.normalise(91), 1e-15);
    }

    /** Python's range(80, 120, 5) and range(80, 120, 10): high itself is excluded. */
    @Test
    void trainingPoolAndEvaluationGridAreTheReferenceRanges() {
        assertArrayEquals(new double[] {80, 85, 90, 95, 100, 105, 110, 115}, cifar.trainingPool());
        assertArrayEquals(new double[] {80, 90, 100, 110}, cifar.evaluationGrid());
        double[] imagenet = new TargetRange(270, 450).trainingPool();
        assertEquals(36, imagenet.length);
        assertEquals(445, imagenet[35]);
    }

    @Test
    void gridsWithAFractionalStepStopBelowHigh() {
        assertArrayEquals(new double[] {0, 0.3, 0.6, 0.3 * 3}, new TargetRange(0, 1).grid(0.3));
        assertArrayEquals(new double[] {2, 2.5}, new TargetRange(2, 3).grid(0.5));
        assertArrayEquals(new double[] {2}, new TargetRange(2, 3).grid(7));
    }

    @Test
    void rejectsEmptyRangesAndSteps() {
        assertThrows(IllegalArgumentException.class, () -> new TargetRange(120, 80));
        assertThrows(IllegalArgumentException.class, () -> new TargetRange(80, 80));
        assertThrows(IllegalArgumentException.class, () -> cifar.grid(0));
        assertThrows(IllegalArgumentException.class, () -> cifar.grid(1e-300));
    }

    /** A 2–4 MFLOPs range scaled to the reference's width: unit 0.05, targets every 0.25, grid every 0.5. */
    @Test
    void aRangeScaledToTheReferenceWidthScalesItsStepsAndJitter() {
        TargetRange small = TargetRange.scaledToWidth(2, 4);
        assertEquals(0.05, small.unit(), 1e-15);
        assertArrayEquals(new double[] {2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 3.75}, small.trainingPool(), 1e-12);
        assertArrayEquals(new double[] {2, 2.5, 3, 3.5}, small.evaluationGrid(), 1e-12);
        assertEquals(0.025, small.jitter(), 1e-15);
        assertEquals(0.5, cifar.jitter());
        assertThrows(IllegalArgumentException.class, () -> new TargetRange(2, 4, 0));
    }
}
