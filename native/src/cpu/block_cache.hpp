// block_cache.hpp — a CPU backend's memory: blocks (zeroed unless asked for scratch), and released ones kept for its
// next allocations.
//
// Scoring builds and frees a net per architecture: tens of MB of activations and Jacobian stack per NB201 cell at
// batch 72, in blocks above glibc's mmap threshold, which go back to the kernel on free. Every cell then paid a
// page fault per 4 KB page and a zero-fill of cold memory. Reused blocks are already mapped, so their zero-fill is
// a plain pass over memory.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>

namespace jnas::cpu {

// Bytes that several caches may keep between them: each engine has its own cache, and a machine with many cores
// runs many engines side by side, so their cached blocks together stay within one budget (the process's, for the
// CPU backends) rather than a capacity each.
class CacheBudget {
public:
    explicit CacheBudget(size_t limit) : limit_(limit) {}
    bool reserve(size_t bytes) noexcept;  // false, reserving nothing, when it would exceed the limit
    void give_back(size_t bytes) noexcept { used_.fetch_sub(bytes); }
    size_t used() const { return used_.load(); }

private:
    const size_t limit_;
    std::atomic<size_t> used_{0};
};

class BlockCache {
public:
    // Blocks below this are left to malloc, which keeps small ones itself.
    static constexpr size_t kMinCachedBytes = size_t(256) << 10;

    // Keeps at most `capacity` bytes of released blocks, and no more than `budget` grants.
    BlockCache(size_t capacity, CacheBudget& budget) : capacity_(capacity), budget_(budget) {}
    ~BlockCache();
    BlockCache(const BlockCache&) = delete;
    BlockCache& operator=(const BlockCache&) = delete;

    // `bytes` bytes, zero-filled when `zeroed`: a released block of the same size class (or a larger one, up to
    // twice the size) when there is one, else a fresh block (should that fail for lack of memory, the cached
    // blocks are freed and it is tried once more).
    void* alloc(size_t bytes, bool zeroed);
    // Keeps a block from alloc for reuse while the cache has room (dropping its larger cached blocks to make it)
    // and the budget grants it, else frees it. nullptr is fine.
    void release(void* p) noexcept;
    size_t cached_bytes() const;

    // The size of the block that serves a request: from kMinCachedBytes on, rounded up to one of four classes per
    // power of two, so that the slightly different buffers of consecutive architectures (a Jacobian stack of
    // 41 MB, then one of 45 MB) share a block; at most a quarter of the request is spare.
    static size_t block_size(size_t bytes);

private:
    void* take_cached(size_t block);
    void* allocate_fresh(size_t block);
    void free_cached_locked() noexcept;

    mutable std::mutex mutex_;  // a context's buffers may be freed on another thread than the one using it
    const size_t capacity_;
    CacheBudget& budget_;
    size_t cached_bytes_ = 0;
    std::unordered_map<void*, size_t> live_;  // blocks of kMinCachedBytes or more handed out: their block sizes
    std::multimap<size_t, void*> cached_;     // released blocks by block size
};

}  // namespace jnas::cpu
