// GoogleTest suite of the order book: priority, order types, invariants, Liquibook regressions.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "buffer.h"
#include "id_index.h"
#include "id_map.h"
#include "order_book.h"

using namespace statarb;

namespace {

NewOrder limit(uint64_t id, Side side, int64_t price, int64_t qty, TimeInForce tif = TimeInForce::GTC) {
  NewOrder o;
  o.id = id;
  o.side = side;
  o.price = price;
  o.quantity = qty;
  o.tif = tif;
  return o;
}
NewOrder market(uint64_t id, Side side, int64_t qty, TimeInForce tif = TimeInForce::IOC) {
  NewOrder o;
  o.id = id;
  o.side = side;
  o.type = OrderType::Market;
  o.quantity = qty;
  o.tif = tif;
  return o;
}
int64_t restingTotal(const OrderBook& b) {
  std::vector<OrderView> v;
  b.snapshot(v);
  int64_t s = 0;
  for (auto& o : v) s += o.open;
  return s;
}
void expectNotCrossed(const OrderBook& b) {
  if (b.hasBid() && b.hasAsk()) {
    EXPECT_LT(b.bestBid(), b.bestAsk());
  }
}

}  // namespace

TEST(OrderBook, PriceTimePriority) {
  OrderBook b;
  ASSERT_EQ(b.submit(limit(1, Side::Sell, 101, 10)).status, Status::Ok);
  ASSERT_EQ(b.submit(limit(2, Side::Sell, 100, 10)).status, Status::Ok);
  ASSERT_EQ(b.submit(limit(3, Side::Sell, 100, 10)).status, Status::Ok);
  auto r = b.submit(limit(4, Side::Buy, 101, 25));
  EXPECT_EQ(r.filled, 25);
  ASSERT_EQ(b.fills().size(), 3u);
  EXPECT_EQ(b.fills()[0].maker, 2u);  // better price first
  EXPECT_EQ(b.fills()[0].price, 100);
  EXPECT_EQ(b.fills()[1].maker, 3u);  // then time at the same price
  EXPECT_EQ(b.fills()[2].maker, 1u);
  EXPECT_EQ(b.fills()[2].quantity, 5);
  EXPECT_EQ(b.fills()[2].price, 101);  // maker's price
  EXPECT_EQ(b.bestAsk(), 101);
  EXPECT_EQ(b.askQuantity(), 5);
}

TEST(OrderBook, FokAllOrNothing) {
  OrderBook b;
  b.submit(limit(1, Side::Sell, 100, 10));
  b.submit(limit(2, Side::Sell, 101, 10));
  auto r = b.submit(limit(3, Side::Buy, 101, 21, TimeInForce::FOK));
  EXPECT_EQ(r.status, Status::FokUnfillable);
  EXPECT_TRUE(b.fills().empty());
  EXPECT_EQ(restingTotal(b), 20);
  r = b.submit(limit(4, Side::Buy, 100, 11, TimeInForce::FOK));  // price limit excludes 101
  EXPECT_EQ(r.status, Status::FokUnfillable);
  r = b.submit(limit(5, Side::Buy, 101, 20, TimeInForce::FOK));
  EXPECT_EQ(r.status, Status::Ok);
  EXPECT_EQ(r.filled, 20);
  EXPECT_EQ(b.orderCount(), 0u);
  b.submit(limit(6, Side::Buy, 50, 5));
  EXPECT_EQ(b.submit(market(7, Side::Sell, 6, TimeInForce::FOK)).status, Status::FokUnfillable);
  EXPECT_EQ(b.submit(market(8, Side::Sell, 5, TimeInForce::FOK)).filled, 5);
}

TEST(OrderBook, IocLeavesNothingResting) {
  OrderBook b;
  b.submit(limit(1, Side::Sell, 100, 10));
  auto r = b.submit(limit(2, Side::Buy, 100, 15, TimeInForce::IOC));
  EXPECT_EQ(r.filled, 10);
  EXPECT_EQ(r.resting, 0);
  EXPECT_FALSE(b.hasBid());
  EXPECT_EQ(b.orderCount(), 0u);
  EXPECT_EQ(b.queuePosition(2), -1);
  r = b.submit(market(3, Side::Buy, 5));
  EXPECT_EQ(r.filled, 0);
  EXPECT_EQ(b.orderCount(), 0u);
}

TEST(OrderBook, MarketOrderTakesAnyPriceWithoutSentinel) {
  OrderBook b;
  b.submit(limit(1, Side::Buy, 1, 10));
  b.submit(limit(2, Side::Buy, 0, 10));  // price 0 is a real price, not "market"
  b.submit(limit(3, Side::Buy, -5, 10));
  auto r = b.submit(market(4, Side::Sell, 25));
  EXPECT_EQ(r.filled, 25);
  ASSERT_EQ(b.fills().size(), 3u);
  EXPECT_EQ(b.fills()[1].price, 0);
  EXPECT_EQ(b.fills()[2].price, -5);
}

TEST(OrderBook, PostOnlyNeverTakes) {
  OrderBook b;
  b.submit(limit(1, Side::Sell, 100, 10));
  NewOrder p = limit(2, Side::Buy, 100, 5);
  p.postOnly = true;
  EXPECT_EQ(b.submit(p).status, Status::PostOnlyWouldTake);
  EXPECT_TRUE(b.fills().empty());
  EXPECT_EQ(b.askQuantity(), 10);
  p.price = 99;
  EXPECT_EQ(b.submit(p).status, Status::Ok);
  EXPECT_EQ(b.bestBid(), 99);
  // a post-only order moved onto the other side is refused and stays where it was
  EXPECT_EQ(b.modify(2, 5, true, 100, 0).status, Status::PostOnlyWouldTake);
  EXPECT_EQ(b.bestBid(), 99);
  EXPECT_EQ(b.askQuantity(), 10);
}

TEST(OrderBook, CancelIsExactAndUnknownIdRejected) {
  OrderBook b;
  b.submit(limit(1, Side::Buy, 100, 10));
  b.submit(limit(2, Side::Buy, 100, 20));
  b.submit(limit(3, Side::Buy, 99, 30));
  EXPECT_EQ(b.queuePosition(2), 10);
  EXPECT_EQ(b.cancel(1).status, Status::Ok);
  EXPECT_EQ(b.queuePosition(2), 0);
  EXPECT_EQ(b.cancel(1).status, Status::UnknownId);
  EXPECT_EQ(b.cancel(2).status, Status::Ok);
  EXPECT_EQ(b.bestBid(), 99);
  EXPECT_EQ(b.submit(limit(3, Side::Sell, 200, 1)).status, Status::DuplicateId);
}

TEST(OrderBook, ModifyPriority) {
  OrderBook b;
  b.submit(limit(1, Side::Sell, 100, 10));
  b.submit(limit(2, Side::Sell, 100, 10));
  EXPECT_EQ(b.modify(1, 5, false, 0, 0).status, Status::Ok);  // decrease keeps priority
  EXPECT_EQ(b.queuePosition(1), 0);
  EXPECT_EQ(b.queuePosition(2), 5);
  EXPECT_EQ(b.modify(1, 8, false, 0, 0).status, Status::Ok);  // increase loses it
  EXPECT_EQ(b.queuePosition(1), 10);
  EXPECT_EQ(b.askQuantity(), 18);
  EXPECT_EQ(b.modify(2, 10, true, 101, 0).status, Status::Ok);  // price change loses it
  EXPECT_EQ(b.bestAsk(), 100);
  EXPECT_EQ(b.queuePosition(2), 0);
  // a move across the spread matches like a new order
  b.submit(limit(3, Side::Buy, 90, 4));
  auto r = b.modify(3, 4, true, 100, 7);
  EXPECT_EQ(r.filled, 4);
  ASSERT_EQ(b.fills().size(), 1u);
  EXPECT_EQ(b.fills()[0].maker, 1u);
  EXPECT_EQ(b.fills()[0].timestamp, 7);
  EXPECT_EQ(b.modify(42, 1, false, 0, 0).status, Status::UnknownId);
  EXPECT_EQ(b.modify(1, 0, false, 0, 0).status, Status::BadQuantity);
}

// Liquibook #12: an order added at the price of an order just cancelled there must form a clean
// new level (quantity, count and priority), and the cancelled order must never trade.
TEST(OrderBook, LiquibookIssue12_AddAtPriceOfCancelledOrder) {
  OrderBook b;
  b.submit(limit(1, Side::Buy, 100, 10));
  ASSERT_EQ(b.cancel(1).status, Status::Ok);
  EXPECT_FALSE(b.hasBid());
  b.submit(limit(2, Side::Buy, 100, 7));
  EXPECT_EQ(b.bestBid(), 100);
  EXPECT_EQ(b.bidQuantity(), 7);
  EXPECT_EQ(b.queuePosition(2), 0);
  auto r = b.submit(limit(3, Side::Sell, 100, 10));
  EXPECT_EQ(r.filled, 7);
  ASSERT_EQ(b.fills().size(), 1u);
  EXPECT_EQ(b.fills()[0].maker, 2u);
  EXPECT_EQ(b.bestAsk(), 100);
  EXPECT_EQ(b.askQuantity(), 3);
  EXPECT_FALSE(b.hasBid());
  // same with another order still resting behind at that level
  b.submit(limit(4, Side::Sell, 101, 5));
  b.submit(limit(5, Side::Sell, 101, 6));
  b.cancel(4);
  b.submit(limit(6, Side::Sell, 101, 2));
  EXPECT_EQ(b.queuePosition(6), 6);
  LevelView lv[3];
  ASSERT_EQ(b.depth(Side::Sell, 3, lv), 2u);
  EXPECT_EQ(lv[1].quantity, 8);
  EXPECT_EQ(lv[1].orders, 2u);
}

// Liquibook #32: a replace computed from the order's ORIGINAL quantity instead of its quantity
// still on the market corrupts the depth book (and the removal from the old level on a price
// modify). Here: level totals, the L2 view in the update events and the old level after a move
// must all follow the open quantity of a partially filled order.
TEST(OrderBook, LiquibookIssue32_ReplaceAfterPartialFill) {
  OrderBook b;
  b.submit(limit(1, Side::Sell, 100, 100));
  b.submit(limit(2, Side::Buy, 100, 40));  // fills 40 of order 1
  OrderView v;
  ASSERT_TRUE(b.orderState(1, &v));
  EXPECT_EQ(v.open, 60);
  EXPECT_EQ(b.modify(1, 80, false, 0, 0).status, Status::Ok);  // total 80 → open 40, keeps priority
  ASSERT_EQ(b.updates().size(), 1u);
  EXPECT_EQ(b.updates()[0].quantity, 40);
  EXPECT_EQ(b.updates()[0].levelQuantity, 40);
  ASSERT_TRUE(b.orderState(1, &v));
  EXPECT_EQ(v.open, 40);
  EXPECT_EQ(v.filled, 40);
  EXPECT_EQ(b.askQuantity(), 40);
  EXPECT_EQ(restingTotal(b), 40);
  b.submit(limit(3, Side::Sell, 100, 7));  // a second order at the old level
  EXPECT_EQ(b.modify(1, 90, true, 101, 0).status, Status::Ok);  // moved: open 50 at 101
  ASSERT_EQ(b.updates().size(), 2u);
  EXPECT_EQ(b.updates()[0].kind, UpdateKind::Cancel);
  EXPECT_EQ(b.updates()[0].price, 100);
  EXPECT_EQ(b.updates()[0].levelQuantity, 7);  // only order 3 is left at 100
  EXPECT_EQ(b.updates()[1].kind, UpdateKind::Add);
  EXPECT_EQ(b.updates()[1].levelQuantity, 50);
  LevelView lv[2];
  ASSERT_EQ(b.depth(Side::Sell, 2, lv), 2u);
  EXPECT_EQ(lv[0].price, 100);
  EXPECT_EQ(lv[0].quantity, 7);
  EXPECT_EQ(lv[0].orders, 1u);
  EXPECT_EQ(lv[1].quantity, 50);
  b.cancel(3);
  EXPECT_EQ(b.bestAsk(), 101);
  EXPECT_EQ(b.askQuantity(), 50);
  EXPECT_EQ(b.modify(1, 40, false, 0, 0).status, Status::Ok);  // total ≤ filled: done
  EXPECT_FALSE(b.hasAsk());
  EXPECT_EQ(b.orderCount(), 0u);
}

TEST(OrderBook, LadderGrowsAndRecentres) {
  OrderBook b;
  b.submit(limit(1, Side::Buy, 1000000, 1));
  b.submit(limit(2, Side::Sell, 1000000 + 100000, 1));  // beyond the first window: grows
  b.submit(limit(3, Side::Buy, 1000000 - 200000, 1));
  EXPECT_EQ(b.bestBid(), 1000000);
  EXPECT_EQ(b.bestAsk(), 1100000);
  LevelView lv[4];
  ASSERT_EQ(b.depth(Side::Buy, 4, lv), 2u);
  EXPECT_EQ(lv[1].price, 800000);
  EXPECT_EQ(b.submit(limit(4, Side::Sell, 1000000 + OrderBook::kMaxSpan * 2, 1)).status, Status::BadPrice);
  EXPECT_EQ(b.orderCount(), 3u);
  b.cancel(1), b.cancel(2), b.cancel(3);
  EXPECT_EQ(b.submit(limit(5, Side::Sell, 5000000000LL, 1)).status, Status::Ok);  // empty book: re-centred
  EXPECT_EQ(b.bestAsk(), 5000000000LL);
}

struct Recorder : FillListener, BookListener {
  OrderBook* book = nullptr;
  std::vector<Fill> fills;
  std::vector<BookUpdate> updates;
  Status reentry = Status::Ok;
  void onFill(const Fill& f) override {
    fills.push_back(f);
    reentry = book->submit(limit(999, Side::Buy, 1, 1)).status;  // must be refused
  }
  void onBookUpdate(const BookUpdate& u) override { updates.push_back(u); }
};

TEST(OrderBook, EventsDeliveredAfterMatchingWithReentrancyGuard) {
  OrderBook b;
  Recorder r;
  r.book = &b;
  b.setFillListener(&r);
  b.setBookListener(&r);
  b.submit(limit(1, Side::Sell, 100, 10, TimeInForce::GTC));
  ASSERT_EQ(r.updates.size(), 1u);
  EXPECT_EQ(r.updates[0].kind, UpdateKind::Add);
  b.submit(limit(2, Side::Buy, 100, 4));
  ASSERT_EQ(r.fills.size(), 1u);
  EXPECT_EQ(r.reentry, Status::Reentrant);
  EXPECT_EQ(r.updates.back().kind, UpdateKind::Trade);
  EXPECT_EQ(r.updates.back().levelQuantity, 6);
  EXPECT_EQ(b.queuePosition(999), -1);
  b.setFillListener(nullptr);
  EXPECT_EQ(b.submit(limit(3, Side::Buy, 1, 1)).status, Status::Ok);  // guard released
}

// Random operations: never crossed after any operation and quantity conserved:
// submitted = filled (both sides counted once per fill as maker + taker) + resting + cancelled.
TEST(OrderBook, NeverCrossedAndQuantityConservedUnderRandomOps) {
  OrderBook b;
  std::mt19937_64 rng(7);
  int64_t submitted = 0, filled = 0, cancelled = 0;
  std::map<uint64_t, bool> live;
  uint64_t next = 1;
  for (int step = 0; step < 200000; ++step) {
    const int k = int(rng() % 10);
    if (k < 6 || live.empty()) {
      NewOrder o = limit(next++, rng() % 2 ? Side::Buy : Side::Sell, 1000 + int64_t(rng() % 40), 1 + int64_t(rng() % 50),
                         TimeInForce(rng() % 3));
      if (rng() % 10 == 0) o.type = OrderType::Market, o.tif = TimeInForce::IOC;
      auto r = b.submit(o);
      if (r.status != Status::Ok) continue;
      submitted += o.quantity;
      filled += 2 * r.filled;
      cancelled += o.quantity - r.filled - r.resting;  // IOC remainder
      if (r.resting) live[o.id] = true;
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      const uint64_t id = it->first;
      OrderView v;
      if (!b.orderState(id, &v)) {
        live.erase(it);
        continue;
      }
      if (k < 8) {
        b.cancel(id);
        cancelled += v.open;
        live.erase(id);
      } else {
        const int64_t q = v.filled + 1 + int64_t(rng() % 50);
        auto r = b.modify(id, q, rng() % 2, 1000 + int64_t(rng() % 40), 0);
        if (r.status == Status::Ok) {
          submitted += (q - v.filled) - v.open;  // the open quantity changed by this much
          filled += 2 * r.filled;
        }
      }
    }
    expectNotCrossed(b);
    if (step % 1000 == 0) {
      std::vector<OrderView> snap;
      b.snapshot(snap);
      int64_t resting = 0;
      for (auto& o : snap) resting += o.open;
      ASSERT_EQ(submitted, filled + resting + cancelled) << "step " << step;
    }
  }
}

TEST(OrderBook, L3UpdatesCarryTheL2View) {
  OrderBook b;
  b.submit(limit(1, Side::Buy, 100, 10));
  ASSERT_EQ(b.updates().size(), 1u);
  EXPECT_EQ(b.updates()[0].kind, UpdateKind::Add);
  EXPECT_EQ(b.updates()[0].levelQuantity, 10);
  b.submit(limit(2, Side::Buy, 100, 5));
  EXPECT_EQ(b.updates()[0].levelQuantity, 15);
  b.modify(1, 4, false, 0, 3);
  ASSERT_EQ(b.updates().size(), 1u);
  EXPECT_EQ(b.updates()[0].kind, UpdateKind::Modify);
  EXPECT_EQ(b.updates()[0].quantity, 4);
  EXPECT_EQ(b.updates()[0].levelQuantity, 9);
  EXPECT_EQ(b.updates()[0].timestamp, 3);
  NewOrder s = limit(3, Side::Sell, 100, 6);
  s.timestamp = 9;
  b.submit(s);  // takes 4 from #1 (gone) and 2 from #2 (4 left)
  ASSERT_EQ(b.updates().size(), 2u);
  EXPECT_EQ(b.updates()[0].kind, UpdateKind::Trade);
  EXPECT_EQ(b.updates()[0].id, 1u);
  EXPECT_EQ(b.updates()[0].quantity, 0);
  EXPECT_EQ(b.updates()[0].levelQuantity, 5);
  EXPECT_EQ(b.updates()[1].id, 2u);
  EXPECT_EQ(b.updates()[1].quantity, 3);
  EXPECT_EQ(b.updates()[1].levelQuantity, 3);
  ASSERT_EQ(b.fills().size(), 2u);
  EXPECT_EQ(b.fills()[0].timestamp, 9);
  EXPECT_EQ(b.fills()[0].taker, 3u);
  EXPECT_EQ(b.fills()[0].takerSide, Side::Sell);
  b.cancel(2, 11);
  ASSERT_EQ(b.updates().size(), 1u);
  EXPECT_EQ(b.updates()[0].kind, UpdateKind::Cancel);
  EXPECT_EQ(b.updates()[0].levelQuantity, 0);
  EXPECT_FALSE(b.hasBid());
}

TEST(OrderBook, DepthQueueAndState) {
  OrderBook b;
  for (uint64_t i = 0; i < 6; ++i) b.submit(limit(i + 1, Side::Sell, 200 + int64_t(i % 3) * 5, 10 + int64_t(i)));
  LevelView lv[8];
  ASSERT_EQ(b.depth(Side::Sell, 2, lv), 2u);
  EXPECT_EQ(lv[0].price, 200);
  EXPECT_EQ(lv[0].quantity, 10 + 13);
  EXPECT_EQ(lv[0].orders, 2u);
  EXPECT_EQ(lv[1].price, 205);
  EXPECT_EQ(b.depth(Side::Sell, 8, lv), 3u);
  EXPECT_EQ(b.depth(Side::Buy, 8, lv), 0u);
  EXPECT_EQ(b.queuePosition(4), 10);
  b.submit(limit(7, Side::Buy, 200, 3));
  OrderView v;
  ASSERT_TRUE(b.orderState(1, &v));
  EXPECT_EQ(v.filled, 3);
  EXPECT_EQ(v.open, 7);
  EXPECT_EQ(v.quantity, 10);
  EXPECT_EQ(b.queuePosition(4), 7);
  EXPECT_FALSE(b.orderState(7, &v));
}

TEST(OrderBook, ChecksumSeesTimePriority) {
  OrderBook a, b;
  a.submit(limit(1, Side::Buy, 100, 5));
  a.submit(limit(2, Side::Buy, 100, 5));
  b.submit(limit(2, Side::Buy, 100, 5));
  b.submit(limit(1, Side::Buy, 100, 5));
  EXPECT_NE(a.checksum(), b.checksum());
  b.modify(2, 6, false, 0, 0);  // increase: 2 goes behind 1, same queue as a's
  b.modify(2, 5, false, 0, 0);
  EXPECT_EQ(a.checksum(), b.checksum());
}

TEST(IdMap, MatchesStdMapUnderChurnAndStridedIds) {
  for (uint64_t stride : {uint64_t(1), uint64_t(4096), uint64_t(1) << 32}) {
    IdMap m(16);
    std::map<uint64_t, uint32_t> ref;
    std::mt19937_64 rng(stride);
    for (int step = 0; step < 60000; ++step) {
      const uint64_t key = (rng() % 5000) * stride;
      if (rng() % 3) {
        const bool fresh = ref.emplace(key, uint32_t(step)).second;
        ASSERT_EQ(m.insert(key, uint32_t(step)), fresh);
      } else {
        ASSERT_EQ(m.erase(key), ref.erase(key) == 1);
      }
      if (step % 97 == 0) {
        const uint64_t probe = (rng() % 5000) * stride;
        auto it = ref.find(probe);
        ASSERT_EQ(m.find(probe), it == ref.end() ? IdMap::kNone : it->second);
      }
    }
    ASSERT_EQ(m.size(), ref.size());
    for (auto& [k, v] : ref) ASSERT_EQ(m.find(k), v);
    if (stride == 4096) {
      EXPECT_TRUE(m.mixed());  // strided ids defeated the locality hash
    }
    if (stride == 1) {
      EXPECT_FALSE(m.mixed());
    }
  }
}

// IdIndex against std::map: dense ids (pages), strided and random ids (the hash table), and a
// mixture whose pages open and close as the live range moves, each after reserve(size + 1) as the
// book does; every lookup, insert and erase agrees, and reserved inserts do not allocate.
TEST(IdIndex, MatchesStdMapForDenseSparseAndMovingIds) {
  for (int pattern = 0; pattern < 4; ++pattern) {
    IdIndex m(16);
    std::map<uint64_t, uint32_t> ref;
    std::mt19937_64 rng(pattern + 7);
    uint64_t next = 1;
    auto draw = [&]() -> uint64_t {
      switch (pattern) {
        case 0: return next++;                              // increasing: pages only
        case 1: return (rng() % 50000) * 4096;              // strided: too sparse for pages
        case 2: return rng();                               // random 64-bit
        default: return rng() % 8 ? next++ : rng() % 3000000;  // mostly increasing, some strays
      }
    };
    std::vector<uint64_t> live;
    for (int step = 0; step < 120000; ++step) {
      if (live.empty() || rng() % 5 < 3) {
        const uint64_t id = draw();
        if (ref.count(id)) {
          ASSERT_NE(m.find(id), IdIndex::kNone);
          continue;
        }
        ASSERT_EQ(m.find(id), IdIndex::kNone);
        m.reserve(m.size() + 1);
        const uint64_t before = bufferAllocations().load();
        m.insertNew(id, uint32_t(step));
        // (strided ids make the hash table rebuild itself once with a mixing hash: IdMap's own rule)
        if (pattern != 1) ASSERT_EQ(bufferAllocations().load(), before);
        ref.emplace(id, uint32_t(step));
        live.push_back(id);
      } else {
        const size_t i = rng() % live.size();  // erase a random live id (old ones too: pages close late)
        const uint64_t id = live[i];
        live[i] = live.back();
        live.pop_back();
        ASSERT_TRUE(m.erase(id));
        ASSERT_FALSE(m.erase(id));
        ref.erase(id);
      }
      if (step % 101 == 0) {
        const uint64_t probe = pattern == 0 ? rng() % (next + 10) : draw();
        auto it = ref.find(probe);
        ASSERT_EQ(m.find(probe), it == ref.end() ? IdIndex::kNone : it->second);
      }
    }
    ASSERT_EQ(m.size(), ref.size());
    for (auto& [k, v] : ref) ASSERT_EQ(m.find(k), v);
    for (auto& [k, v] : ref) ASSERT_TRUE(m.erase(k));
    ASSERT_EQ(m.size(), 0u);
    if (pattern == 0) EXPECT_LT(m.memoryBytes(), size_t(1) << 20);  // pages, not a hash table, hold them
  }
}

// Growing the pool and id table far past their first size (through the mremap / recycled-block
// paths of Buffer, which start at 2 MiB) keeps every order, its queue place and the free list intact.
TEST(OrderBook, GrowthKeepsEveryOrder) {
  for (int round = 0; round < 2; ++round) {  // the second round reuses recycled blocks
    OrderBook b(16);
    const uint64_t n = 120000;
    for (uint64_t i = 1; i <= n; ++i) ASSERT_EQ(b.submit(limit(i, i % 2 ? Side::Buy : Side::Sell, i % 2 ? 1000 - int64_t(i % 50) : 1001 + int64_t(i % 50), int64_t(i % 7) + 1)).status, Status::Ok);
    for (uint64_t i = 3; i <= n; i += 3) ASSERT_EQ(b.cancel(i).status, Status::Ok);
    for (uint64_t i = n + 1; i <= n + 30000; ++i) b.submit(limit(i, Side::Buy, 900, 1));  // reuses freed slots
    ASSERT_EQ(b.orderCount(), size_t(n - n / 3 + 30000));
    OrderView v;
    for (uint64_t i = 1; i <= n; ++i) {
      const bool live = i % 3 != 0;
      ASSERT_EQ(b.orderState(i, &v), live) << i;
      if (live) {
        ASSERT_EQ(v.open, int64_t(i % 7) + 1);
        ASSERT_EQ(v.price, i % 2 ? 1000 - int64_t(i % 50) : 1001 + int64_t(i % 50));
      }
    }
    EXPECT_EQ(b.bestBid(), 999);  // buys are the odd ids: 1000 - (i % 50) with i % 50 odd
    EXPECT_EQ(b.bestAsk(), 1001);
    EXPECT_EQ(b.queuePosition(n + 2), 1);
    auto r = b.submit(market(n + 40000, Side::Sell, 1'000'000));  // sweeps every bid in price-time order
    EXPECT_GT(r.filled, 0);
    EXPECT_FALSE(b.hasBid());
  }
}

TEST(OrderBook, QuantitiesAndLevelTotalsStayBelowTwoToThe53) {
  OrderBook b;
  const int64_t kMax = OrderBook::kMaxQuantity;
  EXPECT_EQ(b.submit(limit(1, Side::Buy, 100, kMax + 1)).status, Status::BadQuantity);
  ASSERT_EQ(b.submit(limit(2, Side::Buy, 100, kMax - 5)).status, Status::Ok);
  const uint32_t before = b.checksum();
  EXPECT_EQ(b.submit(limit(3, Side::Buy, 100, 6)).status, Status::LevelFull);  // would wrap nothing, but passes 2^53 - 1
  EXPECT_EQ(b.checksum(), before);
  ASSERT_EQ(b.submit(limit(4, Side::Buy, 100, 5)).status, Status::Ok);  // exactly full
  EXPECT_EQ(b.bidQuantity(), kMax);
  ASSERT_EQ(b.submit(limit(5, Side::Buy, 99, 10)).status, Status::Ok);
  EXPECT_EQ(b.modify(5, 10, true, 100).status, Status::LevelFull);  // moving into the full level
  EXPECT_EQ(b.modify(4, 6, false, 0).status, Status::LevelFull);    // growing inside it
  EXPECT_EQ(b.modify(4, 4, false, 0).status, Status::Ok);           // shrinking is always fine
  // the other side takes the level first: a huge sell at that price fills against it and rests nothing
  auto r = b.submit(limit(6, Side::Sell, 100, kMax));
  EXPECT_EQ(r.status, Status::Ok);
  EXPECT_EQ(r.filled, kMax - 1);
  EXPECT_EQ(r.resting, 1);
}
