package dev.jnas.search.tenas;

/**
 * Pruning op {@code op} from edge {@code edge} of cell type {@code cellType}. In the final edge pruning the
 * candidate is an edge's single op, so removing it removes the edge.
 */
public record Candidate(int cellType, int edge, int op) {
}
