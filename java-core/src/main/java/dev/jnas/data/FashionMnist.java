package dev.jnas.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST from its four IDX files (gzipped or plain): 60,000 training and 10,000 test images of 28x28
 * grey pixels in 10 classes. The default directory is where Debian's dataset-fashion-mnist installs them,
 * overridable by -Djnas.fashion.dir.
 */
public final class FashionMnist implements Dataset {
    public static final String NAME = "fashion-mnist";
    public static final String DIRECTORY_PROPERTY = "jnas.fashion.dir";
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int CLASSES = 10;
    private static final String TRAIN = "train";
    private static final String TEST = "t10k";
    private static final String IMAGES = "-images-idx3-ubyte";
    private static final String LABELS = "-labels-idx1-ubyte";

    private final Path directory;

    public FashionMnist(Path directory) {
        this.directory = directory;
    }

    /** The directory named by -Djnas.fashion.dir, else Debian's. */
    public static FashionMnist atDefaultLocation() {
        String property = System.getProperty(DIRECTORY_PROPERTY);
        return new FashionMnist(property == null || property.isBlank() ? DEFAULT_DIRECTORY : Path.of(property));
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Splits load(int trainLimit, int testLimit) {
        LabeledImages train = split(TRAIN, trainLimit);
        if (train.count() == 0) {
            throw new DataException(file(TRAIN + IMAGES) + " holds no images; the training images' statistics"
                    + " normalize both splits");
        }
        LabeledImages test = split(TEST, testLimit);
        if (test.height() != train.height() || test.width() != train.width()) {
            throw new DataException(file(TEST + IMAGES) + " holds " + test.height() + "x" + test.width()
                    + " images but " + file(TRAIN + IMAGES) + " " + train.height() + "x" + train.width());
        }
        Normalization normalization = Normalization.fit(train.pixels());
        return new Splits(normalization.apply(train), normalization.apply(test), normalization);
    }

    private LabeledImages split(String prefix, int limit) {
        IdxArray images = IdxReader.readImages(file(prefix + IMAGES));
        IdxArray labels = IdxReader.readLabels(file(prefix + LABELS));
        if (images.dims().length != 3) {
            throw new DataException(images.file() + ": expected [count, rows, cols] images, found "
                    + images.dims().length + " dimensions");
        }
        if (images.count() != labels.count()) {
            throw new DataException(images.file() + " holds " + images.count() + " images but " + labels.file()
                    + " holds " + labels.count() + " labels");
        }
        int count = limit > 0 ? Math.min(limit, images.count()) : images.count();
        int height = images.dims()[1];
        int width = images.dims()[2];
        if (height == 0 || width == 0) {
            throw new DataException(images.file() + " holds images of " + height + "x" + width + " pixels");
        }
        float[] pixels = new float[count * height * width];
        byte[] data = images.data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (data[i] & 0xff) / 255f;
        }
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = labels.data()[i] & 0xff;
            if (classes[i] >= CLASSES) {
                throw new DataException(labels.file() + ": label " + classes[i] + " at index " + i
                        + " is outside 0.." + (CLASSES - 1));
            }
        }
        return new LabeledImages(count, 1, height, width, CLASSES, pixels, classes);
    }

    /** The gzipped file as Debian ships it, else an uncompressed one of the plain name. */
    private Path file(String name) {
        Path gzipped = directory.resolve(name + ".gz");
        Path plain = directory.resolve(name);
        if (Files.exists(gzipped)) {
            return gzipped;
        }
        if (Files.exists(plain)) {
            return plain;
        }
        throw new DataException("Fashion-MNIST file not found: " + gzipped + " (install the Debian package "
                + "dataset-fashion-mnist, or point --data-dir / -D" + DIRECTORY_PROPERTY
                + " at a directory holding the IDX files)");
    }
}
