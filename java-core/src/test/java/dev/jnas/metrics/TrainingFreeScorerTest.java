package dev.jnas.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.space.nb201.Nb201Architecture;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scorer on synthetic inputs: deterministic per seed, independent per metric, flags instead of crashes. */
class TrainingFreeScorerTest {
    private static final Nb201Architecture BEST_CIFAR10 = Nb201Architecture.parse(
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
    /** Every edge none: the cell outputs zeros whatever its input. */
    private static final Nb201Architecture ALL_NONE = Nb201Architecture.fromOrdinal(0);

    private static MetricSettings settings(Set<MetricKind> metrics, int repeats) {
        return new MetricSettings(metrics, 16, repeats, InitScheme.PYTORCH_DEFAULT, BnCoupling.FROZEN,
                GaussianProbeData.KEY);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            TrainingFreeScorer scorer = new TrainingFreeScorer(engine,
                    settings(EnumSet.allOf(MetricKind.class), 2), new GaussianProbeData());
            Score first = scorer.score(BEST_CIFAR10, 5);
            Score again = scorer.score(BEST_CIFAR10, 5);
            Score other = scorer.score(BEST_CIFAR10, 6);
            assertEquals(first.values(), again.values());
            assertNotEquals(first.value(MetricKind.NTK), other.value(MetricKind.NTK));
            assertEquals(0, first.flags());
            double kappa = first.value(MetricKind.NTK).orElseThrow();
            assertTrue(kappa > 1 && Double.isFinite(kappa), "κ " + kappa);
            double regions = first.value(MetricKind.LINEAR_REGIONS).orElseThrow();
            assertTrue(regions >= 1 && regions <= MetricSettings.REGION_BATCHES * MetricSettings.REGION_BATCH_SIZE);
            assertTrue(Double.isFinite(first.value(MetricKind.NASWOT).orElseThrow()));
        }
    }

    @Test
    void aScoreDoesNotDependOnWhatTheScorerScoredBefore() {
        // The scorer keeps the current seed's inputs across architectures; a fresh scorer draws them anew.
        try (Engine engine = Engine.open(Backend.CPU)) {
            MetricSettings settings = settings(EnumSet.allOf(MetricKind.class), 2);
            Score fresh5 = new TrainingFreeScorer(engine, settings, new GaussianProbeData()).score(BEST_CIFAR10, 5);
            Score fresh7 = new TrainingFreeScorer(engine, settings, new GaussianProbeData()).score(BEST_CIFAR10, 7);
            TrainingFreeScorer used = new TrainingFreeScorer(engine, settings, new GaussianProbeData());
            used.score(ALL_NONE, 5);
            assertEquals(fresh7.values(), used.score(BEST_CIFAR10, 7).values());
            assertEquals(fresh5.values(), used.score(BEST_CIFAR10, 5).values());
        }
    }

    @Test
    void eachMetricIsTheSameAloneAsTogether() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            ProbeData data = new GaussianProbeData();
            Score all = new TrainingFreeScorer(engine, settings(EnumSet.allOf(MetricKind.class), 1), data)
                    .score(BEST_CIFAR10, 9);
            for (MetricKind metric : MetricKind.values()) {
                Score alone = new TrainingFreeScorer(engine, settings(EnumSet.of(metric), 1), data)
                        .score(BEST_CIFAR10, 9);
                assertEquals(Set.of(metric), alone.values().keySet());
                assertEquals(all.value(metric), alone.value(metric), metric.name());
            }
        }
    }

    @Test
    void aDegenerateCellIsFlaggedNotReplaced() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            Score score = new TrainingFreeScorer(engine, settings(EnumSet.allOf(MetricKind.class), 1),
                    new GaussianProbeData()).score(ALL_NONE, 1);
            // The thin network sees only zeros after its cell: every patch falls in one region.
            assertEquals(1.0, score.value(MetricKind.LINEAR_REGIONS).orElseThrow());
            assertTrue(score.hasFlag(MetricFlags.NTK_ANY), MetricFlags.format(score.flags()));
            assertTrue(score.hasFlag(MetricFlags.NASWOT_SINGULAR), MetricFlags.format(score.flags()));
            assertEquals(Double.NEGATIVE_INFINITY, score.value(MetricKind.NASWOT).orElseThrow());
        }
    }

    @Test
    void settingsMustMatchTheData() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            MetricSettings fashion = new MetricSettings(EnumSet.of(MetricKind.NTK), 8, 1, InitScheme.KAIMING_NORMAL,
                    BnCoupling.EXACT, "fashion-mnist");
            assertThrows(IllegalArgumentException.class,
                    () -> new TrainingFreeScorer(engine, fashion, new GaussianProbeData()));
        }
    }

    @Test
    void settingsKeyIsCanonical() {
        MetricSettings settings = new MetricSettings(MetricKind.parseList("naswot,ntk,lr"), 72, 3,
                InitScheme.PYTORCH_DEFAULT, BnCoupling.FROZEN, "synthetic");
        assertEquals("metrics=ntk,lr,naswot;batch=72;repeat=3;init=pytorch-default;bn-coupling=frozen;"
                + "dataset=synthetic;classes=10;regions=3x1000", settings.key());
        assertThrows(IllegalArgumentException.class, () -> MetricKind.parseList("ntk,flops"));
        assertThrows(IllegalArgumentException.class, () -> InitScheme.parse("xavier"));
    }
}
