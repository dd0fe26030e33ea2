package dev.jnas.data;

import java.nio.file.Path;

/** The contents of one IDX file of unsigned bytes: its dimensions and its data, row-major. */
public record IdxArray(Path file, int[] dims, byte[] data) {
    /** The first dimension: how many images or labels the file holds. */
    public int count() {
        return dims[0];
    }
}
