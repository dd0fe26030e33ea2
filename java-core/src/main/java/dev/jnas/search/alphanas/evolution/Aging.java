package dev.jnas.search.alphanas.evolution;

import java.util.List;

/**
 * αNAS's aging (the reference's generations_to_live): an individual born in generation b may be the parent of
 * generations b + 1 … b + generationsToLive and no later one; the seed model's two individuals age like the
 * others. 0 turns aging off.
 *
 * <p>The reference ages softly (a decayed accuracy, by wall-clock generations); here an aged individual simply stops
 * being a candidate. So that aging never empties the candidates, when none of them was born within the last
 * generationsToLive generations (the young ones all fell below the minimum accuracy, or generations made no child)
 * the generationsToLive youngest candidates stay: what aging would keep had every generation made a usable child.
 *
 * @param generationsToLive how many generations after its birth an individual may be a parent; 0 for no aging
 */
public record Aging(int generationsToLive) {
    /** The reference's default. */
    public static final Aging OFF = new Aging(0);

    public Aging {
        if (generationsToLive < 0) {
            throw new IllegalArgumentException("--generations-to-live cannot be negative (0 turns aging off), got "
                    + generationsToLive);
        }
    }

    /**
     * The candidates that may still be parents of generation: indices into population, in their given order.
     *
     * @param candidates indices into population, not empty
     */
    public List<Integer> alive(List<Individual> population, List<Integer> candidates, int generation) {
        if (generationsToLive == 0) {
            return candidates;
        }
        List<Integer> alive = candidates.stream()
                .filter(i -> generation - population.get(i).generation() <= generationsToLive).toList();
        if (!alive.isEmpty()) {
            return alive;
        }
        // Generations identify individuals, so the cut-off keeps exactly min(generationsToLive, candidates).
        int[] births = candidates.stream().mapToInt(i -> population.get(i).generation()).sorted().toArray();
        int oldestKeptBirth = births[Math.max(0, births.length - generationsToLive)];
        return candidates.stream().filter(i -> population.get(i).generation() >= oldestKeptBirth).toList();
    }
}
