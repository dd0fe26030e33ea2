package dev.jnas.data;

/** A data set's training and test images, normalized with the training split's statistics. */
public record Splits(LabeledImages train, LabeledImages test, Normalization normalization) {
}
