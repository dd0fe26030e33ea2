// context.hpp — jnas_ctx: a backend and what the C ABI hands out about it.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "backend.hpp"

struct jnas_ctx {
    std::unique_ptr<jnas::Backend> backend;
    // Every device name handed out (it changes with the thread count); a set keeps each returned pointer valid
    // while the context lives, as jnas_ctx_device_name promises.
    std::set<std::string> device_names;
};
