package dev.jnas.bindings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * GPU discovery through JCuda's driver API, which needs only the NVIDIA driver (libcuda.so.1), no toolkit.
 * Independent of libjnas, so it also answers where libjnas was built without CUDA. It never throws: where
 * JCuda cannot load or the driver fails, the report is empty and says why.
 */
public final class Devices {
    private static final int NAME_BYTES = 256;

    private Devices() {
    }

    public static DeviceReport discover() {
        try {
            return query();
        } catch (LinkageError e) {
            // UnsatisfiedLinkError when libcuda.so.1 or JCuda's JNI library cannot load; NoClassDefFoundError
            // on a second attempt after JCudaDriver's class initialization failed.
            return DeviceReport.none(linkFailureReason(e));
        } catch (CudaException e) {
            return DeviceReport.none("the CUDA driver failed: " + firstLine(e.getMessage()));
        }
    }

    private static DeviceReport query() {
        int status = JCudaDriver.cuInit(0);
        if (status != CUresult.CUDA_SUCCESS) {
            return DeviceReport.none(driverFailure("cuInit", status));
        }
        int[] count = new int[1];
        status = JCudaDriver.cuDeviceGetCount(count);
        if (status != CUresult.CUDA_SUCCESS) {
            return DeviceReport.none(driverFailure("cuDeviceGetCount", status));
        }
        if (count[0] == 0) {
            return DeviceReport.none("the NVIDIA driver reports no CUDA devices");
        }
        List<GpuInfo> gpus = new ArrayList<>();
        for (int ordinal = 0; ordinal < count[0]; ordinal++) {
            CUdevice device = new CUdevice();
            status = JCudaDriver.cuDeviceGet(device, ordinal);
            if (status != CUresult.CUDA_SUCCESS) {
                return DeviceReport.none(driverFailure("cuDeviceGet(" + ordinal + ")", status));
            }
            gpus.add(describe(ordinal, device));
        }
        return new DeviceReport(gpus, "");
    }

    private static GpuInfo describe(int ordinal, CUdevice device) {
        byte[] name = new byte[NAME_BYTES];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                device);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                device);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        return new GpuInfo(ordinal, cString(name), major[0], minor[0], memory[0]);
    }

    private static String cString(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static String driverFailure(String call, int status) {
        String name = CUresult.stringFor(status);
        if (status == CUresult.CUDA_ERROR_NO_DEVICE) {
            return "the NVIDIA driver is installed but finds no CUDA device (" + call + ": " + name + ")";
        }
        return "the CUDA driver failed (" + call + ": " + name + ")";
    }

    /** JCuda's load errors are many lines long; keep the cause a user can act on. */
    private static String linkFailureReason(LinkageError e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("libcuda.so")) {
            return "no NVIDIA driver: libcuda.so.1 cannot be loaded";
        }
        if (e instanceof NoClassDefFoundError) {
            return "JCuda failed to load earlier in this process (no usable NVIDIA driver)";
        }
        return "JCuda cannot load its native library: " + firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no details";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
