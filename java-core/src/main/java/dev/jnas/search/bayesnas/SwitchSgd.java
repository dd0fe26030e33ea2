package dev.jnas.search.bayesnas;

/**
 * SGD with momentum on the host, as PyTorch's {@code torch.optim.SGD} (no dampening, no Nesterov, no weight decay,
 * which the reference sets to 0 for the switches): v = μ·v + g; s -= lr·v, in float32 as PyTorch's tensors. The
 * switches are a few hundred scalars, so stepping them here costs nothing and lets the group-lasso gradient join.
 */
public final class SwitchSgd {
    private final float learningRate;
    private final float momentum;
    private final float[] velocity;

    public SwitchSgd(float learningRate, float momentum, int size) {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("switch SGD needs lr > 0 and momentum in [0, 1), got lr " + learningRate
                    + " and momentum " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.velocity = new float[size];
    }

    /** One step of values along gradients, in place. (PyTorch's first step sets v = g, as μ·0 + g does.) */
    public void step(float[] values, float[] gradients) {
        if (values.length != velocity.length || gradients.length != velocity.length) {
            throw new IllegalArgumentException("switch SGD over " + velocity.length + " switches got "
                    + values.length + " values and " + gradients.length + " gradients");
        }
        for (int i = 0; i < values.length; i++) {
            velocity[i] = momentum * velocity[i] + gradients[i];
            values[i] -= learningRate * velocity[i];
        }
    }
}
