// block_cache.cpp — see block_cache.hpp.
#include "cpu/block_cache.hpp"

#include <cstdint>
#include <cstring>
#include <iterator>

#include "cpu/cpu_kernels.hpp"
#include "error.hpp"

namespace jnas::cpu {

bool CacheBudget::reserve(size_t bytes) noexcept {
    size_t used = used_.load();
    do {
        if (bytes > limit_ || used > limit_ - bytes) return false;
    } while (!used_.compare_exchange_weak(used, used + bytes));
    return true;
}

BlockCache::~BlockCache() {
    std::lock_guard<std::mutex> lock(mutex_);
    free_cached_locked();
}

size_t BlockCache::block_size(size_t bytes) {
    if (bytes < kMinCachedBytes || bytes > SIZE_MAX / 2) return bytes;
    size_t power = size_t(1) << (63 - __builtin_clzll(bytes));  // the largest power of two <= bytes
    size_t step = power / 4;
    return (bytes + step - 1) / step * step;
}

void* BlockCache::take_cached(size_t block) {
    std::lock_guard<std::mutex> lock(mutex_);
    // The smallest cached block of this class or a larger one, up to twice the size: consecutive architectures'
    // buffers differ by more than a class at times, and a fresh block costs a page fault per 4 KB.
    auto found = cached_.lower_bound(block);
    if (found == cached_.end() || found->first / 2 > block) return nullptr;
    auto [size, p] = *found;
    live_.emplace(p, size);
    cached_bytes_ -= size;
    budget_.give_back(size);
    cached_.erase(found);
    return p;
}

void* BlockCache::allocate_fresh(size_t block) {
    void* p = nullptr;
    try {
        p = alloc_host(block);
    } catch (const Error& e) {
        if (e.status() != JNAS_ERR_OUT_OF_MEMORY || cached_bytes() == 0) throw;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            free_cached_locked();
        }
        p = alloc_host(block);
    }
    if (block < kMinCachedBytes) return p;  // never cached: release finds no size for it and frees it
    std::lock_guard<std::mutex> lock(mutex_);
    try {
        live_.emplace(p, block);
    } catch (...) {
        cpu::release(p);
        throw;
    }
    return p;
}

void* BlockCache::alloc(size_t bytes, bool zeroed) {
    size_t block = block_size(bytes);
    if (block > physical_memory()) block = bytes;  // too large either way: the error then names the request
    void* p = block >= kMinCachedBytes ? take_cached(block) : nullptr;
    if (p == nullptr) p = allocate_fresh(block);
    if (zeroed) std::memset(p, 0, bytes);  // what lies beyond is never read
    return p;
}

void BlockCache::release(void* p) noexcept {
    if (p == nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    auto live = live_.find(p);
    size_t block = live == live_.end() ? 0 : live->second;  // 0: a small block, never tracked
    if (live != live_.end()) live_.erase(live);
    if (block == 0 || block > capacity_) {
        cpu::release(p);
        return;
    }
    while (cached_bytes_ + block > capacity_) {  // room from the largest blocks first: the fewest to drop
        auto largest = std::prev(cached_.end());
        cached_bytes_ -= largest->first;
        budget_.give_back(largest->first);
        cpu::release(largest->second);
        cached_.erase(largest);
    }
    if (!budget_.reserve(block)) {  // the other caches hold the budget: this block goes
        cpu::release(p);
        return;
    }
    try {
        cached_.emplace(block, p);
        cached_bytes_ += block;
    } catch (...) {  // no memory for the bookkeeping: give the block back instead
        budget_.give_back(block);
        cpu::release(p);
    }
}

size_t BlockCache::cached_bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cached_bytes_;
}

void BlockCache::free_cached_locked() noexcept {
    for (auto& [block, p] : cached_) cpu::release(p);
    cached_.clear();
    budget_.give_back(cached_bytes_);
    cached_bytes_ = 0;
}

}  // namespace jnas::cpu
