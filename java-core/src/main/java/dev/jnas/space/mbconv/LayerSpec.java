package dev.jnas.space.mbconv;

/**
 * One searchable MBConv layer of a layout: its position, channels, stride and square spatial sizes. The stride
 * sits on the depthwise convs; the expand convs run at the input size, the projection at the output size.
 */
public record LayerSpec(int index, int inChannels, int outChannels, int stride, int inputSize, int outputSize) {

    /** Whether the layer adds its input to its output (MobileNetV2's rule: same shape in and out). */
    public boolean residual() {
        return stride == 1 && inChannels == outChannels;
    }

    /** The prefix of the layer's node and parameter names, e.g. "layer3". */
    String name() {
        return "layer" + index;
    }
}
