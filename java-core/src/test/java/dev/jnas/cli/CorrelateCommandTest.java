package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI check on the metrics' meaning: on 100 random NB201 cells (Fashion-MNIST, frozen coupling, one repeat),
 * κ ranks against CIFAR-100 accuracy (τ &lt; 0: well-conditioned nets train better) and the linear-region
 * count with it (τ &gt; 0: more expressive nets do better), as TE-NAS reports.
 */
class CorrelateCommandTest {
    @TempDir
    Path dir;

    @Test
    void signsOnOneHundredCells() {
        long start = System.nanoTime();
        ScoreCommandTest.Run run = ScoreCommandTest.run("correlate", "--sample", "100", "--seed", "1",
                "--bn-coupling", "frozen", "--repeat", "1", "--store", dir.resolve("store.sqlite").toString());
        System.out.printf("correlate on 100 cells: %.1f s%n%s", (System.nanoTime() - start) / 1e9, run.out());
        assertEquals(0, run.code(), run.err());
        Map<String, double[]> rows = new HashMap<>();
        for (String line : run.out().lines().skip(2).toList()) {
            String[] fields = line.strip().split("\\s+");
            rows.put(fields[0], new double[] {Double.parseDouble(fields[1]), Double.parseDouble(fields[4])});
        }
        double[] kappa = rows.get("ntk_cond");
        double[] regions = rows.get("linear_regions");
        assertTrue(kappa[0] >= 90, "κ ranked on " + kappa[0] + " cells");
        assertTrue(kappa[1] < 0, "κ τ against CIFAR-100: " + kappa[1]);
        assertTrue(regions[1] > 0, "LR τ against CIFAR-100: " + regions[1]);
        assertTrue(rows.containsKey("naswot"), run.out());
    }
}
