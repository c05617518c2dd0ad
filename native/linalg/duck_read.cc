// duckReadColumns: lib/ticks' columnar read of a materialized DuckDB result (lib/ticks/duck.ts,
// readNotNullColumns) — every chunk's vectors copied straight into the caller's typed arrays in C++,
// as DuckDB's own Python client does for .df(), instead of one JavaScript Buffer per vector per chunk.
//
// Why native (measured, bench/results/ticks.notes.md): through @duckdb/node-bindings a 2,048-row chunk
// costs ≈45 µs to fetch and ≈5–8 µs per vector, each vector copied into a fresh Buffer that the
// JavaScript reader copies again; for the 541,938 ticks of the bench (13 columns, 265 chunks) that is
// ≈20 ms on the main thread plus the major GCs those 1,700 short-lived external buffers trigger (a
// quarter of the samples in perf), so reading the store cost twice pandas' whole merge. Here the same
// chunks cost one memcpy per vector and nothing for the GC.
//
// How: the result is the Napi::External that @duckdb/node-bindings wraps around its duckdb_result*,
// recognised by that library's type tag (napi_check_object_type_tag; another value, or a release
// that tags differently, is answered `false` and the caller reads through the bindings as before).
// DuckDB's C API functions come from the libduckdb already loaded by the bindings (dlopen with
// RTLD_NOLOAD: nothing else is ever loaded; a missing library or symbol is `false` too).
//
//   duckReadColumns(result: External, libduckdb: string, out: TypedArray[], order?: boolean, release?: boolean) → 0 | 1 | 2
// out has one typed array per result column, of the column's element type (INTEGER → Int32Array,
// BIGINT/TIMESTAMP_* → BigInt64Array, DOUBLE → Float64Array, …) and length = the result's row count.
// 1: read; 0: not recognised (nothing read). With `order` (the first and last columns 64-bit: ts and
// rowid) also checks time order — ts never falls, rowid always rises — and answers 2 when it fails.
// A NULL anywhere is a RangeError naming the column and row; wrong arrays are TypeError/RangeError.
// With `release`, a result read is destroyed at once (duckdb_destroy_result: DuckDB's copy of the rows
// goes back to its allocator now, for the next query, instead of when V8 collects the external; the
// function zeroes the struct, so the bindings' finalizer's own destroy is then a no-op). A released
// result passed again is a RangeError (its internal pointer is null), never a read of freed memory.
// Every JavaScript value is read before the result is touched (a getter on `out` may run JavaScript —
// even release this result or detach an array — so the result is checked after it); out arrays may
// not share memory (RangeError naming both). Thread-safe: the C API table is found under a mutex
// (worker threads load this addon once per process).
#include <napi.h>
#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "napi_args.h"

namespace {

// duckdb.h's duckdb_result (C API, stable layout across 1.x): passed by value to some functions.
struct DuckResult {
  uint64_t columnCount, rowCount, rowsChanged;
  void* columns;
  char* error;
  void* internal;
};

struct DuckApi {
  bool ok = false;
  uint64_t (*chunkCount)(DuckResult) = nullptr;
  void* (*getChunk)(DuckResult, uint64_t) = nullptr;
  bool (*isStreaming)(DuckResult) = nullptr;
  uint64_t (*rowCount)(DuckResult*) = nullptr;
  uint64_t (*columnCount)(DuckResult*) = nullptr;
  int32_t (*columnType)(DuckResult*, uint64_t) = nullptr;
  uint64_t (*chunkSize)(void*) = nullptr;
  void* (*chunkVector)(void*, uint64_t) = nullptr;
  void* (*vectorData)(void*) = nullptr;
  uint64_t* (*vectorValidity)(void*) = nullptr;
  void (*destroyChunk)(void**) = nullptr;
  void (*destroyResult)(DuckResult*) = nullptr;
};

// The node-bindings' tag of a duckdb_result external (duckdb-node-neo, ResultTypeTag).
const napi_type_tag kResultTag = {0x08F7FE3AE12345E5ULL, 0x8733310DC29372D9ULL};

template <class F>
bool sym(void* lib, const char* name, F& f) {
  f = reinterpret_cast<F>(dlsym(lib, name));
  return f != nullptr;
}

// The C API of the libduckdb at `path`, only if it is already loaded (kept once found; a path that
// is not a loaded libduckdb finds nothing and is not remembered). A copy, made under the lock: the
// main thread and workers share the one table.
DuckApi api(const std::string& path) {
  static std::mutex lock;
  static DuckApi found;
  std::lock_guard<std::mutex> hold(lock);
  if (found.ok) return found;
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (lib == nullptr) return found;
  DuckApi a;
  a.ok = sym(lib, "duckdb_result_chunk_count", a.chunkCount) && sym(lib, "duckdb_result_get_chunk", a.getChunk) &&
         sym(lib, "duckdb_result_is_streaming", a.isStreaming) && sym(lib, "duckdb_row_count", a.rowCount) &&
         sym(lib, "duckdb_column_count", a.columnCount) && sym(lib, "duckdb_column_type", a.columnType) &&
         sym(lib, "duckdb_data_chunk_get_size", a.chunkSize) && sym(lib, "duckdb_data_chunk_get_vector", a.chunkVector) &&
         sym(lib, "duckdb_vector_get_data", a.vectorData) && sym(lib, "duckdb_vector_get_validity", a.vectorValidity) &&
         sym(lib, "duckdb_destroy_data_chunk", a.destroyChunk) && sym(lib, "duckdb_destroy_result", a.destroyResult);
  if (!a.ok) dlclose(lib);  // NOLOAD took a reference to a library that is not DuckDB's
  else found = a;
  return a;
}

// Throws "duckReadColumns: <msg>" (a RangeError, TypeError when `type`) unless an exception is already
// pending (a failed N-API call or a getter may have left its own); returns undefined.
Napi::Value raise(Napi::Env env, const std::string& msg, bool type = false) {
  if (env.IsExceptionPending()) return env.Undefined();
  if (type) Napi::TypeError::New(env, "duckReadColumns: " + msg).ThrowAsJavaScriptException();
  else Napi::RangeError::New(env, "duckReadColumns: " + msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

// duckdb_type → the typed array that holds it (napi_int8_array as "none": not a fixed-width type here).
napi_typedarray_type arrayFor(int32_t t, size_t& width) {
  switch (t) {
    case 2: width = 1; return napi_int8_array;                                     // TINYINT
    case 6: width = 1; return napi_uint8_array;                                    // UTINYINT
    case 3: width = 2; return napi_int16_array;                                    // SMALLINT
    case 7: width = 2; return napi_uint16_array;                                   // USMALLINT
    case 4: case 13: width = 4; return napi_int32_array;                           // INTEGER, DATE
    case 8: width = 4; return napi_uint32_array;                                   // UINTEGER
    case 10: width = 4; return napi_float32_array;                                 // FLOAT
    case 11: width = 8; return napi_float64_array;                                 // DOUBLE
    case 5: case 12: case 20: case 21: case 22: width = 8; return napi_bigint64_array;  // BIGINT, TIMESTAMP(_S/_MS/_NS)
    case 9: width = 8; return napi_biguint64_array;                                // UBIGINT
    default: width = 0; return napi_int8_array;
  }
}

struct Target {
  uint8_t* data;
  size_t width;
};

// Resolves out[j] (read before: no JavaScript runs from here to the copy) for column j (type, length, attached); false after throwing.
bool target(Napi::Env env, napi_value v, uint32_t j, int32_t type, uint64_t rows, Target& t) {
  const std::string name = "out[" + std::to_string(j) + "]";
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return raise(env, name + " must be a typed array", true), false;
  napi_typedarray_type kind;
  size_t length = 0, offset = 0;
  void* data = nullptr;
  napi_value buffer = nullptr;
  bool detached = false;
  if (napi_get_typedarray_info(env, v, &kind, &length, &data, &buffer, &offset) != napi_ok || napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok) {
    return raise(env, name + ": cannot read the typed array", true), false;
  }
  size_t width = 0;
  const napi_typedarray_type want = arrayFor(type, width);
  if (width == 0 || kind != want) return raise(env, name + " is not of the column's type (DuckDB type id " + std::to_string(type) + ")", true), false;
  if (detached || length != rows || (rows > 0 && data == nullptr)) {
    return raise(env, name + " must hold the result's " + std::to_string(rows) + " rows (attached), has " + std::to_string(detached ? 0 : length)), false;
  }
  t = Target{static_cast<uint8_t*>(data), width};
  return true;
}

// Copies every chunk into the targets; an error message (NULL, a row count disagreement) or "".
std::string copyChunks(const DuckApi& a, DuckResult* r, const std::vector<Target>& ts, uint64_t rows) {
  uint64_t at = 0;
  for (uint64_t c = 0, count = a.chunkCount(*r); c < count; ++c) {
    void* chunk = a.getChunk(*r, c);
    if (chunk == nullptr) return "DuckDB returned no chunk " + std::to_string(c);
    const uint64_t n = a.chunkSize(chunk);
    std::string err = at + n > rows ? "DuckDB's chunks hold more than its " + std::to_string(rows) + " rows" : "";
    for (size_t j = 0; err.empty() && j < ts.size(); ++j) {
      void* vec = a.chunkVector(chunk, j);
      const uint64_t* valid = a.vectorValidity(vec);
      for (uint64_t i = 0; valid != nullptr && i < n; ++i) {
        if (((valid[i >> 6] >> (i & 63)) & 1) == 0) {
          err = "column " + std::to_string(j) + " has a NULL at row " + std::to_string(at + i);
          break;
        }
      }
      if (err.empty() && n > 0) std::memcpy(ts[j].data + at * ts[j].width, a.vectorData(vec), n * ts[j].width);
    }
    a.destroyChunk(&chunk);
    if (!err.empty()) return err;
    at += n;
  }
  return at == rows ? "" : "DuckDB's result has " + std::to_string(rows) + " rows but its chunks hold " + std::to_string(at);
}

// ts (column 0) never falls and rowid (the last column) always rises.
bool timeOrdered(const std::vector<Target>& ts, uint64_t rows) {
  const auto* t = reinterpret_cast<const int64_t*>(ts.front().data);
  const auto* id = reinterpret_cast<const int64_t*>(ts.back().data);
  for (uint64_t i = 1; i < rows; ++i) if (t[i] < t[i - 1] || id[i] <= id[i - 1]) return false;
  return true;
}

// out[j] for every j, each read once (a getter runs here, before the result is touched); false after
// a throw (a getter's own exception stands).
bool readOut(Napi::Env env, napi_value out, std::vector<napi_value>& vs) {
  uint32_t outs = 0;
  if (napi_get_array_length(env, out, &outs) != napi_ok) return raise(env, "cannot read the length of out", true), false;
  vs.resize(outs);
  for (uint32_t j = 0; j < outs; ++j) {
    if (napi_get_element(env, out, j, &vs[j]) != napi_ok) return raise(env, "cannot read out[" + std::to_string(j) + "]", true), false;
  }
  return true;
}

// The out arrays resolved against the result's columns, none over another; false after throwing.
bool targets(Napi::Env env, const DuckApi& a, DuckResult* r, const std::vector<napi_value>& vs, uint64_t rows, std::vector<Target>& ts) {
  const size_t cols = vs.size();
  ts.resize(cols);
  std::vector<std::string> names(cols);
  std::vector<statarb::Span> spans;
  for (uint32_t j = 0; j < cols; ++j) {
    if (!target(env, vs[j], j, a.columnType(r, j), rows, ts[j])) return false;
    names[j] = "out[" + std::to_string(j) + "]";
    spans.push_back(statarb::spanOf(names[j].c_str(), ts[j].data, rows * ts[j].width, true));
  }
  const std::string overlap = statarb::firstOverlap(spans);
  if (!overlap.empty()) return raise(env, overlap.substr(0, overlap.find(" (pass")) + " (pass separate arrays)"), false;
  return true;
}

Napi::Value DuckReadColumns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const size_t argc = info.Length();
  if (argc < 3 || argc > 5 || !info[1].IsString() || !info[2].IsArray() || (argc >= 4 && !info[3].IsBoolean()) || (argc == 5 && !info[4].IsBoolean())) {
    if (!env.IsExceptionPending()) Napi::TypeError::New(env, "duckReadColumns(result: External, libduckdb: string, out: TypedArray[], order?: boolean, release?: boolean)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const bool order = argc >= 4 && info[3].As<Napi::Boolean>().Value();
  const bool release = argc == 5 && info[4].As<Napi::Boolean>().Value();
  std::vector<napi_value> vs;
  if (!readOut(env, info[2], vs)) return env.Undefined();  // the last JavaScript that runs in this call
  napi_valuetype vt;
  bool tagged = false;
  if (napi_typeof(env, info[0], &vt) != napi_ok || vt != napi_external || napi_check_object_type_tag(env, info[0], &kResultTag, &tagged) != napi_ok || !tagged) {
    return Napi::Number::New(env, 0);  // not a node-bindings result (or a release that tags it differently)
  }
  const DuckApi a = api(info[1].As<Napi::String>().Utf8Value());
  void* p = nullptr;
  if (!a.ok || napi_get_value_external(env, info[0], &p) != napi_ok || p == nullptr) return Napi::Number::New(env, 0);
  auto* r = static_cast<DuckResult*>(p);
  if (r->internal == nullptr) return raise(env, "this DuckDB result was already released (read with release: true, or destroyed): run the query again");
  if (a.isStreaming(*r)) return Napi::Number::New(env, 0);
  const uint64_t rows = a.rowCount(r), cols = a.columnCount(r);
  if (vs.size() != cols) return raise(env, "out has " + std::to_string(vs.size()) + " arrays for " + std::to_string(cols) + " columns");
  std::vector<Target> ts;
  if (!targets(env, a, r, vs, rows, ts)) return env.Undefined();
  if (order && (cols == 0 || ts.front().width != 8 || ts.back().width != 8)) return raise(env, "order needs 64-bit first (ts) and last (rowid) columns", true);
  const std::string err = copyChunks(a, r, ts, rows);
  if (!err.empty()) return raise(env, err);
  const int answer = order && !timeOrdered(ts, rows) ? 2 : 1;
  if (release) a.destroyResult(r);
  return Napi::Number::New(env, answer);
}

}  // namespace

// Registered by linalg.cc's Init.
void statarbRegisterDuckRead(Napi::Env env, Napi::Object exports) {
  exports.Set("duckReadColumns", Napi::Function::New(env, DuckReadColumns, "duckReadColumns"));
}
