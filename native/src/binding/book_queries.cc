// OrderBookWrap's read-only methods: best levels, depth, queue position, order state, snapshot.
#include <cmath>
#include <string>

#include "book_wrap.h"

namespace statarb::binding {

namespace {
Napi::Value level(Napi::Env env, const PriceGrid& grid, bool has, int64_t price, int64_t qty) {
  if (!has) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("price", grid.toPrice(price));
  o.Set("quantity", double(qty));
  return o;
}
}  // namespace

Napi::Value OrderBookWrap::BestBid(const Napi::CallbackInfo& info) {
  const bool has = book_.hasBid();
  return level(info.Env(), grid_, has, has ? book_.bestBid() : 0, has ? book_.bidQuantity() : 0);
}

Napi::Value OrderBookWrap::BestAsk(const Napi::CallbackInfo& info) {
  const bool has = book_.hasAsk();
  return level(info.Env(), grid_, has, has ? book_.bestAsk() : 0, has ? book_.askQuantity() : 0);
}

Napi::Value OrderBookWrap::Depth(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    double n = 10;
    if (info.Length() > 0 && !info[0].IsUndefined()) {
      if (!info[0].IsNumber()) throw BadInput{false, "OrderBook.depth: n must be a number (levels per side)"};
      n = info[0].As<Napi::Number>().DoubleValue();
      if (!(n >= 0) || n != std::floor(n) || n > 1e6) throw BadInput{true, "OrderBook.depth: n must be an integer in [0, 1e6], got " + formatNumber(n)};
    }
    std::vector<LevelView> lv(size_t(n) + 1);
    Napi::Object out = Napi::Object::New(env);
    for (int s = 0; s < 2; ++s) {
      const size_t k = book_.depth(s == 0 ? Side::Buy : Side::Sell, size_t(n), lv.data());
      Napi::Array a = Napi::Array::New(env, k);
      for (size_t i = 0; i < k; ++i) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("price", grid_.toPrice(lv[i].price));
        o.Set("quantity", double(lv[i].quantity));
        o.Set("orders", double(lv[i].orders));
        a.Set(uint32_t(i), o);
      }
      out.Set(s == 0 ? "bids" : "asks", a);
    }
    return out;
  });
}

Napi::Value OrderBookWrap::QueuePosition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const uint64_t id = idField(info.Length() > 0 ? info[0] : env.Undefined(), "OrderBook.queuePosition");
    const int64_t q = book_.queuePosition(id);
    if (q < 0) throw BadInput{true, "OrderBook.queuePosition: id " + std::to_string(id) + " is not a resting order (unknown id)"};
    return Napi::Number::New(env, double(q));
  });
}

Napi::Value OrderBookWrap::OrderState(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const uint64_t id = idField(info.Length() > 0 ? info[0] : env.Undefined(), "OrderBook.orderState");
    OrderView v;
    if (!book_.orderState(id, &v)) return env.Null();
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", double(v.id));
    o.Set("status", v.filled > 0 ? "partiallyFilled" : "resting");
    o.Set("side", v.side == Side::Buy ? "buy" : "sell");
    o.Set("price", grid_.toPrice(v.price));
    o.Set("quantity", double(v.quantity));
    o.Set("filled", double(v.filled));
    o.Set("open", double(v.open));
    o.Set("postOnly", v.postOnly);
    o.Set("queuePosition", double(book_.queuePosition(id)));
    return o;
  });
}

Napi::Value OrderBookWrap::Snapshot(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  book_.snapshot(snap_);
  const size_t n = snap_.size();
  Napi::Float64Array id = Napi::Float64Array::New(env, n), price = Napi::Float64Array::New(env, n), qty = Napi::Float64Array::New(env, n),
                     open = Napi::Float64Array::New(env, n);
  Napi::Uint8Array side = Napi::Uint8Array::New(env, n);
  for (size_t i = 0; i < n; ++i) {
    id[i] = double(snap_[i].id);
    side[i] = uint8_t(snap_[i].side);
    price[i] = grid_.toPrice(snap_[i].price);
    qty[i] = double(snap_[i].quantity);
    open[i] = double(snap_[i].open);
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("id", id);
  o.Set("side", side);
  o.Set("price", price);
  o.Set("quantity", qty);
  o.Set("open", open);
  return o;
}

Napi::Value OrderBookWrap::Checksum(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(book_.checksum())); }
Napi::Value OrderBookWrap::MaxPrice(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), grid_.maxPrice()); }
Napi::Value OrderBookWrap::TickSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), grid_.tick()); }
Napi::Value OrderBookWrap::OrderCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(book_.orderCount())); }
Napi::Value OrderBookWrap::LastUpdates(const Napi::CallbackInfo& info) { return updatesArray(info.Env(), grid_, book_.updates()); }

}  // namespace statarb::binding
