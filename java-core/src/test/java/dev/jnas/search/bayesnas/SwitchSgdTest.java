package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SwitchSgdTest {
    /**
     * PyTorch's SGD(lr 0.1, momentum 0.9): step 1 v = g = (0.2, 0.4), s = (1 − 0.02, −0.5 − 0.04) = (0.98, −0.54);
     * step 2 v = 0.9·(0.2, 0.4) + (−0.1, 0.3) = (0.08, 0.66), s = (0.98 − 0.008, −0.54 − 0.066) = (0.972, −0.606).
     */
    @Test
    void twoStepsFollowPyTorchsMomentumFormula() {
        SwitchSgd sgd = new SwitchSgd(0.1f, 0.9f, 2);
        float[] switches = {1f, -0.5f};
        sgd.step(switches, new float[] {0.2f, 0.4f});
        assertArrayEquals(new float[] {0.98f, -0.54f}, switches, 1e-6f);
        sgd.step(switches, new float[] {-0.1f, 0.3f});
        assertArrayEquals(new float[] {0.972f, -0.606f}, switches, 1e-6f);
    }

    @Test
    void badSettingsAndSizesAreNamed() {
        IllegalArgumentException momentum = assertThrows(IllegalArgumentException.class,
                () -> new SwitchSgd(0.1f, 1f, 2));
        assertTrue(momentum.getMessage().contains("momentum"), momentum.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new SwitchSgd(0.1f, 0.9f, 2).step(new float[3], new float[3]));
        assertTrue(size.getMessage().contains("over 2 switches"), size.getMessage());
    }
}
