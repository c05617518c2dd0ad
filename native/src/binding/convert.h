// Conversions at the JavaScript boundary of the matching engine: reading a JavaScript value into
// an engine field (id, quantity, price in ticks, timestamp), each check naming the field, and the
// decimal price ↔ integer tick conversion of one book. A bad value becomes a BadInput, which the
// wrapper turns into a JavaScript TypeError (wrong type) or RangeError (wrong value).
//
// Rules that keep hostile JavaScript values from reaching the engine (issue 15):
//  - every property is read exactly once, through prop(), into a local; every N-API status is
//    checked, and a call that failed because JavaScript threw (a throwing getter, a proxy trap)
//    becomes JsPending, which the wrapper returns as that same pending exception;
//  - typed arrays are resolved (pointer, length, detached?, still inside their ArrayBuffer?) by
//    typedData() at the moment of use, after the last property read of the call, so no user code
//    runs between the check and the use;
//  - a book accepts limit prices from one tick to kMaxTicks ticks (positive prices only: this is
//    an equity book, and a zero or negative price is a mistake there, never a real quote) and
//    quantities from 1 to 2^53 - 1 (exact as a JavaScript number).
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace statarb::binding {

constexpr double kMaxSafe = 9007199254740991.0;  // Number.MAX_SAFE_INTEGER

// A caller's mistake, thrown by the readers and turned into a JavaScript error by guarded().
struct BadInput {
  bool range;  // RangeError (a value out of range) rather than TypeError (a wrong type)
  std::string message;
  int64_t appliedCount = -1;  // a batch that stopped part-way: operations applied (error.appliedCount)
};

std::string formatNumber(double v);
std::string at(const char* where, const char* field);  // "OrderBook.submit: price"

inline bool isCount(double q) { return q > 0 && q <= kMaxSafe && q == double(int64_t(q)); }
inline bool isTimestamp(double t) { return t >= -kMaxSafe && t <= kMaxSafe && t == double(int64_t(t)); }
inline bool isId(double v) { return v >= 0 && v <= kMaxSafe && v == double(int64_t(v)); }

// Thrown when an N-API call failed because a JavaScript exception is pending (a getter or a proxy
// trap threw): the wrapper returns to JavaScript, which then sees that exception.
struct JsPending {};

// Throws JsPending (an exception is pending) or a BadInput naming `what` when status is not ok.
void check(napi_env env, napi_status status, const char* what);

// The one way a property of a JavaScript object is read (checked; read it once, into a local).
Napi::Value prop(const Napi::Object& o, const char* key);

// A typed array's memory, resolved at the moment of use: a TypeError unless v is a typed array of
// `type`, a RangeError when its buffer is detached or it no longer fits inside its (resizable)
// ArrayBuffer. `name` is the field, e.g. "OrderBook.submitBatch: ops.price".
struct TypedData {
  void* data;
  size_t length;
};
TypedData typedData(const Napi::Value& v, napi_typedarray_type type, const std::string& name, const char* typeName);

// Decimal prices on one tick grid ↔ integer ticks. Accepted prices: 1 ≤ ticks ≤ kMaxTicks.
class PriceGrid {
 public:
  static constexpr int64_t kMaxTicks = (int64_t(1) << 52) - 1;
  double maxPrice() const { return toPrice(kMaxTicks); }
  void setTick(double tick);
  double tick() const { return tick_; }
  // ticks → decimal price (the hot paths avoid libm calls: round/floor are calls without SSE4.1)
  double toPrice(int64_t ticks) const;
  // price → ticks; false when not finite / off the grid / not in [1, kMaxTicks] ticks
  bool toTicks(double p, int64_t* out) const;
  // why toTicks(p) failed, as the end of a message about `field`
  std::string refusal(double p) const;

 private:
  static int64_t roundHalfAway(double x) { return int64_t(x + (x >= 0 ? 0.5 : -0.5)); }
  double tick_ = 1;
  double perUnit_ = 0;  // 1/tick when that is an integer (0.01 → 100), else 0
  bool tickIsInt_ = false;
  double scale_ = 1;  // 10^decimals of the tick, to print prices without binary noise
};

int64_t priceField(const PriceGrid& grid, const Napi::Value& v, const char* where, const char* field);
int64_t quantityField(const Napi::Value& v, const char* where);
uint64_t idField(const Napi::Value& v, const char* where);
int64_t timestampField(const Napi::Value& v, const char* where);  // undefined → 0
// a string among `allowed` (undefined → fallback); anything else is a TypeError with `message`
bool booleanField(const Napi::Value& v, const char* name);  // undefined → false
std::string choiceField(const Napi::Value& v, const char* fallback, std::initializer_list<const char*> allowed, const std::string& message);

// Throws b as a JavaScript TypeError or RangeError; returns undefined for the caller to return.
Napi::Value throwJs(Napi::Env env, const BadInput& b);

}  // namespace statarb::binding
