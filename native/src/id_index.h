// Order id → pool index for the book: direct-addressed pages for ids that come densely (the usual
// case: a venue or a strategy numbers its orders 1, 2, 3, …), a hash table for the rest.
//
// Why not the hash table alone: it needs ~32 bytes per resting order at its load limit, and it grows
// by doubling and re-placing every entry; on Liquibook's insert stream (millions of orders resting)
// that growth — the kernel faulting in and zeroing each new table, then the rehash — cost more than
// all the matching. A page here is 1,024 consecutive ids (4 KiB of pool indexes) found through a
// small directory (page number → page slot, itself an IdMap): 4 bytes per id of the live range, no
// rehash ever (pages are chunks of one pool grown in place by mremap, never moved one by one), and a
// lookup is two array reads. A page goes back to the page free list when its last order leaves.
//
// Sparse ids (random 64-bit ids, ids in wide strides) would waste pages, so a new page is opened only
// while the pages in use stay within maxPages(live orders) (on average ≥ 1 live id in 8 per page);
// otherwise the id goes to the hash table (IdMap). An id lives in exactly one of the two.
// reserve(n) makes room for n ids whatever their pattern, so reserving ahead of an insert keeps the
// insert allocation-free: the pages and the hash table are reserved all-zero and fresh from the kernel
// (Buffer::zeroed), so reserved room that is never used costs address space only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "buffer.h"
#include "id_map.h"

namespace statarb {

class IdIndex {
 public:
  static constexpr uint32_t kNone = IdMap::kNone;
  static constexpr unsigned kPageBits = 10;
  static constexpr uint64_t kPageIds = uint64_t(1) << kPageBits;

  explicit IdIndex(uint32_t capacity = 1024) : dir_(16), sparse_(capacity) { reserve(capacity); }

  uint32_t find(uint64_t id) const {
    const uint32_t s = dir_.find(id >> kPageBits);
    if (s != IdMap::kNone) {
      const uint32_t v = cells_[(size_t(s) << kPageBits) | (id & (kPageIds - 1))];
      if (v != 0) return v - 1;
    }
    return sparse_.size() != 0 ? sparse_.find(id) : kNone;
  }

  // Inserts an id known to be absent. Never allocates after reserve(size() + 1).
  void insertNew(uint64_t id, uint32_t value) {
    const uint64_t page = id >> kPageBits;
    uint32_t s = dir_.find(page);
    if (s == IdMap::kNone && pagesLive_ < maxPages(size_ + 1) && (freePage_ != kNone || pagesUsed_ < pageCap_)) s = openPage(page);
    if (s == IdMap::kNone) {
      sparse_.insertNew(id, value);
      sparseUsed_ = true;
    } else {
      cells_[(size_t(s) << kPageBits) | (id & (kPageIds - 1))] = value + 1;
      ++count_[s];
    }
    ++size_;
  }

  bool erase(uint64_t id) {
    const uint64_t page = id >> kPageBits;
    const uint32_t s = dir_.find(page);
    if (s != IdMap::kNone) {
      uint32_t& c = cells_[(size_t(s) << kPageBits) | (id & (kPageIds - 1))];
      if (c != 0) {
        c = 0;
        --size_;
        if (--count_[s] == 0) closePage(page, s);
        return true;
      }
    }
    if (!sparse_.erase(id)) return false;
    --size_;
    return true;
  }

  // Room for n ids (whatever their pattern) with no allocation; growth is geometric.
  void reserve(size_t n) {
    sparse_.reserve(n);
    const size_t pages = maxPages(n);
    dir_.reserve(pages);
    if (pages > pageCap_) {
      const size_t cap = pages > pageCap_ * 2 ? pages : pageCap_ * 2;
      cells_.resizeZeroed(cap << kPageBits);  // an added page reads as empty (0) until written
      count_.resize(cap, 0);
      pageCap_ = cap;
    }
  }

  size_t size() const { return size_; }
  // Bytes in use: pages opened so far, the directory, and the hash table once it has held an id (until
  // then its reserved room was never written: address space only).
  // (It changes only when something grows or the hash table is first used, so reporting it to V8
  // costs nothing per operation.)
  size_t memoryBytes() const { return size_t(pagesUsed_) * kPageIds * 4 + dir_.capacity() * 16 + (sparseUsed_ ? sparse_.capacity() * 16 : 0); }

 private:
  // At most n/128 + 8 pages for n live ids: ≤ 32 bytes of page per live id beyond the first 8 pages.
  static size_t maxPages(size_t n) { return (n >> 7) + 8; }

  uint32_t openPage(uint64_t page) {  // a free slot (all its cells are 0), registered for `page`
    uint32_t s;
    if (freePage_ != kNone) {
      s = freePage_;
      freePage_ = count_[s];
    } else {
      s = pagesUsed_++;
    }
    count_[s] = 0;
    dir_.insertNew(page, s);
    ++pagesLive_;
    return s;
  }
  void closePage(uint64_t page, uint32_t s) {  // its cells are all 0 again
    dir_.erase(page);
    count_[s] = freePage_;  // a free slot's count links the free list
    freePage_ = s;
    --pagesLive_;
  }

  Buffer<uint32_t> cells_;  // page slot s holds ids page·1024 + k at [s·1024 + k]: pool index + 1 (0 = none)
  Buffer<uint32_t> count_;  // live ids per page slot (free slots: the next free slot)
  IdMap dir_;               // page number → page slot
  IdMap sparse_;            // ids that did not get a page
  size_t pageCap_ = 0;
  uint32_t pagesUsed_ = 0;  // slots ever handed out
  uint32_t pagesLive_ = 0;
  uint32_t freePage_ = kNone;
  bool sparseUsed_ = false;
  size_t size_ = 0;
};

}  // namespace statarb
