// The batch codec: operations arrive as typed-array columns ({ type, id, side, price, quantity,
// timestamp? }, codes from native/codes.json), run through the engine in one N-API crossing, and
// their fills leave as columns handed to JavaScript without a copy. Per-operation problems become
// status codes; malformed columns are a BadInput before any operation runs.
#pragma once
#include <napi.h>

#include <cstdint>

#include "convert.h"
#include "order_book.h"

namespace statarb::binding {

// The arguments of one submitBatch call, every property read once (no typed array touched yet).
struct BatchArgs {
  Napi::Value type, id, side, price, quantity, timestamp;
  bool checksums = false;  // options.checksums: book checksum after every operation
};
BatchArgs readBatchArgs(const Napi::CallbackInfo& info);

// The operation columns, resolved from BatchArgs at the moment of use (after the last JavaScript
// read of the call): pointers into the caller's typed arrays, all of length n.
struct BatchInput {
  size_t n = 0;
  const uint8_t* type = nullptr;
  const double* id = nullptr;
  const uint8_t* side = nullptr;
  const double* price = nullptr;
  const double* quantity = nullptr;
  const double* timestamp = nullptr;  // optional column
};
BatchInput resolveBatch(const BatchArgs& args);

// One growable column of fills, in memory that is handed to JavaScript as an external ArrayBuffer
// (big columns come from the engine's recycled huge-page blocks, buffer.h, and go back there when
// JavaScript collects them; V8 is told their size so it collects them promptly).
template <typename T>
struct Column {
  T* p = nullptr;
  size_t cap = 0;
  ~Column();
  bool reserve(size_t n);  // false when out of memory (nothing changed)
  Napi::ArrayBuffer handOut(Napi::Env env, size_t used);  // gives the block to JavaScript
};

// The fill columns of a batch, reused across calls until handed out.
class FillColumns {
 public:
  size_t size() const { return m_; }
  void clear() { m_ = 0; }
  // appends the fills of operation `op`; a BadInput when memory runs out
  void append(uint32_t op, const std::vector<Fill>& fills, const PriceGrid& grid);
  // sets fillOp, taker, maker, price, quantity, timestamp on `out` and gives the blocks away
  void handOut(Napi::Env env, Napi::Object out);

 private:
  Column<uint32_t> op_;
  Column<double> taker_, maker_, price_, qty_, ts_;
  size_t m_ = 0;
};

// Runs every operation of `in` through `book`, writing one status per operation (and the book's
// checksum after it when asked) and collecting the fills. Per-operation problems are statuses; if
// memory runs out at operation i (the book's growth or the fill columns), operations before i
// stand, i and later are not applied, and the BadInput names i (a documented prefix).
void runBatch(OrderBook& book, const PriceGrid& grid, const BatchInput& in, uint8_t* status, uint32_t* sums, FillColumns& fills);

}  // namespace statarb::binding
