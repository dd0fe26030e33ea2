package dev.jnas.bindings;

/** The CUDA backend was asked for where no GPU, driver or CUDA build is present. */
public final class NoDeviceException extends JnasException {
    public NoDeviceException(String message) {
        super(Status.NO_DEVICE, message);
    }
}
