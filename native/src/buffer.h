// A growable array of trivially copyable elements for the engine's big tables (order pool, id
// table). Written instead of std::vector for reasons measured on the Liquibook insert test, where
// the book grows to millions of orders and the kernel's page faults and zeroing of fresh memory
// were most of the run time: buffers of 2 MiB and more are mmap'ed and recycled through a bounded
// process-wide cache (a backtest building book after book reuses memory already faulted in), and
// every element is written when the buffer is created, so its pages are touched then and never
// fault later on the hot path. (Transparent huge pages were tried and measured slower here: on
// this VM freshly zeroed 2 MiB pages made growth 3-5x slower and erratic.)
#pragma once
#include <sys/mman.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace statarb {

// Every allocation a Buffer makes (malloc or mmap), for the tests and benchmarks that prove the
// hot path allocates nothing (a counting operator new does not see mmap).
inline std::atomic<uint64_t>& bufferAllocations() {
  static std::atomic<uint64_t> n{0};
  return n;
}

// Big blocks (≥ 2 MiB, multiples of 2 MiB): mmap'ed, 2 MiB-aligned. Freed
// blocks are kept (up to kBigCacheBytes in all) and handed to the next request of the same size,
// so a process that builds book after book (a backtest per symbol, a benchmark repetition) does
// not pay the kernel's page faults and zeroing again for memory it just gave back.
constexpr size_t kBigBlock = size_t(2) << 20;
constexpr size_t kBigCacheBytes = size_t(256) << 20;

struct BigBlockCache {
  std::mutex mutex;
  std::vector<std::pair<size_t, void*>> blocks;
  size_t bytes = 0;
  static BigBlockCache& get() {
    static BigBlockCache* c = new BigBlockCache();  // never destroyed: blocks may be freed at exit
    return *c;
  }
};

inline size_t bigBytes(size_t bytes) { return (bytes + kBigBlock - 1) / kBigBlock * kBigBlock; }

// A cached block of exactly `bytes`, or nullptr.
inline void* bigTakeCached(size_t bytes) {
  BigBlockCache& c = BigBlockCache::get();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (size_t i = 0; i < c.blocks.size(); ++i)
    if (c.blocks[i].first == bytes) {
      void* p = c.blocks[i].second;
      c.blocks[i] = c.blocks.back();
      c.blocks.pop_back();
      c.bytes -= bytes;
      return p;
    }
  return nullptr;
}

inline void* bigAlloc(size_t bytes) {  // bytes: a multiple of kBigBlock
  bufferAllocations().fetch_add(1, std::memory_order_relaxed);
  if (void* p = bigTakeCached(bytes)) return p;
  // map 2 MiB more and keep the 2 MiB-aligned middle (aligned blocks stay eligible for the
  // kernel's transparent huge pages when they are set to "always")
  void* raw = mmap(nullptr, bytes + kBigBlock, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kBigBlock - 1) & ~uintptr_t(kBigBlock - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t tail = aligned + bytes, end = start + bytes + kBigBlock;
  if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
  void* p = reinterpret_cast<void*>(aligned);
  return p;
}

// A block of `bytes` (a multiple of kBigBlock) that reads as zeros: always fresh from the kernel
// (never a recycled block), and not touched here, so its pages cost nothing until first written.
inline void* bigAllocZeroed(size_t bytes) {
  bufferAllocations().fetch_add(1, std::memory_order_relaxed);
  void* raw = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  return raw;
}

inline void bigFree(void* p, size_t bytes) noexcept {
  if (!p) return;
  BigBlockCache& c = BigBlockCache::get();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + bytes <= kBigCacheBytes) {
      try {
        c.blocks.emplace_back(bytes, p);
        c.bytes += bytes;
        return;
      } catch (...) {
      }
    }
  }
  munmap(p, bytes);
}

template <typename T>
class Buffer {
  static_assert(std::is_trivially_copyable<T>::value, "Buffer holds trivially copyable elements");

 public:
  Buffer() = default;
  Buffer(size_t n, const T& fill) : p_(allocate(n)), n_(n) {
    for (size_t i = 0; i < n; ++i) p_[i] = fill;
  }
  ~Buffer() { deallocate(p_, n_); }
  // n elements whose bytes are all zero (T's empty value must be all-zero bytes). Big buffers come
  // fresh from the kernel and are not touched: a page costs its fault only when first written, so
  // capacity reserved and never used costs address space, not memory or time.
  static Buffer zeroed(size_t n) {
    Buffer b;
    if (n == 0) return b;
    if (n > size_t(-1) / sizeof(T) / 2) throw std::bad_alloc();
    const size_t bytes = bytesFor(n);
    if (bytes >= kHuge) {
      b.p_ = static_cast<T*>(bigAllocZeroed(bytes));
    } else {
      bufferAllocations().fetch_add(1, std::memory_order_relaxed);
      b.p_ = static_cast<T*>(std::calloc(1, bytes));
      if (!b.p_) throw std::bad_alloc();
    }
    b.n_ = n;
    return b;
  }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr, o.n_ = 0; }
  Buffer& operator=(Buffer&& o) noexcept {
    swap(o);
    return *this;
  }
  void swap(Buffer& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(n_, o.n_);
  }

  size_t size() const { return n_; }
  T& operator[](size_t i) { return p_[i]; }
  const T& operator[](size_t i) const { return p_[i]; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  const T* begin() const { return p_; }
  const T* end() const { return p_ + n_; }

  // Grows to n elements, keeping the contents and filling the rest; throws std::bad_alloc
  // before changing anything when memory runs out.
  void resize(size_t n, const T& fill) { grow(n, &fill); }
  // Grows to n elements, keeping the contents; the added elements are all-zero bytes. A big buffer
  // grown by the kernel (mremap) gets its added pages zeroed on first write, not here, so growth
  // costs only the pages the caller goes on to use.
  void resizeZeroed(size_t n) { grow(n, nullptr); }

 private:
  void fillTail(T* q, size_t from, size_t to, const T* fill) {
    if (fill)
      for (size_t i = from; i < to; ++i) q[i] = *fill;
    else if (to > from)
      std::memset(static_cast<void*>(q + from), 0, (to - from) * sizeof(T));
  }
  void grow(size_t n, const T* fill) {
    if (n <= n_) return;
#ifdef MREMAP_MAYMOVE
    // big to big with no recycled block of the new size: let the kernel move the pages (no copy,
    // and only the added part is faulted in) instead of copying into fresh memory
    const size_t oldBytes = bytesFor(n_), newBytes = bytesFor(n);
    if (oldBytes >= kHuge && newBytes >= kHuge) {
      // (zero growth never takes a recycled block: memset would touch pages the caller may not use)
      if (void* cached = fill ? bigTakeCached(newBytes) : nullptr) {
        bufferAllocations().fetch_add(1, std::memory_order_relaxed);
        T* q = static_cast<T*>(cached);
        std::memcpy(static_cast<void*>(q), p_, n_ * sizeof(T));
        fillTail(q, n_, n, fill);
        bigFree(p_, oldBytes);
        p_ = q;
        n_ = n;
        return;
      }
      void* q = mremap(p_, oldBytes, newBytes, MREMAP_MAYMOVE);
      if (q == MAP_FAILED) throw std::bad_alloc();
      bufferAllocations().fetch_add(1, std::memory_order_relaxed);
      p_ = static_cast<T*>(q);
      // the pages mremap added read as zero; so does the rest of the old buffer's last block
      if (fill) fillTail(p_, n_, n, fill);
      else fillTail(p_, n_, std::min(n, oldBytes / sizeof(T)), nullptr);
      n_ = n;
      return;
    }
#endif
    Buffer b = fill ? Buffer() : zeroed(n);
    if (fill) {
      b.p_ = allocate(n);
      b.n_ = n;
    }
    if (n_) std::memcpy(static_cast<void*>(b.p_), p_, n_ * sizeof(T));
    if (fill) fillTail(b.p_, n_, n, fill);
    swap(b);
  }

  static constexpr size_t kHuge = kBigBlock;
  static size_t bytesFor(size_t n) {
    const size_t b = n * sizeof(T);
    return b >= kHuge ? (b + kHuge - 1) / kHuge * kHuge : b;
  }
  static T* allocate(size_t n) {
    if (n == 0) return nullptr;
    if (n > size_t(-1) / sizeof(T) / 2) throw std::bad_alloc();
    const size_t bytes = bytesFor(n);
    if (bytes >= kHuge) return static_cast<T*>(bigAlloc(bytes));
    bufferAllocations().fetch_add(1, std::memory_order_relaxed);
    void* p = std::malloc(bytes);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  static void deallocate(T* p, size_t n) {
    if (!p) return;
    const size_t bytes = bytesFor(n);
    if (bytes >= kHuge)
      bigFree(p, bytes);
    else
      std::free(p);
  }

  T* p_ = nullptr;
  size_t n_ = 0;
};

}  // namespace statarb
