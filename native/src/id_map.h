// Open-addressing Robin Hood hash map from 64-bit order id to a 32-bit pool index.
// Written by hand (not std::unordered_map) because the hot path must not allocate (the table grows
// only when it passes half full, which stops happening after warm-up) and because order ids are
// usually increasing: the default hash keeps the low 32 bits of the id, so consecutive ids land in
// consecutive slots and a stream of new orders walks memory sequentially instead of missing the
// cache on every insert. Robin Hood ordering keeps every probe run sorted by home slot, so a lookup
// of an absent id and a backward-shift erase stop after a slot or two even inside long runs of
// consecutive ids. Ids that defeat the locality hash (strided ids piling onto a few home slots) are
// detected by the probe length on insert, and the table is rebuilt once with a full 64-bit mixer.
#pragma once
#include <cstddef>
#include <cstdint>
#include <new>

#include "buffer.h"

namespace statarb {

class IdMap {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr uint32_t kMaxLocalityProbe = 48;

  explicit IdMap(uint32_t capacity = 1024) { rehash(roundUp(size_t(capacity) * 2), false); }

  uint32_t find(uint64_t key) const {
    uint64_t i = home(key);
    for (uint32_t d = 1;; ++d, i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.dist < d) return kNone;  // empty (0), or a richer entry: key would have taken this slot
      if (s.key == key) return s.value;
    }
  }

  // Inserts key → value; returns false (and changes nothing) when the key is present.
  bool insert(uint64_t key, uint32_t value) {
    if (find(key) != kNone) return false;
    insertNew(key, value);
    return true;
  }

  // Inserts a key known to be absent.
  void insertNew(uint64_t key, uint32_t value) {
    // At most half full: with the locality hash, ids spread over a range wider than the table wrap
    // around onto each other, and a low load keeps those overlaps from forming long runs.
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2, mixed_);
    if (place(key, value) > kMaxLocalityProbe && !mixed_) switchToMixed();
  }

  bool erase(uint64_t key) {
    uint64_t i = home(key);
    for (uint32_t d = 1;; ++d, i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.dist < d) return false;
      if (s.key == key) break;
    }
    // Backward shift: pull the rest of the run one slot towards home; stop at an empty slot or an
    // entry already at its home.
    for (uint64_t j = (i + 1) & mask_; slots_[j].dist > 1; i = j, j = (j + 1) & mask_) {
      slots_[i] = slots_[j];
      --slots_[i].dist;
    }
    slots_[i].dist = 0;
    --size_;
    return true;
  }

  // Grows the table now so that n keys fit without a rehash.
  void reserve(size_t n) {
    const size_t want = roundUp(n * 2);  // n keys at most half full: no rehash before the (n+1)-th
    if (want > slots_.size()) rehash(want, mixed_);
  }

  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  bool mixed() const { return mixed_; }

  void clear() {
    for (Slot& s : slots_) s.dist = 0;
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t key;
    uint32_t value;
    uint32_t dist;  // 1 + distance from the home slot; 0 = empty (an empty slot is all zero)
  };

  uint64_t home(uint64_t k) const {
    if (mixed_) {
      k ^= k >> 33;
      k *= 0xff51afd7ed558ccdULL;
      k ^= k >> 33;
      k *= 0xc4ceb9fe1a85ec53ULL;
      k ^= k >> 33;
    } else {
      k ^= (k >> 32) * 0x9E3779B97F4A7C15ULL;  // identity for ids < 2^32; high bits folded in
    }
    return k & mask_;
  }
  // Robin Hood placement; returns the longest probe distance it walked.
  uint32_t place(uint64_t key, uint32_t value) {
    Slot cur{key, value, 1};
    uint32_t longest = 1;
    for (uint64_t i = home(key);; i = (i + 1) & mask_, ++cur.dist) {
      Slot& s = slots_[i];
      if (cur.dist > longest) longest = cur.dist;
      if (s.dist == 0) {
        s = cur;
        ++size_;
        return longest;
      }
      if (s.dist < cur.dist) {
        const Slot t = s;
        s = cur;
        cur = t;
      }
    }
  }
  static size_t roundUp(size_t n) {
    size_t c = 16;
    while (c < n) c <<= 1;
    return c;
  }
  // Strong guarantee: when the new table cannot be allocated (std::bad_alloc) nothing changed.
  // The new table is all-zero bytes (an empty slot), fresh from the kernel when big: slots nobody
  // writes cost no memory, so a table reserved ahead of use (see IdIndex) is nearly free.
  void rehash(size_t capacity, bool mixed) {
    Buffer<Slot> old = Buffer<Slot>::zeroed(capacity);
    old.swap(slots_);
    mask_ = capacity - 1;
    const size_t had = size_;
    size_ = 0;
    mixed_ = mixed;
    bool longRun = false;
    if (had != 0)
      for (const Slot& s : old)
        if (s.dist != 0 && place(s.key, s.value) > kMaxLocalityProbe) longRun = true;
    if (longRun && !mixed_) switchToMixed();
  }
  // Never throws: without memory for the rebuild the table just stays on the locality hash.
  void switchToMixed() {
    try {
      rehash(slots_.size(), true);
    } catch (const std::bad_alloc&) {
    }
  }

  Buffer<Slot> slots_;
  uint64_t mask_ = 0;
  size_t size_ = 0;
  bool mixed_ = false;
};

}  // namespace statarb
