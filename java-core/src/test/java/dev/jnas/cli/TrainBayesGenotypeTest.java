package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** jnas train --model bayes: a derived genotype, its random control, and the missing-genotype error. */
class TrainBayesGenotypeTest {
    private static final String GENOTYPE = "normal = in0_0: sep3+max | in1_0: id | in0_1: avg | in1_1: - | "
            + "in0_2: id | in1_2: - | in1_3: id | sel_0_3: avg ; reduction = in0_0: id | in1_0: avg | in1_1: max | "
            + "sel_0_1: - | in1_2: id | sel_0_2: id | in1_3: id | sel_0_3: max";

    @Test
    void trainsAGenotypeAndItsRandomControl() {
        ScoreCommandTest.Run derived = ScoreCommandTest.run("train", "--model", "bayes", "--genotype", GENOTYPE,
                "--channels", "4", "--train-limit", "128", "--test-limit", "64");
        assertEquals(0, derived.code(), derived.err());
        assertTrue(derived.out().contains("genotype: " + GENOTYPE), derived.out());
        assertTrue(derived.out().contains("test accuracy"), derived.out());
        ScoreCommandTest.Run control = ScoreCommandTest.run("train", "--model", "bayes", "--genotype", GENOTYPE,
                "--random-like", "--channels", "4", "--train-limit", "128", "--test-limit", "64");
        assertEquals(0, control.code(), control.err());
        assertTrue(control.out().contains("genotype: normal = "), control.out());
        assertTrue(!control.out().contains("genotype: " + GENOTYPE), "the control is another genotype");
    }

    @Test
    void aBayesModelNeedsAGenotype() {
        ScoreCommandTest.Run run = ScoreCommandTest.run("train", "--model", "bayes");
        assertNotEquals(0, run.code());
        assertTrue(run.err().contains("--model bayes needs --genotype"), run.err());
    }
}
