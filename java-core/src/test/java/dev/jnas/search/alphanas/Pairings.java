package dev.jnas.search.alphanas;

/** Writes pairings for tests: one string per input dim, one digit (the Mapping's ordinal) per output dim. */
final class Pairings {
    private Pairings() {
    }

    static Pairing parse(String... rows) {
        Mapping[][] mappings = new Mapping[rows.length][];
        for (int row = 0; row < rows.length; row++) {
            mappings[row] = rows[row].chars().mapToObj(digit -> Mapping.values()[digit - '0']).toArray(Mapping[]::new);
        }
        return Pairing.of(mappings);
    }
}
