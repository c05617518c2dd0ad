// OrderBookWrap's fast paths: the typed-array batch (batch.h) and the per-call scratch (scratch.h).
#include <string>

#include "book_wrap.h"
#include "codes.gen.h"
#include "scratch.h"

namespace statarb::binding {

// setScratch(input: Float64Array(8), output: Float64Array(4 + 5k)); layouts scratchIn/scratchOut.
Napi::Value OrderBookWrap::SetScratch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    return throwJs(env, BadInput{false, "OrderBook.setScratch: input and output must be Float64Arrays"});
  Napi::Float64Array a = info[0].As<Napi::Float64Array>(), b = info[1].As<Napi::Float64Array>();
  if (a.ElementLength() < codes::scratchIn::kLength || b.ElementLength() < codes::scratchOut::kHeader + codes::scratchOut::kFillStride)
    return throwJs(env, BadInput{true, "OrderBook.setScratch: input needs ≥ 8 elements and output ≥ 9"});
  inRef_ = Napi::Persistent(a);
  outRef_ = Napi::Persistent(b);
  in_ = a.Data();
  out_ = b.Data();
  outCap_ = (b.ElementLength() - codes::scratchOut::kHeader) / codes::scratchOut::kFillStride;
  return env.Undefined();
}

// Submits the order in the input scratch; bad fields come back as status codes (the TypeScript
// face then asks submit() for the named error).
Napi::Value OrderBookWrap::SubmitScratch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    if (!in_) throw BadInput{false, "OrderBook.submitScratch: call setScratch first"};
    NewOrder o;
    Status st = decodeScratch(in_, grid_, &o);
    Result r{Status::Ok, 0, 0};
    if (st == Status::Ok) {
      st = (r = book_.submit(o)).status;
      if (env.IsExceptionPending()) return env.Undefined();
    }
    writeScratchResult(out_, outCap_, st, r, book_.fills(), grid_);
    reportMemory();
    return env.Undefined();
  });
}

// After setScratch with a larger output: copies the last operation's fills into it.
Napi::Value OrderBookWrap::LastFillsInto(const Napi::CallbackInfo& info) {
  if (out_) writeScratchFills(out_, outCap_, book_.fills(), grid_);
  return info.Env().Undefined();
}

// ops: { type: Uint8Array (BATCH_OP), id, price, quantity: Float64Array, side: Uint8Array
// (0 buy, 1 sell), timestamp?: Float64Array }, options { checksums?: boolean }.
Napi::Value OrderBookWrap::SubmitBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guarded(env, [&]() -> Napi::Value {
    const BatchInput in = readBatchInput(info);
    Napi::Uint8Array status = Napi::Uint8Array::New(env, in.n);
    Napi::Uint32Array sums = in.checksums ? Napi::Uint32Array::New(env, in.n) : Napi::Uint32Array();
    // the batch returns fills as columns; L2/L3 updates and listeners belong to per-call operations
    book_.setRecordUpdates(false);
    book_.setFillListener(nullptr);
    book_.setBookListener(nullptr);
    struct Restore {
      OrderBookWrap& w;
      ~Restore() { w.listener_.attach(w.book_); }
    } restore{*this};
    runBatch(book_, grid_, in, status.Data(), in.checksums ? sums.Data() : nullptr, fills_);
    Napi::Object out = Napi::Object::New(env);
    out.Set("status", status);
    fills_.handOut(env, out);
    if (in.checksums) out.Set("checksum", sums);
    reportMemory();
    return out;
  });
}

}  // namespace statarb::binding
