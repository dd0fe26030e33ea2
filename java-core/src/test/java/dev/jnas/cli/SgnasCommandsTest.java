package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.search.sgnas.SgnasRun;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jnas search sgnas, generate sgnas and flops end to end on a tiny run, and their errors. */
class SgnasCommandsTest {
    @TempDir
    Path dir;

    @Test
    void searchThenGenerateThenCountFlops() throws IOException {
        Path run = dir.resolve("run");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "sgnas", "--train-images", "160", "--held-out",
                "0.25", "--width", "0.125", "--epochs", "1", "--batch", "40", "--generator-epochs", "2",
                "--generator-batch", "20", "--out", run.toString(), "--json");
        assertEquals(0, search.code(), search.err());
        JsonNode result = new ObjectMapper().readTree(search.out());
        assertEquals(result, new ObjectMapper().readTree(Files.readString(run.resolve("search.json"))));
        SgnasRun opened = SgnasRun.open(run);
        assertEquals(40, opened.heldOut());
        FlopsTable table = new FlopsTable(opened.layout());
        assertEquals(opened.range().trainingPool().length, result.get("architectures").size());
        for (JsonNode row : result.get("architectures")) {
            MbconvArchitecture architecture = MbconvArchitecture.parse(row.get("architecture").asText(),
                    opened.layout().layerCount());
            assertEquals(table.flops(architecture), row.get("table_mflops").asDouble(), 1e-12);
            assertEquals(row.get("table_mflops").asDouble(), row.get("exact_mflops").asDouble(), 1e-9);
            double accuracy = row.get("accuracy").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        }

        // A rerun finds every stage finished and prints the same architectures.
        ScoreCommandTest.Run again = ScoreCommandTest.run("search", "sgnas", "--train-images", "160", "--held-out",
                "0.25", "--width", "0.125", "--epochs", "1", "--batch", "40", "--generator-epochs", "2",
                "--generator-batch", "20", "--out", run.toString(), "--json");
        assertEquals(0, again.code(), again.err());
        assertEquals(result.get("architectures"), new ObjectMapper().readTree(again.out()).get("architectures"));

        double low = opened.range().low();
        double high = opened.range().high();
        ScoreCommandTest.Run generate = ScoreCommandTest.run("generate", "sgnas", "--run", run.toString(), "--targets",
                low + "," + (low + high) / 2 + "," + high, "--no-accuracy", "--json");
        assertEquals(0, generate.code(), generate.err());
        JsonNode generated = new ObjectMapper().readTree(generate.out()).get("architectures");
        assertEquals(3, generated.size());
        String first = generated.get(0).get("architecture").asText();

        ScoreCommandTest.Run flops = ScoreCommandTest.run("flops", "--space", "sgnas", "--run", run.toString(),
                "--arch", first);
        assertEquals(0, flops.code(), flops.err());
        assertTrue(flops.out().contains(String.format("table FLOPs: %.6f M", generated.get(0).get("table_mflops")
                .asDouble())), flops.out());
    }

    @Test
    void flopsOfTheReferenceLayoutAgreeBothWays() {
        String architecture = String.join("|", Collections.nCopies(19, "357xxx"));
        ScoreCommandTest.Run flops = ScoreCommandTest.run("flops", "--space", "sgnas", "--arch", architecture);
        assertEquals(0, flops.code(), flops.err());
        assertTrue(flops.out().contains("table FLOPs: 80.834560 M"), flops.out());
        assertTrue(flops.out().contains("exact FLOPs: 80.834560 M"), flops.out());
    }

    @Test
    void badInputSaysWhatIsWrong() {
        ScoreCommandTest.Run badArch = ScoreCommandTest.run("flops", "--space", "sgnas", "--arch", "357xxx");
        assertNotEquals(0, badArch.code());
        assertTrue(badArch.err().contains("19"), badArch.err());
        ScoreCommandTest.Run noRun = ScoreCommandTest.run("generate", "sgnas", "--run", dir.toString(), "--targets",
                "1");
        assertNotEquals(0, noRun.code());
        assertTrue(noRun.err().contains("is no SGNAS run"), noRun.err());
        ScoreCommandTest.Run badSpace = ScoreCommandTest.run("flops", "--space", "nb201", "--arch", "x");
        assertTrue(badSpace.err().contains("unknown space 'nb201'"), badSpace.err());
    }
}
