// gpu_contexts.hpp — the main of the twin tests that go through the C API: a CUDA and a CPU context, then every
// registered case (or those whose name contains argv[1]). Exits 77 (ctest: skipped) with "SKIPPED: <why>" where
// there is no usable GPU.
#pragma once

#include <cstdio>
#include <cstring>

#include "../../native/tests/check.hpp"
#include "jnas.h"

namespace jnas_test {

inline int run_on_contexts(int argc, char** argv, jnas_ctx*& gpu, jnas_ctx*& cpu) {
    jnas_status status = jnas_ctx_create(JNAS_BACKEND_CUDA, 0, &gpu);
    if (status == JNAS_ERR_NO_DEVICE) {
        std::printf("SKIPPED: %s\n", jnas_last_error());
        return 77;
    }
    if (status != JNAS_OK || jnas_ctx_create(JNAS_BACKEND_CPU, 0, &cpu) != JNAS_OK) {
        std::printf("cannot create the contexts: %s\n", jnas_last_error());
        return 1;
    }
    for (auto& c : cases()) {
        if (argc > 1 && std::strstr(c.name, argv[1]) == nullptr) continue;
        int before = failures();
        c.body();
        std::printf("%s %s\n", failures() == before ? "ok  " : "FAIL", c.name);
    }
    jnas_ctx_free(cpu);
    jnas_ctx_free(gpu);
    std::printf("%d failure(s)\n", failures());
    return failures() == 0 ? 0 : 1;
}

}  // namespace jnas_test
