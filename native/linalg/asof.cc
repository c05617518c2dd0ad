// asofJoin: lib/ticks' as-of join (lib/ticks/asof.ts) of trades to the prevailing quote of their
// symbol, in ONE pass that merges the two time-ordered tables and gathers the picked quote's columns,
// mid, spread and the quote-rule sign as it goes — the same numbers as the TypeScript path (asofRows +
// gather), bit for bit: int64 timestamp comparisons equal the TypeScript's 32-bit-half comparisons,
// the tolerance test uses its float64 difference, and mid/spread/sign are the same IEEE expressions.
//
// Why native (measured, bench/results/ticks.notes.md): the TypeScript join is ~20 ms CPU in steady
// state but 40–60 ms in its first calls of a process (the merge and gather loops run in the
// interpreter and baseline tiers until V8 optimises them, and 20 MB of zero-filled output columns
// feed the GC), which is what a notebook or a bench round sees; this loop is the same work in a few
// ms from the first call, on output buffers the caller allocates without zero-filling.
//
//   asofJoin(tts: BigInt64Array, tsym: Int32Array, tprice: Float64Array,
//            qts: BigInt64Array, qsym: Int32Array, qbid: Float64Array, qask: Float64Array,
//            qbidSize: Int32Array|Float64Array, qaskSize: Int32Array|Float64Array,
//            nSymbols: number, exact: boolean, tol: number (ns, +Infinity: none),
//            pick: Int32Array(n), quoteTs: BigInt64Array(n), f64: Float64Array(6n), sign: Int8Array(n))
//     → number of trades without a quote.
// f64 holds bid, ask, bid_size, ask_size, mid, spread as six blocks of n. Every output value is
// written (NaN / 0 without a quote). Inputs are resolved once, checked (types, lengths, detached
// buffers, symbol codes in [0, nSymbols), both tables in time order) → TypeError/RangeError naming
// the argument or row; an output sharing memory with any other array is refused (RangeError naming
// both: lib/ticks allocates them fresh). The per-symbol table is sized by the largest quote code
// present + 1 (a trade code above it has no quote), so a huge nSymbols costs nothing.
#include <napi.h>

#include "napi_args.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <new>
#include <string>
#include <vector>

namespace {

struct Column {
  void* data = nullptr;
  size_t length = 0;
  napi_typedarray_type type = napi_int8_array;
};

const char* const kNames[] = {"trades.ts", "trades.sym", "trades.price", "quotes.ts", "quotes.sym", "quotes.bid", "quotes.ask",
                              "quotes.bidSize", "quotes.askSize", "nSymbols", "exact", "tolerance", "pick", "quoteTs", "out", "sign"};

// Throws "asofJoin: <msg>" (a RangeError, TypeError when `type`) unless an exception is already
// pending (a failed N-API call may have left its own); always false.
bool raise(Napi::Env env, const std::string& msg, bool type = false) {
  if (env.IsExceptionPending()) return false;
  if (type) Napi::TypeError::New(env, "asofJoin: " + msg).ThrowAsJavaScriptException();
  else Napi::RangeError::New(env, "asofJoin: " + msg).ThrowAsJavaScriptException();
  return false;
}

size_t elementBytes(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return 1;
    case napi_int32_array: return 4;
    default: return 8;  // the BigInt64Array and Float64Array columns
  }
}

// Resolves argument k as a typed array of one of `types` (attached); false after throwing.
bool typedArg(const Napi::CallbackInfo& info, size_t k, std::initializer_list<napi_typedarray_type> types, const char* want, Column& out) {
  napi_env env = info.Env();
  const std::string name = kNames[k];
  bool is = false;
  if (napi_is_typedarray(env, info[k], &is) != napi_ok || !is) return raise(info.Env(), name + " must be " + want, true);
  napi_value buffer = nullptr;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, info[k], &out.type, &out.length, &out.data, &buffer, &offset) != napi_ok) return raise(info.Env(), name + ": cannot read the typed array", true);
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok || detached) return raise(info.Env(), name + " is a view of a detached ArrayBuffer (transferred away)");
  for (auto t : types) if (t == out.type) return true;
  return raise(info.Env(), name + " must be " + want, true);
}

struct Inputs {
  const int64_t* tts;
  const int32_t* tsym;
  const double* tprice;
  const int64_t* qts;
  const int32_t* qsym;
  const double* qbid;
  const double* qask;
  Column qbs, qas;
  size_t n, m;
  uint32_t nSymbols;
  bool exact;
  double tol;
  int32_t* pick;
  int64_t* quoteTs;
  double* f64;
  int8_t* sign;
};

inline double sizeAt(const Column& c, int64_t j) {
  return c.type == napi_int32_array ? static_cast<double>(static_cast<const int32_t*>(c.data)[j]) : static_cast<const double*>(c.data)[j];
}

// The tolerance test of the TypeScript: (hi − qhi)·2³² + (lo − qlo) in float64 (one rounding) > tol.
inline bool tooOld(int64_t t, int64_t q, double tol) {
  const double dh = static_cast<double>(static_cast<int32_t>(static_cast<uint64_t>(t) >> 32)) - static_cast<double>(static_cast<int32_t>(static_cast<uint64_t>(q) >> 32));
  const double dl = static_cast<double>(static_cast<uint32_t>(t)) - static_cast<double>(static_cast<uint32_t>(q));
  return dh * 4294967296.0 + dl > tol;
}

// What stopped the merge: a symbol code out of range or a time out of order, at `row` of the trades
// or the quotes.
struct Fault {
  enum Kind { kNone, kCode, kOrder } kind = kNone;
  bool quote = false;
  size_t row = 0;
};

// The merge + gather over a per-symbol table of last.size() entries (codes in [size, nSymbols) have
// no quote); returns the trades without a quote, or −1 with `fault` set.
int64_t run(const Inputs& in, std::vector<int32_t>& last, Fault& fault) {
  const size_t n = in.n, m = in.m, table = last.size();
  const bool limited = !(in.tol == std::numeric_limits<double>::infinity());
  double *bid = in.f64, *ask = bid + n, *bsz = ask + n, *asz = bsz + n, *mid = asz + n, *spread = mid + n;
  int32_t* lastp = last.data();
  int64_t missing = 0;
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t t = in.tts[i];
    if (i > 0 && t < in.tts[i - 1]) return fault = Fault{Fault::kOrder, false, i}, -1;
    for (; k < m && (in.exact ? in.qts[k] <= t : in.qts[k] < t); ++k) {
      if (k > 0 && in.qts[k] < in.qts[k - 1]) return fault = Fault{Fault::kOrder, true, k}, -1;
      const uint32_t c = static_cast<uint32_t>(in.qsym[k]);
      if (c >= in.nSymbols) return fault = Fault{Fault::kCode, true, k}, -1;
      lastp[c] = static_cast<int32_t>(k);
    }
    const uint32_t s = static_cast<uint32_t>(in.tsym[i]);
    if (s >= in.nSymbols) return fault = Fault{Fault::kCode, false, i}, -1;
    int32_t j = s < table ? lastp[s] : -1;
    if (j >= 0 && limited && tooOld(t, in.qts[j], in.tol)) j = -1;
    in.pick[i] = j;
    if (j < 0) {
      ++missing;
      bid[i] = ask[i] = bsz[i] = asz[i] = mid[i] = spread[i] = std::numeric_limits<double>::quiet_NaN();
      in.sign[i] = 0;
      in.quoteTs[i] = 0;
      continue;
    }
    const double b = in.qbid[j], a = in.qask[j], mm = (b + a) / 2, p = in.tprice[i];
    bid[i] = b;
    ask[i] = a;
    bsz[i] = sizeAt(in.qbs, j);
    asz[i] = sizeAt(in.qas, j);
    mid[i] = mm;
    spread[i] = a - b;
    in.sign[i] = p > mm ? 1 : p < mm ? -1 : 0;
    in.quoteTs[i] = in.qts[j];
  }
  for (k = k > 0 ? k : 1; k < m; ++k) {  // the quotes after the last trade: their order too
    if (in.qts[k] < in.qts[k - 1]) return fault = Fault{Fault::kOrder, true, k}, -1;
  }
  return missing;
}

// The per-symbol table's size: the largest quote code below nSymbols, + 1 (a quote code at or above
// nSymbols is refused by the merge before it is used).
size_t tableSize(const Inputs& in) {
  uint32_t top = 0;
  bool any = false;
  for (size_t k = 0; k < in.m; ++k) {
    const uint32_t c = static_cast<uint32_t>(in.qsym[k]);
    if (c < in.nSymbols && (!any || c > top)) top = c, any = true;
  }
  return any ? static_cast<size_t>(top) + 1 : 0;
}

// Reads and checks every argument into `in`; false after throwing.
bool readArgs(const Napi::CallbackInfo& info, Inputs& in) {
  Napi::Env env = info.Env();
  if (info.Length() != 16) return raise(env, "expected (tts, tsym, tprice, qts, qsym, qbid, qask, qbidSize, qaskSize, nSymbols, exact, tol, pick, quoteTs, out, sign): 16 arguments", true);
  Column c[16];
  const auto I64 = napi_bigint64_array, I32 = napi_int32_array, F64 = napi_float64_array, I8 = napi_int8_array;
  if (!typedArg(info, 0, {I64}, "a BigInt64Array", c[0]) || !typedArg(info, 1, {I32}, "an Int32Array", c[1]) || !typedArg(info, 2, {F64}, "a Float64Array", c[2]) ||
      !typedArg(info, 3, {I64}, "a BigInt64Array", c[3]) || !typedArg(info, 4, {I32}, "an Int32Array", c[4]) || !typedArg(info, 5, {F64}, "a Float64Array", c[5]) ||
      !typedArg(info, 6, {F64}, "a Float64Array", c[6]) || !typedArg(info, 7, {I32, F64}, "an Int32Array or Float64Array", c[7]) ||
      !typedArg(info, 8, {I32, F64}, "an Int32Array or Float64Array", c[8]) || !typedArg(info, 12, {I32}, "an Int32Array", c[12]) ||
      !typedArg(info, 13, {I64}, "a BigInt64Array", c[13]) || !typedArg(info, 14, {F64}, "a Float64Array", c[14]) || !typedArg(info, 15, {I8}, "an Int8Array", c[15])) {
    return false;
  }
  const size_t n = c[0].length, m = c[3].length;
  const size_t want[16] = {n, n, n, m, m, m, m, m, m, 0, 0, 0, n, n, 6 * n, n};
  for (size_t k : {1, 2, 4, 5, 6, 7, 8, 12, 13, 14, 15}) {
    if (c[k].length != want[k]) return raise(env, std::string(kNames[k]) + " has " + std::to_string(c[k].length) + " values, expected " + std::to_string(want[k]));
  }
  if (n > 0x7fffffff || m > 0x7fffffff) return raise(env, "at most 2^31 − 1 trades and quotes");
  std::vector<statarb::Span> spans;  // an output is written while the inputs are still read
  for (size_t k : {0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15}) spans.push_back(statarb::spanOf(kNames[k], c[k].data, c[k].length * elementBytes(c[k].type), k >= 12));
  const std::string overlap = statarb::firstOverlap(spans);
  if (!overlap.empty()) return raise(env, overlap);
  if (!info[9].IsNumber() || !info[10].IsBoolean() || !info[11].IsNumber()) return raise(env, "nSymbols and tol must be numbers, exact a boolean", true);
  const double ns = info[9].As<Napi::Number>().DoubleValue(), tol = info[11].As<Napi::Number>().DoubleValue();
  if (!(ns >= 0 && ns <= 0x7fffffff && ns == std::floor(ns)) || !(tol >= 0)) {
    return raise(env, "nSymbols must be an integer in [0, 2^31 − 1] and tol ≥ 0, got " + std::to_string(ns) + ", " + std::to_string(tol));
  }
  in = Inputs{static_cast<const int64_t*>(c[0].data), static_cast<const int32_t*>(c[1].data), static_cast<const double*>(c[2].data),
              static_cast<const int64_t*>(c[3].data), static_cast<const int32_t*>(c[4].data), static_cast<const double*>(c[5].data),
              static_cast<const double*>(c[6].data), c[7], c[8], n, m, static_cast<uint32_t>(ns), info[10].As<Napi::Boolean>().Value(), tol,
              static_cast<int32_t*>(c[12].data), static_cast<int64_t*>(c[13].data), static_cast<double*>(c[14].data), static_cast<int8_t*>(c[15].data)};
  return true;
}

Napi::Value AsofJoin(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Inputs in{};
  if (!readArgs(info, in)) return env.Undefined();
  thread_local std::vector<int32_t> last;
  const size_t table = tableSize(in);
  try {
    last.assign(table, -1);
  } catch (const std::bad_alloc&) {
    raise(env, "out of memory for a table of " + std::to_string(table) + " symbols");
    return env.Undefined();
  }
  Fault f;
  const int64_t r = run(in, last, f);
  if (table > (size_t{1} << 20)) std::vector<int32_t>().swap(last);  // a big table is not kept by the thread
  if (f.kind == Fault::kCode) {
    const int32_t code = f.quote ? in.qsym[f.row] : in.tsym[f.row];
    raise(env, std::string(f.quote ? "quotes" : "trades") + ".sym[" + std::to_string(f.row) + "] = " + std::to_string(code) + " is outside the " + std::to_string(in.nSymbols) + " symbols");
    return env.Undefined();
  }
  if (f.kind == Fault::kOrder) {
    const char* side = f.quote ? "quotes" : "trades";
    const int64_t* ts = f.quote ? in.qts : in.tts;
    raise(env, std::string(side) + ".ts[" + std::to_string(f.row) + "] = " + std::to_string(ts[f.row]) + " is before " + side + ".ts[" + std::to_string(f.row - 1) + "] = " +
                   std::to_string(ts[f.row - 1]) + " (" + side + " must be in time order)");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(r));
}

}  // namespace

// Registered by linalg.cc's Init.
void statarbRegisterAsof(Napi::Env env, Napi::Object exports) {
  exports.Set("asofJoin", Napi::Function::New(env, AsofJoin, "asofJoin"));
}
