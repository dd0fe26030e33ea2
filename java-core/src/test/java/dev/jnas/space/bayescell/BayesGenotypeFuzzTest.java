package dev.jnas.space.bayescell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * BayesNAS genotypes in their text form and their JSON form ({@link BayesGenotype#opsByCell()}): what parses names
 * every edge exactly once and round-trips; everything else is an IllegalArgumentException.
 */
class BayesGenotypeFuzzTest {
    private static final String CHARACTERS = " |:+-;=_0123insepdilmaxvgdormlctu";
    private static final List<String> JUNK_EDGES = List.of("in0_00", "in0_+1", "sel_0_9", "in2_0", "sel_-1_2", "x", "");
    private static final List<String> JUNK_OPS = List.of("sep7", "", " id", "-", "none");

    private record Text(String text, CellTopology topology) {
    }

    private record Cells(Map<String, Map<String, List<String>>> cells, CellTopology topology) {
    }

    @Test
    void editedTextParsesToACanonicalGenotypeOrIsRefused() {
        Fuzz.forAll("BayesNAS genotype text", random -> {
            CellTopology topology = Draw.oneOf(random, List.of(CellTopology.values()));
            String valid = randomGenotype(random, topology).toString();
            return new Text(random.nextInt(5) == 0 ? Draw.text(random, CHARACTERS, 200)
                    : Draw.edit(random, valid, CHARACTERS), topology);
        }, input -> {
            BayesGenotype genotype;
            try {
                genotype = BayesGenotype.parse(input.text(), input.topology());
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e);
                return;
            }
            assertEquals(genotype, BayesGenotype.parse(genotype.toString(), input.topology()));
            String[] cells = input.text().split(";");
            for (CellType type : CellType.values()) {
                assertEquals(input.topology().edges(type).size(), cells[type.ordinal()].split("\\|").length,
                        "every edge of the " + type.label() + " cell is written exactly once");
            }
        });
    }

    @Test
    void cellMapsGiveTheSameGenotypeBackOrAreRefused() {
        Fuzz.forAll("BayesNAS genotype JSON", random -> {
            CellTopology topology = Draw.oneOf(random, List.of(CellTopology.values()));
            Map<String, Map<String, List<String>>> cells = new LinkedHashMap<>();
            randomGenotype(random, topology).opsByCell()
                    .forEach((label, edges) -> cells.put(label, edit(random, edges)));
            if (random.nextInt(10) == 0) {
                cells.remove(Draw.oneOf(random, List.copyOf(cells.keySet())));
            }
            if (random.nextInt(10) == 0) {
                cells.put("middle", Map.of());
            }
            return new Cells(cells, topology);
        }, input -> {
            BayesGenotype genotype;
            try {
                genotype = BayesGenotype.fromOpsByCell(input.topology(), input.cells());
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e);
                return;
            }
            assertEquals(genotype, BayesGenotype.fromOpsByCell(input.topology(), genotype.opsByCell()));
            for (CellType type : CellType.values()) {
                assertEquals(input.topology().edges(type).size(), input.cells().get(type.label()).size(),
                        "every edge of the " + type.label() + " cell is given exactly once");
            }
        });
    }

    /** Regression: "sel_-1_2" and "in0_02" named in1_2 and in0_2 too, so a cell could give an edge twice. */
    @Test
    void anEdgeHasOneName() {
        Fuzz.assertNames(assertThrows(IllegalArgumentException.class, () -> BayesEdge.parse("sel_-1_2")),
                "'sel_-1_2' is no BayesNAS edge name", "this edge is written 'in1_2'");
        assertThrows(IllegalArgumentException.class, () -> BayesEdge.parse("in0_02"));
        assertThrows(IllegalArgumentException.class, () -> BayesEdge.parse("in0_+2"));
        assertEquals(new BayesEdge(3, 2), BayesEdge.parse("sel_1_2"));
    }

    /** A cell's edge map with an entry renamed, added, dropped, or an op list changed, some of the time. */
    private static Map<String, List<String>> edit(SplittableRandom random, Map<String, List<String>> edges) {
        Map<String, List<String>> edited = new LinkedHashMap<>(edges);
        List<String> names = List.copyOf(edges.keySet());
        switch (random.nextInt(6)) {
            case 0 -> edited.put(Draw.oneOf(random, JUNK_EDGES), List.of());
            case 1 -> edited.remove(Draw.oneOf(random, names));
            case 2 -> {
                List<String> ops = new ArrayList<>(edited.get(Draw.oneOf(random, names)));
                ops.add(random.nextBoolean() || ops.isEmpty() ? Draw.oneOf(random, JUNK_OPS) : ops.getFirst());
                edited.put(Draw.oneOf(random, names), ops);
            }
            default -> {
            }
        }
        return edited;
    }

    private static BayesGenotype randomGenotype(SplittableRandom random, CellTopology topology) {
        Map<String, Map<String, List<String>>> cells = new LinkedHashMap<>();
        for (CellType type : CellType.values()) {
            Map<String, List<String>> edges = new LinkedHashMap<>();
            for (BayesEdge edge : topology.edges(type)) {
                List<String> ops = new ArrayList<>();
                for (BayesOp op : BayesOp.values()) {
                    if (random.nextInt(3) == 0) {
                        ops.add(op.shortName());
                    }
                }
                edges.put(edge.name(), ops);
            }
            cells.put(type.label(), edges);
        }
        return BayesGenotype.fromOpsByCell(topology, cells);
    }
}
