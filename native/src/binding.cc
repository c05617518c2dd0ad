// node-addon-api binding of statarb::OrderBook. Every argument is checked here and a bad one
// becomes a JavaScript TypeError/RangeError that names the field; nothing reaches the engine
// unchecked. Decimal prices are converted to ticks (and back) at this boundary only.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "order_book.h"

namespace {

using statarb::NewOrder;
using statarb::OrderType;
using statarb::Side;
using statarb::Status;
using statarb::TimeInForce;

constexpr double kMaxSafe = 9007199254740991.0;

const char* statusName(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::DuplicateId: return "duplicateId";
    case Status::BadQuantity: return "badQuantity";
    case Status::BadPrice: return "badPrice";
    case Status::PostOnlyWouldTake: return "postOnlyWouldTake";
    case Status::FokUnfillable: return "fokUnfillable";
    case Status::UnknownId: return "unknownId";
    case Status::Reentrant: return "reentrant";
    case Status::BadOrder: return "badOrder";
  }
  return "unknown";
}

struct BadInput {
  bool range;
  std::string message;
};

class OrderBookWrap : public Napi::ObjectWrap<OrderBookWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "OrderBook",
                       {
                           InstanceMethod("submit", &OrderBookWrap::Submit),
                           InstanceMethod("cancel", &OrderBookWrap::Cancel),
                           InstanceMethod("modify", &OrderBookWrap::Modify),
                           InstanceMethod("bestBid", &OrderBookWrap::BestBid),
                           InstanceMethod("bestAsk", &OrderBookWrap::BestAsk),
                           InstanceMethod("depth", &OrderBookWrap::Depth),
                           InstanceMethod("queuePosition", &OrderBookWrap::QueuePosition),
                           InstanceMethod("orderState", &OrderBookWrap::OrderState),
                           InstanceMethod("snapshot", &OrderBookWrap::Snapshot),
                           InstanceMethod("checksum", &OrderBookWrap::Checksum),
                           InstanceMethod("lastUpdates", &OrderBookWrap::LastUpdates),
                           InstanceMethod("subscribe", &OrderBookWrap::Subscribe),
                           InstanceMethod("dispose", &OrderBookWrap::Dispose),
                           InstanceMethod("submitBatch", &OrderBookWrap::SubmitBatch),
                           InstanceMethod("setScratch", &OrderBookWrap::SetScratch),
                           InstanceMethod("submitScratch", &OrderBookWrap::SubmitScratch),
                           InstanceMethod("lastFillsInto", &OrderBookWrap::LastFillsInto),
                           InstanceAccessor("tickSize", &OrderBookWrap::TickSize, nullptr),
                           InstanceAccessor("orderCount", &OrderBookWrap::OrderCount, nullptr),
                       });
  }

  ~OrderBookWrap() override {
    if (reported_ && env_) Napi::MemoryManagement::AdjustExternalMemory(env_, -reported_);
  }

  explicit OrderBookWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<OrderBookWrap>(info) {
    Napi::Env env = info.Env();
    env_ = env;
    if (info.Length() < 1 || !info[0].IsObject()) {
      Napi::TypeError::New(env, "OrderBook: options must be an object like { tickSize: 0.01 }").ThrowAsJavaScriptException();
      return;
    }
    Napi::Object o = info[0].As<Napi::Object>();
    Napi::Value t = o.Get("tickSize");
    if (!t.IsNumber() || !std::isfinite(t.As<Napi::Number>().DoubleValue()) || t.As<Napi::Number>().DoubleValue() <= 0) {
      Napi::TypeError::New(env, "OrderBook: option tickSize must be a finite number > 0 (e.g. 0.01)").ThrowAsJavaScriptException();
      return;
    }
    tick_ = t.As<Napi::Number>().DoubleValue();
    // decimals of the tick, to print prices without binary noise (0.1 + 0.2 style)
    decimals_ = 0;
    for (double x = tick_; decimals_ < 12 && std::fabs(x - std::round(x)) > 1e-9 * std::max(1.0, x); x *= 10) ++decimals_;
    scale_ = std::pow(10.0, decimals_);
    const double inv = 1.0 / tick_;
    if (tick_ < 1 && std::fabs(inv - std::round(inv)) < 1e-9 * inv) perUnit_ = std::round(inv);
    tickIsInt_ = tick_ >= 1 && tick_ == std::floor(tick_);
    Napi::Value cap = o.Get("expectedOrders");
    if (!cap.IsUndefined()) {
      const double c = cap.IsNumber() ? cap.As<Napi::Number>().DoubleValue() : -1;
      if (!(c >= 1 && c <= kMaxExpected && c == std::floor(c))) {
        Napi::RangeError::New(env, "OrderBook: option expectedOrders must be an integer in [1, " + std::to_string(uint32_t(kMaxExpected)) +
                                       "] (resting orders to preallocate room for; default 1024)")
            .ThrowAsJavaScriptException();
        return;
      }
      try {
        book_.reserve(uint32_t(c));
      } catch (const std::bad_alloc&) {
        Napi::RangeError::New(env, "OrderBook: out of memory preallocating expectedOrders " + std::to_string(uint32_t(c)) + "; ask for fewer")
            .ThrowAsJavaScriptException();
        return;
      }
    }
    reportMemory();
  }

 private:
  static constexpr double kMaxTicks = double(statarb::OrderBook::kMaxPrice);
  static constexpr double kMaxExpected = double(1 << 24);
  napi_env env_ = nullptr;
  int64_t reported_ = 0;  // bytes of book memory reported to V8 as external, so GC weighs a big book
  void reportMemory() {
    const int64_t now = int64_t(book_.memoryBytes());
    if (now != reported_ && env_) {
      Napi::MemoryManagement::AdjustExternalMemory(env_, now - reported_);
      reported_ = now;
    }
  }
  double tick_ = 1;
  double perUnit_ = 0;  // 1/tick when that is an integer (0.01 → 100), else 0
  bool tickIsInt_ = false;
  int decimals_ = 0;
  double scale_ = 1;
  statarb::OrderBook book_;
  std::vector<statarb::OrderView> snap_;
  // batch output buffers, reused across calls
  // Batch fill columns, handed to JavaScript as external ArrayBuffers so each fill is written exactly
  // once. Big columns come from the engine's recycled huge-page blocks (buffer.h) and go back there
  // when JavaScript collects them; V8 is told their size so it collects them promptly.
  static void* allocBlock(size_t bytes) {
    if (bytes >= statarb::kBigBlock) {
      try {
        return statarb::bigAlloc(bytes);
      } catch (const std::bad_alloc&) {
        return nullptr;
      }
    }
    return std::malloc(bytes);
  }
  static void freeBlock(void* p, size_t bytes) {
    if (!p) return;
    if (bytes >= statarb::kBigBlock)
      statarb::bigFree(p, bytes);
    else
      std::free(p);
  }
  template <typename T>
  struct Column {
    T* p = nullptr;
    size_t cap = 0;
    static size_t bytesOf(size_t n) {
      const size_t b = n * sizeof(T);
      return b >= statarb::kBigBlock ? statarb::bigBytes(b) : b;
    }
    ~Column() { freeBlock(p, bytesOf(cap)); }
    bool reserve(size_t n) {
      if (n <= cap) return true;
      size_t c = cap ? cap * 2 : 4096;
      while (c < n) c *= 2;
      T* q = static_cast<T*>(allocBlock(bytesOf(c)));
      if (!q) return false;
      if (cap) std::memcpy(q, p, cap * sizeof(T));
      freeBlock(p, bytesOf(cap));
      p = q;
      cap = c;
      return true;
    }
    // Gives up the block: its pointer and the size it must be freed with.
    T* release(size_t* blockBytes) {
      T* q = p;
      *blockBytes = bytesOf(cap);
      p = nullptr;
      cap = 0;
      return q;
    }
  };
  Column<uint32_t> fOp_;
  Column<double> fTaker_, fMaker_, fPrice_, fQty_, fTs_;
  // per-call fast path: fields in and results out through two typed arrays shared with JS
  Napi::Reference<Napi::Float64Array> inRef_, outRef_;
  double* in_ = nullptr;
  double* out_ = nullptr;
  size_t outCap_ = 0;  // fills that fit in out_

  // Hot paths avoid libm calls (round/floor are calls without SSE4.1, and the build is portable).
  double toPrice(int64_t ticks) const {
    if (perUnit_ > 0) return double(ticks) / perUnit_;  // 1/tick is an integer: correctly rounded decimal
    if (tickIsInt_) return double(ticks) * tick_;
    return std::round(double(ticks) * tick_ * scale_) / scale_;
  }
  static int64_t roundHalfAway(double x) { return int64_t(x + (x >= 0 ? 0.5 : -0.5)); }

  // price → ticks; false when not finite / off the grid / out of range
  bool toTicks(double p, int64_t* out) const {
    const double x = perUnit_ > 0 ? p * perUnit_ : p / tick_;
    if (!(x > -kMaxTicks && x < kMaxTicks)) return false;  // also rejects NaN and ±Infinity
    const int64_t r = roundHalfAway(x);
    const double d = x - double(r);
    // a price on the grid lands within rounding noise of an integer tick count: 1e-6 ticks, widened
    // for large magnitudes where one ulp of the price is itself more than that
    const double tol = std::max(1e-6, (x < 0 ? -x : x) * 1e-15);
    if (d > tol || d < -tol) return false;
    *out = r;
    return true;
  }

  static bool isCount(double q) { return q > 0 && q <= kMaxSafe && q == double(int64_t(q)); }
  static bool isTimestamp(double t) { return t >= -kMaxSafe && t <= kMaxSafe && t == double(int64_t(t)); }
  static bool isId(double v) { return v >= 0 && v <= kMaxSafe && v == double(int64_t(v)); }

  int64_t priceField(Napi::Env env, Napi::Value v, const char* where, const char* field) {
    if (!v.IsNumber()) throw BadInput{false, std::string(where) + ": " + field + " must be a number (a decimal price on the tick grid)"};
    const double p = v.As<Napi::Number>().DoubleValue();
    int64_t t;
    if (!toTicks(p, &t)) {
      if (!std::isfinite(p)) throw BadInput{true, std::string(where) + ": " + field + " must be finite, got " + std::to_string(p)};
      throw BadInput{true, std::string(where) + ": " + field + " " + formatNumber(p) + " is off the tick grid (tickSize " + formatNumber(tick_) +
                               "); round it to a multiple of the tick size"};
    }
    (void)env;
    return t;
  }
  static std::string formatNumber(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
  }
  int64_t quantityField(Napi::Value v, const char* where) {
    if (!v.IsNumber()) throw BadInput{false, std::string(where) + ": quantity must be a number (a positive integer)"};
    const double q = v.As<Napi::Number>().DoubleValue();
    if (!isCount(q)) throw BadInput{true, std::string(where) + ": quantity must be a positive integer, got " + formatNumber(q)};
    return int64_t(q);
  }
  uint64_t idField(Napi::Value v, const char* where) {
    if (!v.IsNumber()) throw BadInput{false, std::string(where) + ": id must be a number (a non-negative safe integer)"};
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!isId(d)) throw BadInput{true, std::string(where) + ": id must be a non-negative safe integer, got " + formatNumber(d)};
    return uint64_t(d);
  }
  int64_t timestampField(Napi::Value v, const char* where) {
    if (v.IsUndefined()) return 0;
    if (!v.IsNumber()) throw BadInput{false, std::string(where) + ": timestamp must be a number (an integer count of your clock's units) when given"};
    const double t = v.As<Napi::Number>().DoubleValue();
    if (!isTimestamp(t)) throw BadInput{true, std::string(where) + ": timestamp must be a safe integer (e.g. epoch microseconds), got " + formatNumber(t)};
    return int64_t(t);
  }

  BadInput outOfMemory() const {
    return BadInput{true, "OrderBook: out of memory growing the book (" + std::to_string(book_.orderCount()) +
                              " resting orders); the operation that needed it was not applied"};
  }

  // Runs a JavaScript-facing method's body: bad input and a failed allocation become JavaScript
  // errors (TypeError or RangeError), never a crash.
  template <class Body>
  Napi::Value guarded(Napi::Env env, Body&& body) {
    try {
      return body();
    } catch (const BadInput& b) {
      return Throw(env, b);
    } catch (const std::bad_alloc&) {
      return Throw(env, outOfMemory());
    }
  }

  Napi::Value Throw(Napi::Env env, const BadInput& b) {
    if (b.range)
      Napi::RangeError::New(env, b.message).ThrowAsJavaScriptException();
    else
      Napi::TypeError::New(env, b.message).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  // Errors that are the caller's mistake become exceptions; market outcomes (post-only reject,
  // FOK kill) are results.
  bool throwStatus(Napi::Env env, Status s, const char* where, uint64_t id) {
    std::string msg;
    switch (s) {
      case Status::DuplicateId: msg = std::string(where) + ": id " + std::to_string(id) + " is already resting (duplicate id)"; break;
      case Status::UnknownId: msg = std::string(where) + ": id " + std::to_string(id) + " is not a resting order (unknown id)"; break;
      case Status::BadPrice: msg = std::string(where) + ": price is too far from the prices resting in this book (more than 4194304 ticks apart)"; break;
      case Status::BadQuantity: msg = std::string(where) + ": quantity must be a positive integer"; break;
      case Status::BadOrder: msg = std::string(where) + ": postOnly cannot be combined with a market order"; break;
      case Status::Reentrant: msg = std::string(where) + ": called from inside an event listener of this book"; break;
      default: return false;
    }
    Napi::Error::New(env, msg).ThrowAsJavaScriptException();
    return true;
  }

  Napi::Array fillsArray(Napi::Env env) {
    const auto& fills = book_.fills();
    Napi::Array a = Napi::Array::New(env, fills.size());
    for (size_t i = 0; i < fills.size(); ++i) a.Set(uint32_t(i), fillObject(env, fills[i]));
    return a;
  }

  Napi::Object resultObject(Napi::Env env, const statarb::Result& r) {
    Napi::Object o = Napi::Object::New(env);
    const char* status = "accepted";
    if (r.status == Status::PostOnlyWouldTake) status = "rejected";
    if (r.status == Status::FokUnfillable) status = "killed";
    o.Set("status", status);
    if (r.status != Status::Ok) o.Set("reason", statusName(r.status));
    o.Set("filled", double(r.filled));
    o.Set("resting", double(r.resting));
    o.Set("fills", fillsArray(env));
    return o;
  }

  Napi::Value Submit(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const char* where = "OrderBook.submit";
    return guarded(env, [&]() -> Napi::Value {
      if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray())
        throw BadInput{false, std::string(where) + ": order must be an object like { id, side, price, quantity }"};
      Napi::Object in = info[0].As<Napi::Object>();
      NewOrder o;
      o.id = idField(in.Get("id"), where);
      Napi::Value side = in.Get("side");
      const std::string s = side.IsString() ? side.As<Napi::String>().Utf8Value() : "";
      if (s != "buy" && s != "sell") throw BadInput{false, std::string(where) + ": side must be \"buy\" or \"sell\""};
      o.side = s == "buy" ? Side::Buy : Side::Sell;
      Napi::Value type = in.Get("type");
      const std::string ty = type.IsUndefined() ? "limit" : type.IsString() ? type.As<Napi::String>().Utf8Value() : "?";
      if (ty != "limit" && ty != "market") throw BadInput{false, std::string(where) + ": type must be \"limit\" or \"market\" (default \"limit\")"};
      o.type = ty == "market" ? OrderType::Market : OrderType::Limit;
      Napi::Value tif = in.Get("timeInForce");
      const std::string tf = tif.IsUndefined() ? "gtc" : tif.IsString() ? tif.As<Napi::String>().Utf8Value() : "?";
      if (tf != "gtc" && tf != "ioc" && tf != "fok") throw BadInput{false, std::string(where) + ": timeInForce must be \"gtc\", \"ioc\" or \"fok\" (default \"gtc\")"};
      o.tif = tf == "ioc" ? TimeInForce::IOC : tf == "fok" ? TimeInForce::FOK : TimeInForce::GTC;
      Napi::Value po = in.Get("postOnly");
      if (!po.IsUndefined() && !po.IsBoolean()) throw BadInput{false, std::string(where) + ": postOnly must be a boolean"};
      o.postOnly = po.IsBoolean() && po.As<Napi::Boolean>().Value();
      Napi::Value price = in.Get("price");
      if (o.type == OrderType::Limit) {
        if (price.IsUndefined()) throw BadInput{false, std::string(where) + ": price is required for a limit order"};
        o.price = priceField(env, price, where, "price");
      } else {
        if (!price.IsUndefined()) throw BadInput{false, std::string(where) + ": price must be omitted for a market order (it takes any price)"};
        if (o.postOnly) throw BadInput{false, std::string(where) + ": postOnly cannot be combined with type \"market\""};
        if (o.tif == TimeInForce::GTC) o.tif = TimeInForce::IOC;
      }
      if (o.postOnly && o.tif != TimeInForce::GTC) throw BadInput{false, std::string(where) + ": postOnly requires timeInForce \"gtc\""};
      o.quantity = quantityField(in.Get("quantity"), where);
      o.timestamp = timestampField(in.Get("timestamp"), where);
      const statarb::Result r = book_.submit(o);
      if (env.IsExceptionPending()) return env.Undefined();  // a listener threw: the operation stands, its error propagates
      if (throwStatus(env, r.status, where, o.id)) return env.Undefined();
      reportMemory();
      return resultObject(env, r);
    });
  }

  Napi::Value Cancel(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const char* where = "OrderBook.cancel";
    return guarded(env, [&]() -> Napi::Value {
      if (info.Length() < 1) throw BadInput{false, std::string(where) + ": id is required"};
      const uint64_t id = idField(info[0], where);
      const int64_t ts = info.Length() > 1 ? timestampField(info[1], where) : 0;
      const statarb::Result r = book_.cancel(id, ts);
      if (env.IsExceptionPending()) return env.Undefined();  // a listener threw: the operation stands, its error propagates
      if (throwStatus(env, r.status, where, id)) return env.Undefined();
      return env.Undefined();
    });
  }

  Napi::Value Modify(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const char* where = "OrderBook.modify";
    return guarded(env, [&]() -> Napi::Value {
      if (info.Length() < 2 || !info[1].IsObject()) throw BadInput{false, std::string(where) + ": expected (id, { quantity, price })"};
      const uint64_t id = idField(info[0], where);
      Napi::Object ch = info[1].As<Napi::Object>();
      statarb::OrderView v;
      if (!book_.orderState(id, &v)) throw BadInput{true, std::string(where) + ": id " + std::to_string(id) + " is not a resting order (unknown id)"};
      Napi::Value q = ch.Get("quantity");
      Napi::Value p = ch.Get("price");
      if (q.IsUndefined() && p.IsUndefined()) throw BadInput{false, std::string(where) + ": give quantity and/or price"};
      const int64_t quantity = q.IsUndefined() ? v.quantity : quantityField(q, where);
      const bool changePrice = !p.IsUndefined();
      const int64_t price = changePrice ? priceField(env, p, where, "price") : v.price;
      const int64_t ts = timestampField(ch.Get("timestamp"), where);
      const statarb::Result r = book_.modify(id, quantity, changePrice, price, ts);
      if (env.IsExceptionPending()) return env.Undefined();  // a listener threw: the operation stands, its error propagates
      if (throwStatus(env, r.status, where, id)) return env.Undefined();
      reportMemory();
      return resultObject(env, r);
    });
  }

  Napi::Value level(Napi::Env env, bool has, int64_t price, int64_t qty) {
    if (!has) return env.Null();
    Napi::Object o = Napi::Object::New(env);
    o.Set("price", toPrice(price));
    o.Set("quantity", double(qty));
    return o;
  }
  Napi::Value BestBid(const Napi::CallbackInfo& info) {
    return level(info.Env(), book_.hasBid(), book_.hasBid() ? book_.bestBid() : 0, book_.hasBid() ? book_.bidQuantity() : 0);
  }
  Napi::Value BestAsk(const Napi::CallbackInfo& info) {
    return level(info.Env(), book_.hasAsk(), book_.hasAsk() ? book_.bestAsk() : 0, book_.hasAsk() ? book_.askQuantity() : 0);
  }

  Napi::Value Depth(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    double n = 10;
    if (info.Length() > 0 && !info[0].IsUndefined()) {
      if (!info[0].IsNumber()) return Throw(env, BadInput{false, "OrderBook.depth: n must be a number (levels per side)"});
      n = info[0].As<Napi::Number>().DoubleValue();
      if (!(n >= 0) || n != std::floor(n) || n > 1e6) return Throw(env, BadInput{true, "OrderBook.depth: n must be an integer in [0, 1e6], got " + formatNumber(n)});
    }
    std::vector<statarb::LevelView> lv(size_t(n) + 1);
    Napi::Object out = Napi::Object::New(env);
    for (int s = 0; s < 2; ++s) {
      const size_t k = book_.depth(s == 0 ? Side::Buy : Side::Sell, size_t(n), lv.data());
      Napi::Array a = Napi::Array::New(env, k);
      for (size_t i = 0; i < k; ++i) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("price", toPrice(lv[i].price));
        o.Set("quantity", double(lv[i].quantity));
        o.Set("orders", double(lv[i].orders));
        a.Set(uint32_t(i), o);
      }
      out.Set(s == 0 ? "bids" : "asks", a);
    }
    return out;
  }

  Napi::Value QueuePosition(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guarded(env, [&]() -> Napi::Value {
      const uint64_t id = idField(info.Length() > 0 ? info[0] : env.Undefined(), "OrderBook.queuePosition");
      const int64_t q = book_.queuePosition(id);
      if (q < 0) throw BadInput{true, "OrderBook.queuePosition: id " + std::to_string(id) + " is not a resting order (unknown id)"};
      return Napi::Number::New(env, double(q));
    });
  }

  Napi::Value OrderState(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guarded(env, [&]() -> Napi::Value {
      const uint64_t id = idField(info.Length() > 0 ? info[0] : env.Undefined(), "OrderBook.orderState");
      statarb::OrderView v;
      if (!book_.orderState(id, &v)) return env.Null();
      Napi::Object o = Napi::Object::New(env);
      o.Set("id", double(v.id));
      o.Set("status", v.filled > 0 ? "partiallyFilled" : "resting");
      o.Set("side", v.side == Side::Buy ? "buy" : "sell");
      o.Set("price", toPrice(v.price));
      o.Set("quantity", double(v.quantity));
      o.Set("filled", double(v.filled));
      o.Set("open", double(v.open));
      o.Set("postOnly", v.postOnly);
      o.Set("queuePosition", double(book_.queuePosition(id)));
      return o;
    });
  }

  Napi::Value Snapshot(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    book_.snapshot(snap_);
    const size_t n = snap_.size();
    Napi::Float64Array id = Napi::Float64Array::New(env, n), price = Napi::Float64Array::New(env, n),
                       qty = Napi::Float64Array::New(env, n), open = Napi::Float64Array::New(env, n);
    Napi::Uint8Array side = Napi::Uint8Array::New(env, n);
    for (size_t i = 0; i < n; ++i) {
      id[i] = double(snap_[i].id);
      side[i] = uint8_t(snap_[i].side);
      price[i] = toPrice(snap_[i].price);
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

  Napi::Value Checksum(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(book_.checksum())); }
  Napi::Value TickSize(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), tick_); }
  Napi::Value OrderCount(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), double(book_.orderCount())); }

  // Delivers the engine's events to JavaScript after each operation: the engine queues them during
  // matching and calls these listeners from OrderBook::finish(), with its re-entrancy guard set, so
  // JavaScript sees only a fully matched book and an operation on this book from inside a listener
  // is refused (an Error naming the cause). The first listener that throws stops the delivery of
  // that operation's remaining events; its error is rethrown by the call that caused them.
  struct JsListener : statarb::FillListener, statarb::BookListener {
    OrderBookWrap* self = nullptr;
    Napi::FunctionReference fill, update;
    void onFill(const statarb::Fill& f) override {
      Napi::Env env = fill.Env();
      if (env.IsExceptionPending()) return;
      fill.Call({self->fillObject(env, f)});
    }
    void onBookUpdate(const statarb::BookUpdate& u) override {
      Napi::Env env = update.Env();
      if (env.IsExceptionPending()) return;
      update.Call({self->updateObject(env, u)});
    }
  };
  JsListener listener_;

  void attachListeners() {
    book_.setRecordUpdates(true);
    book_.setFillListener(listener_.fill.IsEmpty() ? nullptr : &listener_);
    book_.setBookListener(listener_.update.IsEmpty() ? nullptr : &listener_);
  }

  // Drops every resting order and gives the book's memory back now (to the recycled-block cache),
  // instead of whenever the garbage collector finalizes this object; the book stays usable, empty.
  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (book_.delivering()) return Throw(env, BadInput{false, "OrderBook.dispose: called from inside an event listener of this book"});
    book_ = statarb::OrderBook();
    attachListeners();
    reportMemory();
    return env.Undefined();
  }

  // subscribe({ onFill?, onBookUpdate? }) replaces the listeners; subscribe(null) removes them.
  Napi::Value Subscribe(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const char* where = "OrderBook.subscribe";
    if (info.Length() < 1 || (!info[0].IsObject() && !info[0].IsNull()))
      return Throw(env, BadInput{false, std::string(where) + ": listener must be an object like { onFill, onBookUpdate }, or null"});
    Napi::Value f = env.Undefined(), u = env.Undefined();
    if (info[0].IsObject()) {
      Napi::Object l = info[0].As<Napi::Object>();
      f = l.Get("onFill");
      u = l.Get("onBookUpdate");
      if (!f.IsUndefined() && !f.IsFunction()) return Throw(env, BadInput{false, std::string(where) + ": onFill must be a function"});
      if (!u.IsUndefined() && !u.IsFunction()) return Throw(env, BadInput{false, std::string(where) + ": onBookUpdate must be a function"});
    }
    if (book_.delivering()) return Throw(env, BadInput{false, std::string(where) + ": called from inside an event listener of this book"});
    listener_.self = this;
    listener_.fill = f.IsFunction() ? Napi::Persistent(f.As<Napi::Function>()) : Napi::FunctionReference();
    listener_.update = u.IsFunction() ? Napi::Persistent(u.As<Napi::Function>()) : Napi::FunctionReference();
    attachListeners();
    return env.Undefined();
  }

  Napi::Object fillObject(Napi::Env env, const statarb::Fill& f) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("taker", double(f.taker));
    o.Set("maker", double(f.maker));
    o.Set("price", toPrice(f.price));
    o.Set("quantity", double(f.quantity));
    o.Set("timestamp", double(f.timestamp));
    o.Set("takerSide", f.takerSide == Side::Buy ? "buy" : "sell");
    return o;
  }
  Napi::Object updateObject(Napi::Env env, const statarb::BookUpdate& u) {
    static const char* kinds[] = {"add", "cancel", "modify", "trade"};
    Napi::Object o = Napi::Object::New(env);
    o.Set("kind", kinds[int(u.kind)]);
    o.Set("side", u.side == Side::Buy ? "buy" : "sell");
    o.Set("id", double(u.id));
    o.Set("price", toPrice(u.price));
    o.Set("quantity", double(u.quantity));
    o.Set("levelQuantity", double(u.levelQuantity));
    o.Set("timestamp", double(u.timestamp));
    return o;
  }

  Napi::Value LastUpdates(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const auto& u = book_.updates();
    Napi::Array a = Napi::Array::New(env, u.size());
    for (size_t i = 0; i < u.size(); ++i) a.Set(uint32_t(i), updateObject(env, u[i]));
    return a;
  }


  // setScratch(input: Float64Array(8), output: Float64Array(4 + 5k)). Input layout:
  // [id, side 0/1, type 0 limit/1 market, tif 0 gtc/1 ioc/2 fok, postOnly 0/1, price, quantity, timestamp].
  // Output: [status, filled, resting, fillCount, then per fill taker, maker, price, quantity, timestamp].
  Napi::Value SetScratch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsTypedArray() ||
        info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
        info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
      return Throw(env, BadInput{false, "OrderBook.setScratch: input and output must be Float64Arrays"});
    Napi::Float64Array a = info[0].As<Napi::Float64Array>(), b = info[1].As<Napi::Float64Array>();
    if (a.ElementLength() < 8 || b.ElementLength() < 9)
      return Throw(env, BadInput{true, "OrderBook.setScratch: input needs ≥ 8 elements and output ≥ 9"});
    inRef_ = Napi::Persistent(a);
    outRef_ = Napi::Persistent(b);
    in_ = a.Data();
    out_ = b.Data();
    outCap_ = (b.ElementLength() - 4) / 5;
    return env.Undefined();
  }

  void writeFills(size_t cap) {
    const auto& fills = book_.fills();
    const size_t k = std::min(cap, fills.size());
    double* o = out_ + 4;
    for (size_t i = 0; i < k; ++i, o += 5) {
      o[0] = double(fills[i].taker);
      o[1] = double(fills[i].maker);
      o[2] = toPrice(fills[i].price);
      o[3] = double(fills[i].quantity);
      o[4] = double(fills[i].timestamp);
    }
  }

  // Submits the order in the input scratch; bad fields come back as status codes (the TypeScript
  // wrapper then asks submit() for the named error).
  Napi::Value SubmitScratch(const Napi::CallbackInfo& info) {
    return guarded(info.Env(), [&]() { return submitScratch(info); });
  }
  Napi::Value submitScratch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!in_) return Throw(env, BadInput{false, "OrderBook.submitScratch: call setScratch first"});
    const double* x = in_;
    Status st = Status::Ok;
    statarb::Result r{Status::Ok, 0, 0};
    if (!isId(x[0]) || !(x[1] == 0 || x[1] == 1) || !(x[2] == 0 || x[2] == 1) || !(x[3] == 0 || x[3] == 1 || x[3] == 2) ||
        !isTimestamp(x[7])) {
      st = Status::BadOrder;
    } else if (!isCount(x[6])) {
      st = Status::BadQuantity;
    } else {
      NewOrder o;
      o.id = uint64_t(x[0]);
      o.side = x[1] == 0 ? Side::Buy : Side::Sell;
      o.type = x[2] == 0 ? OrderType::Limit : OrderType::Market;
      o.tif = TimeInForce(int(x[3]));
      o.postOnly = x[4] != 0;
      o.quantity = int64_t(x[6]);
      o.timestamp = int64_t(x[7]);
      if (o.type == OrderType::Market && o.tif == TimeInForce::GTC) o.tif = TimeInForce::IOC;
      if (o.type == OrderType::Limit && !toTicks(x[5], &o.price))
        st = Status::BadPrice;
      else if (o.postOnly && (o.type == OrderType::Market || o.tif != TimeInForce::GTC))
        st = Status::BadOrder;
      else
        st = (r = book_.submit(o)).status;
      if (env.IsExceptionPending()) return env.Undefined();
    }
    out_[0] = double(st);
    out_[1] = double(r.filled);
    out_[2] = double(r.resting);
    const bool ran = st == Status::Ok || st == Status::PostOnlyWouldTake || st == Status::FokUnfillable;
    const size_t nf = ran ? book_.fills().size() : 0;
    out_[3] = double(nf);
    reportMemory();
    if (nf) writeFills(outCap_);
    return env.Undefined();
  }

  // After setScratch with a larger output: copies the last operation's fills into it.
  Napi::Value LastFillsInto(const Napi::CallbackInfo& info) {
    if (out_) writeFills(outCap_);
    return info.Env().Undefined();
  }

  template <typename T>
  static T typed(Napi::Object ops, const char* field, napi_typedarray_type type, const char* typeName, size_t n, bool optional, bool* present) {
    Napi::Value v = ops.Get(field);
    *present = false;
    if (v.IsUndefined() && optional) return T();
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type)
      throw BadInput{false, std::string("OrderBook.submitBatch: ops.") + field + " must be a " + typeName};
    T a = v.As<T>();
    if (a.ElementLength() != n)
      throw BadInput{true, std::string("OrderBook.submitBatch: ops.") + field + " has length " + std::to_string(a.ElementLength()) +
                               ", expected " + std::to_string(n) + " (the length of ops.type)"};
    *present = true;
    return a;
  }

  // ops: { type: Uint8Array (0 limit, 1 market, 2 IOC limit, 3 FOK limit, 4 post-only limit, 5 cancel,
  //        6 modify (price NaN = keep), 7 FOK market), id, price, quantity: Float64Array, side: Uint8Array
  //        (0 buy, 1 sell), timestamp?: Float64Array }, options { checksums?: boolean }.
  Napi::Value SubmitBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    return guarded(env, [&]() -> Napi::Value {
      if (info.Length() < 1 || !info[0].IsObject()) throw BadInput{false, "OrderBook.submitBatch: ops must be an object of typed arrays { type, id, side, price, quantity }"};
      Napi::Object ops = info[0].As<Napi::Object>();
      Napi::Value tv = ops.Get("type");
      if (!tv.IsTypedArray() || tv.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
        throw BadInput{false, "OrderBook.submitBatch: ops.type must be a Uint8Array"};
      Napi::Uint8Array type = tv.As<Napi::Uint8Array>();
      const size_t n = type.ElementLength();
      bool has;
      Napi::Float64Array id = typed<Napi::Float64Array>(ops, "id", napi_float64_array, "Float64Array", n, false, &has);
      Napi::Uint8Array side = typed<Napi::Uint8Array>(ops, "side", napi_uint8_array, "Uint8Array", n, false, &has);
      Napi::Float64Array price = typed<Napi::Float64Array>(ops, "price", napi_float64_array, "Float64Array", n, false, &has);
      Napi::Float64Array qty = typed<Napi::Float64Array>(ops, "quantity", napi_float64_array, "Float64Array", n, false, &has);
      bool hasTs;
      Napi::Float64Array tsa = typed<Napi::Float64Array>(ops, "timestamp", napi_float64_array, "Float64Array", n, true, &hasTs);
      bool checksums = false;
      if (info.Length() > 1 && info[1].IsObject()) {
        Napi::Value c = info[1].As<Napi::Object>().Get("checksums");
        checksums = c.IsBoolean() && c.As<Napi::Boolean>().Value();
      }
      const uint8_t* T = type.Data();
      const double* I = id.Data();
      const uint8_t* S = side.Data();
      const double* P = price.Data();
      const double* Q = qty.Data();
      const double* TS = hasTs ? tsa.Data() : nullptr;
      Napi::Uint8Array status = Napi::Uint8Array::New(env, n);
      uint8_t* st = status.Data();
      Napi::Uint32Array sums = checksums ? Napi::Uint32Array::New(env, n) : Napi::Uint32Array();
      // the batch returns fills as columns; L2/L3 updates and listeners belong to per-call operations
      book_.setRecordUpdates(false);
      book_.setFillListener(nullptr);
      book_.setBookListener(nullptr);
      struct Restore {
        OrderBookWrap& w;
        ~Restore() { w.attachListeners(); }
      } restore{*this};
      size_t m = 0;
      constexpr uint8_t kBadId = 9, kBadSide = 10, kBadType = 11, kBadTimestamp = 12;
      for (size_t i = 0; i < n; ++i) {
        const uint8_t t = T[i];
        statarb::Result r{Status::Ok, 0, 0};
        bool ran = false;  // the engine ran this op, so fills() belongs to it
        const bool tsOk = !TS || isTimestamp(TS[i]);
        const int64_t ts = TS && tsOk ? int64_t(TS[i]) : 0;
        if (!isId(I[i])) {
          st[i] = kBadId;
        } else if (!tsOk) {
          st[i] = kBadTimestamp;
        } else if (t == 5) {
          st[i] = uint8_t(book_.cancel(uint64_t(I[i]), ts).status);
          ran = true;
        } else if (t == 6) {
          int64_t pt = 0;
          const bool changePrice = !std::isnan(P[i]);
          if (!isCount(Q[i]))
            st[i] = uint8_t(Status::BadQuantity);
          else if (changePrice && !toTicks(P[i], &pt))
            st[i] = uint8_t(Status::BadPrice);
          else
            st[i] = uint8_t((r = book_.modify(uint64_t(I[i]), int64_t(Q[i]), changePrice, pt, ts)).status), ran = true;
        } else if (t > 7) {
          st[i] = kBadType;
        } else if (S[i] > 1) {
          st[i] = kBadSide;
        } else if (!isCount(Q[i])) {
          st[i] = uint8_t(Status::BadQuantity);
        } else {
          NewOrder o;
          o.id = uint64_t(I[i]);
          o.side = Side(S[i]);
          o.quantity = int64_t(Q[i]);
          o.timestamp = ts;
          bool ok = true;
          if (t == 1 || t == 7) {
            o.type = OrderType::Market;
            o.tif = t == 7 ? TimeInForce::FOK : TimeInForce::IOC;
          } else {
            ok = toTicks(P[i], &o.price);
            o.tif = t == 2 ? TimeInForce::IOC : t == 3 ? TimeInForce::FOK : TimeInForce::GTC;
            o.postOnly = t == 4;
          }
          st[i] = ok ? uint8_t((r = book_.submit(o)).status) : uint8_t(Status::BadPrice);
          ran = ok;
        }
        if (ran && !book_.fills().empty()) {
          const auto& fills = book_.fills();
          const size_t need = m + fills.size();
          if (need > fOp_.cap && !(fOp_.reserve(need) && fTaker_.reserve(need) && fMaker_.reserve(need) && fPrice_.reserve(need) &&
                                   fQty_.reserve(need) && fTs_.reserve(need)))
            throw BadInput{true, "OrderBook.submitBatch: out of memory for fills; submit smaller batches"};
          for (const statarb::Fill& f : fills) {
            fOp_.p[m] = uint32_t(i);
            fTaker_.p[m] = double(f.taker);
            fMaker_.p[m] = double(f.maker);
            fPrice_.p[m] = toPrice(f.price);
            fQty_.p[m] = double(f.quantity);
            fTs_.p[m] = double(f.timestamp);
            ++m;
          }
        }
        if (checksums) sums[i] = book_.checksum();
      }
      Napi::Object out = Napi::Object::New(env);
      out.Set("status", status);
      auto hand = [&](auto& col, auto tag) {
        using T = decltype(tag);
        if (m == 0) return Napi::ArrayBuffer::New(env, 0);
        size_t block = 0;
        void* data = col.release(&block);
        Napi::MemoryManagement::AdjustExternalMemory(env, int64_t(block));
        return Napi::ArrayBuffer::New(
            env, data, m * sizeof(T),
            [](Napi::Env e, void* d, size_t* size) {
              freeBlock(d, *size);
              Napi::MemoryManagement::AdjustExternalMemory(e, -int64_t(*size));
              delete size;
            },
            new size_t(block));
      };
      out.Set("fillOp", Napi::Uint32Array::New(env, m, hand(fOp_, uint32_t{}), 0));
      out.Set("taker", Napi::Float64Array::New(env, m, hand(fTaker_, double{}), 0));
      out.Set("maker", Napi::Float64Array::New(env, m, hand(fMaker_, double{}), 0));
      out.Set("price", Napi::Float64Array::New(env, m, hand(fPrice_, double{}), 0));
      out.Set("quantity", Napi::Float64Array::New(env, m, hand(fQty_, double{}), 0));
      out.Set("timestamp", Napi::Float64Array::New(env, m, hand(fTs_, double{}), 0));
      if (checksums) out.Set("checksum", sums);
      reportMemory();
      return out;
    });
  }
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("OrderBook", OrderBookWrap::Define(env));
  Napi::Object codes = Napi::Object::New(env);
  for (int s = 0; s <= 8; ++s) codes.Set(statusName(Status(s)), s);
  codes.Set("badId", 9);
  codes.Set("badSide", 10);
  codes.Set("badType", 11);
  codes.Set("badTimestamp", 12);
  exports.Set("statusCodes", codes);
  return exports;
}

}  // namespace

NODE_API_MODULE(statarb_engine, Init)
