// Multi-symbol engine: one OrderBook per symbol, operations routed by a dense symbol index
// (assigned by addSymbol), so routing is one bounds-checked vector access.
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "order_book.h"

namespace statarb {

class Engine {
 public:
  // Returns the symbol's index, creating its book on first use (not on the hot path).
  uint32_t addSymbol(const std::string& symbol, uint32_t expectedOrders = 1024) {
    auto it = index_.find(symbol);
    if (it != index_.end()) return it->second;
    books_.push_back(std::make_unique<OrderBook>(expectedOrders));
    const uint32_t i = uint32_t(books_.size() - 1);
    index_.emplace(symbol, i);
    return i;
  }
  // -1 when the symbol is unknown.
  int64_t symbolIndex(const std::string& symbol) const {
    auto it = index_.find(symbol);
    return it == index_.end() ? -1 : int64_t(it->second);
  }
  OrderBook* book(uint32_t symbol) { return symbol < books_.size() ? books_[symbol].get() : nullptr; }
  size_t symbols() const { return books_.size(); }

  Result submit(uint32_t symbol, const NewOrder& o) {
    OrderBook* b = book(symbol);
    return b ? b->submit(o) : Result{Status::UnknownId, 0, 0};
  }
  Result cancel(uint32_t symbol, uint64_t id, int64_t ts = 0) {
    OrderBook* b = book(symbol);
    return b ? b->cancel(id, ts) : Result{Status::UnknownId, 0, 0};
  }
  Result modify(uint32_t symbol, uint64_t id, int64_t qty, bool changePrice, int64_t price, int64_t ts = 0) {
    OrderBook* b = book(symbol);
    return b ? b->modify(id, qty, changePrice, price, ts) : Result{Status::UnknownId, 0, 0};
  }

 private:
  std::vector<std::unique_ptr<OrderBook>> books_;
  std::unordered_map<std::string, uint32_t> index_;
};

}  // namespace statarb
