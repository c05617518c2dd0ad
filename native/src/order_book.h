// statarb matching engine: one price-time priority limit order book per symbol.
//
// Prices are integer ticks and quantities integer lots; nothing in matching is floating point.
// Layout (chosen for O(1) everything on the hot path, no allocation after warm-up):
//  - orders live in a pool (a Buffer sized up front and touched at construction, with an intrusive
//    free list) and form intrusive doubly-linked FIFO lists per level, so cancel is O(1) given the
//    id → pool index map (IdIndex: direct-addressed pages for dense ids, a Robin Hood table for the
//    rest); the pool grows in place (mremap, no copy) and its added pages are faulted in on use;
//  - price levels live in one dense ladder indexed by (price - base) shared by both sides (the book is
//    never crossed, so a level holds one side only); a two-level bitmap finds the next non-empty level;
//  - the ladder grows (reallocates) only when a price falls outside it, up to kMaxSpan ticks;
//    an empty book re-centres it on the next price for free.
// Growth (pool, id table, ladder) happens before matching starts, so an operation that runs out of
// memory throws std::bad_alloc with the book unchanged.
// Events (fills, L2/L3 book updates) are appended to buffers during matching and handed to listeners
// only after the operation finished; an operation started from inside a listener is refused
// (Status::Reentrant), so a listener never sees a half-matched book.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "buffer.h"
#include "id_index.h"

namespace statarb {

enum class Side : uint8_t { Buy = 0, Sell = 1 };
enum class OrderType : uint8_t { Limit = 0, Market = 1 };
enum class TimeInForce : uint8_t { GTC = 0, IOC = 1, FOK = 2 };

enum class Status : uint8_t {
  Ok = 0,              // accepted (may have filled, rested, or had an IOC remainder cancelled)
  DuplicateId = 1,     // an order with this id is resting
  BadQuantity = 2,     // quantity ≤ 0
  BadPrice = 3,        // price outside the representable range of this book
  PostOnlyWouldTake = 4,  // post-only order would have matched on arrival: rejected, nothing changed
  FokUnfillable = 5,   // fill-or-kill could not fill completely: killed, nothing changed
  UnknownId = 6,       // no resting order with this id
  Reentrant = 7,       // called from inside an event listener
  BadOrder = 8,        // inconsistent order (e.g. market + post-only)
  // (9-12 are the binding's batch-only codes, native/codes.json)
  LevelFull = 13,      // resting it would take its price level's total above kMaxQuantity
};

struct NewOrder {
  uint64_t id = 0;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  TimeInForce tif = TimeInForce::GTC;
  bool postOnly = false;
  int64_t price = 0;  // ticks; ignored for market orders (no sentinel price)
  int64_t quantity = 0;
  int64_t timestamp = 0;
};

struct Fill {
  uint64_t taker;
  uint64_t maker;
  int64_t price;
  int64_t quantity;
  int64_t timestamp;
  Side takerSide;
};

enum class UpdateKind : uint8_t { Add = 0, Cancel = 1, Modify = 2, Trade = 3 };

// One L3 change; levelQuantity gives the L2 view (the level's total after the change).
struct BookUpdate {
  UpdateKind kind;
  Side side;
  uint64_t id;
  int64_t price;
  int64_t quantity;       // the order's open quantity after the change (0 = gone)
  int64_t levelQuantity;  // total open quantity at this price after the change
  int64_t timestamp;
};

struct FillListener {
  virtual ~FillListener() = default;
  virtual void onFill(const Fill& fill) = 0;
};
struct BookListener {
  virtual ~BookListener() = default;
  virtual void onBookUpdate(const BookUpdate& update) = 0;
};

struct Result {
  Status status;
  int64_t filled;   // quantity this operation filled for the incoming/modified order
  int64_t resting;  // open quantity left resting afterwards
};

struct LevelView {
  int64_t price;
  int64_t quantity;
  uint32_t orders;
};

struct OrderView {
  uint64_t id;
  Side side;
  bool postOnly;
  int64_t price;
  int64_t quantity;  // total (original or as modified)
  int64_t filled;
  int64_t open;
};

class OrderBook {
 public:
  static constexpr int64_t kMaxSpan = int64_t(1) << 22;  // ticks between the lowest and highest level
  static constexpr int64_t kMaxPrice = int64_t(1) << 52;
  // The largest order quantity and the largest total of one price level (2^53 - 1, so every
  // quantity and level total is exact as a JavaScript number): an order whose resting part would
  // take its level past it is refused (Status::LevelFull), so level totals never wrap.
  static constexpr int64_t kMaxQuantity = (int64_t(1) << 53) - 1;

  // expectedOrders sizes (and touches) the order pool and the id table up front, so a book that
  // never holds more resting orders than that never allocates after construction.
  explicit OrderBook(uint32_t expectedOrders = 1024);

  // Makes room for `orders` resting orders now (pool and id table), so none of them allocates later.
  void reserve(uint32_t orders);

  // Every operation either completes or, when memory runs out (std::bad_alloc), throws before it
  // changed anything: the pool, id table and price ladder grow before matching starts.
  Result submit(const NewOrder& order);
  Result cancel(uint64_t id, int64_t timestamp = 0);
  // FIX cancel/replace semantics: `quantity` is the new TOTAL order quantity, so the open quantity
  // becomes quantity - filled (≤ 0 cancels the order). Same price and lower open quantity keeps
  // priority; a price change or a larger open quantity re-queues (and may match) like a new order.
  Result modify(uint64_t id, int64_t quantity, bool changePrice, int64_t price, int64_t timestamp = 0);

  bool hasBid() const { return bidIdx_ >= 0; }
  bool hasAsk() const { return askIdx_ >= 0; }
  int64_t bestBid() const { return base_ + bidIdx_; }
  int64_t bestAsk() const { return base_ + askIdx_; }
  int64_t bidQuantity() const { return levels_[bidIdx_].quantity; }
  int64_t askQuantity() const { return levels_[askIdx_].quantity; }

  // Up to n levels of one side from the best; returns how many were written.
  size_t depth(Side side, size_t n, LevelView* out) const;
  // Open quantity queued ahead of the order at its level; -1 when unknown.
  int64_t queuePosition(uint64_t id) const;
  bool orderState(uint64_t id, OrderView* out) const;
  // All resting orders, bids best-first then asks best-first, each level in time priority.
  void snapshot(std::vector<OrderView>& out) const;
  // 32-bit digest of the resting orders for differential tests: the sum over orders of
  // mix32(id, side, price, open, rank), rank = the order's place in its level's queue (0 = first),
  // so it changes with any difference in the orders, their open quantities or their time priority.
  uint32_t checksum() const;
  size_t orderCount() const { return ids_.size(); }
  // Bytes held by the pool, id table and price ladder (for the binding to report to V8's GC).
  size_t memoryBytes() const {
    return pool_.size() * sizeof(Order) + ids_.memoryBytes() + levels_.capacity() * sizeof(Level) + bits_.capacity() * 8;
  }

  // Events of the last operation (valid until the next one).
  const std::vector<Fill>& fills() const { return fills_; }
  const std::vector<BookUpdate>& updates() const { return updates_; }
  void setFillListener(FillListener* l) { fillListener_ = l; }
  void setBookListener(BookListener* l) { bookListener_ = l; }
  void setRecordUpdates(bool on) { recordUpdates_ = on; }
  bool delivering() const { return delivering_; }  // inside a listener callback

  static uint32_t mix32(uint64_t id, Side side, int64_t price, int64_t open, uint32_t rank);

 private:
  static constexpr uint32_t kNil = 0xFFFFFFFFu;
  struct Order {  // total quantity = filled + open
    uint64_t id;
    int64_t price;
    int64_t filled;
    int64_t open;
    uint32_t prev, next;  // level FIFO links; next also links the free list
    Side side;
    bool postOnly;
  };
  struct Level {
    int64_t quantity = 0;
    uint32_t head = kNil, tail = kNil;
    uint32_t count = 0;
  };

  bool begin();
  void finish();
  bool ensureRange(int64_t price);
  void grow(int64_t lo, int64_t hi);
  uint32_t allocOrder();
  void reserveOne();  // room for one more resting order (may allocate: growth)
  void link(uint32_t oi);
  void unlink(uint32_t oi);
  void release(uint32_t oi);
  void setBit(int64_t i);
  void clearBit(int64_t i);
  int64_t nextBelow(int64_t i) const;  // highest non-empty index ≤ i, -1 if none
  int64_t nextAbove(int64_t i) const;  // lowest non-empty index ≥ i, -1 if none
  bool crosses(Side side, bool market, int64_t price) const;
  // true when `add` more open quantity of `side` fits at `price` (within the ladder): the level
  // is empty, holds the other side (which the order takes first), or its total stays ≤ kMaxQuantity
  bool levelHasRoom(Side side, int64_t price, int64_t add) const;
  int64_t available(Side takerSide, bool market, int64_t price, int64_t need) const;
  int64_t match(Side side, bool market, int64_t price, int64_t qty, uint64_t taker, int64_t ts);
  void rest(uint32_t oi, int64_t ts);
  void update(UpdateKind k, const Order& o, int64_t ts) {
    if (recordUpdates_)
      updates_.push_back(BookUpdate{k, o.side, o.id, o.price, o.open, levels_[o.price - base_].quantity, ts});
  }

  Buffer<Order> pool_;
  uint32_t poolUsed_ = 0;     // slots of pool_ ever handed out
  uint32_t freeHead_ = kNil;  // intrusive free list through Order::next
  IdIndex ids_;
  std::vector<Level> levels_;
  std::vector<uint64_t> bits_;     // one bit per level: non-empty
  std::vector<uint64_t> summary_;  // one bit per bits_ word: word non-zero
  int64_t base_ = 0;
  int64_t bidIdx_ = -1, askIdx_ = -1;
  std::vector<Fill> fills_;
  std::vector<BookUpdate> updates_;
  FillListener* fillListener_ = nullptr;
  BookListener* bookListener_ = nullptr;
  bool delivering_ = false;
  bool recordUpdates_ = true;
};

}  // namespace statarb
