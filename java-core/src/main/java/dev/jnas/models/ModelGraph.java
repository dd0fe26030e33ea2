package dev.jnas.models;

/** The nodes of a built model that a trainer needs: where the images go in and the logits come out. */
public record ModelGraph(int input, int output) {
}
