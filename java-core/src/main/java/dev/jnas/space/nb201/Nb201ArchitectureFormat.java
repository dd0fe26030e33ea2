package dev.jnas.space.nb201;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * NB201's architecture strings: one group per node 1..3 joined by '+', each group listing the node's incoming
 * edges in source order as {@code op~source} between '|'. Parsing is strict (exactly the strings the
 * benchmark writes), so parse and format round-trip exactly; offsets in messages count characters from 0.
 */
final class Nb201ArchitectureFormat {
    private static final char NODE_SEPARATOR = '+';
    private static final char EDGE_DELIMITER = '|';
    private static final char SOURCE_MARK = '~';

    private Nb201ArchitectureFormat() {
    }

    static String format(Nb201Architecture architecture) {
        StringJoiner nodes = new StringJoiner(String.valueOf(NODE_SEPARATOR));
        for (int target = 1; target < Nb201Edge.NODES; target++) {
            StringBuilder group = new StringBuilder().append(EDGE_DELIMITER);
            for (int source = 0; source < target; source++) {
                group.append(architecture.op(new Nb201Edge(target, source)).benchmarkName())
                        .append(SOURCE_MARK).append(source).append(EDGE_DELIMITER);
            }
            nodes.add(group);
        }
        return nodes.toString();
    }

    static Nb201Architecture parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new ArchitectureFormatException("the NB201 architecture string is empty");
        }
        List<Span> groups = split(text, 0, text.length(), NODE_SEPARATOR);
        int expectedGroups = Nb201Edge.NODES - 1;
        if (groups.size() != expectedGroups) {
            throw error(text, "found " + groups.size() + " node group(s) separated by '" + NODE_SEPARATOR
                    + "' but an NB201 cell has " + expectedGroups + " (nodes 1 to " + expectedGroups + ")");
        }
        Nb201Op[] ops = new Nb201Op[Nb201Architecture.EDGES];
        for (int target = 1; target < Nb201Edge.NODES; target++) {
            parseNode(text, target, groups.get(target - 1), ops);
        }
        return Nb201Architecture.of(ops);
    }

    /** One node's group, e.g. {@code |nor_conv_3x3~0|avg_pool_3x3~1|} for node 2. */
    private static void parseNode(String text, int target, Span group, Nb201Op[] ops) {
        if (group.length() == 0 || text.charAt(group.start()) != EDGE_DELIMITER) {
            throw error(text, "expected '" + EDGE_DELIMITER + "' at offset " + group.start() + " to open node "
                    + target + "'s edges");
        }
        if (group.length() < 2 || text.charAt(group.end() - 1) != EDGE_DELIMITER) {
            int closing = Math.max(group.end() - 1, group.start() + 1);
            throw error(text, "expected '" + EDGE_DELIMITER + "' at offset " + closing + " to close node "
                    + target + "'s edges");
        }
        List<Span> edges = split(text, group.start() + 1, group.end() - 1, EDGE_DELIMITER);
        if (edges.size() != target) {
            throw error(text, "node " + target + " (offset " + group.start() + ") has " + edges.size()
                    + " edge(s) but needs " + target + ", one from each of nodes 0.." + (target - 1));
        }
        for (int source = 0; source < target; source++) {
            ops[new Nb201Edge(target, source).index()] = parseEdge(text, target, source, edges.get(source));
        }
    }

    /** One edge, {@code op~source}, which must come from the node its position says. */
    private static Nb201Op parseEdge(String text, int target, int source, Span edge) {
        String token = edge.of(text);
        int mark = token.lastIndexOf(SOURCE_MARK);
        if (mark < 0) {
            throw error(text, "edge '" + token + "' at offset " + edge.start() + " (node " + target
                    + ") has no '" + SOURCE_MARK + "source'; expected 'op" + SOURCE_MARK + source + "'");
        }
        String name = token.substring(0, mark);
        Nb201Op op = Nb201Op.byBenchmarkName(name).orElseThrow(() -> error(text, "unknown op '" + name
                + "' at offset " + edge.start() + " (node " + target + ", edge from node " + source
                + "); known ops: " + Nb201Op.benchmarkNames()));
        String written = token.substring(mark + 1);
        if (!written.equals(String.valueOf(source))) {
            throw error(text, "edge " + source + " of node " + target + " at offset " + edge.start()
                    + " says '" + SOURCE_MARK + written + "' but must come from node " + source + " ('"
                    + SOURCE_MARK + source + "'): node " + target + " lists its edges from nodes 0.."
                    + (target - 1) + " in order");
        }
        return op;
    }

    private static ArchitectureFormatException error(String text, String problem) {
        return new ArchitectureFormatException("bad NB201 architecture '" + text + "': " + problem);
    }

    /** The pieces of text[start, end) between separators, empty ones included. */
    private static List<Span> split(String text, int start, int end, char separator) {
        List<Span> spans = new ArrayList<>();
        int pieceStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || text.charAt(i) == separator) {
                spans.add(new Span(pieceStart, i));
                pieceStart = i + 1;
            }
        }
        return spans;
    }

    /** Characters [start, end) of the string being parsed. */
    private record Span(int start, int end) {
        int length() {
            return end - start;
        }

        String of(String text) {
            return text.substring(start, end);
        }
    }
}
