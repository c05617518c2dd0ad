// The engine's results and events as JavaScript objects (per-call path), and the listener that
// delivers fills and book updates to JavaScript after an operation finished.
#pragma once
#include <napi.h>

#include "convert.h"
#include "order_book.h"

namespace statarb::binding {

const char* statusName(Status s);
Napi::Object fillObject(Napi::Env env, const PriceGrid& grid, const Fill& f);
Napi::Object updateObject(Napi::Env env, const PriceGrid& grid, const BookUpdate& u);
Napi::Array fillsArray(Napi::Env env, const PriceGrid& grid, const std::vector<Fill>& fills);
// { status: "accepted" | "rejected" | "killed", reason?, filled, resting, fills }
Napi::Object resultObject(Napi::Env env, const PriceGrid& grid, const Result& r, const std::vector<Fill>& fills);
Napi::Array updatesArray(Napi::Env env, const PriceGrid& grid, const std::vector<BookUpdate>& updates);

// Delivers the engine's events to JavaScript after each operation: the engine queues them during
// matching and calls these listeners from OrderBook::finish(), with its re-entrancy guard set, so
// JavaScript sees only a fully matched book and an operation on this book from inside a listener
// is refused (an Error naming the cause). The first listener that throws stops the delivery of
// that operation's remaining events; its error is rethrown by the call that caused them.
struct JsListener : FillListener, BookListener {
  const PriceGrid* grid = nullptr;
  Napi::FunctionReference fill, update;
  void onFill(const Fill& f) override;
  void onBookUpdate(const BookUpdate& u) override;
  // connects (or disconnects) the book to these listeners and turns L2/L3 recording back on
  void attach(OrderBook& book);
};

}  // namespace statarb::binding
