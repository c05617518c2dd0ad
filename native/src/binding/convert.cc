#include "convert.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace statarb::binding {

std::string formatNumber(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

std::string at(const char* where, const char* field) { return std::string(where) + ": " + field; }

Napi::Value prop(const Napi::Object& o, const char* key) { return o.Get(key); }

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

int64_t priceField(const PriceGrid& grid, const Napi::Value& v, const char* where, const char* field) {
  if (!v.IsNumber()) throw BadInput{false, at(where, field) + " must be a number (a decimal price on the tick grid)"};
  const double p = v.As<Napi::Number>().DoubleValue();
  int64_t t;
  if (!grid.toTicks(p, &t)) {
    if (!std::isfinite(p)) throw BadInput{true, at(where, field) + " must be finite, got " + std::to_string(p)};
    throw BadInput{true, at(where, field) + " " + formatNumber(p) + " is off the tick grid (tickSize " + formatNumber(grid.tick()) +
                             "); round it to a multiple of the tick size"};
  }
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

std::string choiceField(const Napi::Value& v, const char* fallback, std::initializer_list<const char*> allowed, const std::string& message) {
  const std::string s = v.IsUndefined() && fallback ? fallback : v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  for (const char* a : allowed)
    if (s == a) return s;
  throw BadInput{false, message};
}

Napi::Value throwJs(Napi::Env env, const BadInput& b) {
  if (b.range)
    Napi::RangeError::New(env, b.message).ThrowAsJavaScriptException();
  else
    Napi::TypeError::New(env, b.message).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace statarb::binding
