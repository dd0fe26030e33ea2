package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.search.bayesnas.EntropyRule;
import dev.jnas.space.bayescell.BayesEdge;
import dev.jnas.space.bayescell.BayesGenotype;
import dev.jnas.space.bayescell.BayesOp;
import dev.jnas.space.bayescell.CellTopology;
import dev.jnas.space.bayescell.CellType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jnas search bayesnas end to end on a tiny run, and its errors. */
class BayesSearchCommandTest {
    /** 2 cell types × 8 edges × (origin + 7 ops). */
    private static final int GROUPS = 2 * 8 * 8;

    @TempDir
    Path dir;

    @Test
    void jsonLogMatchesTheFileAndTheGenotypeFollowsTheEntropyRule() throws IOException {
        Path out = dir.resolve("run");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "bayesnas", "--train-images", "40",
                "--channels", "2", "--batch", "10", "--iterations", "2", "--lambda-op", "0.02", "--threads", "1",
                "--out", out.toString(), "--json");
        assertEquals(0, search.code(), search.err());
        JsonNode result = new ObjectMapper().readTree(search.out());
        assertEquals(result, new ObjectMapper().readTree(Files.readString(out.resolve("search.json"))));
        assertEquals(0.01, result.get("lambda_origin").asDouble());
        assertEquals(0.02, result.get("lambda_op").asDouble());
        assertEquals(2, result.get("iterations").size());
        JsonNode last = result.get("iterations").get(1);
        assertEquals(GROUPS, last.size());
        BayesGenotype genotype = BayesGenotype.parse(result.get("genotype").asText(), CellTopology.PUBLIC_CODE_8);
        for (JsonNode group : last) {
            String[] label = group.get("group").asText().split("/");
            double gamma = group.get("gamma").asDouble();
            assertEquals(gamma <= EntropyRule.VARIANCE_THRESHOLD, group.get("pruned").asBoolean());
            // The normal cells: 3 in the CPU layout; the reduction cells: 2.
            int cells = label[0].equals(CellType.NORMAL.label()) ? 3 : 2;
            assertEquals(cells, group.get("hessians").size());
            assertEquals(cells, group.get("covariances").size());
            if (!label[2].equals("origin") && gamma > EntropyRule.VARIANCE_THRESHOLD) {
                CellType type = label[0].equals(CellType.NORMAL.label()) ? CellType.NORMAL : CellType.REDUCTION;
                assertTrue(genotype.cell(type).ops(BayesEdge.parse(label[1]))
                        .contains(BayesOp.parse(label[2], "in the test")), group.get("group").asText());
            }
        }
        assertNotEquals(0.0, last.get(0).get("hessians").get(0).asDouble());
    }

    @Test
    void textOutputListsEveryGroupAndTheGenotype() {
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "bayesnas", "--train-images", "40",
                "--channels", "2", "--batch", "10", "--threads", "1");
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().contains("normal/in0_0/origin"), search.out());
        assertTrue(search.out().contains("reduction/sel_0_3/id"), search.out());
        assertTrue(search.out().contains("switch groups pruned"), search.out());
        assertTrue(search.out().contains("genotype: normal = in0_0: "), search.out());
    }

    @Test
    void badLambdaIsNamed() {
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "bayesnas", "--train-images", "40",
                "--channels", "2", "--lambda-origin", "0");
        assertNotEquals(0, search.code());
        assertTrue(search.err().contains("λ_o and λ_c must be positive"), search.err());
    }
}
