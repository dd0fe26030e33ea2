package dev.jnas.search.sgnas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HardwareConstraintLossTest {
    private final HardwareConstraintLoss loss = new HardwareConstraintLoss();

    /** 10 MFLOPs over: 3e-4 · 1.2 · 100 = 0.036; 10 under: 3e-4 · 100 = 0.03. */
    @Test
    void overBudgetCostsBetaTimesMoreThanUnder() {
        assertEquals(0.036, loss.value(110, 100), 1e-15);
        assertEquals(0.03, loss.value(90, 100), 1e-15);
        assertEquals(2 * 3e-4 * 1.2 * 10, loss.derivative(110, 100), 1e-15);
        assertEquals(-2 * 3e-4 * 10, loss.derivative(90, 100), 1e-15);
    }

    /** Within ±0.1 MFLOPs, the edges included, the loss and its derivative are 0; just outside they are not. */
    @Test
    void theDeadZoneCostsNothing() {
        for (double flops : new double[] {100, 100.05, 99.95, 100.1, 99.9}) {
            assertEquals(0, loss.value(flops, 100), 0, "value at " + flops);
            assertEquals(0, loss.derivative(flops, 100), 0, "derivative at " + flops);
        }
        assertEquals(3e-4 * 1.2 * 0.11 * 0.11, loss.value(100.11, 100), 1e-15);
        assertEquals(3e-4 * 0.11 * 0.11, loss.value(99.89, 100), 1e-15);
    }

    @Test
    void derivativeMatchesFiniteDifferences() {
        HardwareConstraintLoss custom = new HardwareConstraintLoss(0.5, 3, 0.25);
        double h = 1e-4;
        for (HardwareConstraintLoss l : new HardwareConstraintLoss[] {loss, custom}) {
            for (double flops : new double[] {87.5, 99.3, 100.7, 131}) {
                double numeric = (l.value(flops + h, 100) - l.value(flops - h, 100)) / (2 * h);
                assertEquals(numeric, l.derivative(flops, 100), 1e-9 * Math.max(1, Math.abs(numeric)),
                        l + " at " + flops);
            }
        }
    }

    /** α = 1, β = 2, no dead zone: over by 2 costs 1·2·4 = 8, under by 1 costs 1. */
    @Test
    void theConstructorSetsEveryConstant() {
        HardwareConstraintLoss custom = new HardwareConstraintLoss(1, 2, 0);
        assertEquals(8, custom.value(3, 1));
        assertEquals(1, custom.value(0, 1));
        assertEquals(0, custom.value(1, 1));
        assertThrows(IllegalArgumentException.class, () -> new HardwareConstraintLoss(-1, 1.2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new HardwareConstraintLoss(3e-4, Double.NaN, 0.1));
    }

    /** In units of 0.05 MFLOPs, 0.5 MFLOPs over budget is 10 units: it costs what 10 MFLOPs cost the reference. */
    @Test
    void aLossInUnitsCostsWhatTheSameNumberOfUnitsCostsTheReference() {
        HardwareConstraintLoss reference = new HardwareConstraintLoss();
        HardwareConstraintLoss scaled = reference.inUnits(0.05);
        assertEquals(reference.value(110, 100), scaled.value(2.5, 2), 1e-12);
        assertEquals(reference.value(90, 100), scaled.value(1.5, 2), 1e-12);
        assertEquals(0, scaled.value(2.004, 2));
        assertEquals(reference.derivative(110, 100) / 0.05, scaled.derivative(2.5, 2), 1e-9);
    }
}
