package dev.jnas.search.sgnas;

/**
 * How the architecture generator is trained against the frozen supernet (reference: SGNAS's search stage).
 *
 * @param temperature      the Gumbel-softmax temperature of the first epoch; each later epoch multiplies it by
 *                         temperatureDecay
 * @param constraintLoss   the hardware-constraint loss added to the supernet's cross-entropy
 * @param selection        the targets generators are compared on after each epoch
 */
public record GeneratorSettings(int epochs, int batchSize, float learningRate, float beta1, float beta2,
                                double temperature, double temperatureDecay, float labelSmoothing,
                                HardwareConstraintLoss constraintLoss, SelectionGrid selection, long seed) {
    /** The public code's values: Adam lr 1e-3, betas (0.5, 0.999), τ from 5 decaying ×0.95 per epoch. */
    public static final float LEARNING_RATE = 1e-3f;
    public static final float BETA1 = 0.5f;
    public static final float BETA2 = 0.999f;
    public static final double TEMPERATURE = 5;
    public static final double TEMPERATURE_DECAY = 0.95;

    public GeneratorSettings {
        SupernetSettings.requirePositive(epochs, "generator epochs");
        SupernetSettings.requirePositive(batchSize, "generator batch size");
        if (!(temperature > 0) || !(temperatureDecay > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the temperature and its decay must be positive, not " + temperature
                    + " and " + temperatureDecay);
        }
    }

    /** The reference's optimizer and temperature schedule with the given epochs, batch, loss and selection. */
    public static GeneratorSettings reference(int epochs, int batchSize, HardwareConstraintLoss loss,
                                              SelectionGrid selection, long seed) {
        return new GeneratorSettings(epochs, batchSize, LEARNING_RATE, BETA1, BETA2, TEMPERATURE, TEMPERATURE_DECAY,
                SupernetSettings.LABEL_SMOOTHING, loss, selection, seed);
    }

    /** τ of a 1-based epoch. */
    public double temperatureAt(int epoch) {
        return temperature * Math.pow(temperatureDecay, epoch - 1);
    }
}
