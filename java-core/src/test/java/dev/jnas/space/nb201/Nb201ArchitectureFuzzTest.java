package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

/** NB201 strings, edited at random or random text: the format is strict, so only canonical strings parse. */
class Nb201ArchitectureFuzzTest {
    private static final String CHARACTERS = "|+~0123_nor_conv_3x1skip_connectavg_pool none-9 \t";

    @Test
    void everyStringParsesToItselfOrIsRefusedNamingIt() {
        Fuzz.forAll("NB201 architecture strings", random -> random.nextInt(5) == 0
                ? Draw.text(random, CHARACTERS, 130)
                : Draw.edit(random, Nb201Architecture.fromOrdinal(random.nextInt(Nb201Architecture.COUNT)).toString(),
                        CHARACTERS), text -> {
                    try {
                        assertEquals(text, Nb201Architecture.parse(text).toString());
                    } catch (ArchitectureFormatException e) {
                        Fuzz.assertNames(e, text.isEmpty() ? "empty" : "bad NB201 architecture '" + text + "'");
                    }
                });
    }
}
