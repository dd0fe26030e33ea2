package dev.jnas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void loadsLimitsAndNormalizesWithTrainingStatistics() throws IOException {
        IdxFiles.writeFashionLike(dir, "train", 20, 20, 4, 4);
        IdxFiles.writeFashionLike(dir, "t10k", 7, 7, 4, 4);
        Splits splits = new FashionMnist(dir).load(12, 0);
        assertEquals(12, splits.train().count());
        assertEquals(7, splits.test().count());
        assertEquals(1, splits.train().channels());
        assertEquals(10, splits.train().classes());
        assertEquals(3, splits.train().labels()[3]);
        double mean = 0;
        for (float p : splits.train().pixels()) {
            mean += p;
        }
        assertEquals(0, mean / splits.train().pixels().length, 1e-5);
        Normalization n = splits.normalization();
        assertEquals((1 / 255f - n.mean()) / n.std(), splits.test().pixels()[1], 1e-6);
    }

    @Test
    void missingDirectoryNamesTheFileAndTheFix() {
        Path nowhere = dir.resolve("nowhere");
        DataException e = assertThrows(DataException.class, () -> new FashionMnist(nowhere).load(10, 10));
        assertTrue(e.getMessage().contains(nowhere.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        IdxFiles.writeFashionLike(dir, "train", 20, 19, 4, 4);
        IdxFiles.writeFashionLike(dir, "t10k", 7, 7, 4, 4);
        DataException e = assertThrows(DataException.class, () -> new FashionMnist(dir).load(0, 0));
        assertTrue(e.getMessage().contains("20 images") && e.getMessage().contains("19 labels"), e.getMessage());
    }

    @Test
    void defaultLocationFollowsTheSystemProperty() {
        String saved = System.getProperty(FashionMnist.DIRECTORY_PROPERTY);
        try {
            System.setProperty(FashionMnist.DIRECTORY_PROPERTY, dir.toString());
            assertEquals(dir, FashionMnist.atDefaultLocation().directory());
            System.clearProperty(FashionMnist.DIRECTORY_PROPERTY);
            assertEquals(FashionMnist.DEFAULT_DIRECTORY, FashionMnist.atDefaultLocation().directory());
        } finally {
            if (saved != null) {
                System.setProperty(FashionMnist.DIRECTORY_PROPERTY, saved);
            }
        }
    }
}
