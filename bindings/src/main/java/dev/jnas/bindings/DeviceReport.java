package dev.jnas.bindings;

import java.util.List;

/**
 * What GPU discovery found: the devices, and when there are none, a plain reason (no driver, no device,
 * a driver error) fit to show a user.
 */
public record DeviceReport(List<GpuInfo> gpus, String reason) {
    public DeviceReport {
        gpus = List.copyOf(gpus);
    }

    static DeviceReport none(String reason) {
        return new DeviceReport(List.of(), reason);
    }
}
