// The book wrapper: statarb::OrderBook as the JavaScript class OrderBook. Every argument goes
// through the readers of convert.h, so a bad one becomes a TypeError/RangeError that names the
// field and nothing reaches the engine unchecked; decimal prices become ticks (and back) here only.
#pragma once
#include <napi.h>

#include <memory>
#include <vector>

#include "batch.h"
#include "convert.h"
#include "events.h"
#include "order_book.h"

namespace statarb::binding {

class OrderBookWrap : public Napi::ObjectWrap<OrderBookWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit OrderBookWrap(const Napi::CallbackInfo& info);
  ~OrderBookWrap() override;

 private:
  static constexpr double kMaxExpected = double(1 << 24);

  // Runs a JavaScript-facing method's body: bad input and a failed allocation become JavaScript
  // errors (TypeError or RangeError), never a crash.
  template <class Body>
  Napi::Value guarded(Napi::Env env, Body&& body) {
    try {
      return body();
    } catch (const JsPending&) {
      return env.Undefined();  // JavaScript threw (a getter, a proxy trap): that exception propagates
    } catch (const BadInput& b) {
      return throwJs(env, b);
    } catch (const std::bad_alloc&) {
      return throwJs(env, outOfMemory());
    }
  }
  BadInput outOfMemory() const;
  void readOptions(const Napi::Object& o);
  void reportMemory();  // tells V8 the book's size as external memory, so GC weighs a big book
  // Errors that are the caller's mistake become exceptions (true); market outcomes (post-only
  // reject, FOK kill) are results (false).
  bool throwStatus(Napi::Env env, Status s, const char* where, uint64_t id);
  NewOrder readOrder(const Napi::CallbackInfo& info, const char* where);

  Napi::Value Submit(const Napi::CallbackInfo& info);
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  Napi::Value Modify(const Napi::CallbackInfo& info);
  Napi::Value BestBid(const Napi::CallbackInfo& info);
  Napi::Value BestAsk(const Napi::CallbackInfo& info);
  Napi::Value Depth(const Napi::CallbackInfo& info);
  Napi::Value QueuePosition(const Napi::CallbackInfo& info);
  Napi::Value OrderState(const Napi::CallbackInfo& info);
  Napi::Value Snapshot(const Napi::CallbackInfo& info);
  Napi::Value Checksum(const Napi::CallbackInfo& info);
  Napi::Value TickSize(const Napi::CallbackInfo& info);
  Napi::Value OrderCount(const Napi::CallbackInfo& info);
  Napi::Value LastUpdates(const Napi::CallbackInfo& info);
  Napi::Value Subscribe(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  Napi::Value SubmitBatch(const Napi::CallbackInfo& info);
  Napi::Value Scratch(const Napi::CallbackInfo& info);
  Napi::Value SubmitScratch(const Napi::CallbackInfo& info);
  Napi::Value MaxPrice(const Napi::CallbackInfo& info);

  napi_env env_ = nullptr;
  int64_t reported_ = 0;  // bytes of book memory reported to V8 as external
  PriceGrid grid_;
  OrderBook book_;
  std::vector<OrderView> snap_;
  FillColumns fills_;  // batch fill columns, reused until handed to JavaScript
  JsListener listener_;
  // Per-call fast path: fields in and results out through two blocks of doubles that JavaScript
  // sees as Float64Arrays. The blocks belong to C++ (shared with the ArrayBuffers made over them,
  // freed when both let go), so nothing JavaScript does to its views can move or shrink them.
  using Block = std::shared_ptr<std::vector<double>>;
  Napi::Float64Array share(Napi::Env env, const Block& block);
  Block in_, out_;
  size_t outCap_ = 0;  // fills that fit in out_
};

}  // namespace statarb::binding
