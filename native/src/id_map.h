// Open-addressing hash map from 64-bit order id to a 32-bit pool index.
// Written by hand (not std::unordered_map) because the hot path must not allocate: the table only
// grows when it passes half full, which stops happening after warm-up; erase is backward-shift, so
// there are no tombstones and lookups stay short under the cancel/insert churn of a live book.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace statarb {

class IdMap {
 public:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  explicit IdMap(uint32_t capacity = 1024) { rehash(roundUp(capacity * 2)); }

  uint32_t find(uint64_t key) const {
    for (uint64_t i = hash(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == kNone) return kNone;
      if (s.key == key) return s.value;
    }
  }

  // Inserts key → value; returns false (and changes nothing) when the key is present.
  bool insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    for (uint64_t i = hash(key) & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == kNone) {
        s.key = key;
        s.value = value;
        ++size_;
        return true;
      }
      if (s.key == key) return false;
    }
  }

  bool erase(uint64_t key) {
    uint64_t i = hash(key) & mask_;
    for (;; i = (i + 1) & mask_) {
      if (slots_[i].value == kNone) return false;
      if (slots_[i].key == key) break;
    }
    // Backward-shift deletion: pull later members of the probe run into the hole.
    uint64_t hole = i;
    for (uint64_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (slots_[j].value == kNone) break;
      const uint64_t home = hash(slots_[j].key) & mask_;
      // Move j into hole when its home is not in (hole, j] cyclically.
      const bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole].value = kNone;
    --size_;
    return true;
  }

  size_t size() const { return size_; }

  void clear() {
    for (Slot& s : slots_) s.value = kNone;
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t key;
    uint32_t value;
  };

  static uint64_t hash(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
  }
  static size_t roundUp(size_t n) {
    size_t c = 16;
    while (c < n) c <<= 1;
    return c;
  }
  void rehash(size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{0, kNone});
    mask_ = capacity - 1;
    size_ = 0;
    for (const Slot& s : old)
      if (s.value != kNone) insert(s.key, s.value);
  }

  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace statarb
