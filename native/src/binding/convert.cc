#include "convert.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace statarb::binding {

std::string formatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  for (int digits = 15; digits <= 17; ++digits) {  // the shortest form that reads back as v
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string at(const char* where, const char* field) { return std::string(where) + ": " + field; }

void check(napi_env env, napi_status status, const char* what) {
  if (status == napi_ok) return;
  bool pending = false;
  if (status == napi_pending_exception || (napi_is_exception_pending(env, &pending) == napi_ok && pending)) throw JsPending{};
  throw BadInput{false, std::string("OrderBook: could not read ") + what + " (N-API status " + std::to_string(int(status)) + ")"};
}

Napi::Value prop(const Napi::Object& o, const char* key) {
  napi_value v = nullptr;
  check(o.Env(), napi_get_named_property(o.Env(), o, key, &v), key);
  return Napi::Value(o.Env(), v);
}

TypedData typedData(const Napi::Value& v, napi_typedarray_type want, const std::string& name, const char* typeName) {
  const napi_env env = v.Env();
  bool isTyped = false;
  check(env, napi_is_typedarray(env, v, &isTyped), name.c_str());
  napi_typedarray_type type;
  size_t length = 0, offset = 0, bufferBytes = 0;
  void* data = nullptr;
  void* bufferData = nullptr;
  napi_value buffer = nullptr;
  if (isTyped) check(env, napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset), name.c_str());
  if (!isTyped || type != want) throw BadInput{false, name + " must be a " + typeName};
  bool detached = false;
  check(env, napi_is_detached_arraybuffer(env, buffer, &detached), name.c_str());
  if (detached) throw BadInput{true, name + " is a view of a detached ArrayBuffer (transferred away); pass arrays that stay attached"};
  check(env, napi_get_arraybuffer_info(env, buffer, &bufferData, &bufferBytes), name.c_str());
  size_t elem = want == napi_uint8_array ? 1 : want == napi_uint32_array ? 4 : 8;
  if (offset > bufferBytes || length > (bufferBytes - offset) / elem || (length > 0 && !data))
    throw BadInput{true, name + " no longer fits in its ArrayBuffer (a resizable buffer shrank to " + std::to_string(bufferBytes) + " bytes)"};
  return TypedData{data, length};
}

void PriceGrid::setTick(double tick) {
  tick_ = tick;
  int decimals = 0;
  for (double x = tick_; decimals < 12 && std::fabs(x - std::round(x)) > 1e-9 * std::max(1.0, x); x *= 10) ++decimals;
  scale_ = std::pow(10.0, decimals);
  const double inv = 1.0 / tick_;
  perUnit_ = tick_ < 1 && std::fabs(inv - std::round(inv)) < 1e-9 * inv ? std::round(inv) : 0;
  tickIsInt_ = tick_ >= 1 && tick_ == std::floor(tick_);
}

double PriceGrid::toPrice(int64_t ticks) const {
  if (perUnit_ > 0) return double(ticks) / perUnit_;  // 1/tick is an integer: correctly rounded decimal
  if (tickIsInt_) return double(ticks) * tick_;
  return std::round(double(ticks) * tick_ * scale_) / scale_;
}

bool PriceGrid::toTicks(double p, int64_t* out) const {
  const double x = perUnit_ > 0 ? p * perUnit_ : p / tick_;
  if (!(x > 0.5 && x < double(kMaxTicks) + 0.5)) return false;  // also rejects NaN and ±Infinity
  const int64_t r = roundHalfAway(x);
  const double d = x - double(r);
  // a price on the grid lands within rounding noise of an integer tick count: 1e-6 ticks, widened
  // for large magnitudes where one ulp of the price is itself more than that
  const double tol = std::max(1e-6, (x < 0 ? -x : x) * 1e-15);
  if (d > tol || d < -tol) return false;
  *out = r;
  return true;
}

std::string PriceGrid::refusal(double p) const {
  if (!std::isfinite(p)) return " must be finite, got " + formatNumber(p);
  const double x = perUnit_ > 0 ? p * perUnit_ : p / tick_;
  if (!(p > 0)) return " must be positive (at least one tick, " + formatNumber(tick_) + "), got " + formatNumber(p) + "; the book accepts positive prices only";
  if (!(x < double(kMaxTicks) + 0.5)) return " must be at most maxPrice " + formatNumber(maxPrice()) + " (2^52 - 1 ticks), got " + formatNumber(p);
  return " " + formatNumber(p) + " is off the tick grid (tickSize " + formatNumber(tick_) + "); round it to a multiple of the tick size";
}

int64_t priceField(const PriceGrid& grid, const Napi::Value& v, const char* where, const char* field) {
  if (!v.IsNumber()) throw BadInput{false, at(where, field) + " must be a number (a decimal price on the tick grid)"};
  const double p = v.As<Napi::Number>().DoubleValue();
  int64_t t;
  if (!grid.toTicks(p, &t)) throw BadInput{true, at(where, field) + grid.refusal(p)};
  return t;
}

int64_t quantityField(const Napi::Value& v, const char* where) {
  if (!v.IsNumber()) throw BadInput{false, at(where, "quantity") + " must be a number (a positive integer)"};
  const double q = v.As<Napi::Number>().DoubleValue();
  if (!isCount(q)) throw BadInput{true, at(where, "quantity") + " must be a positive integer, got " + formatNumber(q)};
  return int64_t(q);
}

uint64_t idField(const Napi::Value& v, const char* where) {
  if (!v.IsNumber()) throw BadInput{false, at(where, "id") + " must be a number (a non-negative safe integer)"};
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!isId(d)) throw BadInput{true, at(where, "id") + " must be a non-negative safe integer, got " + formatNumber(d)};
  return uint64_t(d);
}

int64_t timestampField(const Napi::Value& v, const char* where) {
  if (v.IsUndefined()) return 0;
  if (!v.IsNumber()) throw BadInput{false, at(where, "timestamp") + " must be a number (an integer count of your clock's units) when given"};
  const double t = v.As<Napi::Number>().DoubleValue();
  if (!isTimestamp(t)) throw BadInput{true, at(where, "timestamp") + " must be a safe integer (e.g. epoch microseconds), got " + formatNumber(t)};
  return int64_t(t);
}

bool booleanField(const Napi::Value& v, const char* name) {
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) throw BadInput{false, std::string(name) + " must be a boolean when given"};
  return v.As<Napi::Boolean>().Value();
}

std::string choiceField(const Napi::Value& v, const char* fallback, std::initializer_list<const char*> allowed, const std::string& message) {
  const std::string s = v.IsUndefined() && fallback ? fallback : v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  for (const char* a : allowed)
    if (s == a) return s;
  throw BadInput{false, message};
}

Napi::Value throwJs(Napi::Env env, const BadInput& b) {
  Napi::Object e = b.range ? Napi::RangeError::New(env, b.message).Value() : Napi::TypeError::New(env, b.message).Value();
  if (b.appliedCount >= 0) e.Set("appliedCount", double(b.appliedCount));
  napi_throw(env, e);
  return env.Undefined();
}

}  // namespace statarb::binding
