package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tensor shapes of every kind (no dims, too many, zero, negative, and products far beyond memory): a tensor of
 * exactly that shape, or an InvalidArgumentException naming the shape, or an OutOfMemoryException saying how much
 * could not be allocated.
 */
class TensorFuzzTest {
    /** Shapes between these element counts could be allocated on a large machine, so they are never drawn. */
    private static final long SMALL = 1L << 20;
    private static final long UNALLOCATABLE = 1L << 40;

    private Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private record Shape(long[] dims, long seed) {
        @Override
        public String toString() {
            return Arrays.toString(dims);
        }
    }

    @Test
    void everyShapeGivesThatTensorOrANamedRefusal() {
        Fuzz.forAll("tensor shapes", TensorFuzzTest::shape, shape -> {
            Tensor tensor;
            try {
                tensor = engine.tensor(shape.dims());
            } catch (InvalidArgumentException e) {
                Fuzz.assertNames(e, "jnas_tensor_create: shape");
                return;
            } catch (OutOfMemoryException e) {
                Fuzz.assertNames(e, "jnas_tensor_create", "cannot allocate");
                return;
            }
            try (tensor) {
                assertArrayEquals(shape.dims(), tensor.shape());
                assertEquals(Arrays.stream(shape.dims()).reduce(1, Math::multiplyExact), tensor.numel());
                float[] values = new float[(int) tensor.numel()];
                SplittableRandom draw = new SplittableRandom(shape.seed());
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) draw.nextGaussian();
                }
                tensor.write(values);
                assertArrayEquals(values, tensor.read());
                InvalidArgumentException wrong = assertThrows(InvalidArgumentException.class,
                        () -> tensor.write(new float[values.length + 1]));
                Fuzz.assertNames(wrong, "src has " + (values.length + 1) + " values");
            }
        });
    }

    /** 0 to 5 dims of any size, redrawn small whenever their product could actually be allocated. */
    private static Shape shape(SplittableRandom random) {
        int ndim = random.nextInt(8) == 0 ? random.nextInt(6) : random.nextInt(1, 5);
        long[] dims = new long[ndim];
        long product = 1;
        for (int d = 0; d < ndim; d++) {
            dims[d] = random.nextInt(3) == 0 ? Draw.anyLong(random) : random.nextLong(1, 9);
            product = dims[d] <= 0 || product <= 0 ? 0 : Math.min(product, Long.MAX_VALUE / dims[d]) * dims[d];
        }
        if (product > SMALL && product <= UNALLOCATABLE) {
            for (int d = 0; d < ndim; d++) {
                dims[d] = random.nextLong(1, 9);
            }
        }
        return new Shape(dims, random.nextLong());
    }
}
