// cuda_backend.cu — the CUDA Backend: device selection, device memory, transfers, and forwarding of every
// kernel to the launchers of cuda_kernels.cuh. All work of one backend runs in order on its own stream;
// transfers back to the host synchronize it.
#include <cstdio>
#include <string>

#include "cuda_kernels.cuh"

namespace jnas {
namespace cuda {
namespace {

// Any kernel of this library: asking the runtime for its attributes fails when the build holds no code the
// device can run, which is better reported at context creation than at the first launch.
__global__ void probe_kernel() {}

}  // namespace

Scratch::~Scratch() {
    if (data_ != nullptr) cudaFree(data_);  // a destructor cannot report; a broken device shows up elsewhere
}

void* Scratch::get(size_t bytes) {
    if (bytes <= bytes_) return data_;
    // cudaFree waits for the device, so kernels still reading the old buffer finish first.
    if (data_ != nullptr) check(cudaFree(data_), "scratch release");
    data_ = nullptr;
    bytes_ = 0;
    if (cudaMalloc(&data_, bytes) != cudaSuccess) {
        cudaGetLastError();  // the failure is reported here; do not let the next launch check see it again
        data_ = nullptr;
        fail(JNAS_ERR_OUT_OF_MEMORY, "cuda: cannot allocate ", bytes, " bytes of scratch device memory");
    }
    bytes_ = bytes;
    return data_;
}

}  // namespace cuda

namespace {

using cuda::check;

// Makes the device usable by this thread or says clearly why not (JNAS_ERR_NO_DEVICE).
void require_device(int device) {
    int count = 0;
    cudaError_t status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess) {
        cudaGetLastError();
        int driver = 0;
        cudaDriverGetVersion(&driver);
        if (status == cudaErrorInsufficientDriver && driver == 0)
            fail(JNAS_ERR_NO_DEVICE, "no CUDA driver found (is the NVIDIA driver installed?)");
        if (status == cudaErrorInsufficientDriver)
            fail(JNAS_ERR_NO_DEVICE, "the CUDA driver (version ", driver / 1000, ".", driver % 1000 / 10,
                 ") is older than this build needs (CUDA ", CUDART_VERSION / 1000, ".", CUDART_VERSION % 1000 / 10,
                 "); update the NVIDIA driver");
        if (status == cudaErrorNoDevice) fail(JNAS_ERR_NO_DEVICE, "no CUDA GPU found");
        fail(JNAS_ERR_NO_DEVICE, "CUDA is unavailable: ", cudaGetErrorString(status));
    }
    if (count == 0) fail(JNAS_ERR_NO_DEVICE, "no CUDA GPU found");
    if (device < 0 || device >= count)
        fail(JNAS_ERR_NO_DEVICE, "device ", device, " does not exist (", count, count == 1 ? " GPU)" : " GPUs)");
    check(cudaSetDevice(device), "cudaSetDevice");
    cudaFuncAttributes attributes;
    status = cudaFuncGetAttributes(&attributes, cuda::probe_kernel);
    if (status != cudaSuccess) {
        cudaGetLastError();
        cudaDeviceProp prop;
        check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
        fail(JNAS_ERR_NO_DEVICE, prop.name, " (sm_", prop.major, prop.minor,
             ") cannot run this build of libjnas (built for sm ", JNAS_CUDA_ARCH_LIST,
             "): rebuild with -DJNAS_CUDA_ARCHS=", prop.major, prop.minor, " (", cudaGetErrorString(status), ")");
    }
}

class CudaBackend final : public Backend {
public:
    explicit CudaBackend(int device) : device_(device) {
        require_device(device);
        cudaDeviceProp prop;
        check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
        char gigabytes[32];
        std::snprintf(gigabytes, sizeof gigabytes, "%.0f GB", double(prop.totalGlobalMem) / 1e9);
        memory_bytes_ = prop.totalGlobalMem;
        name_ = std::string(prop.name) + " (sm_" + std::to_string(prop.major) + std::to_string(prop.minor) + ", " +
                gigabytes + ")";
        // Non-blocking: the backend's work must not serialize with other libraries' use of the legacy stream.
        check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
    }

    ~CudaBackend() override {
        cudaSetDevice(device_);
        cudaStreamSynchronize(stream_);  // a destructor cannot report; pending faults have no one to tell
        cudaStreamDestroy(stream_);
    }

    jnas_backend kind() const override { return JNAS_BACKEND_CUDA; }
    std::string device_name() const override { return name_; }
    size_t memory_bytes() const override { return memory_bytes_; }
    // The GPU's parallelism is the launch shape, not a thread budget: nothing to set.
    void set_threads(int) override {}

    // ---- memory ----
    void* alloc_scratch(size_t bytes) override {
        activate();
        // A zero-byte request still returns a real, releasable block, as on the CPU.
        size_t request = bytes > 0 ? bytes : 256;
        void* p = nullptr;
        if (cudaMalloc(&p, request) != cudaSuccess) {
            cudaGetLastError();  // an OOM is reported here, not again by the next launch check
            fail(JNAS_ERR_OUT_OF_MEMORY, "cuda: cannot allocate ", bytes, " bytes on ", name_);
        }
        return p;
    }
    void* alloc(size_t bytes) override {
        void* p = alloc_scratch(bytes);
        cudaError_t status = cudaMemsetAsync(p, 0, bytes, stream_);  // a zero-byte block is never read
        if (status != cudaSuccess) {
            cudaFree(p);
            check(status, "alloc: cudaMemsetAsync");
        }
        return p;
    }
    // Called from noexcept destructors (DeviceBuffer): a failing cudaFree means the device is already broken,
    // which the next checked call of this backend reports.
    void release(void* p) override {
        if (p == nullptr) return;
        cudaSetDevice(device_);
        cudaFree(p);
    }
    // From pageable memory the copy is staged before cudaMemcpyAsync returns, so the caller may reuse host_src.
    void upload(void* dst, const void* host_src, size_t bytes) override {
        if (bytes == 0) return;
        activate();
        check(cudaMemcpyAsync(dst, host_src, bytes, cudaMemcpyHostToDevice, stream_), "upload");
    }
    void download(void* host_dst, const void* src, size_t bytes) const override {
        if (bytes == 0) return;
        activate();
        check(cudaMemcpyAsync(host_dst, src, bytes, cudaMemcpyDeviceToHost, stream_), "download");
        check(cudaStreamSynchronize(stream_), "download");
    }
    void copy(void* dst, const void* src, size_t bytes) override {
        if (bytes == 0 || dst == src) return;
        activate();
        check(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream_), "copy");
    }
    void fill(float* dst, int64_t n, float value) override { cuda::fill(gpu(), dst, n, value); }
    void synchronize() override {
        activate();
        check(cudaStreamSynchronize(stream_), "synchronize");
    }

    // ---- random numbers ----
    void fill_normal(float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std) override {
        cuda::fill_normal(gpu(), dst, n, seed, stream, mean, std);
    }
    void fill_uniform(float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi) override {
        cuda::fill_uniform(gpu(), dst, n, seed, stream, lo, hi);
    }
    void fill_dropout_mask(float* dst, int64_t n, uint64_t seed, uint64_t stream, float p, float keep_value) override {
        cuda::fill_dropout_mask(gpu(), dst, n, seed, stream, p, keep_value);
    }

    // ---- elementwise and reductions ----
    void axpy(int64_t n, float alpha, const float* x, float* y) override { cuda::axpy(gpu(), n, alpha, x, y); }
    void axpy_dev(int64_t n, const float* alpha_dev, const float* x, float* y) override {
        cuda::axpy_dev(gpu(), n, alpha_dev, x, y);
    }
    void scale(int64_t n, float alpha, const float* x, float* y) override { cuda::scale(gpu(), n, alpha, x, y); }
    void multiply(int64_t n, const float* a, const float* b, float* y) override {
        cuda::multiply(gpu(), n, a, b, y);
    }
    void dot_accumulate(int64_t n, const float* a, const float* b, float* out_dev) override {
        cuda::dot_accumulate(gpu(), n, a, b, out_dev);
    }
    void add_row_bias(int rows, int cols, const float* bias, float* y) override {
        cuda::add_row_bias(gpu(), rows, cols, bias, y);
    }
    void sum_rows(int rows, int cols, const float* dy, float* db) override {
        cuda::sum_rows(gpu(), rows, cols, dy, db);
    }
    void add_channel_bias(int n, int c, int hw, const float* bias, float* y) override {
        cuda::add_channel_bias(gpu(), n, c, hw, bias, y);
    }
    void sum_channels(int n, int c, int hw, const float* dy, float* db) override {
        cuda::sum_channels(gpu(), n, c, hw, dy, db);
    }
    void multiply_accumulate(int64_t n, const float* a, const float* b, float* y) override {
        cuda::multiply_accumulate(gpu(), n, a, b, y);
    }
    void scale_channels(int n, int c, int hw, const float* x, const float* gate, float* y, bool accumulate) override {
        cuda::scale_channels(gpu(), n, c, hw, x, gate, y, accumulate);
    }
    void channel_dot_accumulate(int n, int c, int hw, const float* a, const float* b, float* out) override {
        cuda::channel_dot_accumulate(gpu(), n, c, hw, a, b, out);
    }
    void activation_forward(jnas_activation kind, int64_t n, const float* x, float* y) override {
        cuda::activation_forward(gpu(), kind, n, x, y);
    }
    void activation_backward(jnas_activation kind, int64_t n, const float* x, const float* dy, float* dx) override {
        cuda::activation_backward(gpu(), kind, n, x, dy, dx);
    }
    void activation_backward_rows(jnas_activation kind, int rows, int64_t n, const float* x, const float* dy,
                                  float* dx) override {
        cuda::activation_backward_rows(gpu(), kind, rows, n, x, dy, dx);
    }
    void activation_hessian_backward(jnas_activation kind, int64_t n, const float* x, const float* hy,
                                     const float* gy, float* hx) override {
        cuda::activation_hessian_backward(gpu(), kind, n, x, hy, gy, hx);
    }

    // ---- GEMM ----
    void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
              int ldb, float beta, float* c, int ldc) override {
        cuda::gemm(gpu(), trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // ---- convolution ----
    void conv2d_forward(const Conv2dShape& s, const float* x, const float* w, float* y) override {
        if (cuda::is_depthwise(s)) return cuda::depthwise_forward(gpu(), s, x, w, y);
        cuda::conv2d_forward(gpu(), s, x, w, y);
    }
    void conv2d_backward_data(const Conv2dShape& s, const float* dy, const float* w, float* dx) override {
        if (cuda::is_depthwise(s)) return cuda::depthwise_backward_data(gpu(), s, dy, w, dx);
        cuda::conv2d_backward_data(gpu(), s, dy, w, dx);
    }
    void conv2d_backward_weight(const Conv2dShape& s, const float* x, const float* dy, float* dw) override {
        if (cuda::is_depthwise(s)) return cuda::depthwise_backward_weight(gpu(), s, x, dy, dw);
        cuda::conv2d_backward_weight(gpu(), s, x, dy, dw);
    }
    void conv2d_backward_weight_rows(const Conv2dShape& s, int rows, int x_row_step, const float* x, const float* dy,
                                     float* dw, int64_t ldw) override {
        // Depthwise gradients have no GEMM to batch: their rows run one by one (the base class's loop).
        if (cuda::is_depthwise(s)) return Backend::conv2d_backward_weight_rows(s, rows, x_row_step, x, dy, dw, ldw);
        cuda::conv2d_backward_weight_rows(gpu(), s, rows, x_row_step, x, dy, dw, ldw);
    }

    // ---- batch norm ----
    void batch_norm_forward_train(const BatchNormShape& s, const float* x, const float* gamma, const float* beta,
                                  float momentum, float* running_mean, float* running_var, float* save_mean,
                                  float* save_invstd, float* y) override {
        cuda::batch_norm_forward_train(gpu(), s, x, gamma, beta, momentum, running_mean, running_var, save_mean,
                                       save_invstd, y);
    }
    void batch_norm_forward_eval(const BatchNormShape& s, const float* x, const float* gamma, const float* beta,
                                 const float* running_mean, const float* running_var, float* save_mean,
                                 float* save_invstd, float* y) override {
        cuda::batch_norm_forward_eval(gpu(), s, x, gamma, beta, running_mean, running_var, save_mean, save_invstd, y);
    }
    void batch_norm_backward(const BatchNormShape& s, bool train, const float* x, const float* dy, float dy_scale,
                             const float* gamma, const float* save_mean, const float* save_invstd, float* dx,
                             float* dgamma, float* dbeta) override {
        cuda::batch_norm_backward(gpu(), s, train, x, dy, dy_scale, gamma, save_mean, save_invstd, dx, dgamma, dbeta);
    }
    void batch_norm_backward_rows(const BatchNormShape& s, int rows, int x_row_step, bool train, const float* x,
                                  const float* dy, float dy_scale, const float* gamma, const float* save_mean,
                                  const float* save_invstd, float* dx, float* dgamma, float* dbeta,
                                  int64_t ld) override {
        cuda::batch_norm_backward_rows(gpu(), s, rows, x_row_step, train, x, dy, dy_scale, gamma, save_mean,
                                       save_invstd, dx, dgamma, dbeta, ld);
    }

    // ---- layer and group norm ----
    void layer_norm_forward(const SampleNormShape& s, const float* x, const float* gamma, const float* beta,
                            float* save_mean, float* save_invstd, float* y) override {
        cuda::layer_norm_forward(gpu(), s, x, gamma, beta, save_mean, save_invstd, y);
    }
    void layer_norm_backward(const SampleNormShape& s, bool differentiate_stats, const float* x, const float* dy,
                             const float* gamma, const float* save_mean, const float* save_invstd, float* dx,
                             float* dgamma, float* dbeta) override {
        cuda::layer_norm_backward(gpu(), s, differentiate_stats, x, dy, gamma, save_mean, save_invstd, dx, dgamma,
                                  dbeta);
    }
    void group_norm_forward(const SampleNormShape& s, int groups, const float* x, const float* gamma,
                            const float* beta, float* save_mean, float* save_invstd, float* y) override {
        cuda::group_norm_forward(gpu(), s, groups, x, gamma, beta, save_mean, save_invstd, y);
    }
    void group_norm_backward(const SampleNormShape& s, int groups, bool differentiate_stats, const float* x,
                             const float* dy, const float* gamma, const float* save_mean, const float* save_invstd,
                             float* dx, float* dgamma, float* dbeta) override {
        cuda::group_norm_backward(gpu(), s, groups, differentiate_stats, x, dy, gamma, save_mean, save_invstd, dx,
                                  dgamma, dbeta);
    }

    // ---- softmax ----
    void softmax_forward(int n, int c, int hw, const float* x, float* y) override {
        cuda::softmax_forward(gpu(), n, c, hw, x, y);
    }
    void softmax_backward(int n, int c, int hw, const float* y, const float* dy, float* dx) override {
        cuda::softmax_backward(gpu(), n, c, hw, y, dy, dx);
    }

    // ---- pooling ----
    void avg_pool_forward(const PoolShape& s, const float* x, float* y) override {
        cuda::avg_pool_forward(gpu(), s, x, y);
    }
    void avg_pool_backward(const PoolShape& s, const float* dy, float dy_scale, float* dx) override {
        cuda::avg_pool_backward(gpu(), s, dy, dy_scale, dx);
    }
    void avg_pool_hessian_backward(const PoolShape& s, const float* hy, float* hx) override {
        cuda::avg_pool_hessian_backward(gpu(), s, hy, hx);
    }
    void max_pool_forward(const PoolShape& s, const float* x, float* y, int32_t* argmax) override {
        cuda::max_pool_forward(gpu(), s, x, y, argmax);
    }
    void max_pool_backward(const PoolShape& s, const float* dy, const int32_t* argmax, float* dx) override {
        cuda::max_pool_backward(gpu(), s, dy, argmax, dx);
    }
    void global_avg_pool_forward(int n, int c, int hw, const float* x, float* y) override {
        cuda::global_avg_pool_forward(gpu(), n, c, hw, x, y);
    }
    void global_avg_pool_backward(int n, int c, int hw, const float* dy, float* dx) override {
        cuda::global_avg_pool_backward(gpu(), n, c, hw, dy, dx);
    }
    void global_max_pool_forward(int n, int c, int hw, const float* x, float* y, int32_t* argmax) override {
        cuda::global_max_pool_forward(gpu(), n, c, hw, x, y, argmax);
    }
    void global_max_pool_backward(int n, int c, int hw, const float* dy, const int32_t* argmax, float* dx) override {
        cuda::global_max_pool_backward(gpu(), n, c, hw, dy, argmax, dx);
    }

    // ---- data movement ----
    void copy_channels(const ChannelBlock& b, const float* src, float* dst, bool accumulate) override {
        cuda::copy_channels(gpu(), b, src, dst, accumulate);
    }
    void shift(const ShiftShape& s, const float* src, float* dst, bool accumulate) override {
        cuda::shift(gpu(), s, src, dst, accumulate);
    }

    // ---- loss ----
    void cross_entropy(int rows, int classes, const float* logits, const int32_t* labels, float smoothing,
                       float grad_scale, float* loss_rows, int32_t* correct_rows, float* dlogits) override {
        cuda::cross_entropy(gpu(), rows, classes, logits, labels, smoothing, grad_scale, loss_rows, correct_rows,
                            dlogits);
    }

    // ---- optimizers ----
    void sgd_step(int64_t n, float* w, const float* g, float* velocity, float lr, float momentum, float weight_decay,
                  bool nesterov) override {
        cuda::sgd_step(gpu(), n, w, g, velocity, lr, momentum, weight_decay, nesterov);
    }
    void adam_step(int64_t n, float* w, const float* g, float* m, float* v, float lr, float beta1, float beta2,
                   float eps, float weight_decay, int64_t step) override {
        cuda::adam_step(gpu(), n, w, g, m, v, lr, beta1, beta2, eps, weight_decay, step);
    }

    // ---- BayesNAS ----
    void ard_update(int groups, int cells, const float* switches, const float* hessians, const float* gammas,
                    const float* lambdas, const int32_t* parents, float* covariances, float* omegas,
                    float* new_gammas) override {
        cuda::ard_update(gpu(), groups, cells, switches, hessians, gammas, lambdas, parents, covariances, omegas,
                         new_gammas);
    }

    // ---- training-free metrics ----
    void symmetric_eigenvalues(int count, int n, const float* const* matrices, double* eigenvalues,
                               uint32_t* status) override {
        cuda::symmetric_eigenvalues(gpu(), count, n, matrices, eigenvalues, status);
    }
    void pack_sign_bits(int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                        uint64_t* packed) override {
        cuda::pack_sign_bits(gpu(), rows, units, x, bit_offset, words, packed);
    }
    int64_t count_distinct_rows(int64_t rows, int64_t words, const uint64_t* packed, RowHash hash_mask) override {
        return cuda::count_distinct_rows(gpu(), rows, words, packed, hash_mask);
    }

private:
    // The current device is per host thread, and contexts on different GPUs may share a thread: select ours
    // before every call that touches the device (cheap: no driver round trip when it is already current).
    void activate() const { check(cudaSetDevice(device_), "cudaSetDevice"); }
    cuda::Gpu gpu() {
        activate();
        return cuda::Gpu{stream_, &scratch_};
    }

    int device_;
    std::string name_;
    size_t memory_bytes_ = 0;
    cudaStream_t stream_ = nullptr;
    cuda::Scratch scratch_;
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend(int device) { return std::make_unique<CudaBackend>(device); }

bool cuda_compiled() { return true; }

}  // namespace jnas
