package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnas train --model program: trains a front member that jnas search alphanas --out wrote to programs/, with the
 * parameter count the search measured; and the errors for a missing, malformed or unreadable program.
 */
class TrainProgramTest {
    private static final Pattern PARAMETERS = Pattern.compile("; ([0-9,]+) parameters;");

    @TempDir
    Path dir;

    @Test
    void trainsAFrontMemberTheSearchWrote() throws IOException {
        Path out = dir.resolve("run");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "alphanas", "--seed-model", "cnn", "--generations",
                "3", "--fitness", "training-free", "--train-images", "64", "--probe-batch", "8", "--threads", "1",
                "--store", dir.resolve("store.sqlite").toString(), "--out", out.toString(), "--json");
        assertEquals(0, search.code(), search.err());
        JsonNode member = new ObjectMapper().readTree(search.out()).get("front_parameters").get(0);
        Path program = out.resolve("programs").resolve("generation-" + member.get("generation").asInt() + ".txt");
        assertTrue(Files.isRegularFile(program), program + " was not written");

        ScoreCommandTest.Run train = ScoreCommandTest.run("train", "--model", "program", "--program",
                program.toString(), "--train-limit", "128", "--test-limit", "64", "--threads", "1");
        assertEquals(0, train.code(), train.err());
        Matcher parameters = PARAMETERS.matcher(train.out());
        assertTrue(parameters.find(), train.out());
        assertEquals(member.get("parameters").asLong(), Long.parseLong(parameters.group(1).replace(",", "")));
        assertTrue(train.out().contains("epoch 1: loss "), train.out());
    }

    @Test
    void badProgramsAreNamed() throws IOException {
        ScoreCommandTest.Run missing = ScoreCommandTest.run("train", "--model", "program");
        assertNotEquals(0, missing.code());
        assertTrue(missing.err().contains("--model program needs --program FILE"), missing.err());

        Path garbled = Files.writeString(dir.resolve("garbled.txt"), "this is not a program\n");
        ScoreCommandTest.Run bad = ScoreCommandTest.run("train", "--model", "program", "--program", garbled.toString(),
                "--train-limit", "64", "--test-limit", "64");
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("garbled.txt"), bad.err());

        ScoreCommandTest.Run absent = ScoreCommandTest.run("train", "--model", "program", "--program",
                dir.resolve("absent.txt").toString(), "--train-limit", "64", "--test-limit", "64");
        assertNotEquals(0, absent.code());
        assertTrue(absent.err().contains("absent.txt"), absent.err());
    }
}
