package dev.jnas.bindings;

/** The mean softmax cross-entropy over a batch and how many rows' arg-max equals the label. */
public record CrossEntropyResult(float loss, long correct) {
}
