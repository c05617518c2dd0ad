// Counts heap allocations: a replacement of the global operator new/delete plus the engine's own
// buffers (mmap'ed or malloc'ed, which operator new misses). Shared by the no-allocation GoogleTest and
// the engine benchmark. It replaces global operators, so include it in exactly one translation unit
// of an executable.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "buffer.h"

namespace {
std::atomic<uint64_t> gAllocations{0};
uint64_t allocationsSoFar() { return gAllocations.load() + statarb::bufferAllocations().load(); }
}
void* operator new(std::size_t n) {
  gAllocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
