package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void discoveryNeverThrowsAndExplainsAnEmptyList() {
        DeviceReport report = assertDoesNotThrow(Devices::discover);
        if (report.gpus().isEmpty()) {
            assertFalse(report.reason().isBlank(), "no GPUs and no reason");
        } else {
            for (GpuInfo gpu : report.gpus()) {
                assertFalse(gpu.name().isBlank());
                assertTrue(gpu.computeMajor() >= 3 && gpu.totalMemoryBytes() > 0, gpu.toString());
            }
        }
    }

    /** Machines without the NVIDIA driver (like the build machine) report no GPUs, also on a second try. */
    @Test
    void noDriverMeansNoGpus() {
        boolean driverPresent = Files.exists(Path.of("/dev/nvidiactl")) || Files.exists(Path.of("/proc/driver/nvidia"));
        if (!driverPresent) {
            for (int attempt = 0; attempt < 2; attempt++) {
                DeviceReport report = Devices.discover();
                assertTrue(report.gpus().isEmpty());
                assertFalse(report.reason().isBlank());
            }
        }
    }
}
