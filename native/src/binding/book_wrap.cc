#include "book_wrap.h"

#include <cmath>
#include <string>

namespace statarb::binding {

Napi::Function OrderBookWrap::Define(Napi::Env env) {
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
                         InstanceMethod("scratch", &OrderBookWrap::Scratch),
                         InstanceMethod("submitScratch", &OrderBookWrap::SubmitScratch),
                         InstanceAccessor("maxPrice", &OrderBookWrap::MaxPrice, nullptr),
                         InstanceAccessor("tickSize", &OrderBookWrap::TickSize, nullptr),
                         InstanceAccessor("orderCount", &OrderBookWrap::OrderCount, nullptr),
                     });
}

OrderBookWrap::OrderBookWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<OrderBookWrap>(info) {
  Napi::Env env = info.Env();
  env_ = env;
  listener_.grid = &grid_;
  guarded(env, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsObject()) throw BadInput{false, "OrderBook: options must be an object like { tickSize: 0.01 }"};
    readOptions(info[0].As<Napi::Object>());
    reportMemory();
    return env.Undefined();
  });
}

void OrderBookWrap::readOptions(const Napi::Object& o) {
  Napi::Value t = prop(o, "tickSize");
  if (!t.IsNumber() || !std::isfinite(t.As<Napi::Number>().DoubleValue()) || t.As<Napi::Number>().DoubleValue() <= 0)
    throw BadInput{false, "OrderBook: option tickSize must be a finite number > 0 (e.g. 0.01)"};
  grid_.setTick(t.As<Napi::Number>().DoubleValue());
  Napi::Value cap = prop(o, "expectedOrders");
  if (cap.IsUndefined()) return;
  const double c = cap.IsNumber() ? cap.As<Napi::Number>().DoubleValue() : -1;
  if (!(c >= 1 && c <= kMaxExpected && c == std::floor(c)))
    throw BadInput{true, "OrderBook: option expectedOrders must be an integer in [1, " + std::to_string(uint32_t(kMaxExpected)) +
                             "] (resting orders to preallocate room for; default 1024)"};
  try {
    book_.reserve(uint32_t(c));
  } catch (const std::bad_alloc&) {
    throw BadInput{true, "OrderBook: out of memory preallocating expectedOrders " + std::to_string(uint32_t(c)) + "; ask for fewer"};
  }
}

OrderBookWrap::~OrderBookWrap() {
  if (reported_ && env_) Napi::MemoryManagement::AdjustExternalMemory(env_, -reported_);
}

void OrderBookWrap::reportMemory() {
  const int64_t now = int64_t(book_.memoryBytes());
  if (now != reported_ && env_) {
    Napi::MemoryManagement::AdjustExternalMemory(env_, now - reported_);
    reported_ = now;
  }
}

BadInput OrderBookWrap::outOfMemory() const {
  return BadInput{true, "OrderBook: out of memory growing the book (" + std::to_string(book_.orderCount()) +
                            " resting orders); the operation that needed it was not applied"};
}

bool OrderBookWrap::throwStatus(Napi::Env env, Status s, const char* where, uint64_t id) {
  const std::string idText = std::to_string(id);
  switch (s) {
    case Status::DuplicateId: throwJs(env, BadInput{true, at(where, "id") + " " + idText + " is already resting (duplicate id)"}); return true;
    case Status::UnknownId: throwJs(env, BadInput{true, at(where, "id") + " " + idText + " is not a resting order (unknown id)"}); return true;
    case Status::BadPrice:
      throwJs(env, BadInput{true, at(where, "price") + " is too far from the prices resting in this book (more than 4194304 ticks apart)"});
      return true;
    case Status::BadQuantity: throwJs(env, BadInput{true, at(where, "quantity") + " must be a positive integer ≤ 2^53 - 1"}); return true;
    case Status::BadOrder: throwJs(env, BadInput{false, at(where, "postOnly") + " cannot be combined with a market order"}); return true;
    case Status::LevelFull:
      throwJs(env, BadInput{true, at(where, "quantity") + " would take its price level's total above 2^53 - 1 (the largest level total); the order was not applied"});
      return true;
    case Status::Reentrant: Napi::Error::New(env, std::string(where) + ": called from inside an event listener of this book").ThrowAsJavaScriptException(); return true;
    default: return false;
  }
}

NewOrder OrderBookWrap::readOrder(const Napi::CallbackInfo& info, const char* where) {
  if (info.Length() < 1 || !info[0].IsObject() || info[0].IsArray())
    throw BadInput{false, std::string(where) + ": order must be an object like { id, side, price, quantity }"};
  Napi::Object in = info[0].As<Napi::Object>();
  NewOrder o;
  o.id = idField(prop(in, "id"), where);
  const std::string s = choiceField(prop(in, "side"), nullptr, {"buy", "sell"}, at(where, "side") + " must be \"buy\" or \"sell\"");
  o.side = s == "buy" ? Side::Buy : Side::Sell;
  const std::string ty = choiceField(prop(in, "type"), "limit", {"limit", "market"}, at(where, "type") + " must be \"limit\" or \"market\" (default \"limit\")");
  o.type = ty == "market" ? OrderType::Market : OrderType::Limit;
  const std::string tf = choiceField(prop(in, "timeInForce"), "gtc", {"gtc", "ioc", "fok"},
                                     at(where, "timeInForce") + " must be \"gtc\", \"ioc\" or \"fok\" (default \"gtc\")");
  o.tif = tf == "ioc" ? TimeInForce::IOC : tf == "fok" ? TimeInForce::FOK : TimeInForce::GTC;
  Napi::Value po = prop(in, "postOnly");
  if (!po.IsUndefined() && !po.IsBoolean()) throw BadInput{false, at(where, "postOnly") + " must be a boolean"};
  o.postOnly = po.IsBoolean() && po.As<Napi::Boolean>().Value();
  Napi::Value price = prop(in, "price");
  if (o.type == OrderType::Limit) {
    if (price.IsUndefined()) throw BadInput{false, at(where, "price") + " is required for a limit order"};
    o.price = priceField(grid_, price, where, "price");
  } else {
    if (!price.IsUndefined()) throw BadInput{false, at(where, "price") + " must be omitted for a market order (it takes any price)"};
    if (o.postOnly) throw BadInput{false, at(where, "postOnly") + " cannot be combined with type \"market\""};
    if (o.tif == TimeInForce::GTC) o.tif = TimeInForce::IOC;
  }
  if (o.postOnly && o.tif != TimeInForce::GTC) throw BadInput{false, at(where, "postOnly") + " requires timeInForce \"gtc\""};
  o.quantity = quantityField(prop(in, "quantity"), where);
  o.timestamp = timestampField(prop(in, "timestamp"), where);
  return o;
}

Napi::Value OrderBookWrap::Submit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* where = "OrderBook.submit";
  return guarded(env, [&]() -> Napi::Value {
    const NewOrder o = readOrder(info, where);
    const Result r = book_.submit(o);
    if (env.IsExceptionPending()) return env.Undefined();  // a listener threw: the operation stands, its error propagates
    if (throwStatus(env, r.status, where, o.id)) return env.Undefined();
    reportMemory();
    return resultObject(env, grid_, r, book_.fills());
  });
}

Napi::Value OrderBookWrap::Cancel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* where = "OrderBook.cancel";
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() < 1) throw BadInput{false, at(where, "id") + " is required"};
    const uint64_t id = idField(info[0], where);
    const int64_t ts = info.Length() > 1 ? timestampField(info[1], where) : 0;
    const Result r = book_.cancel(id, ts);
    if (env.IsExceptionPending()) return env.Undefined();  // a listener threw: the operation stands, its error propagates
    throwStatus(env, r.status, where, id);
    return env.Undefined();
  });
}

Napi::Value OrderBookWrap::Modify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* where = "OrderBook.modify";
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() < 2 || !info[1].IsObject()) throw BadInput{false, std::string(where) + ": expected (id, { quantity, price })"};
    // every JavaScript read first (a throwing getter leaves the book as it was), then the checks
    Napi::Object ch = info[1].As<Napi::Object>();
    const Napi::Value q = prop(ch, "quantity"), p = prop(ch, "price"), t = prop(ch, "timestamp");
    const uint64_t id = idField(info[0], where);
    if (q.IsUndefined() && p.IsUndefined()) throw BadInput{false, std::string(where) + ": give quantity and/or price"};
    OrderView v;
    if (!book_.orderState(id, &v)) throw BadInput{true, at(where, "id") + " " + std::to_string(id) + " is not a resting order (unknown id)"};
    const int64_t quantity = q.IsUndefined() ? v.quantity : quantityField(q, where);
    const bool changePrice = !p.IsUndefined();
    const int64_t price = changePrice ? priceField(grid_, p, where, "price") : v.price;
    const int64_t ts = timestampField(t, where);
    const Result r = book_.modify(id, quantity, changePrice, price, ts);
    if (env.IsExceptionPending()) return env.Undefined();  // a listener threw: the operation stands, its error propagates
    if (throwStatus(env, r.status, where, id)) return env.Undefined();
    reportMemory();
    return resultObject(env, grid_, r, book_.fills());
  });
}

// Drops every resting order and gives the book's memory back now (to the recycled-block cache),
// instead of whenever the garbage collector finalizes this object; the book stays usable, empty.
Napi::Value OrderBookWrap::Dispose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (book_.delivering()) return throwJs(env, BadInput{false, "OrderBook.dispose: called from inside an event listener of this book"});
  book_ = OrderBook();
  listener_.attach(book_);
  reportMemory();
  return env.Undefined();
}

// subscribe({ onFill?, onBookUpdate? }) replaces the listeners; subscribe(null) removes them.
Napi::Value OrderBookWrap::Subscribe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* where = "OrderBook.subscribe";
  return guarded(env, [&]() -> Napi::Value {
    if (info.Length() < 1 || (!info[0].IsObject() && !info[0].IsNull()))
      throw BadInput{false, std::string(where) + ": listener must be an object like { onFill, onBookUpdate }, or null"};
    Napi::Value f = env.Undefined(), u = env.Undefined();
    if (info[0].IsObject()) {
      f = prop(info[0].As<Napi::Object>(), "onFill");
      u = prop(info[0].As<Napi::Object>(), "onBookUpdate");
      if (!f.IsUndefined() && !f.IsFunction()) throw BadInput{false, at(where, "onFill") + " must be a function"};
      if (!u.IsUndefined() && !u.IsFunction()) throw BadInput{false, at(where, "onBookUpdate") + " must be a function"};
    }
    if (book_.delivering()) throw BadInput{false, std::string(where) + ": called from inside an event listener of this book"};
    listener_.fill = f.IsFunction() ? Napi::Persistent(f.As<Napi::Function>()) : Napi::FunctionReference();
    listener_.update = u.IsFunction() ? Napi::Persistent(u.As<Napi::Function>()) : Napi::FunctionReference();
    listener_.attach(book_);
    return env.Undefined();
  });
}

}  // namespace statarb::binding
