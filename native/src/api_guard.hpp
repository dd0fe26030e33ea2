// api_guard.hpp — the C ABI edge's one wrapper. Every jnas_* function runs its body inside `guarded`, which turns
// jnas::Error into its status, std::bad_alloc into JNAS_ERR_OUT_OF_MEMORY and anything else into
// JNAS_ERR_INTERNAL, and records "<function>: <message>" as the thread's last error. Nothing throws past it.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "error.hpp"
#include "jnas.h"

namespace jnas::api {

// Records "<function>: <message>" for jnas_last_error(); never allocates, never throws.
void set_last_error(const char* function, const char* message) noexcept;

template <typename Body>
jnas_status guarded(const char* function, Body&& body) noexcept {
    try {
        body();
        return JNAS_OK;
    } catch (const Error& e) {
        set_last_error(function, e.what());
        return e.status();
    } catch (const std::bad_alloc&) {
        set_last_error(function, "out of host memory");
        return JNAS_ERR_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_last_error(function, "internal error");  // kept if building the full message below fails
        try {
            set_last_error(function, (std::string("internal error: ") + e.what()).c_str());
        } catch (...) {
        }
        return JNAS_ERR_INTERNAL;
    } catch (...) {
        set_last_error(function, "internal error: unknown exception");
        return JNAS_ERR_INTERNAL;
    }
}

// For the *_free functions, which return nothing: run the release, swallow (there is nobody to tell).
template <typename Body>
void release_quietly(Body&& body) noexcept {
    try {
        body();
    } catch (...) {
    }
}

// The argument named `what` must not be NULL.
template <typename T>
T* require(T* pointer, const char* what) {
    if (pointer == nullptr) fail(JNAS_ERR_INVALID_ARGUMENT, what, " is NULL");
    return pointer;
}

}  // namespace jnas::api
