// Conversions at the JavaScript boundary of the matching engine: reading a JavaScript value into
// an engine field (id, quantity, price in ticks, timestamp), each check naming the field, and the
// decimal price ↔ integer tick conversion of one book. A bad value becomes a BadInput, which the
// wrapper turns into a JavaScript TypeError (wrong type) or RangeError (wrong value).
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
};

std::string formatNumber(double v);
std::string at(const char* where, const char* field);  // "OrderBook.submit: price"

inline bool isCount(double q) { return q > 0 && q <= kMaxSafe && q == double(int64_t(q)); }
inline bool isTimestamp(double t) { return t >= -kMaxSafe && t <= kMaxSafe && t == double(int64_t(t)); }
inline bool isId(double v) { return v >= 0 && v <= kMaxSafe && v == double(int64_t(v)); }

// The one way a property of a JavaScript object is read.
Napi::Value prop(const Napi::Object& o, const char* key);

// Decimal prices on one tick grid ↔ integer ticks.
class PriceGrid {
 public:
  static constexpr double kMaxTicks = double(int64_t(1) << 52);
  void setTick(double tick);
  double tick() const { return tick_; }
  // ticks → decimal price (the hot paths avoid libm calls: round/floor are calls without SSE4.1)
  double toPrice(int64_t ticks) const;
  // price → ticks; false when not finite / off the grid / out of range
  bool toTicks(double p, int64_t* out) const;

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
std::string choiceField(const Napi::Value& v, const char* fallback, std::initializer_list<const char*> allowed, const std::string& message);

// Throws b as a JavaScript TypeError or RangeError; returns undefined for the caller to return.
Napi::Value throwJs(Napi::Env env, const BadInput& b);

}  // namespace statarb::binding
