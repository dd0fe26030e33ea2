// error.hpp — the one way failures travel inside libjnas: throw jnas::Error, caught at the C ABI edge
// (api.cpp), which turns it into a jnas_status plus the thread-local message of jnas_last_error().
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

#include "jnas.h"

namespace jnas {

class Error : public std::runtime_error {
public:
    Error(jnas_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    jnas_status status() const { return status_; }

private:
    jnas_status status_;
};

// fail(JNAS_ERR_SHAPE, "conv2d '", name, "': input has ", c, " channels") — builds the message from parts.
template <typename... Parts>
[[noreturn]] void fail(jnas_status status, const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    throw Error(status, out.str());
}

}  // namespace jnas
