// C++ benchmark of the statarb matching engine (native/src). Three measurements, one core:
//  mix        exchange-core's order mix (9% GTC, 3% IOC, 6% cancel, 82% move) over ~1,000 resting
//             orders on ~750 levels: throughput (ops/s)
//  latency    the same mix offered at a fixed rate (default 1 M ops/s): each operation's latency is
//             measured from its SCHEDULED start, so a stall delays every later op's clock (no
//             coordinated omission); p50/p99/p99.9/max
//  insert     Liquibook's insert-only test: alternating buy/sell, prices in a 10-tick overlapping
//             band (so inserts also match), quantities 100–1000: inserts/s
// Operation streams are generated first (outside the timed region) by driving a scratch book so
// that cancels and moves target live orders; the timed run replays them into a fresh book.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <unordered_map>
#include <vector>

#include "order_book.h"

using namespace statarb;
using Clock = std::chrono::steady_clock;

namespace {

enum OpKind : uint8_t { GTC, IOC, CANCEL, MOVE };
struct Op {
  OpKind kind;
  Side side;
  uint64_t id;
  int64_t price;
  int64_t qty;
};

constexpr int64_t kMid = 1'000'000;
constexpr int64_t kHalfBand = 375;  // ~750 levels in all

struct Live {
  std::vector<uint64_t> ids;
  std::unordered_map<uint64_t, size_t> pos;
  void add(uint64_t id) {
    pos[id] = ids.size();
    ids.push_back(id);
  }
  void remove(uint64_t id) {
    auto it = pos.find(id);
    if (it == pos.end()) return;
    const size_t i = it->second;
    ids[i] = ids.back();
    pos[ids[i]] = i;
    ids.pop_back();
    pos.erase(id);
  }
};

void apply(OrderBook& b, const Op& op) {
  switch (op.kind) {
    case GTC: {
      NewOrder o;
      o.id = op.id, o.side = op.side, o.price = op.price, o.quantity = op.qty;
      b.submit(o);
      break;
    }
    case IOC: {
      NewOrder o;
      o.id = op.id, o.side = op.side, o.price = op.price, o.quantity = op.qty, o.tif = TimeInForce::IOC;
      b.submit(o);
      break;
    }
    case CANCEL: b.cancel(op.id); break;
    case MOVE: b.modify(op.id, op.qty, true, op.price); break;
  }
}

// Builds the exchange-core-like stream: warm-up orders (first `warm` ops), then `n` mixed ops.
std::vector<Op> mixStream(size_t n, size_t target, size_t* warm, uint64_t seed) {
  std::mt19937_64 rng(seed);
  OrderBook scratch(4096);
  Live live;
  std::vector<Op> ops;
  ops.reserve(n + target);
  uint64_t nextId = 1;
  auto priceFor = [&](Side s) {
    // denser near the touch, spread over ~375 levels a side
    const int64_t d = 1 + int64_t(std::min<double>(kHalfBand - 1, std::exponential_distribution<double>(1.0 / 250)(rng)));
    return s == Side::Buy ? kMid - d : kMid + d;
  };
  auto run = [&](const Op& op) {
    apply(scratch, op);
    for (const Fill& f : scratch.fills()) {
      OrderView v;
      if (!scratch.orderState(f.maker, &v)) live.remove(f.maker);
    }
    if (op.kind == GTC) {
      OrderView v;
      if (scratch.orderState(op.id, &v)) live.add(op.id);
    } else if (op.kind == CANCEL) {
      live.remove(op.id);
    } else if (op.kind == MOVE) {
      OrderView v;
      if (!scratch.orderState(op.id, &v)) live.remove(op.id);
    }
    ops.push_back(op);
  };
  while (live.ids.size() < target) {
    const Side s = rng() & 1 ? Side::Buy : Side::Sell;
    run(Op{GTC, s, nextId++, priceFor(s), int64_t(1 + rng() % 100)});
  }
  *warm = ops.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned r = unsigned(rng() % 100);
    OpKind k = r < 9 ? GTC : r < 12 ? IOC : r < 18 ? CANCEL : MOVE;
    if (live.ids.size() > target * 11 / 10 && k == GTC) k = CANCEL;
    if (live.ids.size() < target * 9 / 10 && k == CANCEL) k = GTC;
    if (live.ids.empty() && (k == CANCEL || k == MOVE)) k = GTC;
    const Side s = rng() & 1 ? Side::Buy : Side::Sell;
    if (k == GTC) {
      run(Op{GTC, s, nextId++, priceFor(s), int64_t(1 + rng() % 100)});
    } else if (k == IOC) {
      const int64_t p = s == Side::Buy ? kMid + 1 + int64_t(rng() % 3) : kMid - 1 - int64_t(rng() % 3);
      run(Op{IOC, s, nextId++, p, int64_t(1 + rng() % 60)});
    } else {
      const uint64_t id = live.ids[rng() % live.ids.size()];
      OrderView v;
      scratch.orderState(id, &v);
      if (k == CANCEL)
        run(Op{CANCEL, v.side, id, 0, 0});
      else  // move: a new price on the same side, same total quantity
        run(Op{MOVE, v.side, id, priceFor(v.side), v.quantity});
    }
  }
  return ops;
}

std::vector<Op> insertStream(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Op> ops(n);
  for (size_t i = 0; i < n; ++i)
    ops[i] = Op{GTC, i % 2 ? Side::Sell : Side::Buy, i + 1, kMid + int64_t(rng() % 10), int64_t(100 + rng() % 901)};
  return ops;
}

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? size_t(std::atoll(argv[1])) : 5'000'000;
  const double rate = argc > 2 ? std::atof(argv[2]) : 1e6;
  size_t warm = 0;
  const std::vector<Op> mix = mixStream(n, 1000, &warm, 42);

  // 1. throughput of the mix (best of 3 runs)
  double best = 1e9;
  size_t resting = 0, levels = 0;
  for (int rep = 0; rep < 3; ++rep) {
    OrderBook b(4096);
    for (size_t i = 0; i < warm; ++i) apply(b, mix[i]);
    std::vector<LevelView> lv(2000);
    levels = b.depth(Side::Buy, 2000, lv.data()) + b.depth(Side::Sell, 2000, lv.data());
    resting = b.orderCount();
    const auto t0 = Clock::now();
    for (size_t i = warm; i < mix.size(); ++i) apply(b, mix[i]);
    best = std::min(best, seconds(t0, Clock::now()));
  }
  const double mixRate = double(mix.size() - warm) / best;

  // 2. latency at a fixed offered rate, measured from each op's scheduled time
  std::vector<uint32_t> lat;
  lat.reserve(mix.size() - warm);
  {
    OrderBook b(4096);
    for (size_t i = 0; i < warm; ++i) apply(b, mix[i]);
    const double interval = 1e9 / rate;
    const auto t0 = Clock::now() + std::chrono::microseconds(100);
    for (size_t i = warm; i < mix.size(); ++i) {
      const auto due = t0 + std::chrono::nanoseconds(int64_t(double(i - warm) * interval));
      while (Clock::now() < due) {
      }
      apply(b, mix[i]);
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - due).count();
      lat.push_back(uint32_t(std::min<int64_t>(ns, 0xFFFFFFFF)));
    }
  }
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat[std::min(lat.size() - 1, size_t(p * double(lat.size())))]; };
  // clock overhead: back-to-back now() calls
  const auto c0 = Clock::now();
  for (int i = 0; i < 1000000; ++i) (void)Clock::now();
  const double clockNs = seconds(c0, Clock::now()) * 1e3;

  // 3. Liquibook insert-only
  const std::vector<Op> ins = insertStream(n, 7);
  double bestIns = 1e9;
  size_t trades = 0;
  for (int rep = 0; rep < 3; ++rep) {
    OrderBook b(4096);
    if (std::getenv("NO_UPDATES")) b.setRecordUpdates(false);
    size_t t = 0;
    const auto t0 = Clock::now();
    for (const Op& op : ins) {
      apply(b, op);
      t += b.fills().size();
    }
    bestIns = std::min(bestIns, seconds(t0, Clock::now()));
    trades = t;
  }
  std::printf("{\"mixOps\":%zu,\"mixOpsPerSec\":%.0f,\"restingAtStart\":%zu,\"levelsAtStart\":%zu,"
              "\"offeredRate\":%.0f,\"p50\":%u,\"p99\":%u,\"p999\":%u,\"max\":%u,\"clockNs\":%.1f,"
              "\"inserts\":%zu,\"insertsPerSec\":%.0f,\"insertTrades\":%zu}\n",
              mix.size() - warm, mixRate, resting, levels, rate, pct(0.5), pct(0.99), pct(0.999), lat.back(), clockNs, ins.size(),
              double(ins.size()) / bestIns, trades);
  return 0;
}
