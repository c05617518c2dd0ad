// Proves "no allocation on the hot path after warm-up": a counting global operator new (this test
// binary only) watches a steady-state workload of every operation kind — GTC, IOC, FOK, market,
// post-only, cancel, modify in place, modify with a move, fills and book updates — and requires
// zero heap allocations once the book has been warmed up by the same kind of workload.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include "engine.h"
#include "buffer.h"
#include "order_book.h"

#include "allocation_counter.h"

using namespace statarb;

namespace {

struct Counter : FillListener, BookListener {
  uint64_t fills = 0, updates = 0;
  void onFill(const Fill&) override { ++fills; }
  void onBookUpdate(const BookUpdate&) override { ++updates; }
};

// A bounded random workload: at most kCap resting orders (the generator cancels above it), prices
// within ±200 ticks of 100000, takers of at most 60 lots against makers of at least 1 lot.
constexpr size_t kCap = 1500;

struct Workload {
  std::mt19937_64 rng;
  std::vector<uint64_t> live;  // preallocated by the caller; may hold ids no longer resting
  uint64_t nextId;
  Workload(uint64_t seed, uint64_t firstId) : rng(seed), nextId(firstId) {}

  void step(OrderBook& b) {
    const unsigned k = unsigned(rng() % 100);
    if (b.orderCount() >= kCap || (k < 20 && !live.empty())) {
      const size_t i = rng() % live.size();
      const uint64_t id = live[i];
      live[i] = live.back();
      live.pop_back();
      if (k % 2 == 0) {
        b.cancel(id);
      } else {
        OrderView v;
        if (b.orderState(id, &v)) {
          const bool move = rng() % 2 == 0;
          b.modify(id, v.filled + 1 + int64_t(rng() % 40), move, 100000 + int64_t(rng() % 400) - 200);
          if (b.orderState(id, &v)) live.push_back(id);
        }
      }
      return;
    }
    NewOrder o;
    o.id = nextId++;
    o.side = rng() % 2 ? Side::Buy : Side::Sell;
    o.price = 100000 + int64_t(rng() % 400) - 200;
    o.quantity = 1 + int64_t(rng() % 60);
    const unsigned t = unsigned(rng() % 10);
    if (t == 0) o.tif = TimeInForce::IOC;
    if (t == 1) o.tif = TimeInForce::FOK;
    if (t == 2) o.type = OrderType::Market, o.tif = TimeInForce::IOC;
    if (t == 3) o.postOnly = true;
    const Result r = b.submit(o);
    if (r.status == Status::Ok && r.resting > 0 && live.size() < live.capacity()) live.push_back(o.id);
  }
};

}  // namespace

TEST(NoAllocation, SteadyStateAfterWarmUp) {
  OrderBook b;  // default capacity: warm-up grows it
  Counter c;
  b.setFillListener(&c);
  b.setBookListener(&c);
  Workload warm(1, 1);
  warm.live.reserve(4 * kCap);
  for (int i = 0; i < 300000; ++i) warm.step(b);
  // a different random stream of the same workload must now run without a single allocation
  Workload hot(2, 10'000'000);
  hot.live.reserve(4 * kCap);
  for (uint64_t id : warm.live) hot.live.push_back(id);
  const uint64_t fills0 = c.fills, before = allocationsSoFar();
  for (int i = 0; i < 300000; ++i) hot.step(b);
  const uint64_t allocations = allocationsSoFar() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(c.fills - fills0, 10000u);  // the hot phase really matched
  EXPECT_GT(b.orderCount(), 100u);
}

TEST(NoAllocation, PresizedBookNeverAllocates) {
  OrderBook b(200000);
  std::vector<LevelView> lv(16);
  const uint64_t before = allocationsSoFar();
  for (uint64_t i = 1; i <= 150000; ++i) {  // Liquibook-style inserts: the book only grows
    NewOrder o;
    o.id = i;
    o.side = i % 2 ? Side::Buy : Side::Sell;
    o.price = (o.side == Side::Buy ? 1880 : 1884) + int64_t(i * 7 % 10);
    o.quantity = 100 * (1 + int64_t(i * 13 % 10));
    b.submit(o);
    b.depth(Side::Buy, lv.size(), lv.data());
    if (i % 1000 == 0) (void)b.queuePosition(i);
  }
  EXPECT_EQ(allocationsSoFar() - before, 0u);
  EXPECT_GT(b.orderCount(), 10000u);
}

TEST(NoAllocation, CountingAllocatorSeesGrowth) {  // the counter itself works
  OrderBook b(16);
  const uint64_t before = allocationsSoFar();
  for (uint64_t i = 1; i <= 1000; ++i) {
    NewOrder o;
    o.id = i;
    o.price = int64_t(i);
    o.quantity = 1;
    b.submit(o);
  }
  EXPECT_GT(allocationsSoFar() - before, 0u);
}
