#include "events.h"

namespace statarb::binding {

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
    case Status::LevelFull: return "levelFull";
  }
  return "unknown";
}

Napi::Object fillObject(Napi::Env env, const PriceGrid& grid, const Fill& f) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("taker", double(f.taker));
  o.Set("maker", double(f.maker));
  o.Set("price", grid.toPrice(f.price));
  o.Set("quantity", double(f.quantity));
  o.Set("timestamp", double(f.timestamp));
  o.Set("takerSide", f.takerSide == Side::Buy ? "buy" : "sell");
  return o;
}

Napi::Object updateObject(Napi::Env env, const PriceGrid& grid, const BookUpdate& u) {
  static const char* kinds[] = {"add", "cancel", "modify", "trade"};
  Napi::Object o = Napi::Object::New(env);
  o.Set("kind", kinds[int(u.kind)]);
  o.Set("side", u.side == Side::Buy ? "buy" : "sell");
  o.Set("id", double(u.id));
  o.Set("price", grid.toPrice(u.price));
  o.Set("quantity", double(u.quantity));
  o.Set("levelQuantity", double(u.levelQuantity));
  o.Set("timestamp", double(u.timestamp));
  return o;
}

Napi::Array fillsArray(Napi::Env env, const PriceGrid& grid, const std::vector<Fill>& fills) {
  Napi::Array a = Napi::Array::New(env, fills.size());
  for (size_t i = 0; i < fills.size(); ++i) a.Set(uint32_t(i), fillObject(env, grid, fills[i]));
  return a;
}

Napi::Array updatesArray(Napi::Env env, const PriceGrid& grid, const std::vector<BookUpdate>& updates) {
  Napi::Array a = Napi::Array::New(env, updates.size());
  for (size_t i = 0; i < updates.size(); ++i) a.Set(uint32_t(i), updateObject(env, grid, updates[i]));
  return a;
}

Napi::Object resultObject(Napi::Env env, const PriceGrid& grid, const Result& r, const std::vector<Fill>& fills) {
  Napi::Object o = Napi::Object::New(env);
  const char* status = "accepted";
  if (r.status == Status::PostOnlyWouldTake) status = "rejected";
  if (r.status == Status::FokUnfillable) status = "killed";
  o.Set("status", status);
  if (r.status != Status::Ok) o.Set("reason", statusName(r.status));
  o.Set("filled", double(r.filled));
  o.Set("resting", double(r.resting));
  o.Set("fills", fillsArray(env, grid, fills));
  return o;
}

void JsListener::onFill(const Fill& f) {
  Napi::Env env = fill.Env();
  if (env.IsExceptionPending()) return;
  fill.Call({fillObject(env, *grid, f)});
}

void JsListener::onBookUpdate(const BookUpdate& u) {
  Napi::Env env = update.Env();
  if (env.IsExceptionPending()) return;
  update.Call({updateObject(env, *grid, u)});
}

void JsListener::attach(OrderBook& book) {
  book.setRecordUpdates(true);
  book.setFillListener(fill.IsEmpty() ? nullptr : this);
  book.setBookListener(update.IsEmpty() ? nullptr : this);
}

}  // namespace statarb::binding
