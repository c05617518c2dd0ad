// OrderBookWrap's fast paths: the typed-array batch (batch.h) and the per-call scratch (scratch.h).
#include <algorithm>
#include <string>

#include "book_wrap.h"
#include "codes.gen.h"
#include "scratch.h"

namespace statarb::binding {

// A Float64Array over one of this book's scratch blocks; the ArrayBuffer keeps the block alive.
Napi::Float64Array OrderBookWrap::share(Napi::Env env, const Block& block) {
  auto* owner = new Block(block);
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(
      env, block->data(), block->size() * sizeof(double), [](Napi::Env, void*, Block* o) { delete o; }, owner);
  return Napi::Float64Array::New(env, block->size(), ab, 0);
}

// scratch() → [input, output]: the per-call path's two Float64Arrays (layouts scratchIn and
// scratchOut of native/codes.json), over memory this book owns.
Napi::Value OrderBookWrap::Scratch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!in_) {
      in_ = std::make_shared<std::vector<double>>(codes::scratchIn::kLength, 0.0);
      outCap_ = 64;
      out_ = std::make_shared<std::vector<double>>(codes::scratchOut::kHeader + codes::scratchOut::kFillStride * outCap_, 0.0);
    }
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(uint32_t(0), share(env, in_));
    pair.Set(uint32_t(1), share(env, out_));
    return pair;
  });
}

// Submits the order in the input scratch and writes the result (header and every fill) into the
// output scratch. Returns undefined, or — when the fills did not fit — a new, larger output array
// that holds the whole result and replaces the old one from now on. Bad fields come back as status
// codes (the TypeScript face then asks submit() for the error that names the field).
Napi::Value OrderBookWrap::SubmitScratch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!in_) throw BadInput{false, "OrderBook.submitScratch: call scratch() first"};
    NewOrder o;
    Status st = decodeScratch(in_->data(), grid_, &o);
    Result r{Status::Ok, 0, 0};
    if (st == Status::Ok) {
      st = (r = book_.submit(o)).status;
      if (env.IsExceptionPending()) return env.Undefined();
    }
    reportMemory();
    const size_t nf = book_.fills().size();
    const bool grow = nf > outCap_ && (st == Status::Ok || st == Status::PostOnlyWouldTake || st == Status::FokUnfillable);
    if (grow) {
      const size_t cap = std::max(nf, outCap_ * 2);
      Block bigger = std::make_shared<std::vector<double>>(codes::scratchOut::kHeader + codes::scratchOut::kFillStride * cap, 0.0);
      out_.swap(bigger);
      outCap_ = cap;
    }
    writeScratchResult(out_->data(), outCap_, st, r, book_.fills(), grid_);
    return grow ? Napi::Value(share(env, out_)) : env.Undefined();
  });
}

// ops: { type: Uint8Array (BATCH_OP), id, price, quantity: Float64Array, side: Uint8Array
// (0 buy, 1 sell), timestamp?: Float64Array }, options { checksums?: boolean }.
Napi::Value OrderBookWrap::SubmitBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    // every JavaScript read first; then the outputs; then the columns, resolved at the moment of
    // use (no JavaScript runs between their check and the last read of them)
    const BatchArgs args = readBatchArgs(info);
    size_t n = 0;
    bool hasType = false;
    check(env, napi_is_typedarray(env, args.type, &hasType), "ops.type");
    if (hasType) check(env, napi_get_typedarray_info(env, args.type, nullptr, &n, nullptr, nullptr, nullptr), "ops.type");
    Napi::Uint8Array status = Napi::Uint8Array::New(env, n);
    Napi::Uint32Array sums = args.checksums ? Napi::Uint32Array::New(env, n) : Napi::Uint32Array();
    const BatchInput in = resolveBatch(args);
    if (in.n != n) throw BadInput{true, "OrderBook.submitBatch: ops.type changed length during the call"};
    // the batch returns fills as columns; L2/L3 updates and listeners belong to per-call operations
    book_.setRecordUpdates(false);
    book_.setFillListener(nullptr);
    book_.setBookListener(nullptr);
    struct Restore {
      OrderBookWrap& w;
      ~Restore() { w.listener_.attach(w.book_); }
    } restore{*this};
    runBatch(book_, grid_, in, status.Data(), args.checksums ? sums.Data() : nullptr, fills_);
    Napi::Object out = Napi::Object::New(env);
    out.Set("status", status);
    fills_.handOut(env, out);
    if (args.checksums) out.Set("checksum", sums);
    reportMemory();
    return out;
  });
}

}  // namespace statarb::binding
