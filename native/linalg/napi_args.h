// The one argument reader of the addon's flat kernels (ols.cc, rank.cc): each JavaScript value read
// once (one napi_typeof + napi_get_value_double for a number, one napi_is_typedarray +
// napi_get_typedarray_info for an array), every N-API status checked. The first failure throws one
// TypeError/RangeError "<fn>: <what is wrong and what is allowed>" — or, when a failed N-API call
// left its own exception pending, leaves that one — and turns ok() false; every later read is then
// a no-op and the kernel returns undefined. No getter or valueOf ever runs (a number must be a
// number, an array a Float64Array: a Proxy is neither). A detached buffer has no elements (a length
// check refuses it); a resizable buffer is read at its current length (no JavaScript runs during a
// call, so it cannot shrink under the kernel); a SharedArrayBuffer is read as it is (another thread
// writing it during the call gives that race's numbers, never a crash). An output may not share
// memory with any other array argument (checked by disjoint(), or firstOverlap() for a kernel that
// reads its arrays otherwise: a kernel writes its outputs while it still reads its inputs).
#pragma once
#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace statarb {

// One array argument's memory [begin, end), and whether the kernel writes it.
struct Span {
  const char* name;
  uintptr_t begin, end;
  bool output;
};
inline Span spanOf(const char* name, const void* data, size_t bytes, bool output) {
  const uintptr_t b = reinterpret_cast<uintptr_t>(data);
  return Span{name, b, b + bytes, output};
}

// "<output> must not share memory with <other> (…)" for the first output overlapping another array
// (an input it still reads, or another output), or "" when none does.
inline std::string firstOverlap(const std::vector<Span>& spans) {
  for (size_t a = 0; a < spans.size(); ++a) {
    for (size_t b = a + 1; b < spans.size(); ++b) {
      const Span &p = spans[a], &q = spans[b];
      if ((p.output || q.output) && p.begin < q.end && q.begin < p.end) {
        return std::string(p.output ? p.name : q.name) + " must not share memory with " + (p.output ? q.name : p.name) + " (pass a separate Float64Array)";
      }
    }
  }
  return "";
}

class ArgReader {
 public:
  // Checks the argument count against `usage` ("(x, n, p, y, out)").
  ArgReader(const Napi::CallbackInfo& info, const char* fn, size_t minArgc, size_t maxArgc, const char* usage)
      : info_(info), env_(info.Env()), fn_(fn) {
    if (info.Length() < minArgc || info.Length() > maxArgc) fail(std::string("expected ") + usage + ", got " + std::to_string(info.Length()) + " arguments", true);
  }

  bool ok() const { return ok_; }
  size_t length() const { return info_.Length(); }
  Napi::Env env() const { return env_; }

  // info[i] as a number (its value; 0 after a failure); `absent` (when given): set, and 0 returned,
  // for an undefined (an optional argument left out)
  double number(size_t i, const char* name, bool* absent = nullptr) {
    if (!ok_) return 0;
    napi_valuetype type;
    if (!status(napi_typeof(env_, info_[i], &type), name)) return 0;
    if (absent) *absent = type == napi_undefined;
    if (absent && *absent) return 0;
    if (type != napi_number) return fail(std::string(name) + " must be a number, got a value of type " + typeName(type), true), 0;
    double d = 0;
    if (!status(napi_get_value_double(env_, info_[i], &d), name)) return 0;
    return d;
  }

  // info[i] as a finite number
  double finite(size_t i, const char* name) {
    const double d = number(i, name);
    if (ok_ && !std::isfinite(d)) fail(std::string(name) + " must be a finite number, got " + std::to_string(d));
    return d;
  }

  // info[i] as an integer in [lo, hi] (hi ≤ 9e15); `dflt` for an undefined when `optional`
  int64_t integer(size_t i, const char* name, int64_t lo, int64_t hi, bool optional = false, int64_t dflt = 0) {
    bool absent = false;
    const double d = number(i, name, optional ? &absent : nullptr);
    if (!ok_) return 0;
    if (absent) return dflt;
    if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || d != std::floor(d)) {
      return fail(std::string(name) + " must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(d)), 0;
    }
    return static_cast<int64_t>(d);
  }

  // info[i] as a non-negative integer, at most max (≤ 9e15)
  int64_t count(size_t i, const char* name, int64_t max = int64_t{9000000000000000}) {
    const double d = number(i, name);
    if (!ok_) return 0;
    if (!(d >= 0 && d <= static_cast<double>(max)) || d != std::floor(d)) {
      return fail(std::string(name) + " must be a non-negative integer (at most " + std::to_string(max) + "), got " + std::to_string(d)), 0;
    }
    return static_cast<int64_t>(d);
  }

  // info[i] as an Int32Array (an input: not in the overlap check, so the kernel must copy it before
  // it writes an output); its length into *length
  const int32_t* i32(size_t i, const char* name, int64_t* length) {
    size_t n = 0;
    void* data = nullptr;
    if (!typedArray(i, name, napi_int32_array, "an Int32Array", &n, &data)) return nullptr;
    *length = static_cast<int64_t>(n);
    return static_cast<const int32_t*>(data);
  }

  // info[i] as a Float64Array of at least `len` elements (exactly `len` when `exact`); `output`: the
  // kernel writes it (see disjoint()). Its element count into *length when given.
  double* f64(size_t i, int64_t len, const char* name, bool output, bool exact = false, int64_t* length = nullptr) {
    size_t n = 0;
    void* data = nullptr;
    if (!typedArray(i, name, napi_float64_array, "a Float64Array", &n, &data)) return nullptr;
    const int64_t have = static_cast<int64_t>(n);
    if (exact ? have != len : have < len) {
      const std::string want = exact ? " must have length " + std::to_string(len) : " must have at least " + std::to_string(len) + " elements";
      return fail(std::string(name) + want + ", got " + std::to_string(have) + (have == 0 ? " (a detached or emptied buffer)" : "")), nullptr;
    }
    if (length) *length = have;
    spans_.push_back(spanOf(name, data, n * sizeof(double), output));
    return static_cast<double*>(data);
  }

  // info[i] read once as a typed array of element type `want` (a TypeError "<name> must be <wantName>"
  // otherwise): its element count and data into *n, *data
  bool typedArray(size_t i, const char* name, napi_typedarray_type want, const char* wantName, size_t* n, void** data) {
    if (!ok_) return false;
    bool typed = false;
    if (!status(napi_is_typedarray(env_, info_[i], &typed), name)) return false;
    napi_typedarray_type type = napi_int8_array;
    if (typed && !status(napi_get_typedarray_info(env_, info_[i], &type, n, data, nullptr, nullptr), name)) return false;
    if (!typed || type != want) return fail(std::string(name) + " must be " + wantName, true), false;
    return true;
  }

  // Refuses (RangeError) an output array sharing memory with any other array argument read so far
  // (with `outputsOnly`, with another output: for a kernel that copies its inputs before it writes).
  bool disjoint(bool outputsOnly = false) {
    if (!ok_) return false;
    std::vector<Span> spans;
    for (const Span& s : spans_) if (s.output || !outputsOnly) spans.push_back(s);
    const std::string overlap = firstOverlap(spans);
    if (!overlap.empty()) fail(overlap);
    return ok_;
  }

  // a RangeError (TypeError when `type`) "<fn>: <msg>", unless an exception is already pending
  void fail(const std::string& msg, bool type = false) {
    if (!ok_) return;
    ok_ = false;
    if (env_.IsExceptionPending()) return;
    if (type) Napi::TypeError::New(env_, std::string(fn_) + ": " + msg).ThrowAsJavaScriptException();
    else Napi::RangeError::New(env_, std::string(fn_) + ": " + msg).ThrowAsJavaScriptException();
  }

 private:
  const Napi::CallbackInfo& info_;
  Napi::Env env_;
  const char* fn_;
  bool ok_ = true;
  std::vector<Span> spans_;

  static const char* typeName(napi_valuetype t) {
    switch (t) {
      case napi_undefined: return "undefined";
      case napi_null: return "null";
      case napi_boolean: return "boolean";
      case napi_string: return "string";
      case napi_symbol: return "symbol";
      case napi_object: return "object";
      case napi_function: return "function";
      case napi_bigint: return "bigint";
      default: return "other";
    }
  }

  bool status(napi_status s, const char* name) {
    if (s == napi_ok) return true;
    if (!ok_) return false;
    ok_ = false;
    if (!env_.IsExceptionPending()) Napi::Error::New(env_, std::string(fn_) + ": reading " + name + " failed (N-API status " + std::to_string(static_cast<int>(s)) + ")").ThrowAsJavaScriptException();
    return false;
  }
};

}  // namespace statarb
