#include "order_book.h"

#include <algorithm>

namespace statarb {

namespace {
constexpr int64_t kInitialSpan = 4096;
inline int clz64(uint64_t x) { return __builtin_clzll(x); }
inline int ctz64(uint64_t x) { return __builtin_ctzll(x); }
inline Side opposite(Side s) { return s == Side::Buy ? Side::Sell : Side::Buy; }
}  // namespace

OrderBook::OrderBook(uint32_t expectedOrders) : ids_(expectedOrders) {
  pool_.resize(std::max<uint32_t>(expectedOrders, 16), Order{});  // every element written: pages touched now
  levels_.assign(kInitialSpan, Level{});
  bits_.assign(kInitialSpan / 64, 0);
  summary_.assign(1, 0);
  fills_.reserve(256);
  updates_.reserve(512);
}

uint32_t OrderBook::mix32(uint64_t id, Side side, int64_t price, int64_t open, uint32_t rank) {
  uint32_t h = uint32_t(id) ^ (uint32_t(id >> 32) * 0x9E3779B1u);
  h = (h ^ (h >> 16)) * 0x85EBCA6Bu;
  h ^= uint32_t(uint64_t(price));
  h = (h ^ (h >> 13)) * 0xC2B2AE35u;
  h ^= uint32_t(uint64_t(open));
  h = (h ^ (h >> 16)) * 0x27D4EB2Fu;
  h ^= uint32_t(side);
  h ^= h >> 15;
  h ^= rank * 0x9E3779B1u;
  h = (h ^ (h >> 16)) * 0x85EBCA6Bu;
  h ^= h >> 13;
  return h;
}

bool OrderBook::begin() {
  if (delivering_) return false;
  fills_.clear();
  updates_.clear();
  return true;
}

void OrderBook::finish() {
  if (!fillListener_ && !bookListener_) return;
  struct Guard {
    bool& flag;
    explicit Guard(bool& f) : flag(f) { flag = true; }
    ~Guard() { flag = false; }
  } guard(delivering_);
  if (fillListener_)
    for (const Fill& f : fills_) fillListener_->onFill(f);
  if (bookListener_)
    for (const BookUpdate& u : updates_) bookListener_->onBookUpdate(u);
}

// ---- ladder -------------------------------------------------------------------------------

void OrderBook::setBit(int64_t i) {
  bits_[i >> 6] |= uint64_t(1) << (i & 63);
  summary_[i >> 12] |= uint64_t(1) << ((i >> 6) & 63);
}

void OrderBook::clearBit(int64_t i) {
  uint64_t& w = bits_[i >> 6];
  w &= ~(uint64_t(1) << (i & 63));
  if (w == 0) summary_[i >> 12] &= ~(uint64_t(1) << ((i >> 6) & 63));
}

int64_t OrderBook::nextBelow(int64_t i) const {
  if (i < 0) return -1;
  int64_t w = i >> 6;
  uint64_t m = bits_[w] & ((uint64_t(2) << (i & 63)) - 1);
  if (m) return (w << 6) + 63 - clz64(m);
  int64_t s = w - 1;
  while (s >= 0) {
    const int64_t sw = s >> 6;
    uint64_t sm = summary_[sw] & ((uint64_t(2) << (s & 63)) - 1);
    if (sm) {
      const int64_t word = (sw << 6) + 63 - clz64(sm);
      return (word << 6) + 63 - clz64(bits_[word]);
    }
    s = (sw << 6) - 1;
  }
  return -1;
}

int64_t OrderBook::nextAbove(int64_t i) const {
  const int64_t cap = int64_t(levels_.size());
  if (i >= cap) return -1;
  if (i < 0) i = 0;
  int64_t w = i >> 6;
  uint64_t m = bits_[w] & (~uint64_t(0) << (i & 63));
  if (m) return (w << 6) + ctz64(m);
  int64_t s = w + 1;
  const int64_t words = int64_t(bits_.size());
  while (s < words) {
    const int64_t sw = s >> 6;
    uint64_t sm = summary_[sw] & (~uint64_t(0) << (s & 63));
    if (sm) {
      const int64_t word = (sw << 6) + ctz64(sm);
      return (word << 6) + ctz64(bits_[word]);
    }
    s = (sw + 1) << 6;
  }
  return -1;
}

bool OrderBook::ensureRange(int64_t price) {
  const int64_t cap = int64_t(levels_.size());
  const int64_t idx = price - base_;
  if (idx >= 0 && idx < cap) return true;
  if (ids_.size() == 0) {  // nothing rests: re-centre the ladder on this price
    base_ = price - cap / 2;
    bidIdx_ = askIdx_ = -1;
    return true;
  }
  const int64_t lo = std::min(price, base_ + nextAbove(0));
  const int64_t hi = std::max(price, base_ + nextBelow(cap - 1));
  const int64_t span = hi - lo + 1;
  if (span > kMaxSpan) return false;
  grow(lo, hi);
  return true;
}

void OrderBook::grow(int64_t lo, int64_t hi) {
  const int64_t span = hi - lo + 1;
  int64_t cap = int64_t(levels_.size()) * 2;
  while (cap < span * 2 && cap < kMaxSpan) cap *= 2;
  if (cap > kMaxSpan) cap = kMaxSpan;
  const int64_t newBase = lo - (cap - span) / 2;
  std::vector<Level> levels(size_t(cap), Level{});
  for (int64_t i = nextAbove(0); i >= 0; i = nextAbove(i + 1)) levels[size_t(i + base_ - newBase)] = levels_[size_t(i)];
  const int64_t shift = base_ - newBase;
  if (bidIdx_ >= 0) bidIdx_ += shift;
  if (askIdx_ >= 0) askIdx_ += shift;
  levels_.swap(levels);
  base_ = newBase;
  bits_.assign(size_t(cap / 64), 0);
  summary_.assign(size_t(std::max<int64_t>(1, cap / 4096)), 0);
  for (int64_t i = 0; i < cap; ++i)
    if (levels_[size_t(i)].count) setBit(i);
}

// ---- orders -------------------------------------------------------------------------------

void OrderBook::reserve(uint32_t orders) {
  if (orders > pool_.size()) pool_.resize(orders, Order{});
  ids_.reserve(orders);
}

void OrderBook::reserveOne() {
  // growth (warm-up only): in place, the added slots faulted in as they are handed out
  if (freeHead_ == kNil && poolUsed_ == pool_.size()) pool_.resizeZeroed(pool_.size() * 2);
  ids_.reserve(ids_.size() + 1);
}

uint32_t OrderBook::allocOrder() {  // after reserveOne(): never allocates
  if (freeHead_ != kNil) {
    const uint32_t oi = freeHead_;
    freeHead_ = pool_[oi].next;
    return oi;
  }
  return poolUsed_++;
}

void OrderBook::release(uint32_t oi) {
  pool_[oi].next = freeHead_;
  freeHead_ = oi;
}

void OrderBook::link(uint32_t oi) {
  Order& o = pool_[oi];
  const int64_t idx = o.price - base_;
  Level& l = levels_[size_t(idx)];
  o.next = kNil;
  o.prev = l.tail;
  if (l.tail != kNil)
    pool_[l.tail].next = oi;
  else
    l.head = oi;
  l.tail = oi;
  if (l.count++ == 0) setBit(idx);
  l.quantity += o.open;
  if (o.side == Side::Buy) {
    if (bidIdx_ < 0 || idx > bidIdx_) bidIdx_ = idx;
  } else {
    if (askIdx_ < 0 || idx < askIdx_) askIdx_ = idx;
  }
}

void OrderBook::unlink(uint32_t oi) {
  Order& o = pool_[oi];
  const int64_t idx = o.price - base_;
  Level& l = levels_[size_t(idx)];
  if (o.prev != kNil)
    pool_[o.prev].next = o.next;
  else
    l.head = o.next;
  if (o.next != kNil)
    pool_[o.next].prev = o.prev;
  else
    l.tail = o.prev;
  l.quantity -= o.open;
  if (--l.count == 0) {
    clearBit(idx);
    if (idx == bidIdx_) bidIdx_ = nextBelow(idx - 1);
    if (idx == askIdx_) askIdx_ = nextAbove(idx + 1);
  }
}

bool OrderBook::crosses(Side side, bool market, int64_t price) const {
  if (side == Side::Buy) return askIdx_ >= 0 && (market || base_ + askIdx_ <= price);
  return bidIdx_ >= 0 && (market || base_ + bidIdx_ >= price);
}

bool OrderBook::levelHasRoom(Side side, int64_t price, int64_t add) const {
  const Level& l = levels_[size_t(price - base_)];
  if (l.count == 0 || pool_[l.head].side != side) return true;
  return l.quantity <= kMaxQuantity - add;
}

int64_t OrderBook::available(Side takerSide, bool market, int64_t price, int64_t need) const {
  int64_t sum = 0;
  if (takerSide == Side::Buy) {
    for (int64_t i = askIdx_; i >= 0 && (market || base_ + i <= price); i = nextAbove(i + 1)) {
      sum += levels_[size_t(i)].quantity;
      if (sum >= need) break;
    }
  } else {
    for (int64_t i = bidIdx_; i >= 0 && (market || base_ + i >= price); i = nextBelow(i - 1)) {
      sum += levels_[size_t(i)].quantity;
      if (sum >= need) break;
    }
  }
  return sum;
}

int64_t OrderBook::match(Side side, bool market, int64_t price, int64_t qty, uint64_t taker, int64_t ts) {
  const int64_t start = qty;
  const bool buy = side == Side::Buy;
  while (qty > 0) {
    const int64_t idx = buy ? askIdx_ : bidIdx_;
    if (idx < 0) break;
    const int64_t levelPrice = base_ + idx;
    if (!market && (buy ? levelPrice > price : levelPrice < price)) break;
    Level& l = levels_[size_t(idx)];
    while (qty > 0 && l.head != kNil) {
      const uint32_t mi = l.head;
      Order& m = pool_[mi];
      const int64_t q = std::min(qty, m.open);
      m.open -= q;
      m.filled += q;
      l.quantity -= q;
      qty -= q;
      fills_.push_back(Fill{taker, m.id, levelPrice, q, ts, side});
      if (m.open == 0) {
        const uint64_t id = m.id;
        if (recordUpdates_) {
          const int64_t after = l.quantity;
          updates_.push_back(BookUpdate{UpdateKind::Trade, m.side, id, levelPrice, 0, after, ts});
        }
        unlink(mi);  // may move the best index when the level empties
        ids_.erase(id);
        release(mi);
      } else {
        update(UpdateKind::Trade, m, ts);
      }
    }
  }
  return start - qty;
}

Result OrderBook::submit(const NewOrder& in) {
  if (!begin()) return {Status::Reentrant, 0, 0};
  if (in.quantity <= 0 || in.quantity > kMaxQuantity) return {Status::BadQuantity, 0, 0};
  const bool market = in.type == OrderType::Market;
  if (market && in.postOnly) return {Status::BadOrder, 0, 0};
  if (!market && (in.price > kMaxPrice || in.price < -kMaxPrice)) return {Status::BadPrice, 0, 0};
  if (ids_.find(in.id) != IdIndex::kNone) return {Status::DuplicateId, 0, 0};
  const TimeInForce tif = market && in.tif == TimeInForce::GTC ? TimeInForce::IOC : in.tif;
  if (in.postOnly && crosses(in.side, false, in.price)) return {Status::PostOnlyWouldTake, 0, 0};
  if (tif == TimeInForce::FOK && available(in.side, market, in.price, in.quantity) < in.quantity)
    return {Status::FokUnfillable, 0, 0};
  if (tif == TimeInForce::GTC) {
    if (!ensureRange(in.price)) return {Status::BadPrice, 0, 0};
    if (!levelHasRoom(in.side, in.price, in.quantity)) return {Status::LevelFull, 0, 0};
    reserveOne();
  }

  const int64_t filled = match(in.side, market, in.price, in.quantity, in.id, in.timestamp);
  const int64_t open = in.quantity - filled;
  if (open > 0 && tif == TimeInForce::GTC) {
    const uint32_t oi = allocOrder();
    Order& o = pool_[oi];
    o.id = in.id;
    o.price = in.price;
    o.filled = filled;
    o.open = open;
    o.side = in.side;
    o.postOnly = in.postOnly;
    ids_.insertNew(in.id, oi);
    link(oi);
    update(UpdateKind::Add, o, in.timestamp);
    finish();
    return {Status::Ok, filled, open};
  }
  finish();
  return {Status::Ok, filled, 0};
}

Result OrderBook::cancel(uint64_t id, int64_t ts) {
  if (!begin()) return {Status::Reentrant, 0, 0};
  const uint32_t oi = ids_.find(id);
  if (oi == IdIndex::kNone) return {Status::UnknownId, 0, 0};
  Order& o = pool_[oi];
  unlink(oi);
  o.open = 0;
  if (recordUpdates_) {
    const int64_t idx = o.price - base_;
    updates_.push_back(BookUpdate{UpdateKind::Cancel, o.side, id, o.price, 0, levels_[size_t(idx)].quantity, ts});
  }
  ids_.erase(id);
  release(oi);
  finish();
  return {Status::Ok, 0, 0};
}

Result OrderBook::modify(uint64_t id, int64_t quantity, bool changePrice, int64_t price, int64_t ts) {
  if (!begin()) return {Status::Reentrant, 0, 0};
  const uint32_t oi = ids_.find(id);
  if (oi == IdIndex::kNone) return {Status::UnknownId, 0, 0};
  if (quantity <= 0 || quantity > kMaxQuantity) return {Status::BadQuantity, 0, 0};
  if (changePrice && (price > kMaxPrice || price < -kMaxPrice)) return {Status::BadPrice, 0, 0};
  Order& o = pool_[oi];
  const int64_t newPrice = changePrice ? price : o.price;
  const int64_t newOpen = quantity - o.filled;
  if (newOpen <= 0) {  // the new total is already filled: the order is done
    unlink(oi);
    o.open = 0;
    if (recordUpdates_)
      updates_.push_back(BookUpdate{UpdateKind::Cancel, o.side, id, o.price, 0, levels_[size_t(o.price - base_)].quantity, ts});
    ids_.erase(id);
    release(oi);
    finish();
    return {Status::Ok, 0, 0};
  }
  if (newPrice == o.price && newOpen <= o.open) {  // keeps its place in the queue
    levels_[size_t(o.price - base_)].quantity -= o.open - newOpen;
    o.open = newOpen;
    update(UpdateKind::Modify, o, ts);
    finish();
    return {Status::Ok, 0, newOpen};
  }
  if (o.postOnly && newPrice != o.price && crosses(o.side, false, newPrice)) return {Status::PostOnlyWouldTake, 0, 0};
  if (!ensureRange(newPrice)) return {Status::BadPrice, 0, 0};
  {
    // the level it joins: its own open quantity leaves it first when the price stays
    const Order& q = pool_[oi];
    const int64_t room = newPrice == q.price ? newOpen - q.open : newOpen;
    if (!levelHasRoom(q.side, newPrice, room)) return {Status::LevelFull, 0, 0};
  }
  Order& r = pool_[oi];  // (ensureRange never moves the pool, but keep the reference fresh)
  unlink(oi);
  {
    const int64_t old = r.open;
    r.open = 0;
    update(UpdateKind::Cancel, r, ts);
    r.open = old;
  }
  r.price = newPrice;
  r.open = newOpen;
  const int64_t filled = match(r.side, false, newPrice, newOpen, id, ts);
  Order& s = pool_[oi];
  s.filled += filled;
  s.open -= filled;
  if (s.open > 0) {
    link(oi);
    update(UpdateKind::Add, s, ts);
    finish();
    return {Status::Ok, filled, s.open};
  }
  ids_.erase(id);
  release(oi);
  finish();
  return {Status::Ok, filled, 0};
}

// ---- queries ------------------------------------------------------------------------------

size_t OrderBook::depth(Side side, size_t n, LevelView* out) const {
  size_t k = 0;
  if (side == Side::Buy) {
    for (int64_t i = bidIdx_; i >= 0 && k < n; i = nextBelow(i - 1), ++k) {
      const Level& l = levels_[size_t(i)];
      out[k] = LevelView{base_ + i, l.quantity, l.count};
    }
  } else {
    for (int64_t i = askIdx_; i >= 0 && k < n; i = nextAbove(i + 1), ++k) {
      const Level& l = levels_[size_t(i)];
      out[k] = LevelView{base_ + i, l.quantity, l.count};
    }
  }
  return k;
}

int64_t OrderBook::queuePosition(uint64_t id) const {
  const uint32_t oi = ids_.find(id);
  if (oi == IdIndex::kNone) return -1;
  int64_t ahead = 0;
  for (uint32_t p = pool_[oi].prev; p != kNil; p = pool_[p].prev) ahead += pool_[p].open;
  return ahead;
}

bool OrderBook::orderState(uint64_t id, OrderView* out) const {
  const uint32_t oi = ids_.find(id);
  if (oi == IdIndex::kNone) return false;
  const Order& o = pool_[oi];
  *out = OrderView{o.id, o.side, o.postOnly, o.price, o.filled + o.open, o.filled, o.open};
  return true;
}

void OrderBook::snapshot(std::vector<OrderView>& out) const {
  out.clear();
  for (int64_t i = bidIdx_; i >= 0; i = nextBelow(i - 1))
    for (uint32_t p = levels_[size_t(i)].head; p != kNil; p = pool_[p].next) {
      const Order& o = pool_[p];
      out.push_back(OrderView{o.id, o.side, o.postOnly, o.price, o.filled + o.open, o.filled, o.open});
    }
  for (int64_t i = askIdx_; i >= 0; i = nextAbove(i + 1))
    for (uint32_t p = levels_[size_t(i)].head; p != kNil; p = pool_[p].next) {
      const Order& o = pool_[p];
      out.push_back(OrderView{o.id, o.side, o.postOnly, o.price, o.filled + o.open, o.filled, o.open});
    }
}

uint32_t OrderBook::checksum() const {
  uint32_t h = 0;
  for (int64_t i = nextAbove(0); i >= 0; i = nextAbove(i + 1)) {
    uint32_t rank = 0;
    for (uint32_t p = levels_[size_t(i)].head; p != kNil; p = pool_[p].next, ++rank) {
      const Order& o = pool_[p];
      h += mix32(o.id, o.side, o.price, o.open, rank);
    }
  }
  return h;
}

}  // namespace statarb
