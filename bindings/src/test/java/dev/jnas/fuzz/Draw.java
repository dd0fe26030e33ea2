package dev.jnas.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The input generators the fuzz tests share: numbers weighted towards the edges where code breaks (0, -1, the
 * type's limits, powers of two), and random edits of valid text or bytes, which reach deeper into a parser than
 * random text alone.
 */
public final class Draw {
    private static final int[] INT_EDGES = {0, 1, -1, 2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE - 1, 1 << 16, 1 << 20, 1 << 30, -(1 << 30)};
    private static final long[] LONG_EDGES = {0, 1, -1, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 32, 1L << 40,
        1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 4 + 1};
    private static final int MAX_EDITS = 4;

    private Draw() {
    }

    /** An int: half the time small (-3..16), a quarter an edge value, a quarter any int. */
    public static int anyInt(SplittableRandom random) {
        int kind = random.nextInt(4);
        if (kind < 2) {
            return random.nextInt(-3, 17);
        }
        return kind == 2 ? INT_EDGES[random.nextInt(INT_EDGES.length)] : random.nextInt();
    }

    /** A long: half the time small (-3..16), a quarter an edge value, a quarter any long. */
    public static long anyLong(SplittableRandom random) {
        int kind = random.nextInt(4);
        if (kind < 2) {
            return random.nextLong(-3, 17);
        }
        return kind == 2 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : random.nextLong();
    }

    /** A float: mostly ordinary, sometimes 0, ±infinity, NaN or an extreme. */
    public static float anyFloat(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> Float.NaN;
            case 1 -> random.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 2 -> random.nextBoolean() ? Float.MAX_VALUE : -Float.MIN_VALUE;
            case 3 -> 0f;
            default -> (float) random.nextDouble(-10, 10);
        };
    }

    public static <T> T oneOf(SplittableRandom random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** Up to maxLength characters of alphabet. */
    public static String text(SplittableRandom random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /**
     * valid after 1 to 4 random edits: a deleted, duplicated or moved range, characters of alphabet inserted or
     * overwritten, or the text cut short.
     */
    public static String edit(SplittableRandom random, String valid, String alphabet) {
        StringBuilder text = new StringBuilder(valid);
        int edits = 1 + random.nextInt(MAX_EDITS);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(text.length() + 1);
            int end = Math.min(text.length(), at + 1 + random.nextInt(8));
            switch (random.nextInt(6)) {
                case 0 -> text.delete(at, end);
                case 1 -> text.insert(at, text(random, alphabet, 6));
                case 2 -> {
                    if (at < text.length()) {
                        text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
                case 3 -> text.insert(at, text.substring(at, end));
                case 4 -> {
                    String range = text.substring(at, end);
                    text.delete(at, end);
                    text.insert(random.nextInt(text.length() + 1), range);
                }
                default -> text.setLength(at);
            }
        }
        return text.toString();
    }

    /** valid after 1 to 4 random edits: bytes overwritten, bits flipped, bytes inserted, or the end cut or extended. */
    public static byte[] edit(SplittableRandom random, byte[] valid) {
        byte[] bytes = valid.clone();
        int edits = 1 + random.nextInt(MAX_EDITS);
        for (int e = 0; e < edits; e++) {
            int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    if (bytes.length > 0) {
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 3 -> {
                    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                    for (int i = bytes.length; i < longer.length; i++) {
                        longer[i] = (byte) random.nextInt(256);
                    }
                    bytes = longer;
                }
                default -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
            }
        }
        return bytes;
    }

    /** length random bytes. */
    public static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
