package dev.jnas.space.program;

import java.util.Map;

/** The shape of every tensor of a program graph for one input shape, from {@link ShapeInference}. */
public record TensorShapes(Map<String, TensorShape> byTensor) {

    public TensorShapes {
        byTensor = Map.copyOf(byTensor);
    }

    public TensorShape of(String tensor) {
        TensorShape shape = byTensor.get(tensor);
        if (shape == null) {
            throw new IllegalArgumentException("no shape for tensor '" + tensor + "'");
        }
        return shape;
    }
}
