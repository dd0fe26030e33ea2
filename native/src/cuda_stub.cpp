// cuda_stub.cpp — the CUDA factory of a libjnas built without nvcc (native/CMakeLists.txt drops this file when
// the real backend in kernels/ is compiled). Asking for CUDA then fails the way a machine without a GPU does,
// with JNAS_ERR_NO_DEVICE, so callers need one code path for "no CUDA here".
#include "backend.hpp"
#include "error.hpp"

namespace jnas {

std::unique_ptr<Backend> make_cuda_backend(int /*device*/) {
    throw Error(JNAS_ERR_NO_DEVICE,
                "libjnas was built without the CUDA backend (no nvcc at build time); rebuild with -DJNAS_CUDA=ON");
}

bool cuda_compiled() { return false; }

}  // namespace jnas
