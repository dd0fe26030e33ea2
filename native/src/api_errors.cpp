// api_errors.cpp — version, status names and the thread-local last-error message.
#include <cstdio>

#include "api_guard.hpp"

namespace jnas::api {
namespace {
// Fixed storage: recording an error must work even when memory has run out.
thread_local char last_error_message[1024] = "";
}  // namespace

void set_last_error(const char* function, const char* message) noexcept {
    std::snprintf(last_error_message, sizeof last_error_message, "%s: %s", function, message);
}

}  // namespace jnas::api

#define JNAS_STRINGIFY2(x) #x
#define JNAS_STRINGIFY(x) JNAS_STRINGIFY2(x)

extern "C" {

JNAS_API const char* jnas_version(void) {
    return JNAS_STRINGIFY(JNAS_VERSION_MAJOR) "." JNAS_STRINGIFY(JNAS_VERSION_MINOR) "." JNAS_STRINGIFY(
        JNAS_VERSION_PATCH);
}

JNAS_API const char* jnas_last_error(void) { return jnas::api::last_error_message; }

JNAS_API const char* jnas_status_name(jnas_status status) {
    switch (status) {
        case JNAS_OK: return "JNAS_OK";
        case JNAS_ERR_INVALID_ARGUMENT: return "JNAS_ERR_INVALID_ARGUMENT";
        case JNAS_ERR_SHAPE: return "JNAS_ERR_SHAPE";
        case JNAS_ERR_NO_DEVICE: return "JNAS_ERR_NO_DEVICE";
        case JNAS_ERR_OUT_OF_MEMORY: return "JNAS_ERR_OUT_OF_MEMORY";
        case JNAS_ERR_STATE: return "JNAS_ERR_STATE";
        case JNAS_ERR_UNSUPPORTED: return "JNAS_ERR_UNSUPPORTED";
        case JNAS_ERR_INTERNAL: return "JNAS_ERR_INTERNAL";
    }
    return "JNAS_STATUS_UNKNOWN";
}

}  // extern "C"
