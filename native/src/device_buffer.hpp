// device_buffer.hpp — an owning, move-only block of a backend's memory (host memory on the CPU, device memory on
// CUDA), released through the backend that allocated it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "backend.hpp"

namespace jnas {

class DeviceBuffer {
public:
    DeviceBuffer() = default;
    // Zero-filled (Backend::alloc zero-fills). An empty request holds no memory.
    DeviceBuffer(Backend& backend, size_t bytes)
        : backend_(&backend), ptr_(bytes ? backend.alloc(bytes) : nullptr), bytes_(bytes) {}
    // Contents undefined (Backend::alloc_scratch).
    static DeviceBuffer scratch(Backend& backend, size_t bytes) {
        DeviceBuffer b;
        b.backend_ = &backend;
        b.ptr_ = bytes ? backend.alloc_scratch(bytes) : nullptr;
        b.bytes_ = bytes;
        return b;
    }
    ~DeviceBuffer() { reset(); }

    DeviceBuffer(DeviceBuffer&& other) noexcept { swap(other); }
    DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
        DeviceBuffer moved(std::move(other));
        swap(moved);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    void reset() noexcept {
        if (backend_ && ptr_) backend_->release(ptr_);
        backend_ = nullptr;
        ptr_ = nullptr;
        bytes_ = 0;
    }
    void* get() const { return ptr_; }
    float* f32() const { return static_cast<float*>(ptr_); }
    int32_t* i32() const { return static_cast<int32_t*>(ptr_); }
    size_t bytes() const { return bytes_; }

private:
    void swap(DeviceBuffer& other) noexcept {
        std::swap(backend_, other.backend_);
        std::swap(ptr_, other.ptr_);
        std::swap(bytes_, other.bytes_);
    }

    Backend* backend_ = nullptr;
    void* ptr_ = nullptr;
    size_t bytes_ = 0;
};

inline size_t float_bytes(int64_t n) { return static_cast<size_t>(n) * sizeof(float); }

}  // namespace jnas
