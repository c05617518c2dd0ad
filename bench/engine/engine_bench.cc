// C++ benchmark of the statarb matching engine (native/src), one core, one measurement per run
// (bench/engine/run.sh repeats runs and reports medians, since the machine is shared):
//   engine_bench mix N            exchange-core's order mix (9% GTC, 3% IOC, 6% cancel, 82% move)
//                                 over ~1,000 resting orders on ~750 levels: ops/s
//   engine_bench latency N RATE   the same mix offered at a fixed RATE (ops/s): each operation's
//                                 latency is measured from its SCHEDULED send time, so a stall
//                                 delays the clock of every later op (no coordinated omission)
//   engine_bench dump-mix N FILE / dump-insert N FILE
//                                 write the mix (warm-up + N ops) or insert stream to FILE, the one
//                                 stream every peer in bench/engine/peers replays (format: stream_io)
//   engine_bench mix-file FILE / insert-file FILE HINT
//                                 the same measurements, replaying FILE
//   engine_bench insert N HINT    Liquibook's insert-only test (test/perf/pt_order_book.cpp):
//                                 alternating buy/sell, buys in a 10-tick band and sells in a
//                                 10-tick band overlapping it by 6 ticks (so inserts also match),
//                                 quantities 100–1000 in lots of 100; HINT = the book's expected
//                                 order count (0 = the default, 1024, growing as it fills)
// Every run prints one JSON line. Operation streams are generated before the timed region (by
// driving a scratch book, so cancels and moves target live orders) and replayed into a fresh book.
// A counting global operator new reports the heap allocations made inside each timed region.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "buffer.h"
#include "order_book.h"

#include "../../native/test/allocation_counter.h"

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

inline void apply(OrderBook& b, const Op& op) {
  switch (op.kind) {
    case GTC:
    case IOC: {
      NewOrder o;
      o.id = op.id, o.side = op.side, o.price = op.price, o.quantity = op.qty;
      o.tif = op.kind == IOC ? TimeInForce::IOC : TimeInForce::GTC;
      b.submit(o);
      break;
    }
    case CANCEL: b.cancel(op.id); break;
    case MOVE: b.modify(op.id, op.qty, true, op.price); break;
  }
}

struct MixStats {
  size_t warm = 0;
  double meanResting = 0, meanLevels = 0, tradeShare = 0;
};

// exchange-core-like stream: warm-up GTC orders (the first stats->warm ops), then n mixed ops.
std::vector<Op> mixStream(size_t n, size_t target, MixStats* stats, uint64_t seed) {
  std::mt19937_64 rng(seed);
  OrderBook scratch(4096);
  Live live;
  std::vector<Op> ops;
  ops.reserve(n + target);
  uint64_t nextId = 1;
  // resting prices: 1..820 ticks from a fixed mid, uniform, so ~1,000 orders sit on ~750 levels
  auto passive = [&](Side s) {
    const int64_t d = 1 + int64_t(rng() % 820);
    return s == Side::Buy ? kMid - d : kMid + d;
  };
  size_t trading = 0;
  auto run = [&](const Op& op) {
    apply(scratch, op);
    if (!scratch.fills().empty()) ++trading;
    for (const Fill& f : scratch.fills()) {
      OrderView v;
      if (!scratch.orderState(f.maker, &v)) live.remove(f.maker);
    }
    OrderView v;
    if (op.kind == GTC) {
      if (scratch.orderState(op.id, &v)) live.add(op.id);
    } else if (op.kind == CANCEL || (op.kind == MOVE && !scratch.orderState(op.id, &v))) {
      live.remove(op.id);
    }
    ops.push_back(op);
  };
  while (live.ids.size() < target) {
    const Side s = rng() & 1 ? Side::Buy : Side::Sell;
    run(Op{GTC, s, nextId++, passive(s), int64_t(1 + rng() % 100)});
  }
  stats->warm = ops.size();
  trading = 0;
  double restingSum = 0, levelsSum = 0;
  size_t samples = 0;
  std::vector<LevelView> lv(4096);
  for (size_t i = 0; i < n; ++i) {
    const unsigned r = unsigned(rng() % 100);
    OpKind k = r < 9 ? GTC : r < 12 ? IOC : r < 18 ? CANCEL : MOVE;
    if (live.ids.size() > target * 11 / 10 && k == GTC) k = CANCEL;
    if (live.ids.size() < target * 9 / 10 && k == CANCEL) k = GTC;
    if (live.ids.empty() && (k == CANCEL || k == MOVE)) k = GTC;
    const Side s = rng() & 1 ? Side::Buy : Side::Sell;
    if (k == GTC) {
      // half the GTC orders are priced through the mid by 1–5 ticks (most then trade), the rest join the book
      const bool aggressive = rng() % 2 == 0;
      const int64_t p = aggressive ? (s == Side::Buy ? kMid + 1 + int64_t(rng() % 5) : kMid - 1 - int64_t(rng() % 5)) : passive(s);
      run(Op{GTC, s, nextId++, p, int64_t(1 + rng() % 100)});
    } else if (k == IOC) {
      const int64_t p = s == Side::Buy ? kMid + 1 + int64_t(rng() % 5) : kMid - 1 - int64_t(rng() % 5);
      run(Op{IOC, s, nextId++, p, int64_t(1 + rng() % 60)});
    } else {
      const uint64_t id = live.ids[rng() % live.ids.size()];
      OrderView v;
      scratch.orderState(id, &v);
      if (k == CANCEL)
        run(Op{CANCEL, v.side, id, 0, 0});
      else  // move: a new passive price on the same side, same total quantity
        run(Op{MOVE, v.side, id, passive(v.side), v.quantity});
    }
    if (i % 1000 == 0) {
      restingSum += double(scratch.orderCount());
      levelsSum += double(scratch.depth(Side::Buy, lv.size(), lv.data()) + scratch.depth(Side::Sell, lv.size(), lv.data()));
      ++samples;
    }
  }
  stats->meanResting = restingSum / double(samples);
  stats->meanLevels = levelsSum / double(samples);
  stats->tradeShare = double(trading) / double(n);
  return ops;
}

std::vector<Op> liquibookInserts(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Op> ops(n);
  for (size_t i = 0; i < n; ++i) {
    const bool buy = i % 2 == 0;
    const int64_t base = buy ? 1880 : 1884;  // Liquibook's bands: bids 1880–1889, asks 1884–1893
    ops[i] = Op{GTC, buy ? Side::Buy : Side::Sell, i + 1, base + int64_t(rng() % 10), 100 * (1 + int64_t(rng() % 10))};
  }
  return ops;
}

// Stream files: "SBOS0001", u64 ops, u64 warm (leading ops replayed untimed), then per op 16 bytes:
// u8 kind (0 GTC, 1 IOC, 2 cancel, 3 move), u8 side (0 buy, 1 sell), u16 0, u32 id, i32 price (ticks),
// i32 quantity (a move's quantity is the order's unchanged total).
struct StreamRecord {
  uint8_t kind, side;
  uint16_t pad;
  uint32_t id;
  int32_t price, qty;
};
static_assert(sizeof(StreamRecord) == 16, "stream record layout");

bool writeStream(const char* path, const std::vector<Op>& ops, size_t warm) {
  FILE* f = std::fopen(path, "wb");
  if (!f) return false;
  const uint64_t head[2] = {ops.size(), warm};
  std::fwrite("SBOS0001", 1, 8, f);
  std::fwrite(head, sizeof head, 1, f);
  for (const Op& o : ops) {
    const StreamRecord r{uint8_t(o.kind), uint8_t(o.side), 0, uint32_t(o.id), int32_t(o.price), int32_t(o.qty)};
    std::fwrite(&r, sizeof r, 1, f);
  }
  return std::fclose(f) == 0;
}

std::vector<Op> readStream(const char* path, size_t* warm) {
  std::vector<Op> ops;
  FILE* f = std::fopen(path, "rb");
  char magic[8];
  uint64_t head[2];
  if (!f || std::fread(magic, 1, 8, f) != 8 || std::memcmp(magic, "SBOS0001", 8) != 0 || std::fread(head, sizeof head, 1, f) != 1) {
    std::fprintf(stderr, "engine_bench: %s is not a stream file\n", path);
    std::exit(2);
  }
  ops.resize(head[0]);
  *warm = head[1];
  for (Op& o : ops) {
    StreamRecord r;
    if (std::fread(&r, sizeof r, 1, f) != 1) std::exit(2);
    o = Op{OpKind(r.kind), Side(r.side), r.id, r.price, r.qty};
  }
  std::fclose(f);
  return ops;
}

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
// CPU time of this thread: on a shared machine, time spent descheduled is not the engine's.
double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}
long involuntarySwitches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_nivcsw;
}

int usage() {
  std::fprintf(stderr, "usage: engine_bench mix N | mix-file FILE | latency N RATE | latency-noop N RATE | insert N HINT | insert-file FILE HINT | dump-mix N FILE | dump-insert N FILE\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string mode = argv[1];
  size_t n = size_t(std::atoll(argv[2]));
  if (mode == "dump-mix" || mode == "dump-insert") {
    if (argc < 4) return usage();
    MixStats st;
    const std::vector<Op> ops = mode == "dump-mix" ? mixStream(n, 1100, &st, 42) : liquibookInserts(n, 7);
    if (!writeStream(argv[3], ops, mode == "dump-mix" ? st.warm : 0)) return 1;
    if (mode == "dump-mix")
      std::printf("{\"mode\":\"mixStats\",\"ops\":%zu,\"warm\":%zu,\"meanResting\":%.0f,\"meanLevels\":%.0f,\"tradeShare\":%.4f}\n", n, st.warm,
                  st.meanResting, st.meanLevels, st.tradeShare);
    return 0;
  }
  if (mode == "mix" || mode == "mix-file") {
    MixStats st;
    std::vector<Op> mix;
    if (mode == "mix-file") {
      mix = readStream(argv[2], &st.warm);
      n = mix.size() - st.warm;
    } else {
      mix = mixStream(n, 1100, &st, 42);
    }
    OrderBook b(4096);
    for (size_t i = 0; i < st.warm; ++i) apply(b, mix[i]);
    const uint64_t a0 = allocationsSoFar();
    const double c0 = cpuSeconds();
    const auto t0 = Clock::now();
    for (size_t i = st.warm; i < mix.size(); ++i) apply(b, mix[i]);
    const double s = seconds(t0, Clock::now()), cpu = cpuSeconds() - c0;
    const uint64_t allocs = allocationsSoFar() - a0;
    std::printf("{\"mode\":\"mix\",\"ops\":%zu,\"opsPerSec\":%.0f,\"opsPerCpuSec\":%.0f,\"meanResting\":%.0f,\"meanLevels\":%.0f,\"tradeShare\":%.4f,\"allocations\":%llu}\n",
                n, double(n) / s, double(n) / cpu, st.meanResting, st.meanLevels, st.tradeShare, (unsigned long long)allocs);
    return 0;
  }
  if (mode == "latency" || mode == "latency-noop") {
    // latency-noop runs the same harness with the operation left out: the machine's own hiccups
    // (hypervisor, interrupts, other tenants) at this offered rate, the floor under the engine's row.
    if (argc < 4) return usage();
    const bool noop = mode == "latency-noop";
    const double rate = std::atof(argv[3]);
    MixStats st;
    const std::vector<Op> mix = mixStream(n, 1100, &st, 43);
    std::vector<uint32_t> lat(n), service(n);
    OrderBook b(4096);
    for (size_t i = 0; i < st.warm; ++i) apply(b, mix[i]);
    const double interval = 1e9 / rate;
    const long csw0 = involuntarySwitches();
    const uint64_t a0 = allocationsSoFar();
    const auto t0 = Clock::now() + std::chrono::microseconds(200);
    for (size_t i = 0; i < n; ++i) {
      const auto due = t0 + std::chrono::nanoseconds(int64_t(double(i) * interval));
      auto start = Clock::now();
      while (start < due) start = Clock::now();
      if (!noop) apply(b, mix[st.warm + i]);
      const auto end = Clock::now();
      lat[i] = uint32_t(std::min<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - due).count(), 0xFFFFFFFF));
      service[i] = uint32_t(std::min<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count(), 0xFFFFFFFF));
    }
    const uint64_t allocs = allocationsSoFar() - a0;
    const long csw = involuntarySwitches() - csw0;
    std::sort(lat.begin(), lat.end());
    std::sort(service.begin(), service.end());
    auto pct = [&](const std::vector<uint32_t>& v, double p) { return v[std::min(n - 1, size_t(p * double(n)))]; };
    const auto c0 = Clock::now();
    for (int i = 0; i < 1000000; ++i) (void)Clock::now();
    const double clockNs = seconds(c0, Clock::now()) * 1e3;
    std::printf("{\"mode\":\"%s\",\"ops\":%zu,\"rate\":%.0f,\"p50\":%u,\"p90\":%u,\"p99\":%u,\"p999\":%u,\"max\":%u,"
                "\"serviceP50\":%u,\"serviceP99\":%u,\"serviceP999\":%u,\"involuntarySwitches\":%ld,\"clockNs\":%.1f,\"allocations\":%llu}\n",
                mode.c_str(), n, rate, pct(lat, 0.5), pct(lat, 0.9), pct(lat, 0.99), pct(lat, 0.999), lat.back(), pct(service, 0.5),
                pct(service, 0.99), pct(service, 0.999), csw, clockNs, (unsigned long long)allocs);
    return 0;
  }
  if (mode == "insert" || mode == "insert-file") {
    if (argc < 4) return usage();
    const size_t hint = size_t(std::atoll(argv[3]));
    size_t warm = 0;
    const std::vector<Op> ins = mode == "insert-file" ? readStream(argv[2], &warm) : liquibookInserts(n, 7);
    n = ins.size();
    OrderBook b(hint ? uint32_t(hint) : 1024);
    size_t fills = 0;
    const uint64_t a0 = allocationsSoFar();
    const double c0 = cpuSeconds();
    const auto t0 = Clock::now();
    for (const Op& op : ins) {
      apply(b, op);
      fills += b.fills().size();
    }
    const double s = seconds(t0, Clock::now()), cpu = cpuSeconds() - c0;
    const uint64_t allocs = allocationsSoFar() - a0;
    std::printf("{\"mode\":\"insert\",\"inserts\":%zu,\"hint\":%zu,\"insertsPerSec\":%.0f,\"insertsPerCpuSec\":%.0f,\"fills\":%zu,\"restingAtEnd\":%zu,\"allocations\":%llu}\n",
                n, hint, double(n) / s, double(n) / cpu, fills, b.orderCount(), (unsigned long long)allocs);
    return 0;
  }
  return usage();
}
