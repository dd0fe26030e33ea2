package dev.jnas.search.sgnas;

/**
 * The targets on which generators are compared after each epoch (the one with the least total constraint loss over
 * them is kept).
 */
public enum SelectionGrid {
    /** The reference's {@code range(low, high, 10)}: 4 targets on a range 40 units wide. */
    REFERENCE,
    /**
     * The training targets' {@code range(low, high, 5)}: twice as many, so that a generator whose architectures
     * overshoot between the reference grid's points is not kept for luck on 4 of them.
     */
    TRAINING;

    public double[] targets(TargetRange range) {
        return this == REFERENCE ? range.evaluationGrid() : range.trainingPool();
    }
}
